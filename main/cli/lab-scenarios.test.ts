/**
 * End to end, for real on loopback (root in CI): `wirelab lab --scenario NAME --visit -w F` for
 * every scenario on a free port, and for conditional-get and embedded-objects also with headless
 * Chromium as the client. Each saved capture is judged by tshark 4.0, not by WireLab itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const canCapture = process.getuid?.() === 0;
const hasTshark = (() => {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLI = path.resolve('out/cli/wirelab.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A data folder with a filled-in profile, so the captured pages carry the student's fields. */
function profileHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'wirelab-scenario-'));
  mkdirSync(path.join(home, 'WireLab'));
  writeFileSync(
    path.join(home, 'WireLab', 'profile.json'),
    JSON.stringify({ version: 1, major: '计算机科学与技术', studentId: '2011188', name: '邵琦' }),
  );
  return home;
}

function startLab(
  args: string[],
  home: string,
): { child: ChildProcess; done: Promise<{ code: number; stderr: string }> } {
  const child = spawn('node', [CLI, 'lab', ...args, '--lang', 'en'], {
    env: { ...process.env, XDG_CONFIG_HOME: home },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const done = new Promise<{ code: number; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stderr })),
  );
  return { child, done };
}

async function labVisit(scenario: string): Promise<{ file: string; port: number }> {
  const home = profileHome();
  const port = await freePort();
  const file = path.join(home, `${scenario}.pcapng`);
  const { done } = startLab(['--scenario', scenario, '--visit', '--port', String(port), '-w', file], home);
  const r = await done;
  expect(r.code, r.stderr).toBe(0);
  expect(existsSync(file)).toBe(true);
  return { file, port };
}

