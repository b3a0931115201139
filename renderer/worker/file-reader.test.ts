/**
 * The worker's own reading of an opened file (file-reader.ts): every fixture read in parts cut
 * at odd places gives the table what the host's batches gave it (same rows, same trees); damage
 * in the middle keeps what was read and says so in the host's words; a second open or a new
 * source stops the first.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCaptureFile } from '../../core/pcap';
import { listCaptures } from '../../test/helpers/captures';
import { packRecords, unpackRecords } from '../../bridge/record-batch';
import { damagedFileError, notCaptureFileError } from '../../bridge/capture-file-errors';
import { createColorizer } from './coloring';
import { PacketTable } from './packet-table';
import {
  CaptureFileLoad,
  TableFileLoader,
  expectedPackets,
  type FileLoadResult,
  type ReadableFile,
} from './file-reader';
import { RecordStore } from './record-store';
import { StreamParts, WorkerParts } from './file-parts';
import { channelWorker, closeChannelWorkers } from '../../test/helpers/part-worker';

afterEach(closeChannelWorkers);

const fixtures = listCaptures().map((f) => ({ name: f.id, bytes: new Uint8Array(readFileSync(f.path)) }));

/** A file whose reads can be held back, fail from some byte on, and are counted. */
function fakeFile(bytes: Uint8Array, options: { failFrom?: number; gate?: Promise<void> } = {}) {
  const reads: [number, number][] = [];
  const file: ReadableFile = {
    size: bytes.length,
    slice: (start, end) => ({
      arrayBuffer: async () => {
        reads.push([start, end]);
        await options.gate;
        if (options.failFrom !== undefined && end > options.failFrom)
          throw new Error('The requested file could not be read');
        return bytes.slice(start, end).buffer;
      },
    }),
  };
  return { file, reads };
}

/** Runs the load into a record store of its own (every batch taken). */
async function loadIntoStore(load: CaptureFileLoad): Promise<{ result: FileLoadResult; store: RecordStore }> {
  const store = new RecordStore();
  const result = await load.run((batch) => {
    store.appendBatch(batch);
    return true;
  });
  return { result, store };
}

/** gone.pcap's read failed at `byte`: said so, and the packets read before it are kept. */
function expectKeptUpTo(result: FileLoadResult, store: RecordStore, byte: number): void {
  expect(result.error?.code).toBe('read-failed');
  expect(result.error?.message).toContain(
    `Reading gone.pcap stopped at byte ${byte}: The requested file could not be read.`,
  );
  expect(result.packets).toBe(store.length);
  expect(store.length).toBeGreaterThan(0);
}

