/**
 * The `cap` backend: runs capture-worker.js in its own process (the native module never loads in the
 * UI or Electron main process) and relays its ready/stats/error messages.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  appendCapped,
  describeExit,
  type BackendStartOptions,
  type CaptureStats,
  type RunningBackend,
} from './backend';
import type { CapDevice } from './cap-types';
import { CaptureError } from './errors';
import { isWorkerMessage, type ParentToWorker, type WorkerToParent } from './capture-worker-messages';

/**
 * A running worker process, as seen by the host. child_process.fork provides it by default; the Electron
 * shell can provide one built on utilityProcess.fork (postMessage / on('message') / on('exit') / kill).
 */
export interface CaptureWorkerHandle {
  readonly pid: number | undefined;
  postMessage(message: ParentToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** The process could not be started at all. */
  onError?(listener: (error: Error) => void): void;
  kill(signal?: NodeJS.Signals): void;
  /** Recent stderr output, for error details. */
  stderrText?(): string;
}

export type SpawnCaptureWorker = (workerPath: string) => CaptureWorkerHandle;

/** Options for child_process.fork that tests use to run the worker as another user. */
export interface ForkWorkerOptions {
  uid?: number;
  gid?: number;
  execPath?: string;
}

export function forkCaptureWorker(workerPath: string, options: ForkWorkerOptions = {}): CaptureWorkerHandle {
  const child = fork(workerPath, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [],
    serialization: 'json',
    uid: options.uid,
    gid: options.gid,
    execPath: options.execPath,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = appendCapped(stderr, chunk.toString('utf8'));
  });
  return {
    pid: child.pid,
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    onError: (listener) => child.on('error', listener),
    kill: (signal) => child.kill(signal),
    stderrText: () => stderr,
  };
}

let configuredSpawn: SpawnCaptureWorker | null = null;
let configuredWorkerPath: string | null = null;

/** For the Electron shell: start capture workers with utilityProcess, and/or from another path. */
export function configureCaptureWorker(opts: { spawn?: SpawnCaptureWorker | null; workerPath?: string | null }): void {
  if (opts.spawn !== undefined) configuredSpawn = opts.spawn;
  if (opts.workerPath !== undefined) configuredWorkerPath = opts.workerPath;
}

/** Where the built worker is: next to this bundle (out/cli, out/main → out/capture), or the repository's out/. */
export function resolveWorkerPath(explicit?: string): string | null {
  const list = [
    explicit,
    configuredWorkerPath ?? undefined,
    process.env.WIRELAB_CAPTURE_WORKER,
    path.join(__dirname, 'capture-worker.js'),
    path.join(__dirname, '..', 'capture', 'capture-worker.js'),
    path.join(__dirname, '..', '..', 'out', 'capture', 'capture-worker.js'),
  ];
  for (const candidate of list) if (candidate && existsSync(candidate)) return candidate;
  return null;
}

/** Lines of a Node crash report that say nothing about the cause: stack frames, locations, the banner. */
function isCrashNoise(line: string): boolean {
  return (
    line === '' ||
    /^at\s/.test(line) ||
    /^node:internal\//.test(line) ||
    /^node:[\w/]+:\d+$/.test(line) ||
    /^\^+$/.test(line) ||
    /^Node\.js v\d/.test(line) ||
    /^[{}]$/.test(line) ||
    /^\w+: (?:'[^']*'|-?\d+|\[\]),?$/.test(line)
  );
}

/**
 * The line of a worker's stderr that says why it ended, e.g. `Error: Cannot find module '/x/capture-worker.js'`
 * or `Error: EACCES: permission denied, open '/x/capture-worker.js'`: the first `…Error: …` line (Node's
 * report of an uncaught exception), else the first line that is not a stack frame or Node's noise.
 * Null when stderr says nothing.
 */
export function workerFailureReason(stderr: string): string | null {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim());
  const error = lines.find((l) => /^(?:[A-Z]\w*)?(?:Error|Exception)(?: \[[A-Z0-9_]+\])?: \S/.test(l));
  if (error !== undefined) return error;
  return lines.find((l) => !isCrashNoise(l)) ?? null;
}

/**
 * The error for a worker that ended before it was ready: the real reason from its stderr, and when Node
 * could not read the worker file itself (EACCES, or MODULE_NOT_FOUND naming it: Node reports a file it
 * may not look at as missing), what to do about it.
 */
export function workerEndedError(exitDescription: string, stderr: string, workerPath: string | null): CaptureError {
  const reason = workerFailureReason(stderr);
  const details = [exitDescription, stderr].filter((s) => s !== '').join('\n');
  if (reason === null) {
    return new CaptureError('failed', `The capture worker ended before capturing (${exitDescription}).`, {
      backend: 'cap',
      details,
    });
  }
  const unreadable =
    workerPath !== null &&
    reason.includes(workerPath) &&
    /EACCES|EPERM|permission denied|Cannot find module/i.test(reason);
  if (!unreadable) {
    return new CaptureError('failed', `The capture worker ended before capturing (${exitDescription}): ${reason}`, {
      backend: 'cap',
      details,
    });
  }
  const folder = path.dirname(workerPath);
  return new CaptureError(
    'no-backend',
    `The capture worker could not start (${exitDescription}): ${reason}. The user running the capture cannot ` +
      `read ${workerPath}: that file, its folder ${folder} and every folder above it must be readable by that user.`,
    {
      backend: 'cap',
      details,
      remedy:
        `Make ${workerPath} readable, and ${folder} and the folders above it readable and searchable, by the ` +
        'user that runs the capture, ' +
        'for example by keeping WireLab outside a private folder (a home or temporary folder with mode 0700), ' +
        'or run the capture as the user who owns the folder.',
    },
  );
}

