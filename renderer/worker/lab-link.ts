/**
 * The dissection worker's side of the lab worker (lab-worker.ts): the UI's lab asks go there
 * with the records the lab worker does not hold yet, and its answers go straight to the UI.
 * Where no worker can start, or the lab worker dies, the asks are answered here instead, as
 * before there was a lab worker (the analysis then blocks this thread while it runs).
 */
import type { RecordBatch, WireRecord } from '../../bridge/lab-api';
import { packRecords } from '../../bridge/record-batch';
import { LabResults } from './lab';
import type { PacketTable } from './packet-table';
import { LAB_PACKET_LIMIT, errorReply, type LabRequestOptions, type WorkerReply } from './worker-messages';

/** From the dissection worker to the lab worker. */
export type LabWorkerRequest =
  /** Where the answers go: the UI's end of a channel. */
  | { kind: 'replies'; port: MessagePort }
  /**
   * An ask of the UI: the lab analysis of the first `count` packets of source `generation`, of
   * `total` dissected. `batch` holds records `firstIndex`… (those the lab worker lacks).
   */
  | {
      kind: 'ask';
      id: number;
      generation: number;
      firstIndex: number;
      batch: RecordBatch;
      count: number;
      total: number;
      options: LabRequestOptions;
    };

/** From the lab worker: ask `id` is answered (its answer went to the UI). */
export type LabWorkerAnswered = { kind: 'answered'; id: number };

/** What the link needs of the lab worker (a Worker; a fake in tests). */
export interface LabWorkerEndpoint {
  postMessage(message: LabWorkerRequest, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<LabWorkerAnswered>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export function startLabWorker(): LabWorkerEndpoint | null {
  if (typeof Worker !== 'function' || typeof MessageChannel !== 'function') return null;
  try {
    return new Worker(new URL('./lab-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
}

export class LabLink {
  private worker: LabWorkerEndpoint | null;
  /** The records sent to the lab worker: the first `count` of source `generation`. */
  private sent = { generation: Number.NaN, count: 0 };
  /** Asks sent and not answered yet: answered here if the lab worker dies. */
  private readonly pending = new Map<number, LabRequestOptions>();
  private readonly here = new LabResults();

  constructor(
    private readonly table: PacketTable,
    private readonly post: (reply: WorkerReply, transfer?: Transferable[]) => void,
    start: () => LabWorkerEndpoint | null = startLabWorker,
  ) {
    this.worker = start();
    const worker = this.worker;
    if (!worker) return;
    worker.onmessage = (event) => this.pending.delete(event.data.id);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.stopWorker();
    };
    const channel = new MessageChannel();
    worker.postMessage({ kind: 'replies', port: channel.port2 }, [channel.port2]);
    this.post({ type: 'labReplies', port: channel.port1 }, [channel.port1]);
  }

  /** True while asks go to the lab worker. */
  get inWorker(): boolean {
    return this.worker !== null;
  }

  /** The UI's ask `id`: the lab analysis of what is dissected so far (at most LAB_PACKET_LIMIT packets). */
  ask(id: number, options: LabRequestOptions): void {
    const worker = this.worker;
    if (!worker) {
      this.answerHere(id, options);
      return;
    }
    const { table } = this;
    const total = table.dissectedCount;
    const count = Math.min(total, LAB_PACKET_LIMIT);
    if (this.sent.generation !== table.generation) this.sent = { generation: table.generation, count: 0 };
    const firstIndex = this.sent.count;
    const records: WireRecord[] = [];
    for (let i = firstIndex; i < count; i++) records.push(table.record(i));
    // A copy of their bytes (packRecords), handed over: the table's own stay here.
    const batch = packRecords(records);
    this.sent.count = Math.max(firstIndex, count);
    this.pending.set(id, options);
    const transfer = [batch.meta.buffer, batch.data.buffer].filter((b) => b.byteLength > 0);
    worker.postMessage(
      { kind: 'ask', id, generation: table.generation, firstIndex, batch, count, total, options },
      transfer as ArrayBuffer[],
    );
  }

  private answerHere(id: number, options: LabRequestOptions): void {
    let reply: WorkerReply;
    try {
      const packets = this.table.firstPackets(LAB_PACKET_LIMIT);
      const value = this.here.get(this.table.generation, packets, this.table.dissectedCount, options);
      reply = { type: 'reply', id, value };
    } catch (error) {
      reply = errorReply(id, error);
    }
    this.post(reply);
  }

  /** The lab worker died: its asks not answered yet, and all later ones, are answered here. */
  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    const asks = [...this.pending];
    this.pending.clear();
    for (const [id, options] of asks) this.answerHere(id, options);
  }
}
