/** The student's profile: the three text fields shown on the page, and their validation. */
import { PROFILE_FIELDS, type ProfileField, type ProfileFields } from '../bridge/lab-api';
import { ProfileError } from './errors';

// The shape is the bridge's (the UI edits the same fields); validating and storing it is this folder's.
export { PROFILE_FIELDS, type ProfileField, type ProfileFields };

export const DEFAULT_PROFILE: Readonly<ProfileFields> = Object.freeze({ major: '', studentId: '', name: '' });

/** Maximum length of each field, in characters (Unicode code points). */
export const FIELD_LIMITS: Readonly<Record<ProfileField, number>> = Object.freeze({
  major: 64,
  studentId: 32,
  name: 64,
});

const LABELS: Record<ProfileField, { en: string; zh: string }> = {
  major: { en: 'Major', zh: '专业' },
  studentId: { en: 'Student ID', zh: '学号' },
  name: { en: 'Name', zh: '姓名' },
};

/**
 * Control characters (C0, DEL, C1), line/paragraph separators, bidirectional controls (which
 * can make text display reversed) and lone surrogates are refused.
 */
const FORBIDDEN = /[\p{Cc}\u2028\u2029\p{Bidi_Control}\p{Cs}]/u;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Validates and normalises one field value (trimmed, NFC); throws ProfileError INVALID_FIELD. */
export function validateField(field: ProfileField, value: unknown): string {
  const label = LABELS[field];
  if (typeof value !== 'string') {
    throw new ProfileError('INVALID_FIELD', `${label.en} must be text.`, `${label.zh}必须是文本。`, field);
  }
  const bad = FORBIDDEN.exec(value);
  if (bad) {
    throw new ProfileError(
      'INVALID_FIELD',
      `${label.en} contains an invisible control character (${codePoint(bad[0])}). Please retype it without special characters.`,
      `${label.zh}中含有不可见的控制字符 (${codePoint(bad[0])})。请删除特殊字符后重新输入。`,
      field,
    );
  }
  const normalised = value.normalize('NFC').trim();
  const length = [...normalised].length;
  const limit = FIELD_LIMITS[field];
  if (length > limit) {
    throw new ProfileError(
      'INVALID_FIELD',
      `${label.en} is too long (${length} characters); the limit is ${limit}.`,
      `${label.zh}太长了（${length} 个字符），最多 ${limit} 个字符。`,
      field,
    );
  }
  return normalised;
}

/** Validates the given fields of `partial`; unknown keys are refused so typos do not pass silently. */
export function validateProfilePatch(partial: Readonly<Record<string, unknown>>): Partial<ProfileFields> {
  const out: Partial<ProfileFields> = {};
  for (const [key, value] of Object.entries(partial)) {
    if (!(PROFILE_FIELDS as readonly string[]).includes(key)) {
      throw new ProfileError(
        'INVALID_FIELD',
        `Unknown profile field "${key}". Known fields: ${PROFILE_FIELDS.join(', ')}.`,
        `未知的个人信息字段“${key}”。可用字段：${PROFILE_FIELDS.join('、')}。`,
        key,
      );
    }
    if (value === undefined) continue;
    out[key as ProfileField] = validateField(key as ProfileField, value);
  }
  return out;
}
