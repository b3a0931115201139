/**
 * LabHost: the Node side of WireLab behind the LabApi contract. It owns the profile store,
 * the embedded profile server, the live capture and the packet store, and runs Start Lab in
 * the only safe order: server listening → capture confirmed ready → page opened, so the
 * browser's SYN is never missed. Errors become LabStatus errors with a remedy; nothing
 * already captured is dropped.
 */
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SCENARIO, ProfileServer, ProfileStore, ServerError, ProfileError } from '../../embedded-server';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../embedded-server/defaults';
import { startCapture, listInterfaces, loopbackDevice, CaptureError, type CaptureSession } from '../capture';
import { checkCaptureFilter } from '../capture/filter-check';
import {
  CaptureReader,
  writePcapng,
  CaptureFileError,
  type PacketRecord,
  type CaptureInterface,
} from '../../core/pcap';
import { OpenError, fileChunks } from '../files/file-chunks';
import { PacketStore } from './packet-store';
import { ServedRequestThrottle } from './served-requests';
import { FileRecords } from './file-records';
import { damagedFileError, notCaptureFileError } from '../../bridge/capture-file-errors';
import { MAX_SNAPLEN } from '../../bridge/lab-api';
import { packRecords } from '../../bridge/record-batch';
import type {
  CaptureFilterCheck,
  CaptureOptions,
  CaptureStatistics,
  CaptureUploadPart,
  CaptureUploadResult,
  InterfaceSummary,
  LabApiWithEvents,
  LabError,
  LabEvents,
  LabStatus,
  OpenCaptureRequest,
  OpenCaptureResult,
  PacketsEvent,
  Profile,
  ProfileUpdate,
  SaveCaptureRequest,
  SaveCaptureResult,
  StartLabOptions,
} from '../../bridge/lab-api';

export interface LabHostOptions {
  /** Where the profile and logo are stored (the shell passes the per-OS user data dir). */
  dataDir: string;
  /** Opens the profile page once the capture is ready (system browser, in-app window, or nothing). */
  openPage?: (url: string) => void | Promise<void>;
  /** Where live captures keep their temp pcapng (default: the OS temp dir). */
  tempDir?: string;
  /** Defaults for Start Lab. */
  port?: number;
  host?: string;
  /** Capture worker script (cap backend); default: next to the built bundle. */
  captureWorkerPath?: string;
  /** How long packets are gathered before a 'packets' event is sent (ms). */
  batchIntervalMs?: number;
}

/** Files opened are sent to listeners in batches of this many records (the first one smaller). */
const FILE_BATCH = 20_000;
const FIRST_FILE_BATCH = 2_000;
/** Files are read in parts of this size (the first one smaller), so the first rows show at once. */
const FILE_PART = 8 << 20;
const FIRST_FILE_PART = 1 << 20;

/** A capture file being read part by part (from a path, from bytes, or uploaded). */
interface FileLoad {
  name: string;
  reader: CaptureReader;
  /** The source's generation once the file header has been read; until then the old source stays. */
  generation: number | null;
  /** Bytes read so far (the next part's offset). */
  offset: number;
  packets: number;
  /** Set once the file is complete or damaged. */
  result: OpenCaptureResult | null;
  /** Upload number (uploadCapture), 0 for files read by the host. */
  upload: number;
  /** Where the file's bytes go (a temp copy) and its records are indexed. */
  file: FileRecords;
  /** Set when the page reads the file itself (uploadCapture's loadedBy): no packets events. */
  loadedBy?: string;
}

