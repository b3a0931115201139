/**
 * A running (or finished) capture: the backend appends to the temp file, the session tails that
 * file and emits what it reads. Packets therefore reach the host the same way for every backend,
 * and whatever is in the file when the backend stops or dies is still emitted and can be saved.
 */
import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CaptureReader } from '../../core/pcap/reader';
import type { PacketRecord } from '../../core/pcap/types';
import { writePcapng } from '../../core/pcap/writer';
import type { CaptureStats, RunningBackend } from './backend';
import type { CaptureBackendName, CaptureError } from './errors';
import { CaptureFileTail } from './tail';

export interface CaptureSessionEvents {
  packets: [PacketRecord[]];
  stats: [CaptureStats];
  error: [CaptureError];
  end: [];
}

export interface SkippedBackend {
  backend: CaptureBackendName;
  reason: string;
  error?: CaptureError;
}

export interface CaptureStopResult {
  packets: number;
  dropped: number;
  tempFile: string;
}

export interface SaveResult {
  path: string;
  packets: number;
  format: 'pcap' | 'pcapng';
}

export interface CaptureSessionInit {
  backend: RunningBackend;
  device: string;
  filter: string;
  tempFile: string;
  /** Why this backend was chosen (and the others skipped). */
  reason: string;
  skipped: SkippedBackend[];
  /** ms from startCapture() to ready. */
  readyMs: number;
  pollIntervalMs?: number;
}

export class CaptureSession extends EventEmitter<CaptureSessionEvents> {
  readonly backend: CaptureBackendName;
  readonly device: string;
  readonly filter: string;
  readonly tempFile: string;
  readonly reason: string;
  readonly skipped: SkippedBackend[];
  readonly readyMs: number;

  private readonly running: RunningBackend;
  private readonly tail: CaptureFileTail;
  private currentStats: CaptureStats = { received: 0, dropped: 0 };
  private finished: Promise<CaptureStopResult> | null = null;
  private failure: CaptureError | null = null;
  private isEnded = false;

  constructor(init: CaptureSessionInit) {
    super();
    this.backend = init.backend.name;
    this.running = init.backend;
    this.device = init.device;
    this.filter = init.filter;
    this.tempFile = init.tempFile;
    this.reason = init.reason;
    this.skipped = init.skipped;
    this.readyMs = init.readyMs;
    this.tail = new CaptureFileTail(init.tempFile, (packets) => this.emit('packets', packets), init.pollIntervalMs);
    this.tail.start();
  }

  /** Process id of the capture process (worker, dumpcap or tcpdump); undefined for replay. */
  get pid(): number | undefined {
    return this.running.pid;
  }

  /** Packets emitted so far. */
  get packetCount(): number {
    return this.tail.packetCount;
  }

  get stats(): CaptureStats {
    return { ...this.currentStats };
  }

  /** The error that ended the capture, if one did. */
  get lastError(): CaptureError | null {
    return this.failure;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** Called by the backend (through startCapture's relay). */
  handleStats(stats: CaptureStats): void {
    this.currentStats = { ...stats };
    this.emit('stats', this.stats);
  }

  /** Called when the backend ended by itself: an error (crash), or null when a replay finished. */
  handleExit(error: CaptureError | null): void {
    if (this.finished) return;
    this.failure = error;
    this.finished = this.finish(null);
  }

  /** Stop capturing; resolves once every packet in the file has been emitted. Safe to call more than once. */
  stop(): Promise<CaptureStopResult> {
    if (!this.finished) this.finished = this.finish(this.running);
    return this.finished;
  }

  private async finish(backend: RunningBackend | null): Promise<CaptureStopResult> {
    if (backend) {
      const final = await backend.stop();
      if (final) this.currentStats = { ...final };
    }
    await this.tail.finish();
    // Every backend knows how many it wrote; the file is the truth when they disagree (e.g. killed).
    if (this.currentStats.received < this.tail.packetCount) {
      this.currentStats = { ...this.currentStats, received: this.tail.packetCount };
    }
    this.emit('stats', this.stats);
    if (this.failure && this.listenerCount('error') > 0) this.emit('error', this.failure);
    this.isEnded = true;
    this.emit('end');
    return { packets: this.tail.packetCount, dropped: this.currentStats.dropped, tempFile: this.tempFile };
  }

  /**
   * Save what has been captured so far. A pcapng temp file is copied (up to the last complete
   * record, if the capture is still running); a pcap temp file (tcpdump) is copied to a .pcap name
   * and converted to pcapng otherwise.
   */
  async saveAs(target: string): Promise<SaveResult> {
    if (!this.isEnded) await this.tail.poll();
    const bytes = await fsp.readFile(this.tempFile);
    const reader = new CaptureReader();
    const packets = reader.push(bytes);
    const error = reader.end();
    const info = reader.info;
    if (info === null) throw error ?? new Error(`${this.tempFile} holds no capture yet.`);
    const cleanEnd = error ? error.fileOffset : bytes.length;
    const keepPcap = info.format === 'pcap' && path.extname(target).toLowerCase() === '.pcap';
    const out = info.format === 'pcapng' || keepPcap ? bytes.subarray(0, cleanEnd) : writePcapng(info, packets);
    const partial = `${target}.${process.pid}.part`;
    await fsp.writeFile(partial, out);
    await fsp.rename(partial, target);
    return { path: target, packets: packets.length, format: info.format === 'pcapng' || !keepPcap ? 'pcapng' : 'pcap' };
  }
}
