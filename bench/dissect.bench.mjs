// Dissection speed and memory: `wirelab -r F` (summary) and `wirelab -r F -T fields -e …` on a
// generated capture of ≥ 1,000,000 lab-like HTTP packets, against tshark when installed.
// Targets: summary ≥ 3× tshark's packets/s; wirelab peak RSS < 2× the file size.
// Each command runs BENCH_RUNS times (default 5), the commands alternating, so a busy spell
// on a shared machine falls on all of them; the figures are medians.
// Env: BENCH_PACKETS (default 1000000), BENCH_RUNS, BENCH_SKIP_TSHARK=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBenchCapture } from './lib/make-capture.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'out/cli/wirelab.js');
const PACKETS = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const FIELDS = [
  '-T',
  'fields',
  '-e',
  'frame.number',
  '-e',
  'ip.src',
  '-e',
  'tcp.srcport',
  '-e',
  'tcp.seq',
  '-e',
  'http.request.uri',
];

if (!existsSync(CLI)) {
  console.log(`dissect.bench: ${CLI} is missing; run "node scripts/build.mjs" first (npm run bench does).`);
  process.exit(1);
}

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const TSHARK = process.env.BENCH_SKIP_TSHARK ? '' : onPath('tshark');

const capture = ensureBenchCapture(PACKETS);
const work = mkdtempSync(join(tmpdir(), 'wirelab-bench-'));

/** Runs a command with stdout to /dev/null; returns wall and CPU seconds and peak RSS in MB. */
function measure(label, cmd, args, extraEnv = {}) {
  const devnull = openSync('/dev/null', 'w');
  const timeFile = join(work, 'time.txt');
  const rusageFile = join(work, 'rusage.txt');
  rmSync(timeFile, { force: true });
  rmSync(rusageFile, { force: true });
  let argv;
  let env = { ...process.env, ...extraEnv };
  if (TIME) {
    argv = [TIME, '-v', '-o', timeFile, cmd, ...args];
  } else if (cmd === process.execPath) {
    argv = [cmd, '--import', pathToFileURL(join(ROOT, 'bench/lib/report-rusage.mjs')).href, ...args];
    env = { ...env, WIRELAB_RUSAGE_FILE: rusageFile };
  } else {
    argv = [cmd, ...args];
  }
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', devnull, 'pipe'], env, maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(devnull);
  let rssMb = null;
  let cpu = null;
  if (TIME && existsSync(timeFile)) {
    const report = readFileSync(timeFile, 'utf8');
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    if (m) rssMb = Number(m[1]) / 1024;
    const user = /User time \(seconds\): ([\d.]+)/.exec(report);
    const system = /System time \(seconds\): ([\d.]+)/.exec(report);
    if (user && system) cpu = Number(user[1]) + Number(system[1]);
  } else if (existsSync(rusageFile)) {
    rssMb = Number(readFileSync(rusageFile, 'utf8')) / 1024;
  }
  const status = r.status;
  const stderr = (r.stderr?.toString() ?? '')
    .split('\n')
    .filter((l) => l && !l.startsWith('Running as user'))
    .slice(0, 3);
  if (status !== 0) console.log(`  ${label}: exit ${status}${stderr.length ? `: ${stderr.join(' | ')}` : ''}`);
  return { label, wall, cpu, rssMb, ok: status === 0 };
}

const fmt = (n, d = 1) => (n === null || n === undefined ? 'n/a' : n.toFixed(d));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const line = (m, note = '') => {
  const pps = capture.packets / m.wall;
  console.log(
    `  ${m.label.padEnd(25)} ${fmt(m.wall, 2).padStart(6)} s ${Math.round(pps).toLocaleString('en-US').padStart(10)} pkt/s ${fmt(m.cpu, 2).padStart(6)} s CPU ${fmt(m.rssMb).padStart(7)} MB peak RSS${m.ok ? '' : '  (FAILED)'}${note}`,
  );
};

console.log(
  `capture: ${capture.path}\n  ${capture.packets.toLocaleString('en-US')} packets, ${(capture.bytes / 1e6).toFixed(1)} MB` +
    `; memory measured with ${TIME ? '/usr/bin/time -v' : 'process.resourceUsage (node only)'}; ${RUNS} run(s) each, alternating`,
);
// `wirelab -r` prints the summary lines of a large file from a second thread; the one-thread
// run shows what that thread is worth (and the CPU column what it costs).
const commands = [
  { label: 'wirelab summary', cmd: process.execPath, args: [CLI, '-r', capture.path] },
  {
    label: 'wirelab summary, 1 thread',
    cmd: process.execPath,
    args: [CLI, '-r', capture.path],
    env: { WIRELAB_SUMMARY_THREAD: '0' },
  },
  { label: 'wirelab -T fields', cmd: process.execPath, args: [CLI, '-r', capture.path, ...FIELDS] },
];
if (TSHARK) {
  commands.splice(1, 0, { label: 'tshark summary', cmd: TSHARK, args: ['-r', capture.path] });
  commands.push({ label: 'tshark -T fields', cmd: TSHARK, args: ['-r', capture.path, ...FIELDS] });
} else {
  console.log('  tshark is not installed (or BENCH_SKIP_TSHARK is set): no comparison.');
}
const runs = new Map(commands.map((c) => [c.label, []]));
for (let run = 1; run <= RUNS; run++) {
  console.log(`run ${run}/${RUNS}:`);
  for (const c of commands) {
    const m = measure(c.label, c.cmd, c.args, c.env);
    runs.get(c.label).push(m);
    line(m);
  }
}
/** The median run of a command (wall time; peak RSS is the largest seen). */
const summarize = (label) => {
  const all = runs.get(label);
  if (!all) return null;
  const rss = all.map((m) => m.rssMb).filter((v) => v !== null);
  const cpu = all.map((m) => m.cpu).filter((v) => v !== null);
  return {
    label,
    wall: median(all.map((m) => m.wall)),
    cpu: cpu.length ? median(cpu) : null,
    rssMb: rss.length ? Math.max(...rss) : null,
    ok: all.every((m) => m.ok),
  };
};
const rows = commands.map((c) => summarize(c.label));
console.log(`median of ${RUNS}:`);
for (const m of rows) line(m);
const wSummary = summarize('wirelab summary');
const wOneThread = summarize('wirelab summary, 1 thread');
const wFields = summarize('wirelab -T fields');
const tSummary = summarize('tshark summary');
const tFields = summarize('tshark -T fields');

const fileMb = capture.bytes / (1024 * 1024);
console.log('\nresults:');
if (tSummary) {
  const speed = tSummary.wall / wSummary.wall;
  console.log(`  summary speed wirelab/tshark: ${speed.toFixed(2)}×  (target ≥ 3×: ${speed >= 3 ? 'met' : 'NOT met'})`);
  console.log(`  summary speed wirelab/tshark with one thread: ${(tSummary.wall / wOneThread.wall).toFixed(2)}×`);
  console.log(`  -T fields speed wirelab/tshark: ${(tFields.wall / wFields.wall).toFixed(2)}×`);
  if (tSummary.rssMb && wSummary.rssMb) {
    console.log(`  peak RSS wirelab/tshark (summary): ${(wSummary.rssMb / tSummary.rssMb).toFixed(2)}`);
  }
}
for (const m of [wSummary, wFields]) {
  if (m.rssMb !== null) {
    const ratio = m.rssMb / fileMb;
    console.log(
      `  ${m.label} peak RSS / file size: ${ratio.toFixed(2)}  (target < 2: ${ratio < 2 ? 'met' : 'NOT met'})`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
