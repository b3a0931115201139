/**
 * WireLab's Electron security policy, as small functions that take Electron objects as parameters
 * (so tests can check them without Electron): the renderer's origin, the Content Security Policy, which
 * navigations are allowed, and which permission requests are granted. The windows' own options are
 * written out in windows.ts.
 */

/**
 * The renderer is served from a privileged custom scheme (app-protocol.ts) instead of file://: it gets a
 * real origin, so the CSP's 'self' means the renderer's folder only, and IPC senders can be checked.
 */
export const APP_SCHEME = 'wirelab';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The in-memory session of the in-app lab page window: no cache or cookies carried between labs. */
export const LAB_PAGE_PARTITION = 'wirelab-lab-page';

/**
 * The renderer's Content Security Policy. React itself needs no 'unsafe-inline' for styles: its
 * `style={…}` prop writes through the CSSOM, which CSP does not govern, and Vite emits CSS as files.
 * Set `allowInlineStyles` only if the UI adopts a library that injects <style> elements.
 */
export function contentSecurityPolicy(options: { allowInlineStyles?: boolean } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "img-src 'self' data: blob:",
    options.allowInlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "font-src 'self' data:",
    "connect-src 'self' blob: data:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** True for a URL of the app's own renderer (wirelab://app/…). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The parts of an IPC event's sender frame the check reads (Electron's WebFrameMain fits). */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

/**
 * IPC may come only from the top frame of the app's own renderer: not from a subframe, the lab page
 * window (which has no preload anyway) or a page that somehow got navigated elsewhere.
 */
export function isTrustedSender(event: { senderFrame?: SenderFrameLike | null }): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

/**
 * The lab page: exactly `http://127.0.0.1:<port>/` of the running lab (no other host, port, path,
 * query, fragment or credentials). `labPort` is null while no lab server runs.
 */
export function isLabPageUrl(url: string, labPort: number | null): boolean {
  if (labPort === null || !Number.isInteger(labPort) || labPort <= 0 || labPort > 65535) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const port = u.port === '' ? 80 : Number(u.port);
  return (
    u.protocol === 'http:' &&
    u.hostname === '127.0.0.1' &&
    port === labPort &&
    u.pathname === '/' &&
    u.search === '' &&
    u.hash === '' &&
    u.username === '' &&
    u.password === '' &&
    // new URL() normalises; insist the text itself was the plain form (no "http://127.1:8001/").
    url === `http://127.0.0.1:${labPort}/`
  );
}

export type NavigationDecision =
  /** Let this window navigate there (only the lab page window reloading the lab page). */
  | { action: 'allow' }
  /** Do not navigate; open the lab page as the "open page in" setting says. */
  | { action: 'open-lab-page'; url: string }
  | { action: 'deny' };

/**
 * What to do with a navigation or window.open from `source`. The main window never navigates (it is a
 * single-page app); the lab page window may only stay on the lab page. Everything else is denied.
 */
export function decideNavigation(
  url: string,
  source: 'main' | 'lab-page' | 'other',
  labPort: number | null,
): NavigationDecision {
  if (!isLabPageUrl(url, labPort)) return { action: 'deny' };
  if (source === 'lab-page') return { action: 'allow' };
  if (source === 'main') return { action: 'open-lab-page', url };
  return { action: 'deny' };
}

/**
 * Permission requests: all denied, except writing to the clipboard ("Copy" in the packet list) for the
 * app's own renderer. Notifications, media, geolocation, HID/serial/USB, … are never granted.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/** The Session methods the policy installs (Electron's Session fits). */
export interface SessionLike {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl?: string },
        ) => void)
      | null,
  ): void;
  setPermissionCheckHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          requestingOrigin: string,
          details: { requestingUrl?: string },
        ) => boolean)
      | null,
  ): void;
}

export function applySessionPolicy(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? requestingOrigin),
  );
}

/** The WebContents events the navigation policy hooks (Electron's WebContents fits). */
export interface WebContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { url: string; preventDefault(): void }) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

/**
 * Installs the navigation policy on one WebContents (electron-main.ts calls it for every WebContents created).
 * `classify` tells which window it is, `labPort` reads the running lab's port, and `openLabPage`
 * opens the lab page as the setting says.
 */
export function hardenWebContents(
  contents: WebContentsLike,
  classify: () => 'main' | 'lab-page' | 'other',
  labPort: () => number | null,
  openLabPage: (url: string) => void,
): void {
  const onNavigate = (event: { url: string; preventDefault(): void }): void => {
    const decision = decideNavigation(event.url, classify(), labPort());
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-lab-page') openLabPage(decision.url);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, classify(), labPort());
    if (decision.action === 'open-lab-page' || (decision.action === 'allow' && classify() === 'lab-page')) {
      openLabPage(url);
    }
    return { action: 'deny' };
  });
}
