/**
 * Renders the profile page from the template: every placeholder value is HTML-escaped, and
 * the Content-Security-Policy allows only this server's images and the page's own inline
 * <style> blocks (by hash) — no scripts, no external resources.
 */
import { createHash } from 'node:crypto';
import type { ProfileFields } from './profile';

/** Shown for a field the student has not filled in yet. */
export const EMPTY_FIELD_TEXT = '（未填写 not set）';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]);
}

export interface RenderedPage {
  html: string;
  /** Content-Security-Policy header value for this page. */
  csp: string;
}

/**
 * Fills `{{major}}`, `{{studentId}}`, `{{name}}` and `{{logoUrl}}` in one pass (so a value that
 * itself contains `{{…}}` is never expanded again). Unknown placeholders become empty.
 */
export function renderProfilePage(template: string, profile: ProfileFields, logoUrl: string): RenderedPage {
  const values: Record<string, string> = {
    major: profile.major || EMPTY_FIELD_TEXT,
    studentId: profile.studentId || EMPTY_FIELD_TEXT,
    name: profile.name || EMPTY_FIELD_TEXT,
    logoUrl,
  };
  const html = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) =>
    Object.hasOwn(values, key) ? escapeHtml(values[key]) : '',
  );
  return { html, csp: contentSecurityPolicy(html) };
}

/** `style-src` lists a SHA-256 hash of each inline <style> block, so no 'unsafe-inline' is needed. */
export function contentSecurityPolicy(html: string): string {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi)) {
    hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  }
  return [
    "default-src 'none'",
    "img-src 'self'",
    `style-src 'self'${hashes.map((h) => ` ${h}`).join('')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