/** tshark -T fields rows (tab-separated cells). */
function fields(file: string, filter: string, names: string[]): string[][] {
  const out = execFileSync(
    'tshark',
    ['-r', file, '-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n]), '-E', 'occurrence=a'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** Per TCP stream: first and last time, from tshark. */
function streamSpans(file: string): Map<number, { start: number; end: number }> {
  const spans = new Map<number, { start: number; end: number }>();
  for (const [stream, time] of fields(file, 'tcp', ['tcp.stream', 'frame.time_relative'])) {
    const s = Number(stream);
    const t = Number(time);
    const span = spans.get(s) ?? { start: t, end: t };
    span.start = Math.min(span.start, t);
    span.end = Math.max(span.end, t);
    spans.set(s, span);
  }
  return spans;
}

/** The largest number of streams carrying HTTP that were open at the same moment. */
function maxOverlap(file: string): number {
  const httpStreams = new Set(fields(file, 'http.request', ['tcp.stream']).map((r) => Number(r[0])));
  const spans = [...streamSpans(file)].filter(([s]) => httpStreams.has(s)).map(([, v]) => v);
  let best = 0;
  for (const a of spans) best = Math.max(best, spans.filter((b) => b.start <= a.start && a.start < b.end).length);
  return best;
}

const judge = {
  profile(file: string): void {
    expect(fields(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 0', ['tcp.stream']).length).toBe(1);
    expect(fields(file, 'http.request', ['http.request.uri']).map((r) => r[0])).toEqual(['/', '/logo.png']);
    expect(fields(file, 'tcp.flags.fin == 1', ['frame.number']).length).toBe(2);
  },
  'conditional-get'(file: string): void {
    const notModified = fields(file, 'http.response.code == 304', [
      'http.content_length_header',
      'http.file_data',
      'http.response_for.uri',
    ]);
    expect(notModified.length).toBeGreaterThanOrEqual(1);
    for (const [length, body] of notModified) expect([length, body]).toEqual(['', '']);
    const conditional = fields(
      file,
      'http.request.line contains "If-None-Match" || http.request.line contains "If-Modified-Since"',
      ['http.request.uri'],
    );
    expect(conditional.length).toBeGreaterThanOrEqual(1);
    const first = fields(file, 'http.response.code == 200', ['http.response.line']).map((r) => r[0]);
    expect(first.some((l) => /ETag: "/.test(l) && /Last-Modified: /.test(l))).toBe(true);
  },
  'long-document'(file: string): void {
    const page = fields(file, 'http.response.code == 200 && http.content_type contains "text/html"', [
      'tcp.segment.count',
      'http.content_length',
    ]);
    expect(page.length).toBe(1);
    expect(Number(page[0][0])).toBeGreaterThanOrEqual(4);
    expect(Number(page[0][1])).toBeGreaterThan(4 * 65_483);
  },
  'embedded-objects'(file: string): void {
    expect(fields(file, 'http.request.uri contains "/objects/"', ['frame.number']).length).toBeGreaterThanOrEqual(6);
    expect(maxOverlap(file)).toBeGreaterThanOrEqual(2);
  },
  'non-persistent'(file: string): void {
    const syns = fields(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 0', ['tcp.stream']);
    const requests = fields(file, 'http.request', ['tcp.stream']);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(syns.length).toBe(requests.length);
    expect(new Set(requests.map((r) => r[0])).size).toBe(requests.length);
    for (const [connection] of fields(file, 'http.response', ['http.connection'])) expect(connection).toBe('close');
  },
  'basic-auth'(file: string): void {
    const responses = fields(file, 'http.response', ['frame.number', 'http.response.code', 'http.www_authenticate']);
    const denied = responses.find((r) => r[1] === '401');
    expect(denied?.[2]).toMatch(/^Basic realm="/);
    const withAuth = fields(file, 'http.authorization', ['frame.number', 'http.authbasic']);
    expect(withAuth.length).toBeGreaterThanOrEqual(1);
    expect(withAuth[0][1]).toBe('wirelab-student:network');
    const ok = responses.find((r) => r[1] === '200' && Number(r[0]) > Number(withAuth[0][0]));
    expect(ok).toBeDefined();
    expect(Number(denied?.[0])).toBeLessThan(Number(withAuth[0][0]));
  },
  upload(file: string): void {
    const post = fields(file, 'http.request.method == "POST"', [
      'tcp.stream',
      'http.content_length_header',
      'tcp.nxtseq',
    ]);
    expect(post.length).toBe(1);
    const [stream, length, lastByte] = post[0];
    expect(Number(length)).toBeGreaterThanOrEqual(150_000);
    const acks = fields(
      file,
      `tcp.stream == ${stream} && tcp.srcport == ${fields(file, 'http.response', ['tcp.srcport'])[0][0]}`,
      ['tcp.ack'],
    ).map((r) => Number(r[0]));
    expect(Math.max(...acks)).toBeGreaterThanOrEqual(Number(lastByte));
    expect(
      fields(file, 'http.response.code == 200 && http.response_for.uri contains "/upload"', ['frame.number']).length,
    ).toBe(1);
  },
} as const;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs', '--only=cli,capture-worker', '--quiet']);
}, 120_000);

if (!canCapture || !hasTshark) {
  describe('lab scenarios end to end', () => {
    it.skip(`needs root (live capture on lo) and tshark: root=${canCapture}, tshark=${hasTshark}`, () => undefined);
  });
} else {
  describe('wirelab lab --scenario NAME --visit, judged by tshark', () => {
    it.each(Object.keys(judge) as (keyof typeof judge)[])(
      '%s',
      async (scenario) => {
        const { file } = await labVisit(scenario);
        judge[scenario](file);
      },
      90_000,
    );
  });

  const withChromium = existsSync(CHROMIUM) ? describe : describe.skip;
  withChromium('the same scenarios with headless Chromium as the client', () => {
    async function browse(
      scenario: string,
      act: (url: string, page: import('playwright-core').Page) => Promise<void>,
    ): Promise<string> {
      const home = profileHome();
      const port = await freePort();
      const file = path.join(home, `${scenario}-chromium.pcapng`);
      const lab = startLab(['--scenario', scenario, '--port', String(port), '-w', file, '--timeout', '60'], home);
      // Wait until the capture is running (the CLI prints its URL only then).
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('wirelab lab did not start')), 20_000);
        lab.child.stderr?.on('data', (d: Buffer) => {
          if (d.toString().includes('Open the URL')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await act(`http://127.0.0.1:${port}/`, page);
      } finally {
        await browser.close();
      }
      await new Promise((r) => setTimeout(r, 500));
      lab.child.kill('SIGTERM');
      const r = await lab.done;
      expect(r.code, r.stderr).toBe(0);
      return file;
    }

    it('conditional-get: a reload revalidates and the server answers 304 without a body', async () => {
      const file = await browse('conditional-get', async (url, page) => {
        await page.goto(url, { waitUntil: 'load' });
        await page.reload({ waitUntil: 'load' });
      });
      judge['conditional-get'](file);
    }, 90_000);

    it('embedded-objects: Chromium fetches the images over connections open at the same time', async () => {
      const file = await browse('embedded-objects', async (url, page) => {
        await page.goto(url, { waitUntil: 'load' });
      });
      judge['embedded-objects'](file);
    }, 90_000);
  });
}
