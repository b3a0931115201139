/**
 * The file-replay backend: feeds a saved capture through the same path as a live one, by appending
 * its bytes to the temp file record by record (unchanged, so the replayed file is byte-identical to
 * the source), either as fast as possible or paced by the packets' timestamps.
 */
import { promises as fsp } from 'node:fs';
import { readCaptureFile } from '../../core/pcap/reader';
import { CaptureFileError } from '../../core/pcap/types';
import type { BackendStartOptions, CaptureStats, RunningBackend } from './backend';
import { CaptureError } from './errors';

export interface ReplayOptions {
  /** 0 (default): as fast as possible; 1: real time; 2: twice as fast, … */
  speed?: number;
}

export async function startReplay(
  source: string,
  opts: Pick<BackendStartOptions, 'tempFile' | 'callbacks'>,
  replay: ReplayOptions = {},
): Promise<RunningBackend> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(source);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CaptureError(err.code === 'EACCES' ? 'permission' : 'failed', `Cannot read ${source}: ${err.message}`, {
      backend: 'replay',
      details: err.message,
      remedy: 'Choose a capture file that exists and that you can read.',
    });
  }
  let contents;
  try {
    contents = readCaptureFile(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new CaptureError('failed', `${source} is not a capture file: ${message}`, {
      backend: 'replay',
      details: message,
      remedy: 'Choose a pcap or pcapng file (for example one saved by Wireshark or WireLab).',
    });
  }
  const packets = contents.packets;
  // Where each packet's bytes end: the next packet's start (blocks in between go with the earlier
  // packet), and for the last one the end of what could be read.
  const cleanEnd = contents.error instanceof CaptureFileError ? contents.error.fileOffset : bytes.length;
  const starts = packets.map((p) => p.fileOffset ?? 0);
  const headerEnd = packets.length > 0 ? starts[0] : cleanEnd;

  const handle = await fsp.open(opts.tempFile, 'w');
  await handle.write(bytes.subarray(0, headerEnd));
  let stopping = false;
  let wake: (() => void) | null = null;
  /** A pause that stop() cuts short. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  let written = 0;
  const speed = replay.speed ?? 0;

  const run = (async (): Promise<void> => {
    let offset = headerEnd;
    const t0 = Date.now();
    // The clock starts at the first record with a time (not a pcapng Custom Block or Simple Packet Block).
    const first = packets.find((p) => !p.noTimestamp);
    for (let i = 0; i < packets.length && !stopping; i++) {
      const p = packets[i];
      if (speed > 0 && first && !p.noTimestamp) {
        const dueMs = ((p.tsSec - first.tsSec) * 1e3 + (p.tsNsec - first.tsNsec) / 1e6) / speed;
        const wait = t0 + dueMs - Date.now();
        if (wait > 0) await sleep(wait);
        if (stopping) break;
      }
      const end = i + 1 < packets.length ? starts[i + 1] : cleanEnd;
      await handle.write(bytes.subarray(offset, end));
      offset = end;
      written++;
      if (speed > 0 || written % 1000 === 0) opts.callbacks.onStats({ received: written, dropped: 0 });
    }
    await handle.close();
  })();

  let natural = true;
  void run.then(
    () => {
      if (natural && !stopping) {
        opts.callbacks.onStats({ received: written, dropped: 0 });
        opts.callbacks.onExit(null);
      }
    },
    (e: unknown) => {
      if (!stopping) {
        const message = e instanceof Error ? e.message : String(e);
        opts.callbacks.onExit(
          new CaptureError('crashed', `Replay failed: ${message}`, { backend: 'replay', details: message }),
        );
      }
    },
  );

  return {
    name: 'replay',
    async stop(): Promise<CaptureStats> {
      natural = false;
      stopping = true;
      wake?.();
      await run.catch(() => undefined);
      return { received: written, dropped: 0 };
    },
  };
}
