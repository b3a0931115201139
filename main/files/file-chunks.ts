/**
 * The bytes of a capture file as a sequence of chunks, so memory stays small however big the
 * file is. Every chunk is a fresh buffer: the reader hands out packet views into chunks.
 * Used by `wirelab -r` and by the lab host's Open.
 */
import { open, type FileHandle } from 'node:fs/promises';

export const CHUNK_SIZE = 1 << 20;

/** Reasons a file cannot be opened, worded as tshark words them. */
export class OpenError extends Error {}

export function describeOpenError(name: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return `The file "${name}" doesn't exist.`;
    case 'EACCES':
    case 'EPERM':
      return `The file "${name}" could not be opened due to a lack of permission.`;
    case 'EISDIR':
      return `"${name}" is a directory (folder), not a file.`;
    default:
      return `The file "${name}" could not be opened: ${err.message}`;
  }
}

export interface ChunkSizes {
  /** Bytes per chunk (default 1 MiB). */
  chunkSize?: number;
  /** A different size for the first chunk (e.g. smaller, so the first packets show sooner). */
  firstChunkSize?: number;
}

/** Throws OpenError (worded as tshark words it) when the file cannot be opened. */
export async function* fileChunks(path: string, sizes: ChunkSizes = {}): AsyncGenerator<Uint8Array> {
  const chunkSize = sizes.chunkSize ?? CHUNK_SIZE;
  let nextSize = sizes.firstChunkSize ?? chunkSize;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    await handle?.close();
    throw new OpenError(describeOpenError(path, err as NodeJS.ErrnoException));
  }
  // Read ahead: the next chunk is requested before the current one is handed out, so the
  // disk read overlaps with dissection.
  const readChunk = async (): Promise<Uint8Array | null> => {
    const size = nextSize;
    nextSize = chunkSize;
    const buffer = new Uint8Array(size);
    const { bytesRead } = await handle.read(buffer, 0, size, null);
    if (bytesRead === 0) return null;
    return bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
  };
  let next: Promise<Uint8Array | null> | null = null;
  try {
    next = readChunk();
    for (;;) {
      const chunk: Uint8Array | null = await next;
      next = null;
      if (chunk === null) break;
      next = readChunk();
      yield chunk;
    }
  } finally {
    if (next !== null) await next.catch(() => null);
    await handle.close();
  }
}

export async function* streamChunks(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    if (typeof chunk === 'string') continue;
    yield chunk;
  }
}
