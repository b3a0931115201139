/** What every capture backend provides to the session, and helpers shared by the process-based ones. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import type { CaptureBackendName, CaptureError } from './errors';

export interface CaptureStats {
  /** Packets the backend captured (written to the temp file). */
  received: number;
  /** Packets lost by the kernel / capture buffer, when the backend can tell (0 otherwise). */
  dropped: number;
  /** False when the backend cannot count drops at all (cap has no pcap_stats): `dropped` then means nothing. */
  dropsKnown?: boolean;
  /** Packets the interface (driver) dropped, when known. */
  ifDropped?: number;
}

export interface BackendCallbacks {
  onStats(stats: CaptureStats): void;
  /** The backend ended after it was ready, without stop(): null for a natural end (replay finished), else the error. */
  onExit(error: CaptureError | null): void;
}

export interface BackendStartOptions {
  device: string;
  filter: string;
  snapLen: number;
  tempFile: string;
  readyTimeoutMs: number;
  callbacks: BackendCallbacks;
}

export interface RunningBackend {
  readonly name: CaptureBackendName;
  readonly pid?: number;
  /** Stop capturing and wait until the backend has finished writing the file. */
  stop(): Promise<CaptureStats | null>;
}

/** How external tools (dumpcap, tcpdump) are started; injectable for tests and for running them as another user. */
export type SpawnTool = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export const defaultSpawnTool: SpawnTool = (command, args, options) => spawn(command, args, options);

function candidates(tool: 'dumpcap' | 'tcpdump', platform: NodeJS.Platform): string[] {
  const exe = platform === 'win32' ? `${tool}.exe` : tool;
  const fromPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, exe));
  const known: string[] = [];
  if (platform === 'win32') {
    for (const base of [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], 'C:\\Program Files']) {
      if (base) known.push(path.win32.join(base, 'Wireshark', exe));
    }
  } else if (platform === 'darwin') {
    known.push(
      `/Applications/Wireshark.app/Contents/MacOS/${tool}`,
      `/opt/homebrew/bin/${tool}`,
      `/usr/local/bin/${tool}`,
      `/usr/sbin/${tool}`,
    );
  } else {
    known.push(
      `/usr/bin/${tool}`,
      `/usr/sbin/${tool}`,
      `/usr/local/bin/${tool}`,
      `/usr/local/sbin/${tool}`,
      `/sbin/${tool}`,
    );
  }
  return [...fromPath, ...known];
}

/** Path of an installed dumpcap/tcpdump, or null. */
export function findTool(tool: 'dumpcap' | 'tcpdump', platform: NodeJS.Platform = process.platform): string | null {
  for (const candidate of candidates(tool, platform)) {
    try {
      accessSync(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}

/** Resolves when the child has exited (immediately if it already has). */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Ask a capture process to stop (SIGTERM lets dumpcap/tcpdump flush and print statistics), then force it. */
export async function terminate(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 2000);
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `killed by signal ${signal}` : `exited with code ${code ?? '?'}`;
}

/** Keep the last `max` characters of a growing text. */
export function appendCapped(text: string, more: string, max = 16_000): string {
  const joined = text + more;
  return joined.length > max ? joined.slice(joined.length - max) : joined;
}