export class LabHost implements LabApiWithEvents {
  private readonly events = new EventEmitter();
  private readonly packets = new PacketStore();
  private server: ProfileServer | null = null;
  private capture: CaptureSession | null = null;
  /** Which served requests become 'request' events (not one per request; see served-requests.ts). */
  private readonly servedRequests = new ServedRequestThrottle();
  /** The lab's serialised start/stop: a second call waits for the first and is then harmless. */
  private transition: Promise<unknown> = Promise.resolve();
  private pending: PacketRecord[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private liveInterfaces: CaptureInterface[] = [];
  private status: LabStatus;
  /** The file being read, if any, and the queue that keeps its parts in order. */
  private load: FileLoad | null = null;
  private loadQueue: Promise<unknown> = Promise.resolve();
  private uploads = 0;
  /** Bytes kept per packet by the live capture (Capture → Options), for the saved file's interface. */
  private snapLen = MAX_SNAPLEN;
  /** Capture → Options' file: written when the capture ends (stop or error). */
  private savePath: string | null = null;

  private constructor(
    private readonly store: ProfileStore,
    private readonly options: LabHostOptions,
  ) {
    this.status = {
      server: { state: 'stopped', host: options.host ?? DEFAULT_HOST, port: options.port ?? DEFAULT_PORT },
      capture: { state: 'idle', received: 0, dropped: 0 },
      source: { kind: 'none', packets: 0, generation: 0 },
    };
  }

  static async create(options: LabHostOptions): Promise<LabHost> {
    const store = await ProfileStore.open(options.dataDir);
    return new LabHost(store, options);
  }

  on<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  private emit<E extends keyof LabEvents>(event: E, payload: LabEvents[E]): void {
    this.events.emit(event, payload);
  }

  private setStatus(change: (s: LabStatus) => void): LabStatus {
    change(this.status);
    this.status.source.packets = this.packets.size;
    this.status.source.generation = this.packets.generation;
    const snapshot = structuredClone(this.status);
    this.emit('status', snapshot);
    return snapshot;
  }

  async getStatus(): Promise<LabStatus> {
    return structuredClone({
      ...this.status,
      source: { ...this.status.source, packets: this.packets.size, generation: this.packets.generation },
    });
  }

  // ---- profile -------------------------------------------------------------------------

  async getProfile(): Promise<Profile> {
    return this.profile();
  }

  async updateProfile(update: ProfileUpdate): Promise<Profile> {
    await this.store.update(update);
    return this.profile();
  }

  async setLogo(bytes: Uint8Array): Promise<Profile> {
    await this.store.setLogo(bytes);
    return this.profile();
  }

  async getLogo(): Promise<{ mimeType: string; bytes: Uint8Array }> {
    const logo = this.store.logo();
    return { mimeType: logo.type, bytes: logo.bytes };
  }

  private profile(): Profile {
    const p = this.store.get();
    const logo = this.store.logo();
    return {
      major: p.major,
      studentId: p.studentId,
      name: p.name,
      logo: { mimeType: logo.type, size: logo.bytes.length },
    };
  }

  // ---- the lab -------------------------------------------------------------------------

  startLab(options: StartLabOptions = {}): Promise<LabStatus> {
    return this.serialise(() => this.doStartLab(options));
  }

  stopLab(): Promise<LabStatus> {
    return this.serialise(() => this.doStopLab());
  }

  /** Capture → Options: a capture on any interface, no server and no page. */
  startCapture(options: CaptureOptions): Promise<LabStatus> {
    return this.serialise(() => this.doStartCapture(options));
  }

  /** Compiles a capture filter for an interface with the tool that would capture (dumpcap or tcpdump). */
  async checkCaptureFilter(filter: string, device: string): Promise<CaptureFilterCheck> {
    const check = await checkCaptureFilter(filter, device);
    return {
      filter,
      device,
      valid: check.valid,
      message: check.message,
      error: check.error ? captureError(check.error) : undefined,
      checkedBy: check.checkedBy,
      instructions: check.instructions,
    };
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.transition.then(work, work);
    this.transition = next.catch(() => undefined);
    return next;
  }

  private async doStartLab(options: StartLabOptions): Promise<LabStatus> {
    const scenario = options.scenario ?? this.server?.scenario ?? DEFAULT_SCENARIO;
    if (this.server && this.server.scenario !== scenario) {
      // Another scenario: a fresh capture of it, started before its page opens.
      await this.doStopLab();
    }
    if (this.server && this.capture && !this.capture.ended) return this.getStatus();
    const host = options.host ?? this.options.host ?? DEFAULT_HOST;
    const port = options.port ?? this.options.port ?? DEFAULT_PORT;

    // 1. The server, so the page can be served the moment the browser connects.
    if (!this.server) {
      this.setStatus((s) => {
        s.server = { state: 'starting', host, port };
      });
      const server = new ProfileServer({
        store: this.store,
        host,
        port,
        allowNetworkExposure: options.allowNetworkExposure,
        scenario,
      });
      server.on('request', (e) => {
        const request = {
          method: e.method,
          path: e.path,
          status: e.status,
          bytes: e.bytes,
          remotePort: e.remotePort,
          time: e.time.getTime(),
        };
        // Not one event per request: under load they would swamp the UI (served-requests.ts).
        if (this.servedRequests.pass(request, performance.now())) this.emit('request', request);
      });
      server.on('warning', (w) => this.emit('log', { level: 'warning', message: w.message }));
      try {
        const started = await server.start();
        this.server = server;
        this.setStatus((s) => {
          s.server = { state: 'running', url: started.url, host: started.host, port: started.port, scenario };
        });
      } catch (error) {
        const labError = serverError(error, port);
        this.setStatus((s) => {
          s.server = { state: 'error', host, port, error: labError };
        });
        return this.getStatus();
      }
    }

    // 2. The capture, confirmed ready before anything connects.
    const serverPort = this.status.server.port;
    const filter = `tcp port ${serverPort}`;
    this.setStatus((s) => {
      s.capture = { state: 'starting', filter, received: 0, dropped: 0 };
    });
    try {
      const session = await startCapture({
        device: loopbackDevice(),
        filter,
        backend: options.backend ?? 'auto',
        tempDir: this.options.tempDir,
        workerPath: this.options.captureWorkerPath,
      });
      // Start Lab captures whole packets and writes no file of its own (Save does).
      this.captureRunning(session, MAX_SNAPLEN, null);
    } catch (error) {
      const labError = captureError(error);
      this.setStatus((s) => {
        s.capture = { state: 'error', filter, received: 0, dropped: 0, error: labError };
      });
      // The page is still served: the student can look at it while fixing capture permissions.
      return this.getStatus();
    }

    // 3. Only now the page (the scenario's first page).
    const base = this.status.server.url;
    const url = base && this.server ? new URL(this.server.startPath, base).href : base;
    if (url && this.options.openPage) {
      try {
        await this.options.openPage(url);
      } catch (error) {
        this.emit('log', {
          level: 'warning',
          message: `Could not open ${url}: ${errorMessage(error)}. Open it yourself.`,
        });
      }
    }
    return this.getStatus();
  }

  private async doStartCapture(options: CaptureOptions): Promise<LabStatus> {
    if (this.capture && !this.capture.ended) throw new Error('A capture is already running: stop it first.');
    if (this.capture) await this.doStopLab();
    const { device } = options;
    const filter = options.filter ?? '';
    const snapLen = options.snapLen ?? MAX_SNAPLEN;
    const failed = (labError: LabError): LabStatus => {
      // Nothing started: the packets already shown (an earlier capture, a file) stay.
      this.setStatus((s) => {
        s.capture = { state: 'error', device, filter, snapLen, received: 0, dropped: 0, error: labError };
      });
      return structuredClone(this.status);
    };
    // The filter is compiled first: a wrong one is refused with the compiler's message, before anything starts.
    const check = await checkCaptureFilter(filter, device);
    if (check.valid === false) {
      return failed(
        captureError(new CaptureError('bad-filter', `Invalid capture filter "${filter}": ${check.message}`)),
      );
    }
    if (check.error?.code === 'no-device') return failed(captureError(check.error));
    this.setStatus((s) => {
      s.capture = { state: 'starting', device, filter, snapLen, received: 0, dropped: 0 };
    });
    try {
      const session = await startCapture({
        device,
        filter,
        snapLen,
        backend: options.backend ?? 'auto',
        tempDir: this.options.tempDir,
        workerPath: this.options.captureWorkerPath,
      });
      this.captureRunning(session, snapLen, options.savePath ?? null, { reportSnapLen: true });
    } catch (error) {
      return failed(captureError(error));
    }
    return this.getStatus();
  }

  /** A capture session has started: keep it, show it running and say with what (Start Lab and Capture Options). */
  private captureRunning(
    session: CaptureSession,
    snapLen: number,
    savePath: string | null,
    options: { reportSnapLen?: boolean } = {},
  ): void {
    this.snapLen = snapLen;
    this.savePath = savePath;
    this.attachCapture(session);
    this.setStatus((s) => {
      s.capture = {
        state: 'running',
        backend: session.backend,
        device: session.device,
        filter: session.filter,
        ...(options.reportSnapLen ? { snapLen } : {}),
        received: 0,
        dropped: 0,
      };
    });
    this.emit('log', {
      level: 'info',
      message: `Capturing on ${session.device} with ${session.backend} (${session.reason})`,
    });
  }

  /** Writes the capture to the file chosen in Capture → Options, once, when the capture ends. */
  private async writeSavePath(): Promise<void> {
    const target = this.savePath;
    if (!target) return;
    this.savePath = null;
    try {
      const saved = await this.saveCapture({ path: target });
      this.emit('log', { level: 'info', message: `Saved ${saved.packets} packets to ${target}` });
    } catch (error) {
      this.emit('log', {
        level: 'error',
        message: `Could not write ${target}: ${errorMessage(error)}. The packets are still here: use Save As.`,
      });
    }
  }

  private attachCapture(session: CaptureSession): void {
    this.capture = session;
    const generation = this.packets.reset();
    this.servedRequests.reset();
    this.liveInterfaces = [];
    this.setStatus((s) => {
      s.source = { kind: 'live', name: path.basename(session.tempFile), packets: 0, generation };
    });
    session.on('packets', (records) => {
      for (const r of records) this.noteInterface(r);
      // One by one: a 4 MB read of small packets can be more records than a call takes arguments.
      for (const r of records) this.pending.push(r);
      this.scheduleFlush();
    });
    session.on('stats', (stats) => {
      this.status.capture.received = stats.received;
      this.status.capture.dropped = stats.dropped;
      this.status.capture.dropsKnown = stats.dropsKnown !== false;
    });
    session.on('error', (error) => {
      this.flush();
      const labError = captureError(error);
      this.setStatus((s) => {
        s.capture.state = 'error';
        s.capture.error = labError;
      });
      void this.writeSavePath();
    });
  }

  private noteInterface(record: PacketRecord): void {
    if (this.liveInterfaces[record.interfaceId]) return;
    this.liveInterfaces[record.interfaceId] = {
      linkType: record.linkType,
      snapLen: this.snapLen,
      tsUnitsPerSecond: 1e9,
      section: 0,
      name: this.capture?.device,
    };
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.options.batchIntervalMs ?? 50);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const event = this.packets.append(batch);
    this.status.source.packets = this.packets.size;
    this.emit('packets', event);
  }

