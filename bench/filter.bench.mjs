// Display-filter speed: `tcp.port == 8001 && http` over the generated 1,000,000-packet lab
// capture (bench/lib/make-capture.mjs), WireLab vs tshark, both reading and dissecting the file:
//   wirelab -r F -Y FILTER -q      vs      tshark -r F -Y FILTER -q
// then the filter alone (in process, core/ bundled with esbuild): ns per packet over packets
// already dissected, and the number of packets matched (checked against tshark on a smaller file).
// Target: WireLab faster than tshark. Env: BENCH_PACKETS (default 1000000), BENCH_SKIP_TSHARK=1,
// BENCH_FILTER (default "tcp.port == 8001 && http").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ensureBenchCapture } from './lib/make-capture.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'out/cli/wirelab.js');
const PACKETS = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const FILTER = process.env.BENCH_FILTER ?? 'tcp.port == 8001 && http';
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
const TSHARK = process.env.BENCH_SKIP_TSHARK ? '' : onPath('tshark');

if (!existsSync(CLI)) {
  console.log(`filter.bench: ${CLI} is missing; run "node scripts/build.mjs" first (npm run bench does).`);
  process.exit(1);
}

const capture = ensureBenchCapture(PACKETS).path;
const work = mkdtempSync(join(tmpdir(), 'wirelab-filter-bench-'));

function time(label, cmd, args) {
  const devnull = openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', devnull, 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(devnull);
  if (r.status !== 0) {
    const msg = (r.stderr?.toString() ?? '').split('\n').filter((l) => l && !l.startsWith('Running as user'));
    console.log(`  ${label}: exit ${r.status}: ${msg.slice(0, 3).join(' | ')}`);
  }
  return { wall, ok: r.status === 0 };
}

console.log(`filter "${FILTER}" on ${capture} (${PACKETS} packets)`);

// 1. Whole pipeline, both sides parse and dissect the file.
const wl = time('wirelab', process.execPath, [CLI, '-r', capture, '-Y', FILTER, '-q']);
console.log(
  `  wirelab -r F -Y … -q : ${wl.wall.toFixed(2)} s  (${Math.round(PACKETS / wl.wall).toLocaleString('en')} packets/s)`,
);
if (TSHARK) {
  const ts = time('tshark', TSHARK, ['-r', capture, '-Y', FILTER, '-q']);
  console.log(
    `  tshark  -r F -Y … -q : ${ts.wall.toFixed(2)} s  (${Math.round(PACKETS / ts.wall).toLocaleString('en')} packets/s)`,
  );
  if (wl.ok && ts.ok) {
    const ratio = ts.wall / wl.wall;
    console.log(
      `  ratio tshark/wirelab: ${ratio.toFixed(2)}x ${ratio >= 1 ? '(WireLab faster: target met)' : '(WireLab slower: target NOT met)'}`,
    );
  }
} else {
  console.log('  tshark not found (or BENCH_SKIP_TSHARK): no comparison');
}

// 2. The filter alone over packets already dissected (memory-bound: at most 200,000 packets kept).
const entry = join(work, 'filter-only.ts');
writeFileSync(
  entry,
  `
import { readFileSync } from 'node:fs';
import { readCaptureFile } from ${JSON.stringify(join(ROOT, 'core/pcap/reader'))};
import { DissectionEngine } from ${JSON.stringify(join(ROOT, 'core/dissect/engine'))};
import { compileDisplayFilter } from ${JSON.stringify(join(ROOT, 'core/filter/index'))};
export function run(file: string, filter: string, limit: number) {
  const contents = readCaptureFile(new Uint8Array(readFileSync(file)));
  const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
  const packets = contents.packets.slice(0, limit).map((r) => engine.dissect(r));
  const c = compileDisplayFilter(filter);
  if (!c.ok) throw new Error(c.error.message);
  let matched = 0;
  for (const p of packets) if (c.filter(p)) matched++;
  const rounds = 5;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < rounds; k++) for (const p of packets) c.filter(p);
  const ns = Number(process.hrtime.bigint() - t0) / rounds / packets.length;
  return { packets: packets.length, matched, ns };
}
`,
);
const bundle = join(work, 'filter-only.mjs');
await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'error',
});
const { run } = await import(pathToFileURL(bundle).href);
const small = ensureBenchCapture(Math.min(PACKETS, 100_000)).path;
const r = run(small, FILTER, 200_000);
console.log(
  `  filter only: ${r.ns.toFixed(0)} ns/packet over ${r.packets.toLocaleString('en')} dissected packets; ${r.matched} matched`,
);
if (TSHARK) {
  const t = spawnSync(TSHARK, ['-r', small, '-Y', FILTER, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const count = t.stdout.split('\n').filter((l) => l.trim()).length;
  console.log(
    `  tshark matches ${count} on the same ${r.packets.toLocaleString('en')} packets: ${count === r.matched ? 'same' : 'DIFFERENT'}`,
  );
}
rmSync(work, { recursive: true, force: true });
