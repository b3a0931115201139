/**
 * The summary lines `wirelab -r F` prints are encoded straight into the output buffer
 * (SummaryLineWriter); the parity tests check ColumnFormatter.summaryLine against tshark. The two
 * must give the same bytes, for every fixture and for the rare cases (no timestamp, a packet
 * older than the first, Info wider than the buffer, non-ASCII text, line-buffered output).
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';
import { ColumnValues, type DissectedPacket } from '../../core/dissect/context';
import { TcpInfo, heldTcpInfo } from '../../core/dissect/protocols/tcp-info';
import { DissectionEngine } from '../../core/dissect/engine';
import { ColumnFormatter } from '../../core/dissect/extract';
import { readCaptureFile } from '../../core/pcap';
import type { CaptureInterface, PacketRecord } from '../../core/pcap/types';
import { BufferedOutput } from './output';
import { SummaryLineWriter } from './summary-line';

/** Writes the packets through SummaryLineWriter; returns the bytes and the expected text. */
async function both(
  packets: DissectedPacket[],
  interfaces: readonly CaptureInterface[] | undefined,
  lineBuffered = false,
): Promise<{ bytes: Buffer; expected: string }> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const out = new BufferedOutput(stream, lineBuffered);
  const encoded = new ColumnFormatter(() => interfaces);
  const reference = new ColumnFormatter(() => interfaces);
  const writer = new SummaryLineWriter(out, encoded);
  let expected = '';
  for (const p of packets) {
    encoded.observe(p.record);
    reference.observe(p.record);
    const wait = writer.write(p);
    if (wait) await wait;
    expected += reference.summaryLine(p) + '\n';
  }
  await out.end();
  return { bytes: Buffer.concat(chunks), expected };
}

function packet(overrides: Partial<PacketRecord>, columns: Partial<DissectedPacket['columns']> = {}): DissectedPacket {
  const record: PacketRecord = {
    data: new Uint8Array(0),
    originalLength: 60,
    tsSec: 1_700_000_000,
    tsNsec: 5_000,
    interfaceId: 0,
    linkType: 1,
    ...overrides,
  };
  return {
    number: 1,
    record,
    timeRelative: 0,
    timeDelta: 0,
    columns: { source: '127.0.0.1', destination: '127.0.0.1', protocol: 'TCP', info: 'x', ...columns },
    protocols: [],
    tree: null,
    sources: [],
    expert: [],
    malformed: false,
    cutShortAfterLayers: -1,
  };
}