  private async doStopLab(): Promise<LabStatus> {
    const capture = this.capture;
    if (capture) {
      this.setStatus((s) => {
        if (s.capture.state === 'running') s.capture.state = 'stopping';
      });
      try {
        const result = await capture.stop();
        this.status.capture.dropped = result.dropped;
      } catch (error) {
        this.emit('log', { level: 'error', message: `Stopping the capture failed: ${errorMessage(error)}` });
      }
      this.flush();
      this.capture = null;
      this.setStatus((s) => {
        s.capture.state = s.capture.state === 'error' ? 'error' : 'idle';
        s.capture.received = Math.max(s.capture.received, this.packets.size);
      });
      await this.writeSavePath();
    }
    const server = this.server;
    if (server) {
      this.server = null;
      await server.stop();
      this.setStatus((s) => {
        s.server = { state: 'stopped', host: s.server.host, port: s.server.port };
      });
    }
    return this.getStatus();
  }

  /** The temp file of the live capture (the on-disk copy of everything captured). */
  get captureTempFile(): string | undefined {
    return this.capture?.tempFile;
  }

  // ---- packets and files ---------------------------------------------------------------

  async getPackets(from: number, count: number): Promise<PacketsEvent> {
    return this.packets.slice(from, count);
  }

  async openCapture(request: OpenCaptureRequest): Promise<OpenCaptureResult> {
    if (this.capture) await this.stopLab();
    const name = request.name ?? (request.path ? path.basename(request.path) : 'capture');
    return this.queueLoad(async () => {
      const load = await this.beginLoad(name, 0, request.loadedBy);
      if (request.bytes) {
        const bytes = request.bytes;
        for (let at = 0; at < bytes.length && !load.result;) {
          const size = at === 0 ? FIRST_FILE_PART : FILE_PART;
          await this.readPart(load, bytes.subarray(at, at + size));
          at += size;
        }
      } else {
        const parts = fileChunks(request.path as string, { firstChunkSize: FIRST_FILE_PART, chunkSize: FILE_PART });
        try {
          for await (const part of parts) {
            await this.readPart(load, part);
            if (load.result) break;
          }
        } catch (error) {
          // Not opened ("The file … doesn't exist.") or failed before its header: nothing was shown.
          if (error instanceof OpenError) throw error;
          if (load.generation === null)
            throw new Error(`Cannot read ${name}: ${errorMessage(error)}`, { cause: error });
          this.emit('log', { level: 'error', message: `Reading ${name} stopped: ${errorMessage(error)}` });
        }
      }
      const result = this.endLoad(load);
      return load.generation !== null ? { ...result, generation: load.generation } : result;
    });
  }

