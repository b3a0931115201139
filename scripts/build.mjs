#!/usr/bin/env node
// Builds every Node-side bundle with esbuild (one target per entry point).
// Usage: node scripts/build.mjs [--only=name[,name]] [--quiet]
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const quiet = args.includes('--quiet');

/** Node bundles. `cap` is native and optional, so it stays outside the bundle. */
const nodeTargets = [
  { name: 'cli', entry: 'main/cli/wirelab.ts', out: 'out/cli/wirelab.js', shebang: true },
  { name: 'capture-worker', entry: 'main/capture/capture-worker.ts', out: 'out/capture/capture-worker.js' },
];

const started = Date.now();
for (const target of nodeTargets) {
  if (only && !only.includes(target.name)) continue;
  if (!existsSync(target.entry)) continue; // not written yet
  await build({
    entryPoints: [target.entry],
    outfile: target.out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['cap', 'electron'],
    banner: target.shebang ? { js: '#!/usr/bin/env node' } : undefined,
    logLevel: 'warning',
  });
  if (target.shebang) chmodSync(target.out, 0o755);
}
if (!quiet) console.log(`build: done in ${Date.now() - started} ms`);
