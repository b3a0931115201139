/**
 * The live modes of the built `wirelab` command, for real on loopback (root in CI):
 * `wirelab lab --visit` and `wirelab -i lo -f … -c N -w FILE`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const canCapture = process.getuid?.() === 0;
const CLI = path.resolve('out/cli/wirelab.js');

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onStderr?: (text: string) => void,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs', '--only=cli,capture-worker', '--quiet']);
});

if (canCapture) {
  describe('wirelab live modes', () => {
    it('lab --visit serves the page, captures the whole exchange and explains it', async () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'wirelab-cli-lab-'));
      const port = await freePort();
      const out = path.join(tmp, 'lab.pcapng');
      const r = await run(['lab', '--visit', '--port', String(port), '-w', out, '--lang', 'en'], {
        XDG_CONFIG_HOME: tmp,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`http://127.0.0.1:${port}/`);
      const lines = r.stdout.split('\n');
      expect(
        lines.find((l) => l.includes(`→ ${port} [SYN] Seq=0`)),
        'SYN line',
      ).toBeDefined();
      expect(
        lines.find((l) => /HTTP \d+ GET \/ HTTP\/1\.1/.test(l)),
        'GET / line',
      ).toBeDefined();
      expect(
        lines.find((l) => l.includes('HTTP/1.1 200 OK  (text/html)')),
        '200 line',
      ).toBeDefined();
      expect(
        lines.find((l) => l.includes(`${port} → `) && l.includes('[FIN, ACK]')),
        'server FIN',
      ).toBeDefined();
      expect(
        lines.some((l) => l.includes('Keep-Alive]')),
        'no TCP keep-alive probes from the visit',
      ).toBe(false);
      expect(r.stdout).toMatch(/\[x\] Three-way handshake: done/);
      expect(r.stdout).toMatch(/\[x\] Connection teardown: done/);
      expect(existsSync(out)).toBe(true);
      if (existsSync('/usr/bin/capinfos')) {
        const info = execFileSync('capinfos', ['-c', out], { encoding: 'utf8' });
        const captured = lines.filter((l) => /^\s+\d+ /.test(l)).length;
        expect(info).toMatch(new RegExp(`Number of packets:\\s+${captured}\\b`));
      } else {
        console.log('skipped capinfos read-back: capinfos not installed');
      }
    }, 40_000);

    it('-i lo -f BPF -c N prints N summary lines as they arrive and saves them with -w', async () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'wirelab-cli-live-'));
      const server = http.createServer((_q, s) => s.end('ok'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as net.AddressInfo).port;
      const out = path.join(tmp, 'live.pcapng');
      // Keep making requests until the capture has its 5 packets, each on a new connection (Node's
      // default agent keeps connections alive: one opened before the capture started has no SYN in
      // it), and only once the capture runs: an exchange in flight as it starts would be caught
      // half-way (on a busy machine one was: the first row was the 200 OK).
      let timer: NodeJS.Timeout | undefined;
      const request = () =>
        http.get(`http://127.0.0.1:${port}/`, { agent: false }, (res) => res.resume()).on('error', () => undefined);
      const pending = run(['-i', 'lo', '-f', `tcp port ${port}`, '-c', '5', '-w', out], {}, (stderr) => {
        if (!timer && stderr.includes('Capturing on')) timer = setInterval(request, 200);
      });
      const r = await pending;
      clearInterval(timer);
      server.close();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Capturing on 'lo'/);
      const rows = r.stdout.trim().split('\n');
      expect(rows).toHaveLength(5);
      expect(rows[0]).toMatch(new RegExp(`→ ${port} \\[SYN\\]`));
      expect(r.stderr).toMatch(/Saved 5 packets/);
    }, 40_000);

    it('a bad capture filter is a clear error with a non-zero exit', async () => {
      const r = await run(['-i', 'lo', '-f', 'port nope', '-c', '1']);
      expect(r.code).not.toBe(0);
      expect(r.stderr.toLowerCase()).toContain('filter');
    }, 20_000);
  });
} else {
  describe('wirelab live modes', () => {
    it('is not run: live capture needs root or capture permission (CI runs as root)', () => {
      console.log('skipped: live capture CLI tests need root; CI runs as root');
      expect(process.getuid?.()).not.toBe(0);
    });
  });
}

describe('wirelab -D and usage of the live flags', () => {
  it('refuses -r together with -i', async () => {
    const r = await run(['-r', 'x.pcap', '-i', 'lo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not both');
  });

  it('refuses an unknown -z statistic and names the known ones', async () => {
    // io,phs, conv, … are known now (core/stats); SIP statistics are not.
    const r = await run(['-r', 'x.pcap', '-z', 'sip,stat']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid -z argument "sip,stat"');
    for (const known of ['lab', 'conv,eth|ip|ipv6|tcp|udp', 'io,phs', 'expert', 'follow,tcp', 'io,stat']) {
      expect(r.stderr).toContain(known);
    }
  });
});