  /**
   * The browser shell's open: the file arrives in parts (in order, each awaited), and its
   * packets are sent to the UI as each part is read.
   */
  async uploadCapture(part: CaptureUploadPart): Promise<CaptureUploadResult> {
    if (part.upload === undefined && this.capture) await this.stopLab();
    return this.queueLoad(async () => {
      let load = this.load;
      if (part.upload === undefined) {
        if (part.offset !== 0) throw new Error('An upload starts at offset 0.');
        load = await this.beginLoad(part.name ?? 'capture', ++this.uploads, part.loadedBy);
      } else if (!load || load.upload !== part.upload || this.replaced(load)) {
        throw new Error('This file is no longer open: another file or a capture replaced it.');
      } else if (part.offset !== load.offset) {
        throw new Error(`Upload part at ${part.offset} does not continue the file (at ${load.offset}).`);
      }
      if (!load.result) {
        await this.readPart(load, part.bytes);
        if (part.last) this.endLoad(load);
      }
      const result = load.result ?? { name: load.name, packets: load.packets };
      return { ...result, upload: load.upload, ...(load.generation !== null ? { generation: load.generation } : {}) };
    });
  }

  private queueLoad<T>(work: () => Promise<T>): Promise<T> {
    const next = this.loadQueue.then(work, work);
    this.loadQueue = next.catch(() => undefined);
    return next;
  }

