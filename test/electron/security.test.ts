import { describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  applySessionPolicy,
  contentSecurityPolicy,
  decideNavigation,
  hardenWebContents,
  isAppUrl,
  isLabPageUrl,
  isTrustedSender,
  permissionAllowed,
  type WebContentsLike,
} from '../../main/electron/security';

describe('Content Security Policy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('is strict: self only, no inline or eval scripts, workers from self and blob:', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; worker-src 'self' blob:; img-src 'self' data: blob:; style-src 'self'; " +
        "font-src 'self' data:; connect-src 'self' blob: data:; media-src 'self' blob:; object-src 'none'; " +
        "base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'",
    );
    const d = directives(csp);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
  });

  it("adds 'unsafe-inline' to style-src only when asked", () => {
    const d = directives(contentSecurityPolicy({ allowInlineStyles: true }));
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
  });
});

describe('navigation policy', () => {
  it('accepts exactly http://127.0.0.1:<port>/ of the running lab', () => {
    expect(isLabPageUrl('http://127.0.0.1:8001/', 8001)).toBe(true);
    expect(isLabPageUrl('http://127.0.0.1:9000/', 9000)).toBe(true);
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['file:///C:/Windows/win.ini', 'file: (Windows)'],
    ['http://127.0.0.1:8002/', 'another port'],
    ['http://127.0.0.1/', 'the default port'],
    ['http://localhost:8001/', 'another host name'],
    ['http://127.1:8001/', 'a shorthand address'],
    ['http://[::1]:8001/', 'IPv6 loopback'],
    ['http://192.168.1.5:8001/', 'another host'],
    ['http://evil.example:8001/', 'a remote host'],
    ['https://127.0.0.1:8001/', 'https'],
    ['http://127.0.0.1:8001/logo', 'another path'],
    ['http://127.0.0.1:8001/?x=1', 'a query'],
    ['http://127.0.0.1:8001/#top', 'a fragment'],
    ['http://user:pw@127.0.0.1:8001/', 'credentials'],
    ['http://127.0.0.1:8001', 'no slash (not the exact text)'],
    ['javascript:alert(1)', 'javascript:'],
    ['wirelab://app/index.html', 'the app itself'],
    ['not a url', 'garbage'],
  ])('denies %s (%s)', (url) => {
    expect(isLabPageUrl(url, 8001)).toBe(false);
    expect(decideNavigation(url, 'main', 8001)).toEqual({ action: 'deny' });
    expect(decideNavigation(url, 'lab-page', 8001)).toEqual({ action: 'deny' });
  });

  it('denies everything while no lab runs', () => {
    expect(isLabPageUrl('http://127.0.0.1:8001/', null)).toBe(false);
    expect(decideNavigation('http://127.0.0.1:8001/', 'main', null)).toEqual({ action: 'deny' });
  });

  it('the main window never navigates: the lab page is opened elsewhere; the lab window may stay on it', () => {
    expect(decideNavigation('http://127.0.0.1:8001/', 'main', 8001)).toEqual({
      action: 'open-lab-page',
      url: 'http://127.0.0.1:8001/',
    });
    expect(decideNavigation('http://127.0.0.1:8001/', 'lab-page', 8001)).toEqual({ action: 'allow' });
    expect(decideNavigation('http://127.0.0.1:8001/', 'other', 8001)).toEqual({ action: 'deny' });
  });

  function fakeContents() {
    const listeners = new Map<string, (event: { url: string; preventDefault(): void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    const contents = {
      on: (event: string, listener: (event: { url: string; preventDefault(): void }) => void) =>
        listeners.set(event, listener),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => {
        openHandler = h;
      },
    };
    const navigate = (event: string, url: string): boolean => {
      const preventDefault = vi.fn();
      listeners.get(event)?.({ url, preventDefault });
      return preventDefault.mock.calls.length > 0;
    };
    return {
      contents: contents as unknown as WebContentsLike,
      navigate,
      open: (url: string) => openHandler?.({ url }),
      listeners,
    };
  }

  it('hardenWebContents blocks navigation and window.open, and routes the lab page to openLabPage', () => {
    const f = fakeContents();
    const openLabPage = vi.fn();
    let kind: 'main' | 'lab-page' | 'other' = 'main';
    hardenWebContents(
      f.contents,
      () => kind,
      () => 8001,
      openLabPage,
    );

    expect(f.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(f.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(f.navigate('will-navigate', 'http://127.0.0.1:8001/')).toBe(true);
    expect(openLabPage).toHaveBeenCalledWith('http://127.0.0.1:8001/');
    openLabPage.mockClear();

    expect(f.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(f.open('http://127.0.0.1:8002/')).toEqual({ action: 'deny' });
    expect(openLabPage).not.toHaveBeenCalled();
    expect(f.open('http://127.0.0.1:8001/')).toEqual({ action: 'deny' });
    expect(openLabPage).toHaveBeenCalledTimes(1);

    // The lab page window may reload its own page, nothing else.
    kind = 'lab-page';
    expect(f.navigate('will-navigate', 'http://127.0.0.1:8001/')).toBe(false);
    expect(f.navigate('will-navigate', 'http://127.0.0.1:8001/other')).toBe(true);

    const attach = vi.fn();
    (f.listeners.get('will-attach-webview') as unknown as (e: { preventDefault(): void }) => void)({
      preventDefault: attach,
    });
    expect(attach).toHaveBeenCalled();
  });
});

describe('IPC sender check', () => {
  it('trusts only the top frame of wirelab://app/', () => {
    expect(isTrustedSender({ senderFrame: { url: APP_ENTRY_URL, parent: null } })).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: 'wirelab://app/', parent: null } })).toBe(true);
    expect(isTrustedSender({ senderFrame: { url: APP_ENTRY_URL, parent: {} } })).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'http://127.0.0.1:8001/', parent: null } })).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'file:///app/out/renderer/index.html', parent: null } })).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'wirelab://evil/index.html', parent: null } })).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
    expect(isTrustedSender({})).toBe(false);
    expect(isAppUrl('wirelab://user@app/')).toBe(false);
  });
});

describe('permissions', () => {
  it('denies every request except clipboard writes from the app', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'openExternal',
      'hid',
      'serial',
      'usb',
      'fullscreen',
    ]) {
      expect(permissionAllowed(p, APP_ENTRY_URL)).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'http://127.0.0.1:8001/')).toBe(false);
    expect(permissionAllowed('clipboard-read', APP_ENTRY_URL)).toBe(false);
  });

  it('applySessionPolicy installs request and check handlers that deny', () => {
    let request: Parameters<Parameters<typeof applySessionPolicy>[0]['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<Parameters<typeof applySessionPolicy>[0]['setPermissionCheckHandler']>[0] = null;
    applySessionPolicy({
      setPermissionRequestHandler: (h) => {
        request = h;
      },
      setPermissionCheckHandler: (h) => {
        check = h;
      },
    });
    const callback = vi.fn();
    request!({}, 'media', callback, { requestingUrl: APP_ENTRY_URL });
    expect(callback).toHaveBeenCalledWith(false);
    expect(check!({}, 'geolocation', 'wirelab://app', {})).toBe(false);
    expect(check!({}, 'clipboard-sanitized-write', 'wirelab://app', { requestingUrl: APP_ENTRY_URL })).toBe(true);
  });
});
