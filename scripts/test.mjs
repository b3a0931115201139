#!/usr/bin/env node
// The project's test command (npm test): builds, runs every suite, and prints one plain
// "N passed, N failed[, N skipped]" line that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureModuleState } from './setup/capture-module.mjs';
import { ensurePackages, runNpm } from './setup/npm.mjs';
import { ensureTestTools } from './setup/test-prerequisites.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// Set-up first, so a fresh clone on a fresh machine needs nothing but this command: the system tools the
// tests use (installed with apt on Debian/Ubuntu as root, else the exact command to run), then the
// project's packages, then the native capture module if it was skipped for want of libpcap's headers.
const tools = ensureTestTools();
if (!tools.ok) {
  console.log(`npm test: ${tools.message}`);
  process.exit(1);
}
if (!ensurePackages(root)) process.exit(1);
if (!captureModuleState(root).ok) {
  console.log('setup: building the native capture module (cap) now that libpcap is installed');
  const status = existsSync('node_modules/cap')
    ? runNpm(root, ['rebuild', 'cap'])
    : runNpm(root, ['install', '--no-audit', '--no-fund']);
  const after = captureModuleState(root);
  if (!after.ok) console.log(`setup: ${after.reason} (npm exit ${status})`);
}

const resultsDir = '.test-results';
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const run = (cmd, cmdArgs, env = {}) =>
  spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;

if (run('node', ['scripts/build.mjs']) !== 0) {
  console.log('build failed');
  process.exit(1);
}

/** One vitest run; adds its counts to the totals. */
function vitest(name, args, env = {}) {
  const json = `${resultsDir}/${name}.json`;
  const status = run(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${json}`],
    env,
  );
  try {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A suite that failed to load has no tests in the counts: count it as a failure.
    failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  } catch {
    console.log(`${name} produced no report`);
    failed += 1;
  }
  if (status !== 0) exitCode = 1;
}

vitest('vitest', []);
// The fresh-clone install (npm ci twice, in test/setup/fresh-clone.test.ts) runs alone, after the rest:
// beside the other suites it would take their CPU and make timing-sensitive tests flaky.
vitest('vitest-fresh-clone', ['test/setup/fresh-clone.test.ts'], { WIRELAB_FRESH_CLONE: '1' });

// End-to-end tests: the browser shell in Debian's Chromium (playwright.config.ts), with a real capture.
const playwrightJson = `${resultsDir}/playwright.json`;
const playwrightStatus = run('npx', ['playwright', 'test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
});
try {
  const { stats } = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
  // A config or webServer that fails to start runs nothing: count it as a failure.
  if (playwrightStatus !== 0 && stats.unexpected + stats.flaky === 0) failed += 1;
} catch {
  console.log('playwright produced no report');
  failed += 1;
}
if (playwrightStatus !== 0) exitCode = 1;

const summary = `${passed} passed, ${failed} failed, ${skipped} skipped`;
writeFileSync(`${resultsDir}/summary.txt`, `${summary}\n`);
console.log(summary);
process.exit(exitCode || (failed > 0 ? 1 : 0));
