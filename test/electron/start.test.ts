import { describe, expect, it } from 'vitest';
import { detectElectron, planStart } from '../../scripts/start.mjs';

const shimError = () => {
  throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
};

describe('npm start: Electron detection', () => {
  it('uses Electron when require("electron") returns a binary that exists', () => {
    expect(detectElectron({ requireElectron: () => '/x/electron', exists: () => true, env: {} })).toEqual({
      available: true,
      path: '/x/electron',
    });
  });

  it('explains the shim-only install (ELECTRON_SKIP_BINARY_DOWNLOAD)', () => {
    const d = detectElectron({
      requireElectron: shimError,
      exists: () => true,
      env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    expect(d.available).toBe(false);
    if (!d.available) {
      expect(d.reason).toMatch(/no binary/);
      expect(d.reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
    }
  });

  it('explains a missing package and a path that does not exist', () => {
    const missing = detectElectron({
      requireElectron: () => {
        throw Object.assign(new Error("Cannot find module 'electron'"), { code: 'MODULE_NOT_FOUND' });
      },
      env: {},
    });
    expect(missing).toEqual({ available: false, reason: 'the electron package is not installed' });
    const gone = detectElectron({ requireElectron: () => '/gone/electron', exists: () => false, env: {} });
    expect(gone).toEqual({ available: false, reason: 'the Electron binary /gone/electron does not exist' });
  });
});

describe('npm start: plan', () => {
  const all = () => true;

  it('runs `electron .` when the binary is there', () => {
    const plan = planStart({ detection: { available: true, path: '/x/electron' }, exists: all });
    expect(plan.mode).toBe('electron');
    expect(plan.steps).toEqual([{ label: 'electron', command: '/x/electron', args: ['.'] }]);
  });

  it('falls back to the browser shell with a clear message, without crashing', () => {
    const plan = planStart({ detection: { available: false, reason: 'no binary' }, exists: all, args: ['--no-open'] });
    expect(plan.mode).toBe('web');
    expect(plan.message).toBe("Electron's binary is not installed (no binary); starting the browser shell instead.");
    expect(plan.steps).toEqual([{ label: 'web', command: process.execPath, args: ['out/web/web.js', '--no-open'] }]);
  });

  it('builds first when the outputs are missing', () => {
    const missing = (p: string) => p !== 'out/web/web.js';
    const web = planStart({ detection: { available: false, reason: 'x' }, exists: missing });
    expect(web.steps.map((s) => s.label)).toEqual(['build', 'web']);
    expect(web.steps[0].args).toEqual(['scripts/build.mjs']);
    const electron = planStart({
      detection: { available: true, path: '/e' },
      exists: (p) => p !== 'out/electron/preload.js',
    });
    expect(electron.steps.map((s) => s.label)).toEqual(['build', 'electron']);
  });

  it('--web forces the browser shell even with Electron installed', () => {
    const plan = planStart({ detection: { available: true, path: '/e' }, exists: all, forceWeb: true });
    expect(plan.mode).toBe('web');
  });

  it('on this machine: the real detection agrees with whether the binary exists', () => {
    const d = detectElectron();
    if (d.available) expect(d.path).toMatch(/electron/i);
    else expect(d.reason).toMatch(/electron/i);
  });
});
