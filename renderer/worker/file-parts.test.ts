/**
 * The parts of an opened file read by a reader worker (file-parts.ts), with the two ends joined
 * by a MessageChannel as the workers are: the parts come in order and add up to the file; the
 * reader keeps at most PARTS_IN_FLIGHT parts not taken; a read that fails keeps the parts before
 * it; a reader that cannot start leaves the reading to this thread; cancel stops the reader.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PARTS_IN_FLIGHT,
  StreamParts,
  WorkerParts,
  type PartQueue,
  type PartReply,
  type PartRequest,
  type PartWorker,
} from './file-parts';
import { channelWorker, closeChannelWorkers } from '../../test/helpers/part-worker';

afterEach(closeChannelWorkers);

function fileOf(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

async function readAll(parts: PartQueue): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (;;) {
    const part = await parts.next();
    if (part.length === 0) return out;
    out.push(part);
  }
}

const joined = (parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

const fromStream = (blob: Blob, size: number) => () => new StreamParts(blob.stream(), size);
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('parts from a stream', () => {
  it("a byte stream (a Blob's) is read into the parts themselves, another stream's chunks copied: the same parts", async () => {
    const bytes = fileOf(100_000);
    const chunked = () => {
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + 777));
          at += 777;
        },
      });
    };
    for (const partSize of [4096, 999, 1 << 20]) {
      const stream = new Blob([bytes]).stream();
      const getReader = vi.spyOn(stream, 'getReader');
      const fromBlob = await readAll(new StreamParts(stream, partSize));
      // One reader, a BYOB one: no fallback to a default reader.
      expect(getReader.mock.calls).toEqual([[{ mode: 'byob' }]]);
      const fromChunks = await readAll(new StreamParts(chunked(), partSize));
      expect(joined(fromBlob), `${partSize}`).toEqual(bytes);
      expect(joined(fromChunks), `${partSize}`).toEqual(bytes);
      expect(fromBlob.map((part) => part.length)).toEqual(fromChunks.map((part) => part.length));
      for (const part of fromBlob.slice(0, -1)) expect(part.length).toBe(partSize);
    }
  });
});

describe('a reader worker reads the parts', () => {
  it('the parts, in order, add up to the file; each but the last is a whole part', async () => {
    for (const [size, partSize] of [
      [0, 16],
      [1, 16],
      [100_000, 4096],
      [65_536, 4096],
      [10_000, 1 << 20],
    ]) {
      const bytes = fileOf(size);
      const blob = new Blob([bytes]);
      const { worker } = channelWorker();
      const parts = await readAll(new WorkerParts(worker, blob, partSize, fromStream(blob, partSize)));
      expect(joined(parts), `${size}/${partSize}`).toEqual(bytes);
      for (const part of parts.slice(0, -1)) expect(part.length).toBe(partSize);
    }
  });

  it('hands over at most PARTS_IN_FLIGHT parts before one is taken, and more as they are', async () => {
    const partSize = 1000;
    const blob = new Blob([fileOf(partSize * 20)]);
    const { worker, served } = channelWorker();
    const parts = new WorkerParts(worker, blob, partSize, fromStream(blob, partSize));
    await settle();
    expect(served.parts).toBe(PARTS_IN_FLIGHT);
    await parts.next();
    await parts.next();
    await settle();
    expect(served.parts).toBe(PARTS_IN_FLIGHT + 2);
    parts.cancel();
    expect(served.terminated).toBe(true);
  });

  it('a read that fails in the middle: the parts before it, then the reason', async () => {
    const partSize = 1000;
    const bytes = fileOf(partSize * 5);
    const failing = (): Blob => {
      const blob = new Blob([bytes]);
      // The stream gives two parts' bytes, then fails as a removed file does.
      return Object.assign(blob, {
        stream: () => {
          let sent = 0;
          return new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent >= 2 * partSize) controller.error(new Error('The requested file could not be read'));
              else {
                controller.enqueue(bytes.slice(sent, sent + 500));
                sent += 500;
              }
            },
          });
        },
      });
    };
    const { worker } = channelWorker(failing);
    const parts = new WorkerParts(worker, new Blob([bytes]), partSize, fromStream(new Blob([bytes]), partSize));
    expect(joined([await parts.next(), await parts.next()])).toEqual(bytes.slice(0, 2 * partSize));
    await expect(parts.next()).rejects.toThrow('The requested file could not be read');
  });

  it('a reader that cannot start: the parts come from this thread instead', async () => {
    const bytes = fileOf(10_000);
    const blob = new Blob([bytes]);
    let terminated = false;
    const broken: PartWorker = {
      onmessage: null,
      onerror: null,
      postMessage() {
        // The worker's script never loads: its error event comes instead of any part.
        setTimeout(() => broken.onerror?.({ message: 'Failed to load worker script' } as ErrorEvent), 0);
      },
      terminate() {
        terminated = true;
      },
    };
    const parts = await readAll(new WorkerParts(broken, blob, 4096, fromStream(blob, 4096)));
    expect(joined(parts)).toEqual(bytes);
    expect(terminated).toBe(true);
  });

  it('a reader that stops after its first parts: the load fails with its reason, not silently short', async () => {
    const blob = new Blob([fileOf(10_000)]);
    const worker: PartWorker = {
      onmessage: null,
      onerror: null,
      postMessage(message: PartRequest) {
        if (message.kind !== 'read') return;
        setTimeout(() => {
          worker.onmessage?.({ data: { kind: 'part', bytes: new Uint8Array(4096) } } as MessageEvent<PartReply>);
          worker.onerror?.({ message: 'The worker crashed' } as ErrorEvent);
        }, 0);
      },
      terminate() {},
    };
    const parts = new WorkerParts(worker, blob, 4096, fromStream(blob, 4096));
    expect((await parts.next()).length).toBe(4096);
    await expect(parts.next()).rejects.toThrow('The worker crashed');
  });
});
