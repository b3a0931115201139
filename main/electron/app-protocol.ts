/**
 * Serves the built renderer (out/renderer) on wirelab://app/ with the Content Security Policy as a
 * response header. A custom privileged scheme instead of file:// gives the renderer a real origin
 * (Electron's security checklist, item "avoid file://"): 'self' then means this folder only, module
 * workers work, and the IPC sender check has a URL to compare.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME, contentSecurityPolicy } from './security';

/** For protocol.registerSchemesAsPrivileged, before app 'ready'. */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a wirelab://app/… URL names, or null when the URL is not ours or would
 * leave `root` (`..`, encoded separators, absolute paths). "/" is index.html.
 */
export function resolveAppFile(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + pathname);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

/** The protocol.handle handler: reads files from `root`, adds the CSP and nosniff headers. */
export function createAppProtocolHandler(
  root: string,
  options: { csp?: string } = {},
): (request: { url: string; method?: string }) => Promise<Response> {
  const csp = options.csp ?? contentSecurityPolicy();
  const notFound = (): Response =>
    new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== undefined && request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const file = resolveAppFile(request.url, root);
    if (file === null) return notFound();
    try {
      const info = await stat(file);
      if (!info.isFile()) return notFound();
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: {
          'content-type': mimeType(file),
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'cross-origin-opener-policy': 'same-origin',
          'referrer-policy': 'no-referrer',
        },
      });
    } catch {
      return notFound();
    }
  };
}
