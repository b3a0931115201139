#!/usr/bin/env node
// Checks that a refactoring of the dissection layer changes no output: runs the built CLI on every
// capture fixture under test/fixtures in several modes (summary, -V -x, -T fields with a wide set
// of fields, -T json, the -z statistics, HTTP object export) and keeps one digest per (file, mode).
//
//   node scripts/check-dissection-identical.mjs --baseline DIR   # before: save digests + outputs
//   node scripts/check-dissection-identical.mjs --compare DIR    # after: "N outputs identical, M differ"
//
// DIR should live outside the repository (e.g. /work/dissect-baseline). It holds digests.json and
// each output gzipped, so that a difference can be shown (`--diff` prints the first lines that
// differ). Add `--no-build` to skip `node scripts/build.mjs --only=cli --quiet`, `--jobs N` for
// parallel CLI runs (default 2), `--only SUBSTRING` to check some files.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'out/cli/wirelab.js');
const fixtures = join(root, 'test/fixtures');
const CAPTURE = /\.(pcap|pcapng|cap|ntar)$/i;

const FIELDS = [
  'frame.number',
  'frame.protocols',
  'frame.time_relative',
  'eth.src',
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'ipv6.src',
  'udp.port',
  'tcp.srcport',
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.flags.str',
  'tcp.window_size',
  'tcp.options.mss_val',
  'tcp.checksum.status',
  'tcp.analysis.flags',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.time_delta',
  'tcp.segments',
  'tcp.reassembled.length',
  'tcp.payload',
  'http.request.method',
  'http.request.uri',
  'http.host',
  'http.response.code',
  'http.content_type',
  'http.content_length',
  'http.request_in',
  'http.response_in',
  'http.time',
  'http.file_data',
  'media.type',
  'json.value.string',
  'png.ihdr.width',
  'image-jfif.marker',
  'tls.record.content_type',
  'tls.handshake.type',
  'tls.handshake.extensions_server_name',
  'ssh.protocol',
  'dns.qry.name',
  'dhcp.option.dhcp',
  'icmp.type',
  'icmpv6.type',
  'arp.opcode',
  '_ws.col.Protocol',
  '_ws.col.Info',
  '_ws.expert.message',
];

const STATS = [
  'conv,tcp',
  'endpoints,ip',
  'io,phs',
  'expert',
  'follow,tcp,ascii,0',
  'follow,tcp,hex,1',
  'io,stat,0',
  'lab',
];

/** Mode name → CLI arguments after `-r FILE` (OUT in an argument is a fresh temporary folder). */
const MODES = {
  summary: [],
  'V-x': ['-V', '-x'],
  fields: ['-T', 'fields', '-E', 'occurrence=a', ...FIELDS.flatMap((f) => ['-e', f])],
  json: ['-T', 'json'],
  stats: ['-q', ...STATS.flatMap((z) => ['-z', z])],
  'export-objects': ['-q', '--export-objects', 'http,OUT'],
};
/** -T json is large: run it on a few files only (every HTTP scenario, a few public captures). */
const JSON_ON = /captures\/scenarios\/|captures\/public\/.*(http|tls|dns|dhcp)|captures\/lab\/[^/]*(1|image)/i;

function parseArgs(argv) {
  const opts = { jobs: 2, build: true, only: '', diff: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--baseline' || a === '--compare') opts[a.slice(2)] = resolve(argv[++i]);
    else if (a === '--jobs') opts.jobs = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i];
    else if (a === '--no-build') opts.build = false;
    else if (a === '--diff') opts.diff = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.baseline === !opts.compare) throw new Error('give exactly one of --baseline DIR or --compare DIR');
  return opts;
}

function captures(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...captures(path));
    else if (CAPTURE.test(name)) out.push(path);
  }
  return out;
}

/** Everything under dir as "relative-name\0sha256\n" lines, so exported objects compare by content. */
function folderListing(dir) {
  const lines = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else lines.push(`${relative(dir, p)}\t${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return lines.join('\n');
}

function runOne(file, mode) {
  return new Promise((done) => {
    const tmp = mkdtempSync(join(tmpdir(), 'dissect-check-'));
    const args = [cli, '-r', file, ...MODES[mode].map((a) => (a.includes('OUT') ? a.replace('OUT', tmp) : a))];
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, TZ: 'UTC', LANG: 'C' } });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('close', (code) => {
      let text = `exit ${code}\n--- stderr\n${Buffer.concat(err)}\n--- stdout\n${Buffer.concat(out)}`;
      if (mode === 'export-objects') text += `\n--- files\n${folderListing(tmp)}`;
      rmSync(tmp, { recursive: true, force: true });
      done(text);
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.build) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--only=cli', '--quiet'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const jobs = [];
  for (const path of captures(fixtures)) {
    const file = relative(root, path);
    if (opts.only && !file.includes(opts.only)) continue;
    for (const mode of Object.keys(MODES)) {
      if (mode === 'json' && !JSON_ON.test(file)) continue;
      jobs.push({ file, mode, key: `${file} :: ${mode}` });
    }
  }
  const digests = {};
  const outputs = {};
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const text = await runOne(job.file, job.mode);
      digests[job.key] = createHash('sha256').update(text).digest('hex');
      outputs[job.key] = text;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
  const keys = jobs.map((j) => j.key);
  const outName = (key) => `${createHash('sha1').update(key).digest('hex')}.txt.gz`;

  if (opts.baseline) {
    mkdirSync(join(opts.baseline, 'outputs'), { recursive: true });
    const sorted = Object.fromEntries(keys.map((k) => [k, digests[k]]));
    writeFileSync(join(opts.baseline, 'digests.json'), JSON.stringify(sorted, null, 1) + '\n');
    for (const k of keys) writeFileSync(join(opts.baseline, 'outputs', outName(k)), gzipSync(outputs[k]));
    console.log(
      `baseline: ${keys.length} outputs of ${new Set(jobs.map((j) => j.file)).size} captures saved in ${opts.baseline}`,
    );
    return;
  }
  const base = JSON.parse(readFileSync(join(opts.compare, 'digests.json'), 'utf8'));
  const differ = [];
  let same = 0;
  for (const k of keys) {
    if (base[k] === digests[k]) same++;
    else differ.push(k);
  }
  const missing = opts.only ? [] : Object.keys(base).filter((k) => !(k in digests));
  console.log(`${same} outputs identical, ${differ.length + missing.length} differ`);
  for (const k of differ) {
    console.log(`  differs: ${k}${k in base ? '' : ' (not in the baseline)'}`);
    if (opts.diff && k in base) {
      const old = gunzipSync(readFileSync(join(opts.compare, 'outputs', outName(k))))
        .toString()
        .split('\n');
      const now = outputs[k].split('\n');
      const i = old.findIndex((line, n) => line !== now[n]);
      console.log(
        `    first difference at line ${i + 1}:\n    - ${old[i]?.slice(0, 200)}\n    + ${now[i]?.slice(0, 200)}`,
      );
    }
  }
  for (const k of missing) console.log(`  missing now: ${k}`);
  process.exitCode = differ.length + missing.length ? 1 : 0;
}

await main();
