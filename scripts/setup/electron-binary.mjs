// Electron's binary, fetched by WireLab itself rather than by the electron package's own postinstall.
//
// Why: the electron package downloads its binary in a postinstall script, and when the download host is
// unreachable that script fails and npm rolls the whole install back. So package.json lists electron as an
// optional dependency and, for npm 11, turns its script off ("allowScripts": {"electron": false}); then
// scripts/postinstall.mjs (at install) and scripts/start.mjs (at the first start) run the same install.js
// here, where a failure only means "the browser shell for now". npm 10 ignores allowScripts and runs the
// package's script itself: with a reachable host that downloads the binary; without one npm drops the
// optional package and the install still succeeds.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

/** A failed download is retried at the next start only after this long (or with --retry-electron). */
export const RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** Longest wait for a download; a black-holed network must not hang `npm install` or `npm start`. */
export const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;

const markerFile = (root) => path.join(root, 'node_modules', '.wirelab', 'electron-download.json');

/**
 * What is installed: the electron package (JS shim and types) and its binary.
 * @returns {{ package: false } | { package: true, version: string, binary: string | null }}
 */
export function electronInstall(root, { exists = existsSync } = {}) {
  const dir = path.join(root, 'node_modules', 'electron');
  let version;
  try {
    version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return { package: false };
  }
  let binary = null;
  try {
    // The package's index.js resolves path.txt (written after a download) to the binary's path.
    const resolved = createRequire(path.join(root, 'package.json'))('electron');
    if (typeof resolved === 'string' && exists(resolved)) binary = resolved;
  } catch {
    binary = null;
  }
  return { package: true, version, binary };
}

/** The last failed download, if any: { at: epoch ms, reason }. */
export function lastFailure(root) {
  try {
    const data = JSON.parse(readFileSync(markerFile(root), 'utf8'));
    return typeof data.at === 'number' && typeof data.reason === 'string' ? data : null;
  } catch {
    return null;
  }
}

function recordFailure(root, reason, now) {
  try {
    mkdirSync(path.dirname(markerFile(root)), { recursive: true });
    writeFileSync(markerFile(root), JSON.stringify({ at: now, reason }));
  } catch {
    // Only a cache of "do not retry yet": losing it costs one more try.
  }
}

/**
 * Should this start try to download the binary? Not when the user said to skip it, and not again within a
 * day of a failure (a start offline must stay quick), unless asked to retry.
 * @returns {{ download: true } | { download: false, reason: string }}
 */
export function downloadDecision({ env = process.env, failure = null, retry = false, now = Date.now() } = {}) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { download: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  }
  if (!retry && failure && now - failure.at < RETRY_AFTER_MS) {
    const when = new Date(failure.at).toISOString().replace('T', ' ').slice(0, 16);
    return {
      download: false,
      reason: `its download failed at ${when} UTC (${failure.reason}); npm start -- --retry-electron tries again now`,
    };
  }
  return { download: true };
}

/** The first line of install.js's error output that says what went wrong (e.g. "getaddrinfo ENOTFOUND …"). */
export function downloadErrorLine(stderr) {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '));
  return lines.find((l) => /error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|status code/i.test(l)) ?? lines[0] ?? '';
}

/**
 * Runs the electron package's own install.js (it downloads, checks the checksum and unpacks; with a
 * terminal it draws a progress bar). Resolves { ok: true } or { ok: false, reason } — never rejects.
 */
export function downloadElectronBinary(
  root,
  { log = console.log, timeoutMs = DOWNLOAD_TIMEOUT_MS, now = Date.now } = {},
) {
  const script = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(script)) return Promise.resolve({ ok: false, reason: 'the electron package is not installed' });
  log("setup: downloading Electron's binary for the desktop app (once; progress below)…");
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(process.execPath, [script], {
      cwd: path.dirname(script),
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      const text = chunk.toString('utf8');
      // The progress bar is drawn on stderr: show it; an error's stack trace is summed up in one line instead.
      if (!/Error|\n\s+at /.test(text)) process.stderr.write(text);
      if (stderr.length < 64 * 1024) stderr += text;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const finish = (result) => {
      clearTimeout(timer);
      if (!result.ok) recordFailure(root, result.reason, now());
      resolve(result);
    };
    child.on('error', (error) => finish({ ok: false, reason: error.message }));
    child.on('exit', (code, signal) => {
      if (code === 0) finish({ ok: true });
      else if (signal === 'SIGKILL') finish({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` });
      else finish({ ok: false, reason: downloadErrorLine(stderr) || `install.js exited with code ${code}` });
    });
  });
}
