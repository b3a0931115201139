import { describe, expect, it } from 'vitest';
import { ProfileError } from './errors';
import { FIELD_LIMITS, validateField, validateProfilePatch } from './profile';

function fieldError(fn: () => unknown): ProfileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('expected a ProfileError');
}

describe('profile field validation', () => {
  it('keeps Chinese text, trims surrounding spaces and normalises to NFC', () => {
    expect(validateField('name', '  邵琦 ')).toBe('邵琦');
    expect(validateField('major', 'Cafe\u0301')).toBe('Café');
  });

  it('refuses control characters, naming the field and the character', () => {
    for (const bad of [
      'a\u0000b',
      'line\nbreak',
      'tab\there',
      'esc\u001b[31m',
      'del\u007f',
      'c1\u0085',
      'rtl\u202eevil',
    ]) {
      const e = fieldError(() => validateField('name', bad));
      expect(e.code).toBe('INVALID_FIELD');
      expect(e.field).toBe('name');
      expect(e.message).toMatch(/^Name contains an invisible control character \(U\+[0-9A-F]{4}\)/);
    }
  });

  it('enforces length limits in characters, not bytes', () => {
    expect(validateField('studentId', '学'.repeat(FIELD_LIMITS.studentId))).toHaveLength(FIELD_LIMITS.studentId);
    const e = fieldError(() => validateField('studentId', '1'.repeat(FIELD_LIMITS.studentId + 1)));
    expect(e.message).toBe(`Student ID is too long (33 characters); the limit is 32.`);
  });

  it('refuses unknown fields and non-text values', () => {
    expect(fieldError(() => validateProfilePatch({ nmae: 'x' })).message).toMatch(/Unknown profile field "nmae"/);
    expect(fieldError(() => validateProfilePatch({ major: 42 })).message).toBe('Major must be text.');
  });
});
