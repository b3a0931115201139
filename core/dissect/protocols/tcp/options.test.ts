/**
 * TCP options' "4 NOP in a row" warning, counted as tshark 4.0 counts it (within a 32-bit word
 * of the header). Expected frames: `tshark -r tcpdump-ssh.pcap -Y '_ws.expert.message contains
 * "NOP"' -T fields -e frame.number` (TShark 4.0.17), the fixture's source in its NOTICE.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../pcap/reader';
import { DissectionEngine } from '../../engine';
import { formatTreeText } from '../../print';

const SSH = join(__dirname, '../../../../test/fixtures/captures/public/tcpdump-ssh.pcap');
const TSHARK_NOP_FRAMES = [5, 6, 9, 11, 13, 14, 17, 19, 20, 23, 26, 30, 31, 34, 36, 39, 41, 43, 48, 50, 51, 52, 54];

describe('TCP options: NOPs in a row', () => {
  it('warns where tshark does: twelve NOPs from a word start, not eleven after a 2-byte option', () => {
    const engine = new DissectionEngine({ tree: true });
    const packets = readCaptureFile(new Uint8Array(readFileSync(SSH))).packets.map((r) => engine.dissect(r));
    const warned = packets
      .filter((p) => p.expert.some((e) => e.message.startsWith('4 NOP in a row')))
      .map((p) => p.number);
    expect(warned).toEqual(TSHARK_NOP_FRAMES);
    // Frame 2, the SYN-ACK: MSS, SACK permitted, 11 NOPs, window scale.
    expect(warned).not.toContain(2);
    expect(packets[1].columns.info).toContain('SACK_PERM WS=128');
  });
});

describe('TCP options: padding after End of Option List', () => {
  it('each padding byte shows as one more EOL, as tshark 4.0 shows them (the SYN of tcpdump-ssh.pcap)', () => {
    const [record] = readCaptureFile(new Uint8Array(readFileSync(SSH))).packets;
    const syn = new DissectionEngine({ tree: true }).dissect(record);
    const lines = formatTreeText(syn.tree ?? []).split('\n');
    // tshark -r tcpdump-ssh.pcap -V -Y frame.number==1 (TShark 4.0.17):
    expect(lines).toContain(
      '    Options: (24 bytes), Maximum segment size, No-Operation (NOP), Window scale, No-Operation (NOP), ' +
        'No-Operation (NOP), Timestamps, SACK permitted, End of Option List (EOL), End of Option List (EOL)',
    );
    expect(lines.filter((line) => line === '        TCP Option - End of Option List (EOL)')).toHaveLength(2);
  });
});
