/**
 * Shared pieces of the scenario pages: the profile page with the scenario named in a
 * `<meta name="wirelab-scenario">` (so the analysis and the class summary can tell which
 * assignment a capture shows), and a small page layout carrying the same profile fields.
 */
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, EMPTY_FIELD_TEXT, escapeHtml, renderProfilePage } from '../page';
import type { ProfileFields } from '../profile';
import type { SiteResource, ScenarioName } from './types';

export const HTML = 'text/html; charset=utf-8';

/** `<meta name="wirelab-scenario" content="…">`, put first in <head>. */
export function scenarioMeta(name: ScenarioName): string {
  return `<meta name="wirelab-scenario" content="${name}" />`;
}

function withMeta(html: string, name: ScenarioName): string {
  return html.replace(/<head>/i, (h) => `${h}\n    ${scenarioMeta(name)}`);
}

/** The student's profile page (the lab's template), marked with the scenario. */
export function profilePage(
  template: string,
  profile: ProfileFields,
  logoUrl: string,
  name: ScenarioName,
  extraBody = '',
): SiteResource {
  const { html } = renderProfilePage(template, profile, logoUrl);
  let out = withMeta(html, name);
  if (extraBody) out = out.replace(/<\/main>/i, `${extraBody}\n    </main>`);
  return { contentType: HTML, body: Buffer.from(out, 'utf8'), csp: contentSecurityPolicy(out) };
}

const STYLE = `body{margin:0;padding:32px;background:#eef3f8;color:#1c2733;font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif}
main{max-width:760px;margin:auto;background:#fff;border-radius:12px;box-shadow:0 4px 18px rgba(28,39,51,.12);padding:28px 36px}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 18px}dt{color:#5a6b7d}dd{margin:0;font-weight:600}
code{background:#f1f4f8;padding:1px 4px;border-radius:4px}.tiles{display:flex;flex-wrap:wrap;gap:10px}.tiles img{width:96px;height:96px}`;

function profileList(profile: ProfileFields): string {
  const v = (s: string) => escapeHtml(s || EMPTY_FIELD_TEXT);
  return (
    `<dl>\n<dt>专业 Major</dt>\n<dd>${v(profile.major)}</dd>\n<dt>学号 Student ID</dt>\n<dd>${v(profile.studentId)}</dd>\n` +
    `<dt>姓名 Name</dt>\n<dd>${v(profile.name)}</dd>\n</dl>`
  );
}

/** A simple page with the profile fields and `bodyHtml` (already escaped by the caller). */
export function scenarioPage(opts: {
  name: ScenarioName;
  title: string;
  profile: ProfileFields;
  bodyHtml: string;
  /** Lets the page's form post to this server (`form-action 'self'`). */
  form?: boolean;
}): SiteResource {
  const html =
    `<!doctype html>\n<html lang="zh-CN">\n<head>\n${scenarioMeta(opts.name)}\n<meta charset="UTF-8" />\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1.0" />\n<title>${escapeHtml(opts.title)}</title>\n` +
    `<style>${STYLE}</style>\n</head>\n<body>\n<main>\n<h1>${escapeHtml(opts.title)}</h1>\n${profileList(opts.profile)}\n` +
    `${opts.bodyHtml}\n</main>\n</body>\n</html>\n`;
  let csp = contentSecurityPolicy(html);
  if (opts.form) csp = csp.replace("form-action 'none'", "form-action 'self'");
  return { contentType: HTML, body: Buffer.from(html, 'utf8'), csp };
}

/** A strong ETag from the body's SHA-256. */
export function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Small numbered SVG tiles (distinct colours), the embedded objects of a page. */
export function tile(n: number): SiteResource {
  const hue = (n * 47) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="12" fill="hsl(${hue},55%,45%)"/>` +
    `<text x="48" y="62" font-size="40" font-family="sans-serif" text-anchor="middle" fill="#fff">${n}</text></svg>\n`;
  return { contentType: 'image/svg+xml', body: Buffer.from(svg, 'utf8') };
}