describe('the worker reads an opened file itself', () => {
  // Parsed here, or by the reader worker that reads the parts (given the first part's bytes).
  const readers = {
    'parsed here': undefined,
    'parsed by the reader worker': (
      rest: Blob | { stream(): ReadableStream<Uint8Array> },
      partSize: number,
      before?: Blob,
    ) => {
      if (!(rest instanceof Blob) || !before) throw new Error('the reader worker is given Blobs');
      const blob = new Blob([rest]);
      const { worker } = channelWorker();
      return new WorkerParts(worker, blob, partSize, () => new StreamParts(blob.stream(), partSize), before);
    },
  };

  it.each(Object.entries(readers))(
    'every fixture, parts cut anywhere: the records the host would have sent (%s)',
    async (_, openReader) => {
      for (const { name, bytes } of fixtures) {
        const whole = readCaptureFile(bytes);
        const expected = unpackRecords(packRecords(whole.packets));
        const outcome = whole.error
          ? { name, packets: expected.length, error: damagedFileError(name, whole.error, expected.length) }
          : { name, packets: expected.length };
        for (const parts of [
          { first: 5, next: 13 },
          { first: 100, next: 1000 },
          { first: 1 << 20, next: 1 << 20 },
        ]) {
          const load = new CaptureFileLoad(new Blob([bytes]), name, parts, null, openReader);
          const { result, store } = await loadIntoStore(load);
          expect(result, `${name} ${parts.first}/${parts.next}`).toEqual(outcome);
          expect(store.length).toBe(expected.length);
          for (let i = 0; i < expected.length; i++) expect(store.get(i), `${name} #${i}`).toEqual(expected[i]);
        }
      }
    },
  );

  it('a table filled by the worker shows the rows and trees of a table fed the host batches', async () => {
    for (const { name, bytes } of fixtures.slice(0, 12)) {
      const records = readCaptureFile(bytes).packets;
      const batches = new PacketTable(createColorizer(), 2);
      batches.reset(1);
      batches.appendBatch(1, 0, packRecords(records));
      batches.drain();
      const read = new PacketTable(createColorizer(), 2);
      read.reset(1);
      const result = await new TableFileLoader(read, undefined, { first: 64, next: 700 }).load(
        new Blob([bytes]),
        name,
        1,
      );
      expect(result.packets).toBe(records.length);
      read.drain();
      expect(read.rows(0, records.length), name).toEqual(batches.rows(0, records.length));
      expect(read.detail(records.length - 1), name).toEqual(batches.detail(records.length - 1));
    }
  });

  it('a file cut short keeps the packets before the cut and says so in the host words', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/captures/public/zeek-http-get.cut-short.pcap'));
    const { result, store } = await loadIntoStore(
      new CaptureFileLoad(new Blob([bytes]), 'cut.pcap', { first: 50, next: 100 }),
    );
    const reader = readCaptureFile(bytes);
    expect(result).toEqual({
      name: 'cut.pcap',
      packets: reader.packets.length,
      error: damagedFileError('cut.pcap', reader.error as Error, reader.packets.length),
    });
    expect(result.error?.message).toMatch(/cut short/);
    expect(store.length).toBe(8);
  });

  it.each(Object.entries(readers))(
    'damage in the middle (a bad record length) stops there, what came before stays (%s)',
    async (_, openReader) => {
      const bytes = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap'));
      const whole = readCaptureFile(bytes).packets;
      // The 6th record's captured length: far beyond any snap length.
      const at = (whole[5].fileOffset as number) + 8;
      const damaged = bytes.slice();
      new DataView(damaged.buffer).setUint32(at, 0x7fffffff, true);
      const { result, store } = await loadIntoStore(
        new CaptureFileLoad(new Blob([damaged]), 'bad.pcap', { first: 300, next: 200 }, null, openReader),
      );
      expect(result.packets).toBe(5);
      expect(store.length).toBe(5);
      expect(result.error?.code).toBe('bad-file');
      expect(result.error?.message).toMatch(/^bad\.pcap is damaged: .* The 5 packets before that point are shown\.$/);
    },
  );

  it('not a capture: nothing appended, the host words', async () => {
    const bytes = new TextEncoder().encode('hello, not a capture at all');
    let appended = 0;
    const result = await new CaptureFileLoad(new Blob([bytes]), 'x.txt').run(() => ++appended > 0);
    const expected = readCaptureFileError(bytes);
    expect(result).toEqual({ name: 'x.txt', packets: 0, error: notCaptureFileError('x.txt', expected) });
    expect(appended).toBe(0);
  });

  it('a read that fails in the middle (file changed or removed) keeps what was read', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap'));
    const { file } = fakeFile(bytes, { failFrom: 2000 });
    const { result, store } = await loadIntoStore(new CaptureFileLoad(file, 'gone.pcap', { first: 1000, next: 1000 }));
    expectKeptUpTo(result, store, 2000);
  });

  it('read by its stream (a Blob): a stream that fails in the middle keeps what was read, and is not read further', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap'));
    let pulled = 0;
    const file: ReadableFile = {
      size: bytes.length,
      slice: (start, end) => ({
        arrayBuffer: async () => bytes.slice(start, end).buffer,
        // 700-byte chunks from `start`; the chunk past byte 5000 fails.
        stream: () => {
          let at = start;
          return new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled++;
              if (at >= end) return controller.close();
              if (at + 700 > 5000) return controller.error(new Error('The requested file could not be read'));
              controller.enqueue(bytes.slice(at, at + 700));
              at += 700;
            },
          });
        },
      }),
    };
    const { result, store } = await loadIntoStore(new CaptureFileLoad(file, 'gone.pcap', { first: 1000, next: 1500 }));
    // Parts of 1500 bytes assembled from the chunks: 1000 + 2 × 1500 read, then the failure.
    expectKeptUpTo(result, store, 4000);
    const expected = unpackRecords(packRecords(readCaptureFile(bytes).packets)).slice(0, store.length);
    for (let i = 0; i < store.length; i++) expect(store.get(i)).toEqual(expected[i]);
    expect(pulled).toBeLessThan(10);

    // A load that ends early (the table no longer takes batches) cancels the stream.
    let streamCancelled = false;
    const whole: ReadableFile = {
      size: bytes.length,
      slice: (start, end) => {
        const blob = new Blob([bytes.slice(start, end)]);
        return {
          arrayBuffer: () => blob.arrayBuffer(),
          stream: () => {
            const inner = blob.stream().getReader();
            return new ReadableStream<Uint8Array>({
              async pull(controller) {
                const { done, value } = await inner.read();
                if (done) controller.close();
                else controller.enqueue(value);
              },
              cancel() {
                streamCancelled = true;
              },
            });
          },
        };
      },
    };
    const stopped = await new CaptureFileLoad(whole, 'a.pcap', { first: 1000, next: 1000 }).run(() => false);
    expect(stopped.cancelled).toBe(true);
    expect(streamCancelled).toBe(true);
  });

  it('a second open stops the first; a new source (another generation) stops it too', async () => {
    const a = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap'));
    const b = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-dumpcap-lo-any.pcapng'));
    const table = new PacketTable(createColorizer(), 2);
    const loader = new TableFileLoader(table, undefined, { first: 512, next: 512 });
    table.reset(1);
    let release = () => undefined as void;
    const gate = new Promise<void>((r) => (release = r));
    const slowA = fakeFile(a, { gate });
    const first = loader.load(slowA.file, 'a.pcap', 1);
    table.reset(2);
    const second = loader.load(new Blob([b]), 'b.pcapng', 2);
    release();
    const [resultA, resultB] = await Promise.all([first, second]);
    expect(resultA).toMatchObject({ name: 'a.pcap', cancelled: true, packets: 0 });
    // A's reads stopped at the parts in flight.
    expect(slowA.reads.length).toBeLessThanOrEqual(2);
    expect(resultB).toEqual({ name: 'b.pcapng', packets: readCaptureFile(b).packets.length });
    expect(table.received).toBe(resultB.packets);

    // A live capture (a new generation) while a file loads: the file stops, its rows do not mix in.
    let results: FileLoadResult | null = null;
    const loading = loader.load(new Blob([a]), 'a.pcap', 2).then((r) => (results = r));
    table.reset(3);
    await loading;
    expect(results).toMatchObject({ cancelled: true });
    expect(table.received).toBe(0);
  });
});

