/**
 * The Info column keeps its texts as UTF-8 in chunks (text-column.ts): what the list shows,
 * sorts and compares must be the texts it was given, whatever their characters and sizes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextColumn } from './text-column';
import { encodeUtf8Into as encodeUtf8 } from '../../core/pcap/utf8';
import { TCP_INFO_PACKING, TcpInfo } from '../../core/dissect/protocols/tcp-info';
import { tcpFlagsText } from '../../core/dissect/protocols/tcp/fields';

describe('TextColumn', () => {
  it('gives back each text as it was given: empty (first), ASCII, arrows, Chinese, emoji', () => {
    const texts = [
      '',
      '20001 → 8001 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM',
      'GET /logo.jpg HTTP/1.1 ',
      '专业 学号 姓名',
      'HTTP/1.1 200 OK  (JPEG JFIF image) 📷',
    ];
    const column = new TextColumn();
    for (const text of texts) column.push(text);
    expect(column.length).toBe(texts.length);
    expect(texts.map((_, i) => column.get(i))).toEqual(texts);
    expect(column.all()).toEqual(texts);
  });

  it('keeps texts apart across chunks, and a text longer than a chunk whole', () => {
    const column = new TextColumn();
    const texts: string[] = [];
    // 4 MB chunks: 60,000 texts of ~100 bytes cross at least one boundary; then a 5 MB one.
    for (let i = 0; i < 60_000; i++) texts.push(`${i} → ${'x'.repeat(i % 150)}`);
    texts.push('→'.repeat(2_000_000), 'after the long one');
    for (const text of texts) column.push(text);
    for (const i of [0, 1, 41_000, 41_001, 59_999, 60_000, 60_001]) expect(column.get(i)).toBe(texts[i]);
    expect(column.all()).toEqual(texts);
  });

  it('equals says whether a text is the one stored, nothing less or more', () => {
    const column = new TextColumn();
    column.push('1 → 2 [ACK]');
    column.push('');
    expect(column.equals(0, '1 → 2 [ACK]')).toBe(true);
    expect(column.equals(0, '1 → 2 [ACK')).toBe(false);
    expect(column.equals(0, '1 → 2 [ACK] ')).toBe(false);
    expect(column.equals(0, '1 → 3 [ACK]')).toBe(false);
    expect(column.equals(1, '')).toBe(true);
    expect(column.equals(1, ' ')).toBe(false);
  });

  it('writes UTF-8 as TextEncoder does, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const out = new Uint8Array(text.length * 3);
        const written = encodeUtf8(text, out, 0);
        expect(out.subarray(0, written)).toEqual(new TextEncoder().encode(text));
      }),
    );
    for (const text of ['\udc00\ud800', 'x\ud83d', '\ud83d\udcf7', '\u07ff\u0800\uffff']) {
      const out = new Uint8Array(text.length * 3);
      expect(out.subarray(0, encodeUtf8(text, out, 0)), JSON.stringify(text)).toEqual(new TextEncoder().encode(text));
    }
    const column = new TextColumn();
    column.push('a\ud800b');
    expect(column.get(0)).toBe('a\ufffdb');
    expect(column.equals(0, 'a\ud800b')).toBe(true);
  });

  it('round-trips any well-formed Unicode text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 50 }), (texts) => {
        const column = new TextColumn();
        for (const text of texts) column.push(text);
        expect(column.all()).toEqual(texts);
        texts.forEach((text, i) => expect(column.equals(i, text)).toBe(true));
      }),
    );
  });

  it("keeps TCP's Info written as bytes exactly as its text reads, for any values", () => {
    const uint = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.maxSafeNat(),
    );
    const words = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant(' SACK_PERM'));
    const info = fc
      .record({
        ports: fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })),
        flags: fc.integer({ min: 0, max: 0xfff }),
        numbers: fc.tuple(uint, fc.oneof(fc.constant(-1), uint), uint, fc.oneof(fc.constant(-1), uint)),
        length: fc.oneof(fc.constant(-1), uint),
        timestamps: fc.option(fc.tuple(uint, uint, fc.boolean())),
        texts: fc.tuple(words, words, words, words),
      })
      .map((v) => {
        const [seq, ack, window, urgent] = v.numbers;
        const made = new TcpInfo(v.ports[0], v.ports[1], v.flags, tcpFlagsText(v.flags), seq, ack, window);
        made.urgent = urgent;
        made.length = v.length;
        made.addOption(v.texts[0]);
        if (v.timestamps) {
          made.addTimestamps(v.timestamps[0], v.timestamps[1]);
          // A second Timestamps option goes after, as text.
          if (v.timestamps[2]) made.addTimestamps(v.timestamps[1], v.timestamps[0]);
        }
        made.addOption(v.texts[1]);
        made.prepend(v.texts[2]);
        made.append(v.texts[3]);
        return made;
      });
    // Written as bytes, or (a column with the packing) packed where the values allow it.
    for (const packing of [null, TCP_INFO_PACKING]) {
      fc.assert(
        fc.property(fc.array(fc.oneof(info, fc.string({ unit: 'binary' })), { maxLength: 30 }), (items) => {
          const column = new TextColumn(packing);
          for (const item of items) {
            if (typeof item === 'string') column.push(item);
            else column.pushWritten(item);
          }
          const texts = items.map((item) => (typeof item === 'string' ? item : item.text()));
          const stored = texts.map((t) => new TextDecoder().decode(new TextEncoder().encode(t)));
          expect(column.all()).toEqual(stored);
          stored.forEach((text, i) => expect(column.equals(i, text)).toBe(true));
        }),
      );
    }
  });

  it("packs a plain segment's Info (values only) and reads it back as its text; any other Info stays text", () => {
    const plain = (ack: number, timestamps: boolean) => {
      const info = new TcpInfo(20001, 8001, 0x018, tcpFlagsText(0x018), 1, ack, 65536);
      info.length = 149;
      if (timestamps) info.addTimestamps(4294967295, 0);
      return info;
    };
    const withOption = plain(1, true);
    withOption.addOption(' SACK_PERM');
    const retransmission = plain(1, false);
    retransmission.prepend('[TCP Retransmission] ');
    const urgent = plain(-1, false);
    urgent.urgent = 5;
    const huge = new TcpInfo(1, 2, 0x010, tcpFlagsText(0x010), 2 ** 32, 1, 1);
    const packable = [plain(1, true), plain(-1, false), plain(150, false)];
    const unpackable = [withOption, retransmission, urgent, huge];
    const out = new Uint8Array(64);
    for (const info of packable) expect(info.pack(out, 3), info.text()).toBeGreaterThan(3);
    for (const info of unpackable) expect(info.pack(out, 3), info.text()).toBe(-1);
    const column = new TextColumn(TCP_INFO_PACKING);
    for (const info of [...packable, ...unpackable]) column.pushWritten(info);
    expect(column.all()).toEqual([...packable, ...unpackable].map((info) => info.text()));
    expect(column.get(0)).toBe('20001 → 8001 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=149 TSval=4294967295 TSecr=0');
    expect(column.equals(1, '20001 → 8001 [PSH, ACK] Seq=1 Win=65536 Len=149')).toBe(true);
    expect(column.equals(1, '20001 → 8001 [PSH, ACK] Seq=1 Win=65536 Len=14')).toBe(false);
  });
});
