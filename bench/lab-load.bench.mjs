// Issue 4's load benchmark: bundles bench/lib/lab-load.ts with esbuild and runs it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['bench/lib/lab-load.ts'],
  outfile: 'out/bench/lab-load.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['cap'],
  logLevel: 'warning',
});
const r = spawnSync('node', ['out/bench/lab-load.js'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
