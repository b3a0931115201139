/**
 * TCP's Info column is kept as values (TcpInfo) until read. These tests check what a reader
 * sees: the same text as a dissection that builds the tree, later additions (analysis markers,
 * "[Packet size limited during capture]") in the right place, and options cut short by the
 * snap length shown as far as they were captured — tshark 4.0.17's lines are quoted below.
 */
import { describe, expect, it } from 'vitest';
import { ColumnValues, copyColumns } from '../../core/dissect/context';
import { DissectionEngine } from '../../core/dissect/engine';
import { TcpInfo } from '../../core/dissect/protocols/tcp-info';
import type { PacketRecord } from '../../core/pcap/types';

// MSS=1460, SACK_PERM, Timestamps 1/0, NOP, WS=128: 20 bytes of options.
const OPTIONS = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];

/** An Ethernet/IPv4/TCP SYN from 40000 to 8001 with OPTIONS, captured up to `captured` bytes. */
function synRecord(captured: number, second: number): PacketRecord {
  const tcp = [0x9c, 0x40, 0x1f, 0x41, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 10 << 4, 0x02, 0xff, 0xff, 0, 0, 0, 0, ...OPTIONS];
  const ipLength = 20 + tcp.length;
  const ip = [0x45, 0, ipLength >> 8, ipLength & 0xff, 0, 1, 0, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];
  const frame = new Uint8Array([...new Array<number>(12).fill(0), 0x08, 0x00, ...ip, ...tcp]);
  return {
    data: frame.subarray(0, captured),
    originalLength: frame.length,
    tsSec: 1000 + second,
    tsNsec: 0,
    interfaceId: 0,
    linkType: 1,
  };
}

const HEADERS = 14 + 20 + 20;
const RECORDS = () => [synRecord(HEADERS + 4 + 2 + 5, 0), synRecord(HEADERS + 4 + 2 + 10 + 1 + 1, 1), synRecord(74, 2)];

// `tshark -r` on these three frames (Wireshark 4.0.17).
const TSHARK_INFO = [
  '40000 \u2192 8001 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 SACK_PERM[Packet size limited during capture]',
  '40000 \u2192 8001 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0[Packet size limited during capture]',
  '[TCP Retransmission] 40000 \u2192 8001 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128',
];

describe("TCP's Info held as values", () => {
  it('reads as tshark shows options cut short by the snap length, and analysis markers in front', () => {
    for (const tree of [false, true]) {
      const engine = new DissectionEngine({ tree });
      const infos = RECORDS().map((r) => engine.dissect(r).columns.info);
      expect(infos).toEqual(TSHARK_INFO);
    }
  });

  it('is held until read, then becomes text once; setting Info replaces it', () => {
    const engine = new DissectionEngine({ tree: false });
    const [packet] = RECORDS()
      .slice(2)
      .map((r) => engine.dissect(r));
    const columns = packet.columns;
    expect(columns).toBeInstanceOf(ColumnValues);
    const held = (columns as ColumnValues).deferred;
    expect(held).toBeInstanceOf(TcpInfo);
    const text = columns.info;
    expect(text).toBe('40000 \u2192 8001 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128');
    expect((columns as ColumnValues).deferred).toBeNull();
    expect(columns.info).toBe(text);
    // A plain copy carries the text (a spread would not: `info` is an accessor).
    expect(copyColumns(columns)).toEqual({
      source: '127.0.0.1',
      destination: '127.0.0.1',
      protocol: 'TCP',
      info: text,
    });
    const replaced = new ColumnValues();
    replaced.defer(held as TcpInfo);
    replaced.info = 'other';
    expect(replaced.deferred).toBeNull();
    expect(replaced.info).toBe('other');
  });
});
