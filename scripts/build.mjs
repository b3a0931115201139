#!/usr/bin/env node
// Builds every Node-side bundle with esbuild (one target per entry point).
// Usage: node scripts/build.mjs [--only=name[,name]] [--quiet]
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const quiet = args.includes('--quiet');

/** Node bundles. `cap` is native and optional, so it stays outside the bundle. */
const nodeTargets = [
  { name: 'cli', entry: 'main/cli/wirelab.ts', out: 'out/cli/wirelab.js', shebang: true },
  // The summary thread of `wirelab -r` (main/cli/summary-thread.ts), next to the CLI.
  { name: 'summary-worker', entry: 'main/cli/summary-worker.ts', out: 'out/cli/summary-worker.js' },
  { name: 'capture-worker', entry: 'main/capture/capture-worker.ts', out: 'out/capture/capture-worker.js' },
  // Browser shell (`npm run web`): LabHost + HTTP/WebSocket server for the renderer.
  { name: 'web', entry: 'main/web/web-shell.ts', out: 'out/web/web.js' },
  // Electron main process (package.json "main"): `electron` and the native `cap` stay external.
  { name: 'electron-main', entry: 'main/electron/electron-main.ts', out: 'out/electron/main.js' },
  // The sandboxed preload can require() only `electron` (and a few polyfills): bundle everything else.
  // platform 'browser' makes esbuild fail on any Node import sneaking in.
  {
    name: 'electron-preload',
    entry: 'main/electron/preload.ts',
    out: 'out/electron/preload.js',
    platform: 'browser',
    external: ['electron'],
  },
];

const started = Date.now();
for (const target of nodeTargets) {
  if (only && !only.includes(target.name)) continue;
  if (!existsSync(target.entry)) continue; // not written yet
  await build({
    entryPoints: [target.entry],
    outfile: target.out,
    bundle: true,
    platform: target.platform ?? 'node',
    format: 'cjs',
    target: target.platform === 'browser' ? 'chrome130' : 'node20',
    sourcemap: true,
    external: target.external ?? ['cap', 'electron'],
    banner: target.shebang ? { js: '#!/usr/bin/env node' } : undefined,
    logLevel: 'warning',
  });
  if (target.shebang) chmodSync(target.out, 0o755);
}
// The renderer (React UI + dissection worker), built by vite into out/renderer.
if ((!only || only.includes('renderer')) && existsSync('renderer/index.html')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'vite.config.mts', logLevel: 'warn' });
}
if (!quiet) console.log(`build: done in ${Date.now() - started} ms`);
