import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildRoutes, requestPath } from './routes';
import type { Logo } from './store';

const logo: Logo = { bytes: new Uint8Array([1, 2, 3]), type: 'image/png', ext: 'png', isDefault: true };
const routes = buildRoutes({ major: 'M', studentId: 'S', name: 'N' }, logo, '<p>{{name}}</p><img src="{{logoUrl}}">');

describe('request path matching', () => {
  it('serves only the page and the current logo', () => {
    expect([...routes.keys()].sort()).toEqual(['/', '/index.html', '/logo.png']);
    expect(routes.get('/')?.contentType).toBe('text/html; charset=utf-8');
    expect(Buffer.from(routes.get('/')?.body ?? []).toString()).toBe('<p>N</p><img src="/logo.png">');
  });

  it('drops the query, never decodes, and accepts absolute-form targets', () => {
    expect(requestPath('/?lang=en')).toBe('/');
    expect(requestPath('/logo.png?v=2')).toBe('/logo.png');
    expect(requestPath('/%6cogo.png')).toBe('/%6cogo.png');
    expect(requestPath('http://127.0.0.1:8001/logo.png')).toBe('/logo.png');
    expect(requestPath('http://127.0.0.1:8001')).toBe('/');
    expect(requestPath('*')).toBeNull();
    expect(requestPath('etc/passwd')).toBeNull();
    expect(requestPath('file:///etc/passwd')).toBeNull();
  });

  it('property: any target that is not exactly a route (before "?") finds nothing', () => {
    const token = fc.oneof(
      fc.constantFrom('..', '.', '%2e', '%2E%2e', '%252e', '%2f', '%5c', '\\', '/', '//', '%00', '\u0000', 'etc'),
      fc.constantFrom('passwd', 'profile.json', 'logo.png', 'index.html', 'logo', '.png', '?', '#', ';', 'C:', '~'),
      fc.string({ maxLength: 6 }),
    );
    const target = fc.array(token, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.constantFrom('', '/', 'http://127.0.0.1'), target, (prefix, rest) => {
        const t = prefix + rest;
        const p = requestPath(t);
        const found = p === null ? undefined : routes.get(p);
        if (found) {
          // Whatever matched was spelled exactly as a route: no dot-segments, escapes, backslashes or NULs.
          const pathPart = t.replace(/^http:\/\/[^/?#\s]*/i, '').split('?')[0] || '/';
          expect(['/', '/index.html', '/logo.png']).toContain(pathPart);
          expect([...routes.values()]).toContain(found);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
