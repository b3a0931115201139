import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ProfileError } from './errors';
import { MAX_LOGO_BYTES, validateLogo } from './logo';
import { SAMPLE_IMAGES } from './test-helpers';

const defaultLogo = fs.readFileSync(path.join(__dirname, '..', 'assets', 'default-logo.png'));

function refusal(bytes: Uint8Array): ProfileError {
  try {
    validateLogo(bytes);
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('expected the logo to be refused');
}

describe('validateLogo', () => {
  it.each([
    ['JPEG', SAMPLE_IMAGES.jpeg, 'image/jpeg', 'jpg'],
    ['PNG (the default logo)', defaultLogo, 'image/png', 'png'],
    ['GIF', SAMPLE_IMAGES.gif, 'image/gif', 'gif'],
    ['WebP', SAMPLE_IMAGES.webp, 'image/webp', 'webp'],
  ])('accepts %s by its bytes', (_name, bytes, type, ext) => {
    expect(validateLogo(bytes)).toEqual({ type, ext });
  });

  it('refuses SVG and explains why and what to use instead', () => {
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '\uFEFF<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ]) {
      const e = refusal(Buffer.from(svg));
      expect(e.code).toBe('LOGO_SVG');
      expect(e.message).toMatch(/SVG/);
      expect(e.message).toMatch(/PNG or JPEG/);
      expect(e.messageZh).toMatch(/SVG/);
    }
  });

  it('refuses HTML, programs and other files, saying what is accepted', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('<!DOCTYPE html><html><script>x</script></html>'), /web page \(HTML\)/],
      [Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), /Windows program/],
      [Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]), /Linux program/],
      [Buffer.from('%PDF-1.7\n'), /PDF/],
      [Buffer.from('just some text'), /not a supported image/],
    ];
    for (const [bytes, looksLike] of cases) {
      const e = refusal(bytes);
      expect(e.code).toBe('LOGO_UNSUPPORTED');
      expect(e.message).toMatch(looksLike);
      expect(e.message).toContain('JPEG, PNG, GIF or WebP');
    }
  });

  it('refuses a PNG that is only a signature (damaged)', () => {
    const e = refusal(defaultLogo.subarray(0, 8));
    expect(e.code).toBe('LOGO_TRUNCATED');
  });

  it('refuses empty and oversized files with the limit in the message', () => {
    expect(refusal(new Uint8Array(0)).code).toBe('LOGO_EMPTY');
    const big = Buffer.alloc(MAX_LOGO_BYTES + 1);
    defaultLogo.copy(big);
    const e = refusal(big);
    expect(e.code).toBe('LOGO_TOO_LARGE');
    expect(e.message).toMatch(/2 MB/);
    // Exactly at the limit is fine.
    expect(validateLogo(big.subarray(0, MAX_LOGO_BYTES)).type).toBe('image/png');
  });
});
