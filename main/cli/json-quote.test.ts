/**
 * `-T json` quotes every text as tshark's json_dumper does: JSON.stringify's escapes, and "</"
 * as "<\/". Texts with nothing to escape take a shortcut (quoted as they are): the same output for
 * any text, control characters, quotes, backslashes, lone and paired surrogates included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quote } from './json';

const spelledOut = (text: string) => JSON.stringify(text).replace(/<\//g, '<\\/');

describe('-T json quoting', () => {
  it('equals JSON.stringify with "</" escaped, for any text', () => {
    const pieces = fc.constantFrom(
      '"',
      '\\',
      '</',
      '<',
      '/',
      '\u0000',
      '\u001f',
      '\u007f',
      '\ud83d',
      '\ude00',
      '😀',
      '\u2028',
      'a',
      '中',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(pieces).map((p) => p.join('')),
        ),
        (text) => {
          expect(quote(text)).toBe(spelledOut(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('quotes plain texts as they are, escapes the rest', () => {
    expect(quote('Frame 1: 74 bytes on wire')).toBe('"Frame 1: 74 bytes on wire"');
    expect(quote('</script>')).toBe('"<\\/script>"');
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(quote('\ud800')).toBe('"\\ud800"');
    expect(quote('😀')).toBe('"😀"');
  });
});