describe("room made ahead for a file's packets", () => {
  it("expects the packets the first part's density gives, a tenth more, at most a header per 16 bytes and 4 million", () => {
    expect(expectedPackets(10_000, 1000, 10)).toBe(110);
    expect(expectedPackets(1000, 1000, 10)).toBe(10); // all read already
    expect(expectedPackets(10_000, 1000, 0)).toBe(0);
    expect(expectedPackets(1600, 100, 100)).toBe(100); // 1600 / 16
    expect(expectedPackets(4e9, 256 << 10, 10_000)).toBe(4_000_000);
  });

  // (The rows and trees of a table loaded this way: the first test of the file, told too.)
  it('the table is told once, after the first part, what that part promises', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap'));
    const records = readCaptureFile(bytes).packets;
    const read = new PacketTable(createColorizer(), 2);
    read.reset(1);
    const reserve = vi.spyOn(read, 'reserve');
    const first = 1000;
    const inFirst = records.filter((r) => r.data.byteOffset + r.data.length <= first).length;
    await new TableFileLoader(read, undefined, { first, next: 700 }).load(new Blob([bytes]), 'a.pcap', 1);
    expect(reserve.mock.calls).toEqual([[expectedPackets(bytes.length, first, inFirst)]]);
    expect(read.received).toBe(records.length);
  });
});

describe('the first part read before the host answers', () => {
  it('the load with the same key uses the part already read; another key reads it again', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap'));
    const count = readCaptureFile(bytes).packets.length;
    const table = new PacketTable(createColorizer(), 2);
    const loader = new TableFileLoader(table, undefined, { first: 1000, next: 4000 });
    const { file, reads } = fakeFile(bytes);
    loader.prefetch(file, 'k1');
    expect(reads).toEqual([[0, 1000]]);
    table.reset(1);
    expect(await loader.load(file, 'a.pcap', 1, 'k1')).toEqual({ name: 'a.pcap', packets: count });
    expect(reads.filter(([start]) => start === 0)).toHaveLength(1);
    expect(table.received).toBe(count);

    const other = fakeFile(bytes);
    loader.prefetch(other.file, 'k2');
    table.reset(2);
    expect(await loader.load(other.file, 'a.pcap', 2, 'k3')).toEqual({ name: 'a.pcap', packets: count });
    expect(other.reads.filter(([start]) => start === 0)).toHaveLength(2);
  });
});

function readCaptureFileError(bytes: Uint8Array): Error {
  try {
    readCaptureFile(bytes);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
