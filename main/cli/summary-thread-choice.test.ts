/**
 * When `wirelab -r FILE` starts the summary thread (summaryThreadWorker): a large file, a second
 * core, and that core not busy; the environment variable overrides both ways.
 */
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summaryThreadWorker } from './summary-thread';

const WORKER = resolve(__dirname, '../../out/cli/summary-worker.js');
const built = existsSync(WORKER);
if (!built) console.log(`summary-thread-choice.test: skipped, ${WORKER} is missing (run "node scripts/build.mjs").`);

const tmp = mkdtempSync(join(tmpdir(), 'wirelab-thread-choice-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A sparse file of the given size (no disk used). */
function fileOfSize(name: string, size: number): string {
  const path = join(tmp, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe.skipIf(!built)('summaryThreadWorker', () => {
  const big = fileOfSize('big.pcap', 200 * 1024 * 1024);
  const small = fileOfSize('small.pcap', 50 * 1024 * 1024);
  const env = {};
  const idle = () => ({ cores: 2, load: 0.9 });

  it('starts the thread for a large file on an idle second core', () => {
    expect(summaryThreadWorker(big, env, idle)).toBe(WORKER);
  });

  it('keeps one thread for a small file, standard input, or a single core', () => {
    expect(summaryThreadWorker(small, env, idle)).toBeNull();
    expect(summaryThreadWorker('-', env, idle)).toBeNull();
    expect(summaryThreadWorker(big, env, () => ({ cores: 1, load: 0 }))).toBeNull();
  });

  it('keeps one thread when the machine has less than half a core idle', () => {
    expect(summaryThreadWorker(big, env, () => ({ cores: 2, load: 1.6 }))).toBeNull();
    expect(summaryThreadWorker(big, env, () => ({ cores: 2, load: 11 }))).toBeNull();
    expect(summaryThreadWorker(big, env, () => ({ cores: 8, load: 6 }))).toBe(WORKER);
  });

  it('follows WIRELAB_SUMMARY_THREAD whatever the file and the load', () => {
    const busy = () => ({ cores: 2, load: 11 });
    expect(summaryThreadWorker(small, { WIRELAB_SUMMARY_THREAD: '1' }, busy)).toBe(WORKER);
    expect(summaryThreadWorker(big, { WIRELAB_SUMMARY_THREAD: '0' }, idle)).toBeNull();
  });
});
