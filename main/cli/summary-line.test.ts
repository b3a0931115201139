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
import type { DissectedPacket } from '../../core/dissect/context';
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
  };
}

describe('summary lines encoded into the output buffer', () => {
  for (const capture of listCaptures()) {
    it(`match ColumnFormatter.summaryLine byte for byte: ${capture.id}`, async () => {
      const contents = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      const engine = new DissectionEngine({ tree: false, interfaces: contents.info.interfaces });
      const packets = contents.packets.map((r) => engine.dissect(r));
      const { bytes, expected } = await both(packets, contents.info.interfaces);
      expect(packets.length).toBeGreaterThan(0);
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