describe('summary lines encoded into the output buffer', () => {
  for (const capture of listCaptures()) {
    it(`match ColumnFormatter.summaryLine byte for byte: ${capture.id}`, async () => {
      const contents = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const engine = new DissectionEngine({ tree: false, interfaces: contents.info.interfaces });
      const packets = contents.packets.map((r) => engine.dissect(r));
      // TCP's Info is written from its values; the reference line reads it as text.
      const tcpSegments = packets.filter((p) => p.protocols.includes('tcp')).length;
      const heldAsValues = packets.filter((p) => heldTcpInfo(p.columns) !== null).length;
      const { bytes, expected } = await both(packets, contents.info.interfaces);
      expect(packets.length).toBeGreaterThan(0);
      if (tcpSegments > 10) expect(heldAsValues).toBeGreaterThan(0);
      expect(bytes.toString('utf8')).toBe(expected);
    });
  }

  it('handle a packet without a timestamp, one older than the first, and nanosecond / second precision', async () => {
    const interfaces: CaptureInterface[] = [
      { linkType: 1, snapLen: 65535, tsUnitsPerSecond: 1e9, name: 'lo', section: 0 },
      { linkType: 1, snapLen: 65535, tsUnitsPerSecond: 1, name: 'eth0', section: 0 },
    ];
    const packets = [
      packet({ tsSec: 1_700_000_010, tsNsec: 999_999_999 }),
      packet({ tsSec: 1_700_000_009, tsNsec: 1 }), // 1.999999998 s before the first
      packet({ tsSec: 1_700_000_010, tsNsec: 999_999_998 }), // -1 ns
      packet({ tsSec: 0, tsNsec: 0, noTimestamp: true }),
      packet({ tsSec: 1_700_123_456, tsNsec: 7 }),
      packet({ tsSec: 1_700_000_011, tsNsec: 0, interfaceId: 1 }),
    ];
    packets.forEach((p, i) => (p.number = i + 1 + (i === 4 ? 123_456 : 0)));
    const { bytes, expected } = await both(packets, interfaces);
    expect(expected).toContain(' -1.999999998 ');
    expect(expected).toContain('0.000000000');
    expect(bytes.toString('utf8')).toBe(expected);
  });

  it('handle non-ASCII text, long addresses and an Info column larger than the output buffer', async () => {
    const packets = [
      packet(
        {},
        { info: 'GET /caf\u00e9 \u2192 \ud83d\ude00 HTTP/1.1', source: 'fe80::1:2:3:4:5%lo', protocol: 'HTTP/JSON' },
      ),
      packet({ originalLength: 1_234_567 }, { info: 'A'.repeat(3_000_000), destination: '' }),
      packet({}, { info: '' }),
    ];
    const { bytes, expected } = await both(packets, undefined);
    expect(bytes.length).toBeGreaterThan(3_000_000);
    expect(bytes.toString('utf8')).toBe(expected);
  });

  it("write TCP's Info from its values as TcpInfo.text() words it", async () => {
    const infos = [
      new TcpInfo(52345, 8001, 0x018, 'PSH, ACK', 1, 1, 65536),
      new TcpInfo(8001, 52345, 0x002, 'SYN', 0, -1, 65495),
      new TcpInfo(
        1,
        65535,
        0x0fff,
        'Reserved, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN',
        0xffffffff,
        4294967295,
        1073725440,
      ),
      new TcpInfo(0, 0, 0, '<None>', 0, 0, 0),
    ];
    infos[0].length = 77;
    infos[0].addTimestamps(4294967295, 0);
    infos[0].addOption(' WS=128');
    infos[0].addTimestamps(9, 10); // a second Timestamps option is text
    infos[0].prepend('[TCP Retransmission] ');
    infos[0].prepend('[TCP Port numbers reused] ');
    infos[1].addOption(' MSS=65495');
    infos[1].addOption(' SACK_PERM');
    infos[1].addTimestamps(123456789, 0);
    infos[1].length = 0;
    infos[2].urgent = 65535;
    infos[2].length = 1_000_000;
    infos[2].append(' [TCP segment of a reassembled PDU]');
    infos[3].append(', bogus TCP header length (8, must be at least 20) caf\u00e9 \ud83d\ude00');
    const texts = infos.map((info) => info.text());
    const packets = infos.map((info, i) => {
      const p = packet({ tsSec: 1_700_000_000 + i });
      const columns = new ColumnValues();
      columns.defer(info);
      p.columns = columns;
      p.number = i + 1;
      return p;
    });
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const out = new BufferedOutput(stream, false);
    const writer = new SummaryLineWriter(out, new ColumnFormatter());
    for (const p of packets) {
      expect(heldTcpInfo(p.columns)).not.toBeNull();
      writer.write(p);
      expect(heldTcpInfo(p.columns)).not.toBeNull(); // written without building the text
    }
    await out.end();
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(texts[0]).toBe(
      '[TCP Port numbers reused] [TCP Retransmission] 52345 \u2192 8001 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=77 TSval=4294967295 TSecr=0 WS=128 TSval=9 TSecr=10',
    );
    expect(texts[1]).toBe('8001 \u2192 52345 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=123456789 TSecr=0');
    texts.forEach((text, i) => expect(lines[i].endsWith(` 60 ${text}`)).toBe(true));
  });

  it('flush every line when line-buffered (-l)', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const out = new BufferedOutput(stream, true);
    const columns = new ColumnFormatter();
    const writer = new SummaryLineWriter(out, columns);
    const p = packet({});
    columns.observe(p.record);
    writer.write(p);
    await new Promise((r) => setImmediate(r));
    expect(chunks.join('')).toBe(columns.summaryLine(p) + '\n');
    writer.write(p);
    await out.end();
    expect(chunks.join('')).toBe((columns.summaryLine(p) + '\n').repeat(2));
  });
});
