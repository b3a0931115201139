// Dissection speed and memory: `wirelab -r F` (summary) and `wirelab -r F -T fields -e …` on two
// traffic mixes, against tshark when installed:
//   - bench: a generated capture of ≥ 1,000,000 lab-like HTTP packets (lib/make-capture.mjs);
//   - lab-repeat: the real lab capture (page, 14 KB JPEG logo, 404, teardowns) repeated to
//     ≥ 300,000 packets (lib/make-lab-repeat.mjs): larger HTTP packets and media dissection.
// Targets, per mix: summary ≥ 3× tshark's packets/s; wirelab peak RSS < 2× the file size.
// Also measured, with no target yet: the statistics of Statistics › Conversations, Endpoints,
// Protocol Hierarchy and Expert Information (`-q -z conv,tcp -z endpoints,tcp -z io,phs -z
// expert`), which need every packet's whole tree.
// Each command runs BENCH_RUNS times (default 3), the commands alternating, so a busy spell
// on a shared machine falls on all of them; the figures are medians, and a speed against tshark is
// the median of each run's own ratio. CPU seconds (user + system)
// are printed too: on a shared machine they say more about the code than the wall clock does.
// Env: BENCH_PACKETS (default 1000000), BENCH_LAB_PACKETS (default 300000), BENCH_RUNS,
//      BENCH_MIXES (e.g. "lab-repeat"), BENCH_SKIP_TSHARK=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBenchCapture } from './lib/make-capture.mjs';
import { DEFAULT_LAB_REPEAT_PACKETS, ensureLabRepeatCapture } from './lib/make-lab-repeat.mjs';
import { loadavg } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'out/cli/wirelab.js');
const PACKETS = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const LAB_PACKETS = Number(process.env.BENCH_LAB_PACKETS ?? DEFAULT_LAB_REPEAT_PACKETS);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const MIXES = (process.env.BENCH_MIXES ?? 'bench,lab-repeat').split(',').map((m) => m.trim());
const SPEED_TARGET = 3;
const STATS = ['-q', '-z', 'conv,tcp', '-z', 'endpoints,tcp', '-z', 'io,phs', '-z', 'expert'];
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
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const load = () => loadavg()[0].toFixed(2);

if (!TSHARK) console.log('tshark is not installed (or BENCH_SKIP_TSHARK is set): no comparison.');
console.log(
  `memory measured with ${TIME ? '/usr/bin/time -v' : 'process.resourceUsage (node only)'}; ${RUNS} run(s) each, alternating`,
);

/** Runs every command on one capture; prints the runs, the medians and the targets. Returns false on a failure or a missed target. */
function benchMix(name, capture) {
  const line = (m) => {
    const pps = capture.packets / m.wall;
    console.log(
      `  ${m.label.padEnd(25)} ${fmt(m.wall, 2).padStart(6)} s ${Math.round(pps).toLocaleString('en-US').padStart(10)} pkt/s ${fmt(m.cpu, 2).padStart(6)} s CPU ${fmt(m.rssMb).padStart(7)} MB peak RSS${m.ok ? '' : '  (FAILED)'}`,
    );
  };
  console.log(
    `\n--- ${name}: ${capture.path}\n  ${capture.packets.toLocaleString('en-US')} packets, ${(capture.bytes / 1e6).toFixed(1)} MB; load average ${load()}`,
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
    { label: 'wirelab -z statistics', cmd: process.execPath, args: [CLI, '-r', capture.path, ...STATS] },
  ];
  if (TSHARK) {
    commands.splice(1, 0, { label: 'tshark summary', cmd: TSHARK, args: ['-r', capture.path] });
    commands.splice(4, 0, { label: 'tshark -T fields', cmd: TSHARK, args: ['-r', capture.path, ...FIELDS] });
    commands.push({ label: 'tshark -z statistics', cmd: TSHARK, args: ['-r', capture.path, ...STATS] });
  }
  const runs = new Map(commands.map((c) => [c.label, []]));
  for (let run = 1; run <= RUNS; run++) {
    console.log(`run ${run}/${RUNS} (load average ${load()}):`);
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
  const wFields = summarize('wirelab -T fields');
  const tSummary = summarize('tshark summary');

  // The speed against tshark: the median of each run's own ratio (wirelab against the tshark run
  // right after it), so that a tshark run slowed by a busy spell flatters only its own run.
  const speedOf = (wirelab, tshark) => {
    const w = runs.get(wirelab);
    const t = runs.get(tshark);
    return w && t ? median(w.map((m, i) => t[i].wall / m.wall)) : null;
  };
  const summarySpeed = speedOf('wirelab summary', 'tshark summary');

  const ok = rows.every((r) => r.ok);
  let met = ok;
  const fileMb = capture.bytes / (1024 * 1024);
  console.log(`results (${name}):`);
  if (tSummary) {
    const speed = summarySpeed;
    console.log(
      `  summary: wirelab ${fmt(wSummary.wall, 2)} s, tshark ${fmt(tSummary.wall, 2)} s → ${speed.toFixed(2)}× tshark's speed, the median of the runs' own  (target ≥ ${SPEED_TARGET}×: ${verdict(speed >= SPEED_TARGET)})`,
    );
    met &&= speed >= SPEED_TARGET;
    if (wSummary.cpu && tSummary.cpu) {
      console.log(
        `  summary CPU seconds: wirelab ${fmt(wSummary.cpu, 2)}, tshark ${fmt(tSummary.cpu, 2)} → ${(tSummary.cpu / wSummary.cpu).toFixed(2)}× (the wall ratio can be higher: the summary thread and the read-ahead use a second core)`,
      );
    }
    console.log(
      `  summary with one thread: ${speedOf('wirelab summary, 1 thread', 'tshark summary').toFixed(2)}× tshark's speed`,
    );
    console.log(`  -T fields: ${speedOf('wirelab -T fields', 'tshark -T fields').toFixed(2)}× tshark's speed`);
    console.log(
      `  -z conv,tcp -z endpoints,tcp -z io,phs -z expert: ${speedOf('wirelab -z statistics', 'tshark -z statistics').toFixed(2)}× tshark's speed (no target yet)`,
    );
    if (tSummary.rssMb && wSummary.rssMb) {
      console.log(`  peak RSS wirelab/tshark (summary): ${(wSummary.rssMb / tSummary.rssMb).toFixed(2)}`);
    }
  }
  for (const m of [wSummary, wFields]) {
    if (m.rssMb !== null) {
      const ratio = m.rssMb / fileMb;
      console.log(
        `  ${m.label} peak RSS ${fmt(m.rssMb)} MB / file ${fmt(fileMb)} MB: ${ratio.toFixed(2)}  (target < 2: ${verdict(ratio < 2)})`,
      );
      met &&= ratio < 2;
    }
  }
  return { name, ok, met, speed: summarySpeed };
}

const results = [];
if (MIXES.includes('bench')) results.push(benchMix('bench', ensureBenchCapture(PACKETS)));
if (MIXES.includes('lab-repeat')) results.push(benchMix('lab-repeat', ensureLabRepeatCapture(LAB_PACKETS)));
console.log('\nsummary speed per traffic mix (target ≥ 3× tshark on every mix):');
for (const r of results) {
  console.log(
    `  ${r.name.padEnd(11)} ${r.speed === null ? 'n/a (no tshark)' : `${r.speed.toFixed(2)}×`}  ${verdict(r.met)}`,
  );
}
rmSync(work, { recursive: true, force: true });
// A missed target is printed (MISSED), not a failure: the exit status says whether every command ran.
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
