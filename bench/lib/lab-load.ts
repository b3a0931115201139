/**
 * Lab load benchmark (issue 4): drives the embedded profile server with wrk on loopback for
 * ~10 s while WireLab captures, and prints
 *   - requests/s of the profile server next to a bare Node http server serving the same page,
 *   - packets WireLab captured next to `tcpdump -i lo` counting the same filter at the same time.
 * Only 127.0.0.1 is ever a target. Run through bench/lab-load.bench.mjs (`npm run bench`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ProfileServer, ProfileStore } from '../../embedded-server';
import { startCapture } from '../../main/capture';

const SECONDS = Number(process.env.WIRELAB_LOAD_SECONDS ?? 10);
const CONNECTIONS = 8;
const ROUNDS = 3;

function which(tool: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface LoadRun {
  /** Requests per second wrk measured. */
  rate: number;
  /** CPU time this process (where both servers run) spent per request, in µs. */
  cpuPerRequestUs: number;
}

/**
 * Runs wrk against a loopback URL. One wrk thread, so that on a 2-core machine the server
 * keeps a core of its own; the CPU time per request is what the server itself costs.
 */
function wrk(url: string, seconds: number): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const cpu = process.cpuUsage();
    const child = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const used = process.cpuUsage(cpu);
      const rate = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const count = /(\d+) requests in/.exec(out);
      if (rate && count) {
        resolve({ rate: Number(rate[1]), cpuPerRequestUs: (used.user + used.system) / Number(count[1]) });
      } else reject(new Error(`wrk printed no rate:\n${out}`));
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts tcpdump counting packets of a filter; resolves its count when stopped. */
async function startTcpdump(filter: string): Promise<{ stop(): Promise<number> }> {
  const child = spawn('tcpdump', ['-i', 'lo', '-n', '-q', '-B', '65536', '-w', '/dev/null', filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.on('close', () => {
          const m = /(\d+) packets? captured/.exec(err);
          resolve(m ? Number(m[1]) : -1);
        });
        child.kill('SIGINT');
      }),
  };
}

async function main(): Promise<void> {
  if (!which('wrk')) {
    console.log('lab load: skipped — wrk is not installed (apt install wrk)');
    return;
  }
  if (process.getuid?.() !== 0) {
    console.log('lab load: skipped — live capture needs root or capture permission');
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-load-'));
  try {
    const store = await ProfileStore.open(dataDir);
    await store.update({ major: '计算机科学与技术', studentId: '2011188', name: '邵琦' });

    // Baseline: a bare Node http server answering with the same page bytes.
    const profile = new ProfileServer({ store, port: await freePort() });
    // As the lab runs it: LabHost listens to every served request (for the guide and the log).
    let served = 0;
    profile.on('request', () => served++);
    const { url: profileUrl, port: profilePort } = await profile.start();
    const page = await new Promise<{ body: Buffer; type: string }>((resolve) =>
      http.get(profileUrl, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ body: Buffer.concat(chunks), type: String(res.headers['content-type']) }));
      }),
    );
    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': page.type, 'Content-Length': page.body.length });
      res.end(page.body);
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
    const barePort = (bare.address() as net.AddressInfo).port;

    // Alternating rounds, medians: a busy neighbour on the machine hits both servers alike.
    const bareRuns: LoadRun[] = [];
    const profileRuns: LoadRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await wrk(`http://127.0.0.1:${barePort}/`, SECONDS / 2));
      profileRuns.push(await wrk(profileUrl, SECONDS / 2));
    }
    const bareRate = median(bareRuns.map((r) => r.rate));
    const profileRate = median(profileRuns.map((r) => r.rate));
    const bareCpu = median(bareRuns.map((r) => r.cpuPerRequestUs));
    const profileCpu = median(profileRuns.map((r) => r.cpuPerRequestUs));

    // Now the same load while WireLab captures, with tcpdump counting the same filter.
    const filter = `tcp port ${profilePort}`;
    const tcpdump = which('tcpdump') ? await startTcpdump(filter) : null;
    const session = await startCapture({ device: 'lo', filter, backend: 'auto', tempDir: dataDir });
    const capturingRate = (await wrk(profileUrl, SECONDS)).rate;
    await new Promise((r) => setTimeout(r, 500));
    const result = await session.stop();
    const tcpdumpCount = tcpdump ? await tcpdump.stop() : -1;
    await profile.stop();
    bare.close();

    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;

    console.log(
      `lab load (wrk, 1 thread, ${CONNECTIONS} keep-alive connections, 127.0.0.1; ` +
        `medians of ${ROUNDS} alternating ${SECONDS / 2} s runs per server):`,
    );
    console.log(
      `  bare Node http server          ${bareRate.toFixed(0).padStart(8)} req/s  ${bareCpu.toFixed(2)} µs CPU/request`,
    );
    console.log(
      `  WireLab profile server         ${profileRate.toFixed(0).padStart(8)} req/s  ${profileCpu.toFixed(2)} µs CPU/request` +
        `  (overhead vs bare: ${(((bareRate - profileRate) / bareRate) * 100).toFixed(1)}% req/s, ${pct(profileCpu, bareCpu)} CPU/request)`,
    );
    console.log(
      `  profile server while capturing ${capturingRate.toFixed(0).padStart(8)} req/s  (vs not capturing: ${pct(capturingRate, profileRate)})`,
    );
    console.log(
      `  packets: WireLab (${session.backend}) ${result.packets}, dropped ${result.dropped}; tcpdump ${tcpdumpCount >= 0 ? tcpdumpCount : 'n/a'}` +
        (tcpdumpCount > 0 ? `  → WireLab/tcpdump = ${(result.packets / tcpdumpCount).toFixed(4)}` : ''),
    );
    console.log(`  requests served (seen by the request listener): ${served}`);
    if (!existsSync(result.tempFile)) console.log('  (temp file removed)');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('lab load failed:', error);
  process.exitCode = 1;
});