  private async beginLoad(name: string, upload: number, loadedBy?: string): Promise<FileLoad> {
    // A file replaced before its header was read never became the source: its copy goes.
    if (this.load && this.load.generation === null) void this.load.file.dispose();
    const load: FileLoad = {
      name,
      reader: new CaptureReader(),
      generation: null,
      offset: 0,
      packets: 0,
      result: null,
      upload,
      file: await FileRecords.create(this.options.tempDir),
      ...(loadedBy !== undefined ? { loadedBy } : {}),
    };
    this.load = load;
    return load;
  }

  /** True when the source this load fills was replaced (another file, a capture). */
  private replaced(load: FileLoad): boolean {
    return this.load !== load || (load.generation !== null && this.packets.generation !== load.generation);
  }

  /** Reads one part of the file and sends its packets; ends the load early when the file is damaged. */
  private async readPart(load: FileLoad, bytes: Uint8Array): Promise<void> {
    if (load.result || this.replaced(load)) return;
    // The bytes go to the temp copy first: a record is indexed only once it can be read back.
    const partOffset = load.offset;
    try {
      await load.file.write(bytes);
    } catch (error) {
      // A capture or another file replaced this one meanwhile (its copy is gone): nothing to do.
      if (this.replaced(load)) return;
      throw error;
    }
    if (load.result || this.replaced(load)) return;
    const records = load.reader.push(bytes);
    load.offset += bytes.length;
    const info = load.reader.info;
    if (load.generation === null && info !== null) {
      // The header is readable: only now does the file replace what the UI shows.
      load.generation = this.packets.reset(load.file);
      this.setStatus((s) => {
        s.source = {
          kind: 'file',
          name: load.name,
          packets: 0,
          generation: load.generation as number,
          format: info.format,
          ...(load.loadedBy !== undefined ? { loadedBy: load.loadedBy } : {}),
        };
      });
    }
    if (info !== null) this.liveInterfaces = info.interfaces.slice();
    // Indexed at once (a few numbers per record); the bytes stay on disk.
    const first = load.packets;
    load.file.add(records, bytes, partOffset);
    this.packets.noteFileRecords(records);
    load.packets += records.length;
    // Sent to the UI unless the page reads the file itself: a small first batch so the list
    // shows rows at once, then larger ones; yielding between batches lets each reach the UI
    // while the rest is still being read.
    if (load.loadedBy === undefined) {
      for (let i = 0; i < records.length;) {
        if (this.replaced(load)) return;
        const size = first + i === 0 ? FIRST_FILE_BATCH : FILE_BATCH;
        const batch = records.slice(i, i + size);
        this.emit('packets', {
          generation: load.generation as number,
          firstIndex: first + i,
          batch: packRecords(batch),
        });
        i += size;
        if (i < records.length) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (load.reader.error) this.endLoad(load);
  }

  /** Finishes the load: the result, and the source's final status (with the damage, if any). */
  private endLoad(load: FileLoad): OpenCaptureResult {
    if (load.result) return load.result;
    const error = load.reader.end();
    const { name, packets } = load;
    if (load.generation === null) {
      const labError = notCaptureFileError(name, error);
      this.emit('log', { level: 'error', message: labError.message });
      load.result = { name, packets: 0, error: labError };
      void load.file.dispose();
    } else {
      const fileError = error ? damagedFileError(name, error, packets) : undefined;
      if (!this.replaced(load)) {
        this.setStatus((s) => {
          s.source = {
            kind: 'file',
            name,
            packets,
            generation: load.generation as number,
            error: fileError,
            format: load.reader.info?.format,
            ...(load.loadedBy !== undefined ? { loadedBy: load.loadedBy } : {}),
          };
        });
      }
      load.result = { name, packets, error: fileError };
    }
    if (this.load === load) this.load = null;
    return load.result;
  }

  async saveCapture(request: SaveCaptureRequest): Promise<SaveCaptureResult> {
    const records = await this.packets.select(request.indices);
    const interfaces = this.interfacesFor(records);
    const bytes = writePcapng({ interfaces, comments: ['Saved by WireLab'] }, records);
    if (request.path) {
      await writeFile(request.path, bytes);
      return { packets: records.length, path: request.path };
    }
    return { packets: records.length, bytes };
  }

  private interfacesFor(records: readonly PacketRecord[]): CaptureInterface[] {
    const interfaces = this.liveInterfaces.slice();
    // pcapng block frames (Custom Blocks) belong to no interface: the writer writes them as blocks.
    const packets = records.filter((r) => r.pcapngBlock === undefined);
    for (const r of packets) {
      interfaces[r.interfaceId] ??= { linkType: r.linkType, snapLen: 262144, tsUnitsPerSecond: 1e9, section: 0 };
    }
    // Fill holes so interface ids stay valid.
    for (let i = 0; i < interfaces.length; i++) {
      interfaces[i] ??= { linkType: packets[0]?.linkType ?? 1, snapLen: 262144, tsUnitsPerSecond: 1e9, section: 0 };
    }
    return interfaces;
  }

  async listInterfaces(): Promise<InterfaceSummary[]> {
    const list = await listInterfaces();
    return list.map((i) => ({
      name: i.name,
      description: i.description,
      addresses: i.addresses,
      loopback: i.loopback,
    }));
  }

  async getStatistics(): Promise<CaptureStatistics> {
    return this.packets.statistics(this.status.capture.received, this.status.capture.dropped);
  }

  /** Stops everything; the temp capture file stays on disk. */
  async dispose(): Promise<void> {
    await this.stopLab();
    await this.loadQueue;
    if (this.load && this.load.generation === null) await this.load.file.dispose();
    await this.packets.dispose();
    this.events.removeAllListeners();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function serverError(error: unknown, port: number): LabError {
  if (error instanceof ServerError) {
    const code = error.code === 'EADDRINUSE' ? 'port-in-use' : error.code.toLowerCase().replace(/_/g, '-');
    const remedy =
      error.code === 'EADDRINUSE'
        ? `Close the program using port ${port}, or start the lab on another port.`
        : error.code === 'NETWORK_EXPOSURE_REFUSED'
          ? 'Use 127.0.0.1, or confirm that the page may be visible to the network.'
          : undefined;
    return { code, message: error.message, remedy };
  }
  if (error instanceof ProfileError) return { code: 'profile', message: error.message };
  return { code: 'server-failed', message: errorMessage(error) };
}

function captureError(error: unknown): LabError {
  if (error instanceof CaptureError) return { code: error.code, message: error.message, remedy: error.remedy };
  if (error instanceof CaptureFileError) return { code: 'bad-file', message: error.message };
  return { code: 'failed', message: errorMessage(error) };
}
