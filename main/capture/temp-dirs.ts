/**
 * Every capture writes its packets to a temporary folder (`wirelab-capture-*`) as they arrive,
 * so a crash or a forgotten Save loses nothing. Those folders are kept after the capture ends —
 * they are the copy to recover from — and removed once they are old, when a later capture starts.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';

export const CAPTURE_DIR_PREFIX = 'wirelab-capture-';

/** How long a finished capture's temp folder is kept (Wireshark keeps none once you quit). */
export const STALE_CAPTURE_DAYS = 7;

/**
 * Removes `wirelab-capture-*` folders in `tempDir` in which nothing was written for `days`
 * days. Other files and folders are never touched; errors (a folder in use, no permission)
 * leave that folder alone. Returns the folders removed.
 */
export async function removeStaleCaptureDirs(
  tempDir: string,
  days = STALE_CAPTURE_DAYS,
  now = Date.now(),
): Promise<string[]> {
  const cutoff = now - days * 24 * 3600 * 1000;
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(tempDir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(CAPTURE_DIR_PREFIX)) continue;
    const dir = path.join(tempDir, entry.name);
    try {
      if ((await newestWrite(dir)) >= cutoff) continue;
      await fsp.rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // In use or not ours to remove: leave it.
    }
  }
  return removed;
}

/** The latest modification time of the folder and the files directly in it. */
async function newestWrite(dir: string): Promise<number> {
  let newest = (await fsp.stat(dir)).mtimeMs;
  for (const name of await fsp.readdir(dir)) {
    const stat = await fsp.lstat(path.join(dir, name));
    newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}
