/**
 * The chunks of a capture file read with readSync, for `wirelab -r FILE`. The command line has
 * nothing else to do on its thread while it waits for the disk, and a promise read costs ~3 ms
 * a chunk in thread-pool round trips on a busy machine (197 MB: 0.6 s against 0.06 s with
 * readSync), time the read-ahead of fileChunks could not hide behind dissection.
 * Same contract as fileChunks: every chunk is a fresh buffer (the reader hands out packet views
 * into chunks), OpenError worded as tshark words it. The host's Open keeps fileChunks (its
 * event loop must stay free).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CHUNK_SIZE, OpenError, describeOpenError } from '../files/file-chunks';

/** Throws OpenError (when iterated) when the file cannot be opened. */
export function* fileChunksSync(path: string, chunkSize = CHUNK_SIZE): Generator<Uint8Array> {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    if (fd !== null) closeSync(fd);
    throw new OpenError(describeOpenError(path, err as NodeJS.ErrnoException));
  }
  try {
    for (;;) {
      const buffer = new Uint8Array(chunkSize);
      let filled = 0;
      while (filled < chunkSize) {
        const bytesRead = readSync(fd, buffer, filled, chunkSize - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) return;
      yield filled === chunkSize ? buffer : buffer.subarray(0, filled);
      if (filled < chunkSize) return;
    }
  } finally {
    closeSync(fd);
  }
}
