#!/usr/bin/env node
// `npm start`: WireLab's desktop app when Electron's binary is installed, otherwise the browser shell.
//
//   node scripts/start.mjs [--web] [--retry-electron] [-- args for the app or the browser shell]
//
// It does its own set-up, so it works right after `git clone`: installs the project's packages when
// node_modules is missing or older than package-lock.json, fetches Electron's binary once when it is
// missing (see scripts/setup/electron-binary.mjs: a failed try is not repeated for a day), builds when
// the sources are newer than out/, then starts the app. Where the binary cannot be had it says why in
// one line and starts `node out/web/web.js` instead of failing. The decision is made by pure functions
// (detectElectron, planStart) that test/electron/start.test.ts checks with the detection injected.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensurePackages } from './setup/npm.mjs';
import { downloadDecision, downloadElectronBinary, electronInstall, lastFailure } from './setup/electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `require('electron')` from the project: the binary's path, or throws when the binary is missing. */
function requireElectronFromProject() {
  return createRequire(path.join(root, 'package.json'))('electron');
}

/**
 * Is Electron's binary usable? `require('electron')` returns the binary's path when the postinstall
 * download ran; it throws "Electron failed to install correctly" when only the shim is installed.
 * @returns {{ available: true, path: string } | { available: false, reason: string }}
 */
export function detectElectron({
  requireElectron = requireElectronFromProject,
  exists = existsSync,
  env = process.env,
} = {}) {
  const skipped = env.ELECTRON_SKIP_BINARY_DOWNLOAD ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set)' : '';
  let binary;
  try {
    binary = requireElectron();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error && typeof error === 'object' && 'code' in error && error.code === 'MODULE_NOT_FOUND') {
      return { available: false, reason: `the electron package is not installed${skipped}` };
    }
    return {
      available: false,
      reason: `node_modules/electron has no binary, its download was skipped or failed${skipped}: ${message}`,
    };
  }
  if (typeof binary !== 'string' || binary === '') {
    return { available: false, reason: 'require("electron") did not return a path to the binary' };
  }
  if (!exists(binary)) return { available: false, reason: `the Electron binary ${binary} does not exist${skipped}` };
  return { available: true, path: binary };
}

/**
 * What to run, in order: a build when outputs are missing, then the app.
 * @param {{ detection: ReturnType<typeof detectElectron>, exists?: (p: string) => boolean,
 *   fresh?: (outputs: string[]) => boolean, forceWeb?: boolean, args?: string[] }} options
 */
export function planStart({ detection, exists = existsSync, fresh = () => true, forceWeb = false, args = [] }) {
  const node = process.execPath;
  const build = { label: 'build', command: node, args: ['scripts/build.mjs'] };
  if (detection.available && !forceWeb) {
    const needed = ['out/electron/main.js', 'out/electron/preload.js', 'out/renderer/index.html'];
    const steps = needed.every((p) => exists(p)) && fresh(needed) ? [] : [build];
    steps.push({ label: 'electron', command: detection.path, args: ['.', ...args] });
    return { mode: 'electron', message: `Starting WireLab (Electron ${detection.path})`, steps };
  }
  const message = forceWeb
    ? 'Starting the browser shell (--web).'
    : `Electron's binary is not installed (${detection.available ? '' : detection.reason}); starting the browser shell instead.`;
  const needed = ['out/web/web.js', 'out/renderer/index.html'];
  const steps = needed.every((p) => exists(p)) && fresh(needed) ? [] : [build];
  steps.push({ label: 'web', command: node, args: ['out/web/web.js', ...args] });
  return { mode: 'web', message, steps };
}

/** Runs the plan; falls back to the browser shell when the Electron binary cannot even be started. */
function run(plan) {
  for (const step of plan.steps.slice(0, -1)) {
    console.log(`start: ${step.label} (${[path.basename(step.command), ...step.args].join(' ')})`);
    const status = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit' }).status;
    if (status !== 0) {
      console.error(
        `start: the ${step.label} step failed (exit ${status}). Fix the errors above, then run npm start again.`,
      );
      process.exitCode = 1;
      return;
    }
  }
  const app = plan.steps[plan.steps.length - 1];
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the Electron binary behave as plain Node
  const child = spawn(app.command, app.args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (error) => {
    if (plan.mode === 'electron') {
      console.error(`start: Electron could not be started (${error.message}); starting the browser shell instead.`);
      run(planStart({ detection: { available: false, reason: error.message }, forceWeb: true }));
    } else {
      console.error(`start: could not start ${app.label}: ${error.message}`);
      process.exitCode = 1;
    }
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

/** Newest modification time under the app's sources, for "is out/ older than what it is built from?". */
function newestSourceTime() {
  const sources = [
    'main',
    'core',
    'renderer',
    'embedded-server',
    'assets',
    'scripts/build.mjs',
    'vite.config.mts',
    'package.json',
  ];
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules') visit(path.join(p, entry));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const s of sources) visit(path.join(root, s));
  return newest;
}

function outputsFresh(outputs) {
  const newest = newestSourceTime();
  return outputs.every((p) => {
    try {
      return statSync(path.join(root, p)).mtimeMs >= newest;
    } catch {
      return false;
    }
  });
}

/** The start's own flags; everything else goes to the app (e.g. `npm start -- --no-open --port 0`). */
export function splitStartArgs(argv) {
  const own = new Set(['--web', '--retry-electron']);
  const separator = argv.indexOf('--');
  const before = separator === -1 ? argv : argv.slice(0, separator);
  const after = separator === -1 ? [] : argv.slice(separator + 1);
  return {
    forceWeb: before.includes('--web'),
    retryElectron: before.includes('--retry-electron'),
    args: [...before.filter((a) => !own.has(a)), ...after],
  };
}

async function main() {
  const options = splitStartArgs(process.argv.slice(2));
  if (!ensurePackages(root)) {
    process.exitCode = 1;
    return;
  }
  const forceWeb = options.forceWeb || process.env.WIRELAB_SHELL === 'web';
  let detection = detectElectron();
  if (!detection.available && !forceWeb && electronInstall(root).package) {
    // Fetch the binary now (with progress) unless skipped on purpose or a try failed less than a day ago:
    // an install with ELECTRON_SKIP_BINARY_DOWNLOAD gets it at its first start, an offline machine is not
    // held up by a retry at every start.
    const decision = downloadDecision({ failure: lastFailure(root), retry: options.retryElectron });
    if (decision.download) {
      const result = await downloadElectronBinary(root);
      detection = result.ok ? detectElectron() : { available: false, reason: `its download failed: ${result.reason}` };
    } else {
      detection = { available: false, reason: decision.reason };
    }
  }
  const plan = planStart({
    detection,
    forceWeb,
    args: options.args,
    exists: (p) => existsSync(path.join(root, p)),
    fresh: outputsFresh,
  });
  console.log(plan.message);
  run(plan);
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) void main();
