/** The set-up that `npm start` and `npm test` do for themselves (scripts/setup/*.mjs), decided by pure functions. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureModuleState } from '../../scripts/setup/capture-module.mjs';
import { RETRY_AFTER_MS, downloadDecision, downloadErrorLine } from '../../scripts/setup/electron-binary.mjs';
import { installReason, npmEnv } from '../../scripts/setup/npm.mjs';
import { TEST_TOOLS, installAdvice, osFamily, toolPresent } from '../../scripts/setup/test-prerequisites.mjs';
import { planStart, splitStartArgs } from '../../scripts/start.mjs';

describe('installing the project packages', () => {
  const files = (present: Record<string, number>) => ({
    exists: (p: string) => Object.keys(present).some((k) => p === path.join('/r', k)),
    mtime: (p: string) => Object.entries(present).find(([k]) => p === path.join('/r', k))?.[1] ?? 0,
  });

  it('installs when node_modules is missing, was not made by npm, or is older than the lockfile', () => {
    expect(installReason('/r', files({ 'package-lock.json': 1 }))).toBe('node_modules is missing');
    expect(installReason('/r', files({ 'package-lock.json': 1, node_modules: 1 }))).toBe(
      'node_modules was not installed by npm',
    );
    const stale = files({ 'package-lock.json': 20, node_modules: 1, 'node_modules/.package-lock.json': 10 });
    expect(installReason('/r', stale)).toBe('package-lock.json changed since the last install');
    const current = files({ 'package-lock.json': 5, node_modules: 1, 'node_modules/.package-lock.json': 10 });
    expect(installReason('/r', current)).toBeNull();
  });

  it("points node-gyp at a distribution Node's headers only when nothing else is configured", () => {
    const exists = () => true;
    expect(npmEnv({ env: {}, execPath: '/usr/bin/node', exists }).npm_config_nodedir).toBe('/usr');
    expect(npmEnv({ env: { npm_config_nodedir: '/opt' }, execPath: '/usr/bin/node', exists }).npm_config_nodedir).toBe(
      '/opt',
    );
    expect(npmEnv({ env: {}, execPath: '/home/u/.nvm/node', exists }).npm_config_nodedir).toBeUndefined();
    expect(npmEnv({ env: {}, execPath: '/usr/bin/node', exists: () => false }).npm_config_nodedir).toBeUndefined();
  });
});

describe("Electron's binary", () => {
  it('is downloaded unless skipped, and a failure is not retried for a day unless asked', () => {
    expect(downloadDecision({ env: {} })).toEqual({ download: true });
    expect(downloadDecision({ env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } })).toEqual({
      download: false,
      reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set',
    });
    const failure = { at: Date.UTC(2026, 11, 4, 9, 30), reason: 'getaddrinfo ENOTFOUND example.invalid' };
    const soon = downloadDecision({ env: {}, failure, now: failure.at + 60_000 });
    expect(soon.download).toBe(false);
    if (!soon.download) {
      expect(soon.reason).toContain('2026-12-04 09:30 UTC');
      expect(soon.reason).toContain('ENOTFOUND');
      expect(soon.reason).toContain('--retry-electron');
    }
    expect(downloadDecision({ env: {}, failure, now: failure.at + 60_000, retry: true })).toEqual({ download: true });
    expect(downloadDecision({ env: {}, failure, now: failure.at + RETRY_AFTER_MS + 1 })).toEqual({ download: true });
  });

  it("sums up install.js's error output in the line that says what failed", () => {
    const stderr = [
      'RequestError: connect ECONNREFUSED 127.0.0.1:9',
      '    at ClientRequest.<anonymous> (/x/got/dist/source/core/index.js:970:111)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)',
    ].join('\n');
    expect(downloadErrorLine(stderr)).toBe('RequestError: connect ECONNREFUSED 127.0.0.1:9');
    expect(downloadErrorLine('HTTPError: Response code 404 (Not Found) for http://m/v41.zip\n')).toMatch(/404/);
    expect(downloadErrorLine('')).toBe('');
  });
});

describe('npm start arguments', () => {
  it('keeps its own flags and passes everything else to the app', () => {
    expect(splitStartArgs(['--no-open', '--port', '0'])).toEqual({
      forceWeb: false,
      retryElectron: false,
      args: ['--no-open', '--port', '0'],
    });
    expect(splitStartArgs(['--web', '--retry-electron', '--', '--web'])).toEqual({
      forceWeb: true,
      retryElectron: true,
      args: ['--web'],
    });
  });

  it('builds again when the sources are newer than out/', () => {
    const plan = planStart({ detection: { available: false, reason: 'x' }, exists: () => true, fresh: () => false });
    expect(plan.steps.map((s) => s.label)).toEqual(['build', 'web']);
  });
});

describe('what the tests need, per OS', () => {
  const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
  const ubuntu = 'ID=ubuntu\nID_LIKE=debian\n';
  const fedora = 'ID=fedora\n';

  it('tells the OS family from /etc/os-release', () => {
    expect(osFamily({ platform: 'linux', readOsRelease: () => debian })).toBe('linux-debian');
    expect(osFamily({ platform: 'linux', readOsRelease: () => ubuntu })).toBe('linux-debian');
    expect(osFamily({ platform: 'linux', readOsRelease: () => fedora })).toBe('linux-fedora');
    expect(osFamily({ platform: 'darwin' })).toBe('darwin');
    expect(osFamily({ platform: 'win32' })).toBe('win32');
  });

  it('gives the exact install command for the missing tools', () => {
    const missing = TEST_TOOLS.filter((t) => t.what === 'tshark' || t.what === 'Chromium');
    expect(installAdvice(missing, 'linux-debian').command).toBe('sudo apt-get install -y tshark chromium');
    expect(installAdvice(missing, 'linux-debian', { root: true }).command).toBe('apt-get install -y tshark chromium');
    expect(installAdvice(missing, 'linux-fedora').command).toBe('sudo dnf install -y wireshark-cli chromium');
    expect(installAdvice(missing, 'darwin').text).toMatch(/^brew install wireshark && brew install --cask chromium/);
    expect(installAdvice(missing, 'win32').text).toMatch(/Wireshark.*CHROMIUM_PATH/);
  });

  it('probes commands, Chromium (CHROMIUM_PATH) and headers', () => {
    const chromium = TEST_TOOLS.find((t) => t.what === 'Chromium')!;
    const tshark = TEST_TOOLS.find((t) => t.what === 'tshark')!;
    expect(toolPresent(chromium, { env: { CHROMIUM_PATH: '/opt/c' }, exists: (p) => p === '/opt/c' })).toBe(true);
    expect(toolPresent(chromium, { env: {}, exists: () => false })).toBe(false);
    expect(toolPresent(tshark, { has: (c) => c === 'tshark' })).toBe(true);
    expect(toolPresent(tshark, { has: () => false })).toBe(false);
  });
});

describe('the native capture module', () => {
  it('says what to install when cap is not built', () => {
    const state = captureModuleState('/r', { exists: () => false, platform: 'linux' });
    expect(state.ok).toBe(false);
    if (!state.ok) expect(state.reason).toMatch(/libpcap-dev.*npm install/);
    expect(captureModuleState('/r', { exists: () => true }).ok).toBe(true);
  });
});
