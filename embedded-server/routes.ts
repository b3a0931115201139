/**
 * The served resources form a fixed, in-memory route table: `/` (and `/index.html`) → the
 * page, `/logo.<ext>` → the current logo. Request targets are matched exactly, never decoded,
 * normalised or mapped to the filesystem, so no target (`..`, `%2e%2e`, backslashes, NUL
 * bytes, absolute paths, symlinks…) can reach anything else.
 */
import { loadDefaultAssets } from './assets';
import type { Logo } from './store';
import type { ProfileFields } from './profile';
import { renderProfilePage } from './page';

export interface Resource {
  contentType: string;
  body: Uint8Array;
  /** Content-Security-Policy for HTML resources. */
  csp?: string;
}

/** The path under which a logo is served, e.g. `/logo.png`. */
export function logoPath(logo: Pick<Logo, 'ext'>): string {
  return `/logo.${logo.ext}`;
}

/**
 * The path part of a request target, or null when the target is not a valid origin-form or
 * absolute-form target (the server answers 400). The query is dropped; nothing is decoded.
 */
export function requestPath(target: string): string | null {
  let rest = target;
  const absolute = /^http:\/\/[^/?#\s]*/i.exec(rest);
  if (absolute) {
    rest = rest.slice(absolute[0].length);
    if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
  }
  if (!rest.startsWith('/')) return null;
  const q = rest.indexOf('?');
  return q === -1 ? rest : rest.slice(0, q);
}

export function buildRoutes(profile: ProfileFields, logo: Logo, template: string): Map<string, Resource> {
  const { html, csp } = renderProfilePage(template, profile, logoPath(logo));
  const page: Resource = { contentType: 'text/html; charset=utf-8', body: Buffer.from(html, 'utf8'), csp };
  return new Map<string, Resource>([
    ['/', page],
    ['/index.html', page],
    [logoPath(logo), { contentType: logo.type, body: logo.bytes }],
  ]);
}

/** The default template, from assets/profile-page.html. */
export function defaultTemplate(assetsDir?: string): string {
  return loadDefaultAssets(assetsDir).template;
}
