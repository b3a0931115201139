/**
 * Messages between the host and the capture worker (capture-worker.ts). The same shapes travel over
 * child_process.fork's IPC channel and Electron's utilityProcess MessagePort.
 */
import type { CaptureErrorCode } from './errors';
import type { CapDevice } from './cap-types';

export interface WorkerCaptureConfig {
  device: string;
  filter: string;
  snapLen: number;
  tempFile: string;
  /** libpcap kernel buffer, bytes. */
  bufferSize: number;
  /** How often to report stats, ms. */
  statsIntervalMs: number;
}

export type ParentToWorker = { type: 'start'; config: WorkerCaptureConfig } | { type: 'stop' } | { type: 'list' };

export type WorkerToParent =
  | { type: 'ready'; linkType: number; linkName: string }
  | { type: 'stats'; received: number; dropped: number }
  | { type: 'error'; code: CaptureErrorCode; message: string; details: string }
  | { type: 'stopped'; received: number }
  | { type: 'interfaces'; devices: CapDevice[] };

export function isWorkerMessage(value: unknown): value is WorkerToParent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isParentMessage(value: unknown): value is ParentToWorker {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
