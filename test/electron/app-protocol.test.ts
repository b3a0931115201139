import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appSchemePrivileges,
  createAppProtocolHandler,
  mimeType,
  resolveAppFile,
} from '../../main/electron/app-protocol';
import { contentSecurityPolicy } from '../../main/electron/security';

const root = mkdtempSync(path.join(os.tmpdir(), 'wirelab-renderer-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>WireLab</title>');
writeFileSync(path.join(root, 'assets', 'index.js'), 'console.log(1)');
writeFileSync(path.join(os.tmpdir(), 'wirelab-secret.txt'), 'secret');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('wirelab:// protocol', () => {
  it('is a standard, secure scheme', () => {
    expect(appSchemePrivileges).toMatchObject({ scheme: 'wirelab', privileges: { standard: true, secure: true } });
  });

  it('resolves files inside the renderer folder only', () => {
    expect(resolveAppFile('wirelab://app/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('wirelab://app/assets/index.js?v=1', root)).toBe(path.join(root, 'assets', 'index.js'));
    expect(resolveAppFile('wirelab://app/../wirelab-secret.txt', root)).toBe(path.join(root, 'wirelab-secret.txt'));
    expect(resolveAppFile('wirelab://app/%2e%2e/wirelab-secret.txt', root)).toBe(path.join(root, 'wirelab-secret.txt'));
    expect(resolveAppFile('wirelab://app/assets%2f..%2f..%2fwirelab-secret.txt', root)).toBeNull();
    expect(resolveAppFile('wirelab://app/..%5cwirelab-secret.txt', root)).toBeNull();
    expect(resolveAppFile('wirelab://app/%00', root)).toBeNull();
    expect(resolveAppFile('wirelab://other/index.html', root)).toBeNull();
    expect(resolveAppFile('file:///etc/passwd', root)).toBeNull();
  });

  it('serves files with the CSP header and the right type', async () => {
    const handler = createAppProtocolHandler(root);
    const res = await handler({ url: 'wirelab://app/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>WireLab</title>');
    const js = await handler({ url: 'wirelab://app/assets/index.js' });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 outside the folder or for folders, 405 for other methods', async () => {
    const handler = createAppProtocolHandler(root);
    expect((await handler({ url: 'wirelab://app/%2e%2e/wirelab-secret.txt' })).status).toBe(404);
    expect((await handler({ url: 'wirelab://app/assets' })).status).toBe(404);
    expect((await handler({ url: 'wirelab://app/missing.js' })).status).toBe(404);
    expect((await handler({ url: 'wirelab://app/index.html', method: 'POST' })).status).toBe(405);
  });

  it('knows the types a vite build emits', () => {
    expect(mimeType('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.wasm')).toBe('application/wasm');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});
