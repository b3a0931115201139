/* global document, setTimeout, clearTimeout */
// Debian's Chromium driven over a bare DevTools pipe, for the benches that time what the page
// does with its own traffic. Playwright turns on DevTools' Network domain for every page, and with
// it Chromium copies each WebSocket frame the page receives, base64-encoded, to the DevTools
// client, on the page's UI thread and the browser's: a cost no user pays (no DevTools is open in
// the app). This driver speaks only the domains it needs (Target, Page, Runtime, and Profiler or
// Tracing when asked), so the page runs as it does for a user.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../test/helpers/chromium.mjs';

export { CHROMIUM_PATH };

// As Playwright launches it, less the instrumentation: a page in a background tab or window is
// not throttled (Start Lab opens the profile page in a new tab), and popups are allowed.
const BENCH_FLAGS = [
  '--headless',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-popup-blocking',
  '--remote-debugging-pipe',
];

/** Launches headless Chromium with a fresh profile; resolves once its DevTools pipe answers. */
export async function launchBareChromium({ width = 1280, height = 800 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'wirelab-bench-chromium-'));
  const child = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_FLAGS,
      ...BENCH_FLAGS,
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const toBrowser = child.stdio[3];
  const fromBrowser = child.stdio[4];
  let nextId = 1;
  const pending = new Map();
  const listeners = new Set();
  let buffered = '';
  fromBrowser.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let end;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined) {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
        else call?.resolve(message.result);
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  void exited.then(() => {
    for (const call of pending.values()) call.reject(new Error(`Chromium exited: ${stderr.slice(-500)}`));
    pending.clear();
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  await send('Browser.getVersion');

  const browser = {
    send,
    /** The browser process (its renderers and GPU process are its children). */
    pid: child.pid,
    /** A new page in its own window, attached (flat session). */
    async newPage() {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank', newWindow: true });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      return createPage(browser, targetId, sessionId, listeners);
    },
    /** Closes every page but `keep` (e.g. the tab Start Lab opened). */
    async closeOtherPages(keep) {
      const { targetInfos } = await send('Target.getTargets');
      for (const t of targetInfos)
        if (t.type === 'page' && t.targetId !== keep.targetId)
          await send('Target.closeTarget', { targetId: t.targetId });
    },
    /** Records a trace of the whole browser until stopTracing(path). */
    async startTracing(categories) {
      await send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReturnAsStream' });
    },
    async stopTracing(path) {
      const complete = new Promise((resolve) => {
        const listener = (m) => {
          if (m.method === 'Tracing.tracingComplete') {
            listeners.delete(listener);
            resolve(m.params.stream);
          }
        };
        listeners.add(listener);
      });
      await send('Tracing.end');
      const stream = await complete;
      let text = '';
      for (;;) {
        const part = await send('IO.read', { handle: stream, size: 1 << 20 });
        text += part.base64Encoded ? Buffer.from(part.data, 'base64').toString('utf8') : part.data;
        if (part.eof) break;
      }
      await send('IO.close', { handle: stream });
      writeFileSync(path, text);
    },
    async close() {
      if (child.exitCode === null) {
        send('Browser.close').catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return browser;
}

/** In the page: the enabled button whose text is `name`. */
const enabledButton = (name) =>
  [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name && !b.disabled);

/** What a bench needs of a page: evaluate, wait for a condition, errors, raw calls. */
async function createPage(browser, targetId, sessionId, listeners) {
  const send = (method, params) => browser.send(method, params, sessionId);
  const errorListeners = new Set();
  // The page's session and its workers' (auto-attached): what each reports as an error.
  const sources = new Map([[sessionId, 'page']]);
  listeners.add((m) => {
    if (m.method === 'Target.attachedToTarget' && m.sessionId === sessionId && m.params.targetInfo.type === 'worker') {
      sources.set(m.params.sessionId, 'worker');
      void browser.send('Runtime.enable', {}, m.params.sessionId).catch(() => undefined);
      return;
    }
    const source = sources.get(m.sessionId);
    if (source === undefined) return;
    if (m.method === 'Runtime.exceptionThrown') {
      const d = m.params.exceptionDetails;
      for (const l of errorListeners) l(`${source}: ${d.exception?.description ?? d.text}`);
    } else if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'warning')) {
      const text = m.params.args.map((a) => a.value ?? a.description ?? '').join(' ');
      for (const l of errorListeners) l(`${source} console ${m.params.type}: ${text}`);
    }
  });
  await send('Page.enable'); // for addScriptToEvaluateOnNewDocument
  await send('Runtime.enable');
  await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
  const evaluate = async (fn, arg) => {
    const expression = typeof fn === 'function' ? `(${fn})(${arg === undefined ? '' : JSON.stringify(arg)})` : fn;
    const { result, exceptionDetails } = await send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      userGesture: true, // as a click: Start Lab may open the profile page in a new tab
      returnByValue: true,
    });
    if (exceptionDetails)
      throw new Error(`evaluate: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  };
  const page = {
    targetId,
    send,
    /** The page's workers attached so far, each with its own `send`. */
    workers: () =>
      [...sources]
        .filter(([, source]) => source === 'worker')
        .map(([workerSession]) => ({ send: (method, params) => browser.send(method, params, workerSession) })),
    evaluate,
    onError(listener) {
      errorListeners.add(listener);
    },
    addInitScript(fn) {
      return send('Page.addScriptToEvaluateOnNewDocument', { source: `(${fn})()` });
    },
    async goto(url) {
      await send('Page.navigate', { url });
      await page.waitForFunction(`location.href !== 'about:blank' && document.readyState === 'complete'`);
    },
    /** Resolves when `fn` (or the expression) is truthy in the page; polls every 50 ms. */
    async waitForFunction(fn, timeout = 30_000) {
      const started = Date.now();
      for (;;) {
        if (await evaluate(fn).catch(() => false)) return;
        if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${String(fn).slice(0, 200)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Resolves once there is an enabled button whose text is `name`. */
    waitForButton(name, timeout = 30_000) {
      return page.waitForFunction(`(${enabledButton})(${JSON.stringify(name)}) !== undefined`, timeout);
    },
    /** Clicks the enabled button whose text is `name`, once there is one. */
    async clickButton(name, timeout = 30_000) {
      await page.waitForButton(name, timeout);
      await evaluate(`(${enabledButton})(${JSON.stringify(name)}).click()`);
    },
  };
  return page;
}
