import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleCaptureDirs } from './temp-dirs';

const DAY = 24 * 3600 * 1000;
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function captureDir(name: string, ageDays: number, fileAgeDays = ageDays): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const file = join(dir, 'live.pcapng');
  writeFileSync(file, 'x');
  const t = (Date.now() - fileAgeDays * DAY) / 1000;
  utimesSync(file, t, t);
  const d = (Date.now() - ageDays * DAY) / 1000;
  utimesSync(dir, d, d);
  return dir;
}

describe('removeStaleCaptureDirs', () => {
  it('removes week-old capture folders and keeps recent ones and everything else', async () => {
    root = mkdtempSync(join(tmpdir(), 'wirelab-tempdirs-'));
    const old = captureDir('wirelab-capture-old', 9);
    const recent = captureDir('wirelab-capture-recent', 1);
    const stillWritten = captureDir('wirelab-capture-growing', 30, 0); // old folder, file written today
    const other = captureDir('someone-else-old', 30);
    const removed = await removeStaleCaptureDirs(root);
    expect(removed).toEqual([old]);
    expect(existsSync(old)).toBe(false);
    for (const kept of [recent, stillWritten, other]) expect(existsSync(kept)).toBe(true);
  });

  it('returns nothing for a missing folder', async () => {
    root = mkdtempSync(join(tmpdir(), 'wirelab-tempdirs-'));
    expect(await removeStaleCaptureDirs(join(root, 'missing'))).toEqual([]);
  });
});
