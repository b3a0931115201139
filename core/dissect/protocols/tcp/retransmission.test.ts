/**
 * A retransmitted segment's payload as tshark 4.0 shows it: "Retransmitted TCP segment data"
 * after a timeout's retransmission, and nothing after "TCP payload" for a spurious retransmission
 * (its bytes were acknowledged already) or an out-of-order segment. The packets are built here;
 * the expected lines are tshark 4.0.17's (`tshark -V`) for the same bytes. Before, WireLab added
 * the segment data to all three (two public fixtures showed it on spurious retransmissions).
 */
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../../engine';
import { formatTreeText } from '../../print';
import { findFieldNodes } from '../../tree';
import { tcpRecord, type TcpSegment } from '../../../../test/helpers/packets';
import type { PacketRecord } from '../../../pcap/types';

const GET = [...'GET / HTTP/1.1\r\nHost: a\r\n\r\n'].map((ch) => ch.charCodeAt(0));
const DATA = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

interface Ports {
  client: number;
  server: number;
}

/** Four connections, each a handshake and then `segments` (frames 1–5, 6–11, 12–16, 17–22). */
function retransmissions(): PacketRecord[] {
  const out: PacketRecord[] = [];
  let second = 0;
  const data = (c: Ports, seq: number, payload: number[]): TcpSegment => ({
    srcPort: c.client,
    dstPort: c.server,
    seq,
    ack: 501,
    flags: 0x18,
    payload,
  });
  const ack = (c: Ports, acked: number): TcpSegment => ({
    srcPort: c.server,
    dstPort: c.client,
    seq: 501,
    ack: acked,
    flags: 0x10,
    reverse: true,
  });
  const connection = (c: Ports, segments: TcpSegment[]) => {
    const handshake: TcpSegment[] = [
      { srcPort: c.client, dstPort: c.server, seq: 100, ack: 0, flags: 0x02 },
      { srcPort: c.server, dstPort: c.client, seq: 500, ack: 101, flags: 0x12, reverse: true },
      { srcPort: c.client, dstPort: c.server, seq: 101, ack: 501, flags: 0x10 },
    ];
    for (const segment of [...handshake, ...segments]) out.push(tcpRecord({ ...segment, second: second++ }));
  };
  const timeout = { client: 40001, server: 8001 };
  connection(timeout, [data(timeout, 101, GET), data(timeout, 101, GET)]);
  const spurious = { client: 40002, server: 8001 };
  connection(spurious, [data(spurious, 101, GET), ack(spurious, 101 + GET.length), data(spurious, 101, GET)]);
  const outOfOrder = { client: 40003, server: 8001 };
  connection(outOfOrder, [data(outOfOrder, 101 + GET.length, GET), data(outOfOrder, 101, GET)]);
  const noDissector = { client: 40004, server: 5555 };
  connection(noDissector, [
    data(noDissector, 101, DATA),
    ack(noDissector, 101 + DATA.length),
    data(noDissector, 101, DATA),
  ]);
  return out;
}

describe('a retransmitted segment’s payload, as tshark 4.0 shows it', () => {
  const engine = new DissectionEngine({ tree: true });
  const packets = retransmissions().map((record) => engine.dissect(record));
  const frame = (n: number) => packets[n - 1];
  /** The lines of the frame's TCP layer from "TCP payload" on. */
  const payloadLines = (n: number) => {
    const lines = formatTreeText(frame(n).tree ?? []).split('\n');
    const at = lines.findIndex((line) => line.startsWith('    TCP payload'));
    const end = lines.findIndex((line, i) => i > at && !line.startsWith('    '));
    return lines.slice(at, end < 0 ? undefined : end);
  };

  it('the Info column marks each kind (tshark 4.0.17’s summary lines)', () => {
    expect([5, 11, 16, 22].map((n) => frame(n).columns.info)).toEqual([
      '[TCP Retransmission] 40001 → 8001 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=27',
      '[TCP Spurious Retransmission] 40002 → 8001 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=27',
      '[TCP Out-Of-Order] 40003 → 8001 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=27',
      '[TCP Spurious Retransmission] 40004 → 5555 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=10',
    ]);
  });

  it('a retransmission after a timeout: its payload is "Retransmitted TCP segment data"', () => {
    expect(payloadLines(5)).toEqual(['    TCP payload (27 bytes)', '    Retransmitted TCP segment data (27 bytes)']);
  });

  it('a spurious retransmission and an out-of-order segment: "TCP payload" is the last line', () => {
    expect(payloadLines(11)).toEqual(['    TCP payload (27 bytes)']);
    expect(payloadLines(16)).toEqual(['    TCP payload (27 bytes)']);
    expect(payloadLines(22)).toEqual(['    TCP payload (10 bytes)']);
    // …and a filter on tcp.segment_data finds only the first.
    expect([5, 11, 16, 22].map((n) => findFieldNodes(frame(n).tree ?? [], 'tcp.segment_data').length)).toEqual([
      1, 0, 0, 0,
    ]);
  });
});