export function spawnWorker(workerPath?: string, spawn?: SpawnCaptureWorker): CaptureWorkerHandle {
  const resolved = resolveWorkerPath(workerPath);
  if (resolved === null) {
    throw new CaptureError(
      'no-backend',
      'The capture worker (out/capture/capture-worker.js) is missing: WireLab was not built completely.',
      { backend: 'cap', details: `searched next to ${__dirname}` },
    );
  }
  return (spawn ?? configuredSpawn ?? forkCaptureWorker)(resolved);
}

export interface CapBackendOptions {
  workerPath?: string;
  spawnWorker?: SpawnCaptureWorker;
  statsIntervalMs?: number;
  bufferSize?: number;
}

export async function startCapBackend(
  opts: BackendStartOptions,
  capOpts: CapBackendOptions = {},
): Promise<RunningBackend> {
  const worker = spawnWorker(capOpts.workerPath, capOpts.spawnWorker);
  const workerFile = resolveWorkerPath(capOpts.workerPath);
  let ready = false;
  let stopping = false;
  let exited = false;
  let stats: CaptureStats = { received: 0, dropped: 0, dropsKnown: false };
  let lastError: CaptureError | null = null;
  const exitWaiters: Array<() => void> = [];
  let exitDescription = '';

  const details = (): string => [exitDescription, worker.stderrText?.() ?? ''].filter((s) => s !== '').join('\n');

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error: CaptureError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === null) {
        ready = true;
        resolve();
      } else {
        if (!exited) worker.kill('SIGKILL');
        reject(error);
      }
    };
    const timer = setTimeout(
      () =>
        settle(
          new CaptureError('failed', `The capture worker did not start capturing within ${opts.readyTimeoutMs} ms.`, {
            backend: 'cap',
            details: details(),
          }),
        ),
      opts.readyTimeoutMs,
    );
    worker.onMessage((raw) => {
      if (!isWorkerMessage(raw)) return;
      const message: WorkerToParent = raw;
      switch (message.type) {
        case 'ready':
          settle(null);
          break;
        case 'stats':
          stats = { received: message.received, dropped: message.dropped, dropsKnown: false };
          if (ready) opts.callbacks.onStats(stats);
          break;
        case 'error':
          lastError = new CaptureError(message.code, message.message, { backend: 'cap', details: message.details });
          settle(lastError);
          break;
        case 'stopped':
          stats = { ...stats, received: message.received };
          break;
        default:
          break;
      }
    });
    worker.onError?.((e) =>
      settle(
        new CaptureError('no-backend', `Could not start the capture worker: ${e.message}`, {
          backend: 'cap',
          details: e.message,
        }),
      ),
    );
    worker.onExit((code, signal) => {
      exited = true;
      exitDescription = `capture worker ${describeExit(code, signal as NodeJS.Signals | null)}`;
      for (const w of exitWaiters.splice(0)) w();
      if (!ready) {
        setTimeout(
          () => settle(lastError ?? workerEndedError(exitDescription, worker.stderrText?.() ?? '', workerFile)),
          20,
        );
        return;
      }
      if (stopping) return;
      opts.callbacks.onExit(
        lastError !== null && lastError.code !== 'crashed'
          ? new CaptureError('crashed', `The capture stopped: ${lastError.message}`, {
              backend: 'cap',
              details: details(),
            })
          : new CaptureError('crashed', `The capture worker stopped unexpectedly (${exitDescription}).`, {
              backend: 'cap',
              details: details(),
            }),
      );
    });
    worker.postMessage({
      type: 'start',
      config: {
        device: opts.device,
        filter: opts.filter,
        snapLen: opts.snapLen,
        tempFile: opts.tempFile,
        bufferSize: capOpts.bufferSize ?? 16 << 20,
        statsIntervalMs: capOpts.statsIntervalMs ?? 500,
      },
    });
  });

  const waitExit = (ms: number): Promise<boolean> =>
    exited
      ? Promise.resolve(true)
      : new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), ms);
          exitWaiters.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        });

  let stopped: Promise<CaptureStats | null> | null = null;
  return {
    name: 'cap',
    pid: worker.pid,
    stop() {
      if (stopped) return stopped;
      stopping = true;
      stopped = (async () => {
        if (!exited) {
          worker.postMessage({ type: 'stop' });
          if (!(await waitExit(3000))) {
            worker.kill('SIGKILL');
            await waitExit(2000);
          }
        }
        return stats;
      })();
      return stopped;
    },
  };
}

/** Ask the worker for cap's device list (null if cap cannot be loaded or the worker is missing). */
export async function listCapDevices(capOpts: CapBackendOptions = {}, timeoutMs = 5000): Promise<CapDevice[] | null> {
  let worker: CaptureWorkerHandle;
  try {
    worker = spawnWorker(capOpts.workerPath, capOpts.spawnWorker);
  } catch {
    return null;
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.kill('SIGKILL');
      resolve(null);
    }, timeoutMs);
    const done = (value: CapDevice[] | null): void => {
      clearTimeout(timer);
      resolve(value);
    };
    worker.onMessage((raw) => {
      if (!isWorkerMessage(raw)) return;
      if (raw.type === 'interfaces') done(raw.devices);
      else if (raw.type === 'error') done(null);
    });
    worker.onError?.(() => done(null));
    worker.onExit(() => setTimeout(() => done(null), 50));
    worker.postMessage({ type: 'list' });
  });
}
