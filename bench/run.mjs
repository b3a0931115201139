#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in name order, each in its own Node process
// from the repository root, and prints their figures. Exit status 1 if any of them failed.
// Usage: node bench/run.mjs [name-filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join('bench', file)], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed++;
    console.log(`--- ${file} FAILED (exit ${r.status ?? r.signal}) after ${seconds} s`);
  } else {
    console.log(`--- ${file} done in ${seconds} s`);
  }
}
console.log(`\n${benches.length - failed}/${benches.length} benchmarks ran`);
process.exitCode = failed > 0 ? 1 : 0;
