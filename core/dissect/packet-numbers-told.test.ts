/**
 * DissectionEngine.listenToPacketNumbers: the TCP dissector tells each segment's numbers, the
 * HTTP dissector each message's, wherever the whole tree has their items, whatever the tree
 * keeps (the packet list's load pass keeps none of them and notes them from what it is told).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { readCaptureFile } from '../pcap';
import type { PacketNumbersListener } from './context';
import { DissectionEngine } from './engine';
import { PACKET_NUMBER_FIELDS } from './protocols';
import { walkTree } from './tree';

/** Per packet, "field=value" of each number told, sorted. */
function told(engine: DissectionEngine, records: ReturnType<typeof readCaptureFile>['packets']): string[][] {
  let current: string[] = [];
  const listener: PacketNumbersListener = {
    packetNumber: (field, value) => current.push(`${field.abbrev}=${value}`),
  };
  engine.listenToPacketNumbers(listener);
  return records.map((record) => {
    current = [];
    engine.dissect(record);
    return current.sort();
  });
}

describe('packet numbers told by the TCP and HTTP dissectors', () => {
  for (const capture of listCaptures()) {
    it(`are the whole tree's items of those fields, with a tree that keeps none of them: ${capture.id}`, () => {
      const { packets: records } = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const whole = new DissectionEngine({ tree: true });
      const expected = records.map((record) => {
        const items: string[] = [];
        walkTree(whole.dissect(record).tree ?? [], (node) => {
          if (node.field && PACKET_NUMBER_FIELDS.includes(node.field.abbrev))
            items.push(`${node.field.abbrev}=${String(node.value)}`);
        });
        return items.sort();
      });
      // What the load pass builds: no TCP or HTTP number among its fields (HTTP's subtree is
      // built for the request method and the later links it keeps).
      const pruned = new DissectionEngine({
        tree: true,
        labels: false,
        keptFields: ['ip.src', 'tcp.stream', 'http.request.method'],
      });
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
    // The page's request and response, and the logo's (tshark: requests 1 and 2 of stream 1 in
    // frames 10 and 17, their responses in 12 and 18, http.time 0.005973000 and 0.000954000).
    const page = told(new DissectionEngine({ tree: true, keptFields: ['tcp.stream', 'http.request.method'] }), packets);
    expect(page[9]).toContain('http.request_number=1');
    expect(page[11]).toEqual(expect.arrayContaining(['http.response_number=1', 'http.request_in=10']));
    expect(page[17]).toEqual(
      expect.arrayContaining([
        'http.response_number=2',
        'http.request_in=17',
        'http.prev_request_in=10',
        'http.prev_response_in=12',
      ]),
    );
    const timeOf = (items: string[]) => Number(items.find((item) => item.startsWith('http.time='))?.slice(10));
    expect(timeOf(page[11])).toBeCloseTo(0.005973, 9);
    expect(timeOf(page[17])).toBeCloseTo(0.000954, 9);
    expect(told(new DissectionEngine({ tree: false }), packets).flat()).toEqual([]);
    const headerOnly = new DissectionEngine({ tree: true, keptFields: ['tcp.seq'], tcpHeaderOnly: true });
    expect(() => headerOnly.listenToPacketNumbers({ packetNumber: () => {} })).toThrow(/TCP conversations/);
  });
});
