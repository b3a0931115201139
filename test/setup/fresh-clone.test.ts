/**
 * The README's first command, tried as a new user would: a fresh clone, no node_modules, Electron's
 * download host unreachable and ELECTRON_SKIP_BINARY_DOWNLOAD unset. `npm start` must install the
 * packages itself, say in one line that it opens the browser shell, and print a URL (with its token)
 * that answers 200. Once with the machine's npm (11 here) and once with npm 10, which ignores
 * "allowScripts" and runs electron's own download script (npm then drops the optional package).
 *
 * "Unreachable" is made certain, not assumed: ELECTRON_MIRROR points at a closed loopback port, and an
 * empty download cache hides any Electron zip a developer's machine has cached.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const gitOk =
  spawnSync('git', ['-C', root, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' }).stdout?.trim() === 'true';
const temps: string[] = [];
// Each test removes its own clone; this only catches what a failed test left behind.
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
}, 600_000);

/** Removes a clone (its node_modules is some 40,000 files) once its test is done with it. */
function removeClone(cwd: string): void {
  const dir = path.dirname(cwd);
  rmSync(dir, { recursive: true, force: true });
  temps.splice(temps.indexOf(dir), 1);
}

/**
 * Opens the printed address as a browser would: it answers with the shell's cookie and a redirect that
 * takes the token out of the address bar, then the shell itself answers 200.
 */
async function openShell(url: string): Promise<{ status: number; html: string }> {
  const login = await fetch(url, { redirect: 'manual' });
  expect(login.status).toBe(302);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  expect(cookie).toMatch(/^wirelab_token=/);
  const page = await fetch(new URL(login.headers.get('location') ?? '', url), { headers: { cookie } });
  return { status: page.status, html: await page.text() };
}

/** A loopback port with nothing listening on it (connections are refused at once). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function newUserEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    // No hint from this test run leaks into the new user's shell.
    if (/^(ELECTRON_SKIP_BINARY_DOWNLOAD|ELECTRON_OVERRIDE_DIST_PATH|npm_|VITEST|WIRELAB_)/i.test(name))
      delete env[name];
  }
  env.ELECTRON_MIRROR = `http://127.0.0.1:${await closedPort()}/`;
  env.electron_config_cache = mkdtempSync(path.join(os.tmpdir(), 'wirelab-electron-cache-'));
  temps.push(env.electron_config_cache);
  return env;
}

function freshClone(): string {
  // A private folder (mode 0700), as a user's own temp folder would be.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-clone-'));
  temps.push(dir);
  const target = path.join(dir, 'wirelab');
  const clone = spawnSync('git', ['clone', '--quiet', root, target], { encoding: 'utf8' });
  expect(clone.status, clone.stderr).toBe(0);
  expect(existsSync(path.join(target, 'node_modules'))).toBe(false);
  return target;
}

/** Runs `npm start -- --no-open --port 0` until it prints the URL; returns its output and the URL. */
function startUntilUrl(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ output: string; url: string; child: ChildProcess }> {
  const child = spawn('npm', ['start', '--', '--no-open', '--port', '0'], { cwd, env, detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 300 s; output:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // The whole token, not the part of it that one chunk of output happened to hold.
      const url = /http:\/\/127\.0\.0\.1:\d+\/\S*token=[0-9a-f]+(?=\s)/.exec(output)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ output, url, child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before printing a URL:\n${output}`));
    });
  });
}

/** Stops `npm start` and everything it started (its process group), and waits for it to end. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

describe.skipIf(!gitOk)('a fresh clone, Electron download host unreachable', () => {
  it('npm start installs, says it opens the browser shell, and its URL answers 200', async () => {
    const cwd = freshClone();
    const { output, url, child } = await startUntilUrl(cwd, await newUserEnv());
    try {
      expect(output).toMatch(/installing the project's packages \(npm ci: node_modules is missing\)/);
      expect(output).toMatch(/wirelab: Electron's binary could not be downloaded \(.*ECONNREFUSED.*\)/);
      expect(output).toMatch(/^Electron's binary is not installed \(.*\); starting the browser shell instead\.$/m);
      const page = await openShell(url);
      expect(page.status).toBe(200);
      expect(page.html).toMatch(/<div id="root">/);
      // Without the token the shell refuses.
      expect((await fetch(url.replace(/token=[0-9a-f]+/, 'token=wrong'))).status).toBe(401);
    } finally {
      await stop(child);
      removeClone(cwd);
    }
  }, 420_000);

  it('npm 10 (no allowScripts): the install still succeeds and npm start opens the browser shell', async () => {
    const cwd = freshClone();
    const env = await newUserEnv();
    const install = spawnSync('npx', ['-y', 'npm@10', 'ci', '--no-audit', '--no-fund'], { cwd, env, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/the electron package is not installed \(npm drops this optional package/);
    const { output, url, child } = await startUntilUrl(cwd, env);
    try {
      expect(output).not.toMatch(/installing the project's packages/);
      expect(output).toMatch(/the electron package is not installed\); starting the browser shell instead/);
      expect((await openShell(url)).status).toBe(200);
    } finally {
      await stop(child);
      removeClone(cwd);
    }
  }, 420_000);
});

if (!gitOk) {
  describe('a fresh clone', () => {
    it('is not tried: this copy of WireLab is not a git checkout', () => {
      console.log('skipped: the fresh-clone test needs a git checkout to clone from');
      expect(gitOk).toBe(false);
    });
  });
}
