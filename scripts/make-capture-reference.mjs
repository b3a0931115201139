#!/usr/bin/env node
/**
 * Writes tshark's view of capture fixtures next to them, the way the corpus in
 * test/fixtures/captures was made (see /work/shared/captures/README.md, "Reference outputs"):
 *
 *   F.tshark.tsv        reference fields (-T fields, header, tab-separated)
 *   F.tshark.jsonl      the same rows as JSON lines (all values strings)
 *   F.tshark.txt        tshark's one-line summaries (tshark -r F)
 *   F.tshark.frame.tsv  per-frame metadata
 *   F.tshark.err        only when tshark complained (message and exit status)
 *
 * Run with tshark 4.0 (Debian 12: 4.0.17), default preferences, from the capture's folder:
 *   node scripts/make-capture-reference.mjs test/fixtures/captures/lab/lab-snap128-ipv4.pcap …
 * Add `--verbose N,M` to also write test/fixtures/captures/dissect/F.tshark.V.N.txt (tshark -V of frame N).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const FIELDS = [
  'frame.number',
  'frame.len',
  'frame.cap_len',
  '_ws.col.Protocol',
  '_ws.col.Info',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'tcp.seq',
  'tcp.seq_raw',
  'tcp.ack',
  'tcp.len',
  'tcp.flags',
  'tcp.window_size',
  'http.request.method',
  'http.request.uri',
  'http.response.code',
  'http.content_type',
];
const FRAME_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'frame.interface_id',
  'frame.encap_type',
  'frame.protocols',
  'frame.comment',
  'null.family',
];

// Times print in UTC whatever the machine's zone, and no profile changes the defaults.
const env = { ...process.env, TZ: 'UTC', WIRESHARK_CONFIG_DIR: '/nonexistent-wirelab-profile' };

function tshark(cwd, args) {
  const r = spawnSync('tshark', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('Running as user'))
    .join('\n');
  return { stdout: r.stdout, stderr, status: r.status ?? 0 };
}

const args = process.argv.slice(2);
let verbose = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--verbose') verbose = args[++i].split(',').map(Number);
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: make-capture-reference.mjs [--verbose N,M] CAPTURE…');
  process.exit(2);
}

for (const file of files) {
  const path = resolve(file);
  const dir = dirname(path);
  const name = basename(path);
  const fieldArgs = (list) => [
    '-r',
    name,
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'header=y',
    ...list.flatMap((f) => ['-e', f]),
  ];
  const tsv = tshark(dir, fieldArgs(FIELDS));
  writeFileSync(`${path}.tshark.tsv`, tsv.stdout);
  const summary = tshark(dir, ['-r', name]);
  writeFileSync(`${path}.tshark.txt`, summary.stdout);
  const frames = tshark(dir, fieldArgs(FRAME_FIELDS));
  writeFileSync(`${path}.tshark.frame.tsv`, frames.stdout);
  const lines = tsv.stdout.split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  const jsonl = lines
    .slice(1)
    .map((line) => {
      const cells = line.split('\t');
      return JSON.stringify(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
    })
    .join('\n');
  writeFileSync(`${path}.tshark.jsonl`, jsonl + '\n');
  if (tsv.status !== 0 || tsv.stderr) writeFileSync(`${path}.tshark.err`, `${tsv.stderr}\nexit status ${tsv.status}\n`);
  if (verbose.length > 0) {
    // One pass over the whole file, cut per frame (a -Y filter would change the "displayed" deltas).
    const all = tshark(dir, ['-r', name, '-V']).stdout.split('\n');
    const out = join(dir, '..', 'dissect');
    mkdirSync(out, { recursive: true });
    for (const n of verbose) {
      const from = all.findIndex((l) => l.startsWith(`Frame ${n}: `));
      if (from < 0) throw new Error(`${file}: no frame ${n}`);
      let to = from + 1;
      while (to < all.length && !/^Frame \d+: /.test(all[to])) to++;
      const text = all.slice(from, to).join('\n').replace(/\n+$/, '');
      writeFileSync(join(out, `${name}.tshark.V.${n}.txt`), text + '\n');
    }
  }
  console.log(`${file}: ${lines.length - 1} rows${tsv.stderr ? ` (tshark: ${tsv.stderr})` : ''}`);
}
