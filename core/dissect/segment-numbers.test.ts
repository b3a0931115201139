/**
 * DissectionEngine.listenToSegmentNumbers: the TCP dissector tells each segment's numbers
 * wherever the whole tree has their items, whatever the tree keeps (the packet list's load pass
 * keeps none of them and notes them from what it is told).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { readCaptureFile } from '../pcap';
import type { SegmentNumbersListener } from './context';
import { DissectionEngine } from './engine';
import { SEGMENT_NUMBER_FIELDS } from './protocols/tcp';
import { walkTree } from './tree';

/** Per packet, "field=value" of each number told, sorted. */
function told(engine: DissectionEngine, records: ReturnType<typeof readCaptureFile>['packets']): string[][] {
  let current: string[] = [];
  const listener: SegmentNumbersListener = {
    segmentNumber: (field, value) => current.push(`${field.abbrev}=${value}`),
  };
  engine.listenToSegmentNumbers(listener);
  return records.map((record) => {
    current = [];
    engine.dissect(record);
    return current.sort();
  });
}

describe('segment numbers told by the TCP dissector', () => {
  for (const capture of listCaptures()) {
    it(`are the whole tree's items of those fields, with a tree that keeps none of them: ${capture.id}`, () => {
      const { packets: records } = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const whole = new DissectionEngine({ tree: true });
      const expected = records.map((record) => {
        const items: string[] = [];
        walkTree(whole.dissect(record).tree ?? [], (node) => {
          if (node.field && SEGMENT_NUMBER_FIELDS.includes(node.field.abbrev))
            items.push(`${node.field.abbrev}=${String(node.value)}`);
        });
        return items.sort();
      });
      // What the load pass builds: no TCP number among its fields.
      const pruned = new DissectionEngine({ tree: true, labels: false, keptFields: ['ip.src', 'tcp.stream', 'http'] });
      expect(told(pruned, records)).toEqual(expected);
    });
  }

  it("tells the lab SYN's numbers, nothing without a tree, and cannot be asked of an engine without TCP conversations", () => {
    const lab = listCaptures().find((c) => c.id.endsWith('lab-linux-ipv4.pcap'));
    if (!lab) throw new Error('lab-linux-ipv4.pcap fixture missing');
    const { packets } = readCaptureFile(new Uint8Array(readFileSync(lab.path)));
    // The lab's SYN (tshark: Seq 0, Ack 0, Win 65495, at 0 in its stream) and its first data segment's ACK RTT.
    const withTree = told(new DissectionEngine({ tree: true, keptFields: ['tcp.stream'] }), packets);
    expect(withTree[0]).toEqual([
      'tcp.ack=0',
      'tcp.nxtseq=1',
      'tcp.seq=0',
      'tcp.time_delta=0',
      'tcp.time_relative=0',
      'tcp.window_size=65495',
      'tcp.window_size_value=65495',
    ]);
    expect(withTree[4]).toContain('tcp.analysis.ack_rtt=0.001326');
    expect(told(new DissectionEngine({ tree: false }), packets).flat()).toEqual([]);
    const headerOnly = new DissectionEngine({ tree: true, keptFields: ['tcp.seq'], tcpHeaderOnly: true });
    expect(() => headerOnly.listenToSegmentNumbers({ segmentNumber: () => {} })).toThrow(/TCP conversations/);
  });
});
