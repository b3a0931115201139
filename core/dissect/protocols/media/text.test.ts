import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiString } from './text';

/** ENC_ASCII as Wireshark decodes it, byte by byte: 7-bit bytes as they are, every other one U+FFFD. */
function asciiByByte(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < Math.min(end, buf.length); i++) out += buf[i] < 0x80 ? String.fromCharCode(buf[i]) : '\ufffd';
  return out;
}

describe('asciiString (ENC_ASCII)', () => {
  it('turns each byte above 0x7f into one U+FFFD and keeps the others', () => {
    const bytes = new Uint8Array([0x47, 0x49, 0x46, 0xff, 0xd8, 0x0d, 0x0a, 0x80, 0x7f, 0x00]);
    expect(asciiString(bytes, 0, bytes.length)).toBe('GIF\ufffd\ufffd\r\n\ufffd\x7f\x00');
    expect(asciiString(bytes, 3, 5)).toBe('\ufffd\ufffd');
    expect(asciiString(bytes, 8, 20)).toBe('\x7f\x00');
  });

  it('decodes a binary body longer than its reused buffer of code units, and a short text after it', () => {
    const jpeg = new Uint8Array(70_000).map((_, i) => (i * 37) & 0xff);
    expect(asciiString(jpeg, 0, jpeg.length)).toBe(asciiByByte(jpeg, 0, jpeg.length));
    const text = new Uint8Array([0xe4, 0x68, 0x69]);
    expect(asciiString(text, 0, 3)).toBe('\ufffdhi');
  });

  it('equals the byte-by-byte decoding for any bytes and range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length ? a % bytes.length : 0;
        const end = start + (b % 3100);
        expect(asciiString(bytes, start, end)).toBe(asciiByByte(bytes, start, end));
      }),
    );
  });
});
