/**
 * For the capture tests that run the worker as another user (nobody): a copy of what the built worker
 * needs, in a world-readable temp folder, so the test does not depend on where the repository was
 * cloned (a clone in a private folder, e.g. one made by `mktemp -d` with mode 0700, cannot be read by
 * that user). The bundled worker requires only `cap`, whose runtime is package.json, lib/ and the
 * native build/Release/cap.node (it links the system's libpcap).
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface StagedWorker {
  /** The staged capture-worker.js (`<dir>/out/capture/capture-worker.js`). */
  workerPath: string;
  dir: string;
  remove(): void;
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else copyFile(source, target);
  }
}

function copyFile(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Every folder 0755 and every file 0644 (0755 if executable), whatever the umask. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) openUp(p);
    else chmodSync(p, statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
}

/** Copies the built worker and the `cap` module's runtime files (from `capDir`) under os.tmpdir(). */
export function stageCaptureWorker(builtWorker: string, capDir: string): StagedWorker {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-worker-'));
  try {
    const workerPath = path.join(dir, 'out', 'capture', 'capture-worker.js');
    copyFile(builtWorker, workerPath);
    const cap = path.join(dir, 'node_modules', 'cap');
    copyFile(path.join(capDir, 'package.json'), path.join(cap, 'package.json'));
    copyTree(path.join(capDir, 'lib'), path.join(cap, 'lib'));
    copyFile(path.join(capDir, 'build', 'Release', 'cap.node'), path.join(cap, 'build', 'Release', 'cap.node'));
    openUp(dir);
    return { workerPath, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The first folder above `file` (from the root down) that other users cannot search, or null when
 * every one of them is searchable by others (mode o+x), as the unprivileged user needs.
 */
export function firstClosedFolder(file: string): string | null {
  const folders: string[] = [];
  for (let d = path.dirname(path.resolve(file)); ; d = path.dirname(d)) {
    folders.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const folder of folders) if ((statSync(folder).mode & 0o001) === 0) return folder;
  return null;
}
