/** The UI side of the dissection worker: typed request/reply calls and progress events. */
import type { RecordBatch } from '../../bridge/lab-api';
import { joinLabResult } from './lab-parts';
import type { StatisticsScope } from './statistics-types';
import type {
  ExportTextOptions,
  LabRequestOptions,
  LabResult,
  LabResultPart,
  ReportRequestOptions,
  RowData,
  SearchQuery,
  SortSpec,
  ViewOptions,
  TableProgress,
  WorkerReplies,
  WorkerReply,
  WorkerRequest,
} from './worker-messages';

/** What the UI needs from the worker (a fake implements it in tests). */
export interface DissectionClient {
  reset(generation: number): void;
  append(generation: number, firstIndex: number, batch: RecordBatch): void;
  rows(from: number, count: number): Promise<WorkerReplies['rows']>;
  detail(index: number): Promise<WorkerReplies['detail']>;
  check(text: string): Promise<WorkerReplies['check']>;
  filter(text: string): Promise<WorkerReplies['filter']>;
  sort(sort: SortSpec | null): Promise<number>;
  find(number: number): Promise<number>;
  displayedIndices(): Promise<number[]>;
  exportText(options?: ExportTextOptions): Promise<string>;
  lab(options: LabRequestOptions): Promise<WorkerReplies['lab']>;
  follow(index: number): Promise<WorkerReplies['follow']>;
  report(options: ReportRequestOptions): Promise<WorkerReplies['report']>;
  onProgress(listener: ProgressListener): () => void;
  /** Sets the Time Display Format, time references, marks and custom columns (the rows change). */
  view(options: ViewOptions): Promise<number>;
  search(query: SearchQuery): Promise<WorkerReplies['search']>;
  /** Statistics and HTTP objects of the current source (a pass over its packets in the worker). */
  statistics(
    scope: StatisticsScope,
    onProgress?: (done: number, total: number) => void,
  ): Promise<WorkerReplies['statistics']>;
  /** Packets and bytes per interval, optionally of the packets a display filter keeps. */
  ioGraph(
    interval: number,
    filter: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<WorkerReplies['ioGraph']>;
  /**
   * Reads a capture file the user opened into the table of `generation` (after reset(generation)),
   * in the worker: the file's bytes never cross the UI thread.
   */
  loadFile(file: Blob, name: string, generation: number, key?: string): Promise<WorkerReplies['loadFile']>;
  /** Starts reading the file's first part at once (loadFile with the same key then uses it). */
  prefetchFile?(file: Blob, key: string): void;
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: (done: number, total: number) => void;
};
/** Progress of the list, and its last rows when it grew (see the 'progress' reply). */
export type ProgressListener = (progress: TableProgress, tail?: readonly RowData[]) => void;

type WithoutId<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export class WorkerClient implements DissectionClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<ProgressListener>();
  /** Parts of lab results not yet whole, by ask (lab-worker.ts sends them before the head). */
  private readonly labParts = new Map<number, LabResultPart[]>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'progress') {
      for (const l of this.listeners) l(reply.progress, reply.tail);
      return;
    }
    if (reply.type === 'labReplies') {
      // The lab worker answers lab asks here directly (lab-link.ts).
      reply.port.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
      return;
    }
    if (reply.type === 'labPart') {
      const parts = this.labParts.get(reply.id) ?? [];
      parts.push(reply.part);
      this.labParts.set(reply.id, parts);
      return;
    }
    const call = this.pending.get(reply.id);
    if (reply.type === 'jobProgress') {
      call?.progress?.(reply.done, reply.total);
      return;
    }
    // A lab result came in parts before its head (the reply).
    const parts = this.labParts.get(reply.id);
    this.labParts.delete(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    if (reply.type === 'error') call.reject(new Error(reply.message));
    else call.resolve(parts ? joinLabResult(reply.value as LabResult, parts) : reply.value);
  }

  static create(): WorkerClient {
    return new WorkerClient(new Worker(new URL('./dissect-worker.ts', import.meta.url), { type: 'module' }));
  }

  private send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  private call<K extends keyof WorkerReplies>(
    request: WithoutId<WorkerRequest> & { type: K },
    progress?: (done: number, total: number) => void,
  ): Promise<WorkerReplies[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.send({ ...request, id } as WorkerRequest);
    });
  }

  reset(generation: number): void {
    this.send({ type: 'reset', generation });
  }
  append(generation: number, firstIndex: number, batch: RecordBatch): void {
    // The batch's buffers move to the worker (no copy of the bytes): nothing on this side reads
    // a batch after handing it over (PacketFeed forwards each batch once).
    const buffers = new Set<ArrayBuffer>();
    for (const part of [batch.meta, batch.data])
      if (part.buffer instanceof ArrayBuffer && part.buffer.byteLength > 0) buffers.add(part.buffer);
    this.worker.postMessage({ type: 'append', generation, firstIndex, batch } satisfies WorkerRequest, [...buffers]);
  }
  rows(from: number, count: number) {
    return this.call({ type: 'rows', from, count });
  }
  detail(index: number) {
    return this.call({ type: 'detail', index });
  }
  check(text: string) {
    return this.call({ type: 'check', text });
  }
  filter(text: string) {
    return this.call({ type: 'filter', text });
  }
  sort(sort: SortSpec | null) {
    return this.call({ type: 'sort', sort });
  }
  find(number: number) {
    return this.call({ type: 'find', number });
  }
  displayedIndices() {
    return this.call({ type: 'displayedIndices' });
  }
  exportText(options?: ExportTextOptions) {
    return this.call({ type: 'export', options });
  }

  lab(options: LabRequestOptions) {
    return this.call({ type: 'lab', options });
  }

  follow(index: number) {
    return this.call({ type: 'follow', index });
  }

  report(options: ReportRequestOptions) {
    return this.call({ type: 'report', options });
  }
  view(options: ViewOptions) {
    return this.call({ type: 'view', options });
  }
  search(query: SearchQuery) {
    return this.call({ type: 'search', query });
  }
  statistics(scope: StatisticsScope, onProgress?: (done: number, total: number) => void) {
    return this.call({ type: 'statistics', scope }, onProgress);
  }
  ioGraph(interval: number, filter: string, onProgress?: (done: number, total: number) => void) {
    return this.call({ type: 'ioGraph', interval, filter }, onProgress);
  }
  loadFile(file: Blob, name: string, generation: number, key?: string) {
    return this.call({ type: 'loadFile', file, name, generation, key });
  }
  prefetchFile(file: Blob, key: string): void {
    this.send({ type: 'prefetchFile', file, key });
  }
  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
