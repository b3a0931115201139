/**
 * Packet comments (pcapng) as tshark 4.0.17 shows them in -V (copied below): a "Packet comments"
 * item before the Frame, each comment an item with its Comment expert item. Not a protocol layer:
 * frame.protocols and Protocol Hierarchy leave it out.
 * Fixture: test/fixtures/captures/lab/lab-dumpcap-lo-any.pcapng (comments on frames 4, 16, 21).
 */
import { describe, expect, it } from 'vitest';
import { formatTreeText } from './print';
import { isProtocolLayer } from './tree';
import { dissectInOrder, fixtureRecords } from '../../test/helpers/captures';

describe('packet comments', () => {
  const packets = dissectInOrder(fixtureRecords('lab/lab-dumpcap-lo-any.pcapng'));

  it('a "Packet comments" item before the Frame, with the Comment expert item', () => {
    const lines = formatTreeText(packets[3].tree ?? [], packets[3].sources).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Packet comments',
      '    Interface 0 (lo): browser sends GET / for the profile page',
      '        [Expert Info (Comment/Comment): Interface 0 (lo): browser sends GET / for the profile page]',
      '            [Interface 0 (lo): browser sends GET / for the profile page]',
      '            [Severity level: Comment]',
      '            [Group: Comment]',
    ]);
    expect(lines[6]).toMatch(/^Frame 4: 710 bytes on wire/);
    expect(lines.some((line) => line.trim().startsWith('Comment:'))).toBe(false);
  });

  it('not a protocol layer: the frame carries the same protocols as without it', () => {
    const layers = (packets[3].tree ?? []).filter(isProtocolLayer).map((node) => node.field?.abbrev);
    expect(layers).toEqual(['eth', 'ip', 'tcp', 'http']);
    expect(packets[3].protocols).not.toContain('pkt_comment');
  });
});
