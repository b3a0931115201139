/**
 * The capture worker under Electron: an adapter implementing SpawnCaptureWorker with
 * utilityProcess.fork, registered with configureCaptureWorker at startup.
 *
 * Why utilityProcess and not child_process.fork + ELECTRON_RUN_AS_NODE=1: the packaged app has no
 * separate `node`, so a child would have to re-run the Electron binary as Node. That depends on the
 * RunAsNode fuse, which hardened builds turn off (a local attacker can use it to run code with the
 * app's identity), and on macOS it starts a second, unsigned-looking app instance. utilityProcess is
 * Electron's supported way to run Node code in a child process: it loads native modules (cap) built
 * for Electron's ABI, keeps libpcap out of the main process (a crash in the capture cannot take the
 * UI down), and the worker already speaks its protocol (process.parentPort, see capture-worker.ts).
 */
import path from 'node:path';
import type { CaptureWorkerHandle, SpawnCaptureWorker } from '../capture';

/** The part of Electron's UtilityProcess the adapter uses. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
}

export interface UtilityProcessModuleLike {
  fork(
    modulePath: string,
    args?: string[],
    options?: {
      stdio?: 'pipe' | 'ignore' | 'inherit' | Array<'pipe' | 'ignore' | 'inherit'>;
      serviceName?: string;
      env?: Record<string, string | undefined>;
    },
  ): UtilityProcessLike;
}

const STDERR_LIMIT = 16 * 1024;

export function utilityProcessSpawner(utilityProcess: UtilityProcessModuleLike): SpawnCaptureWorker {
  return (workerPath: string): CaptureWorkerHandle => {
    const child = utilityProcess.fork(workerPath, [], {
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'WireLab capture',
    });
    let stderr = '';
    let exited = false;
    child.stderr?.on('data', (chunk: Buffer | string) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_LIMIT);
    });
    child.on('exit', () => {
      exited = true;
    });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', listener),
      // utilityProcess reports an exit code only; a kill shows as a non-zero code without a signal name.
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      onError: (listener) =>
        child.on('error', (type, location, report) =>
          listener(new Error(`The capture worker failed (${type} at ${location})${report ? `: ${report}` : ''}`)),
        ),
      // utilityProcess.kill() takes no signal: it always terminates the process.
      kill: () => {
        if (!exited) child.kill();
      },
      stderrText: () => stderr,
    };
  };
}

/**
 * The worker script as the utility process must see it. In a packaged app `appPath` is …/app.asar, and
 * electron-builder.yml unpacks out/capture/** and node_modules/cap/** to app.asar.unpacked, so the
 * worker runs from real files and `require('cap')` finds the unpacked native module next to it.
 */
export function electronWorkerPath(appPath: string, isPackaged: boolean): string {
  const worker = path.join(appPath, 'out', 'capture', 'capture-worker.js');
  if (!isPackaged) return worker;
  return worker.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
}
