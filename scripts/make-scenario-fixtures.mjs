// Makes test/fixtures/captures/scenarios/: one real loopback capture per lab scenario, made by
// `wirelab lab --scenario NAME --visit -w FILE` (root, tshark installed), plus two made with
// headless Chromium as the client (conditional-get with a reload, embedded-objects), each with
// tshark 4.0's view of it:
//   NAME.pcapng.tshark.txt         tshark -r NAME.pcapng
//   NAME.pcapng.tshark.fields.tsv  tshark -r NAME.pcapng -T fields -E header=y -E occurrence=a -e … (FIELDS below)
// Usage: node scripts/build.mjs --only=cli,capture-worker --quiet && node scripts/make-scenario-fixtures.mjs [NAME…]
//        node scripts/make-scenario-fixtures.mjs --references   (only rewrite the tshark references)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers';

const OUT = path.resolve('test/fixtures/captures/scenarios');
const CLI = path.resolve('out/cli/wirelab.js');
const SCENARIOS = [
  'profile',
  'conditional-get',
  'long-document',
  'embedded-objects',
  'non-persistent',
  'basic-auth',
  'upload',
];
export const FIELDS = [
  'frame.number',
  'frame.time_relative',
  'tcp.stream',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags.str',
  'tcp.seq',
  'tcp.seq_raw',
  'tcp.ack',
  'tcp.len',
  'tcp.nxtseq',
  'tcp.segment.count',
  'tcp.analysis.ack_rtt',
  'http.request.method',
  'http.request.uri',
  'http.response.code',
  'http.content_length_header',
  'http.connection',
  'http.www_authenticate',
  'http.authbasic',
];

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function profileHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'wirelab-fixture-'));
  mkdirSync(path.join(home, 'WireLab'));
  writeFileSync(
    path.join(home, 'WireLab', 'profile.json'),
    JSON.stringify({ version: 1, major: '计算机科学与技术', studentId: '2011188', name: '邵琦' }),
  );
  return home;
}

function lab(args, home) {
  const child = spawn('node', [CLI, 'lab', ...args, '--lang', 'en'], {
    env: { ...process.env, XDG_CONFIG_HOME: home },
  });
  let stderr = '';
  child.stdout.resume();
  const ready = new Promise((resolve) =>
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('Open the URL') || stderr.includes('Visiting')) resolve();
    }),
  );
  const done = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`wirelab lab failed:\n${stderr}`)))),
  );
  return { child, ready, done };
}

function references(file) {
  const tshark = (args) =>
    execFileSync('tshark', ['-r', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  writeFileSync(`${file}.tshark.txt`, tshark([]));
  writeFileSync(
    `${file}.tshark.fields.tsv`,
    tshark(['-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...FIELDS.flatMap((f) => ['-e', f])]),
  );
  console.log(`${path.relative(process.cwd(), file)}: ${tshark([]).split('\n').length - 1} frames`);
}

async function visit(name) {
  const file = path.join(OUT, `${name}.pcapng`);
  const { done } = lab(['--scenario', name, '--visit', '--port', String(await freePort()), '-w', file], profileHome());
  await done;
  references(file);
}

async function chromiumVisit(name, act) {
  const { chromium } = await import('playwright-core');
  const file = path.join(OUT, `${name}-chromium.pcapng`);
  const port = await freePort();
  const run = lab(['--scenario', name, '--port', String(port), '-w', file, '--timeout', '60'], profileHome());
  await run.ready;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  const page = await browser.newPage();
  await act(page, `http://127.0.0.1:${port}/`);
  // Let the server's keep-alive timeout close the idle connections, as in a real session.
  await new Promise((r) => setTimeout(r, 6500));
  await browser.close();
  await new Promise((r) => setTimeout(r, 500));
  run.child.kill('SIGTERM');
  await run.done;
  references(file);
}

mkdirSync(OUT, { recursive: true });
if (process.argv[2] === '--references') {
  // Only the tshark references of the captures already there (after FIELDS changed).
  for (const name of readdirSync(OUT).filter((n) => n.endsWith('.pcapng'))) references(path.join(OUT, name));
  process.exit(0);
}
const only = process.argv.slice(2);
for (const name of SCENARIOS) if (only.length === 0 || only.includes(name)) await visit(name);
if (only.length === 0 || only.includes('chromium')) {
  await chromiumVisit('conditional-get', async (page, url) => {
    await page.goto(url, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
  });
  await chromiumVisit('embedded-objects', async (page, url) => {
    await page.goto(url, { waitUntil: 'load' });
  });
}
