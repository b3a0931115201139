/**
 * Start Lab with a scenario, for real on loopback (root in CI): the server serves the scenario,
 * the page is opened only once the capture runs, and choosing another scenario while the lab
 * runs gives a fresh capture of it (server switched, capture first, then the page).
 */
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabHost } from './lab-host';
import { validateLabCall } from '../../bridge/lab-api';

const canCapture = process.getuid?.() === 0;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject);
  });
}

describe('startLab({ scenario })', () => {
  it('refuses an unknown scenario at the bridge', () => {
    expect(() => validateLabCall('startLab', [{ scenario: 'nope' }])).toThrow(/unknown lab scenario/);
    expect(validateLabCall('startLab', [{ scenario: 'upload' }]).method).toBe('startLab');
  });

  if (!canCapture) {
    it.skip('needs live loopback capture (root or capture permission; CI runs as root)', () => undefined);
    return;
  }

  it('serves the scenario, opens its page after the capture runs, and switches with a fresh capture', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-host-scenario-'));
    dirs.push(dir);
    const opened: { url: string; capture: string | undefined; generation: number }[] = [];
    let host: LabHost | null = null;
    host = await LabHost.create({
      dataDir: dir,
      port: 0,
      openPage: async (url) => {
        const s = await host!.getStatus();
        opened.push({ url, capture: s.capture.state, generation: s.source.generation });
      },
    });
    try {
      const first = await host.startLab({ scenario: 'basic-auth' });
      expect(first.server.scenario).toBe('basic-auth');
      expect(opened).toEqual([{ url: first.server.url, capture: 'running', generation: first.source.generation }]);
      expect((await get(`${first.server.url}protected/`)).status).toBe(401);

      const second = await host.startLab({ scenario: 'conditional-get' });
      expect(second.server.scenario).toBe('conditional-get');
      expect(second.capture.state).toBe('running');
      expect(opened).toHaveLength(2);
      expect(opened[1].capture).toBe('running');
      expect(opened[1].generation).not.toBe(opened[0].generation);
      const page = await get(second.server.url ?? '');
      expect(page.headers.etag).toMatch(/^"/);
      expect((await get(second.server.url ?? '', { 'If-None-Match': String(page.headers.etag) })).status).toBe(304);

      // The same scenario again is harmless: nothing restarts.
      await host.startLab({ scenario: 'conditional-get' });
      expect(opened).toHaveLength(2);
    } finally {
      await host.dispose();
    }
  });
});
