/**
 * tshark -x's hex dump, written as bytes (writeHexDump) and as text (formatHexDump): equal to a
 * line-by-line rendering of its format for any bytes, 5- and 6-digit offsets past 64 KB
 * included, and to what tshark 4.0 printed for a lab frame.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHexDump, hexDumpBound, writeHexDump } from './print';
import { formatBytesHex } from './format';
import { readCaptureFile } from '../pcap';

const LAB = resolve(__dirname, '../../test/fixtures/captures/lab/lab-linux-ipv4.pcap');

/** The format spelled out, one line per 16 bytes (what print.ts built before it wrote bytes). */
function reference(data: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < data.length; offset += 16) {
    const row = [...data.subarray(offset, offset + 16)];
    const hex = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(4, '0')}  ${hex.padEnd(47, ' ')}   ${text}`);
  }
  return lines.join('\n');
}

describe('hex dump (tshark -x)', () => {
  it('equals the format line by line for any bytes, written as bytes or as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(40), (data, at) => {
        const expected = reference(data);
        expect(formatHexDump(data)).toBe(expected);
        const out = new Uint8Array(at + hexDumpBound(data.length));
        const end = writeHexDump(data, out, at);
        expect(end - at).toBe(expected.length);
        expect(new TextDecoder().decode(out.subarray(at, end))).toBe(expected);
      }),
    );
  });

  it('offsets past 0xffff take five digits, past 0xfffff six (a reassembled upload)', () => {
    const data = Uint8Array.from({ length: 0x100010 }, (_, i) => (i * 7) & 0xff);
    const text = formatHexDump(data);
    expect(text).toBe(reference(data));
    const lines = text.split('\n');
    expect(lines[0xfff].slice(0, 6)).toBe('fff0  ');
    expect(lines[0x1000].slice(0, 7)).toBe('10000  ');
    expect(lines.at(-1)?.slice(0, 8)).toBe('100000  ');
    expect(writeHexDump(data, new Uint8Array(hexDumpBound(data.length)), 0)).toBe(text.length);
  });

  it('prints the lab capture’s SYN as tshark 4.0 did', () => {
    const [syn] = readCaptureFile(new Uint8Array(readFileSync(LAB))).packets;
    // tshark -r lab-linux-ipv4.pcap -c 1 -x
    expect(formatHexDump(syn.data)).toBe(
      [
        '0000  00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00   ..............E.',
        '0010  00 3c c8 4f 40 00 40 06 74 6a 7f 00 00 01 7f 00   .<.O@.@.tj......',
        '0020  00 01 b3 ee 1f 41 8a 73 7e e3 00 00 00 00 a0 02   .....A.s~.......',
        '0030  ff d7 fe 30 00 00 02 04 ff d7 04 02 08 0a fe 47   ...0...........G',
        '0040  de b8 00 00 00 00 01 03 03 0a                     ..........',
      ].join('\n'),
    );
    expect(formatHexDump(new Uint8Array(0))).toBe('');
  });

  it('bytes as hex (formatBytesHex), short or long, with or without a separator', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.constantFrom('', ':', ' ', '–', ', '), (data, separator) => {
        const expected = [...data].map((b) => b.toString(16).padStart(2, '0')).join(separator);
        expect(formatBytesHex(data, separator)).toBe(expected);
      }),
    );
    const jpeg = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff);
    expect(formatBytesHex(jpeg, ':')).toBe([...jpeg].map((b) => b.toString(16).padStart(2, '0')).join(':'));
  });
});
