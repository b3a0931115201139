/**
 * The lab worker's state (lab-worker.ts): its own copy of a source's first packets, dissected in
 * order with trees pruned to what the analysis reads (LAB_FACT_FIELDS), and the lab analysis of
 * them. It runs in a worker of its own because the analysis cannot be cut into slices: 20,000
 * packets of a fast live capture took the dissection worker 3–5 s (trees, then analyzeLab, the
 * flow graph and the scenario), and the packet list stopped growing meanwhile. Pure:
 * unit-tested directly in Node.
 */
import type { WireRecord } from '../../bridge/lab-api';
import { unpackRecords } from '../../bridge/record-batch';
import type { DissectedPacket } from '../../core/dissect/context';
import { DissectionEngine } from '../../core/dissect/engine';
import { LAB_FACT_FIELDS } from '../../core/analysis/lab/facts';
import { LabResults } from './lab';
import type { LabWorkerRequest } from './lab-link';
import { splitLabResult } from './lab-parts';
import { errorReply, type LabRequestOptions, type LabResult, type WorkerReply } from './worker-messages';

export class LabAnalyst {
  private generation = Number.NaN;
  private records: WireRecord[] = [];
  private engine = labEngine();
  private packets: DissectedPacket[] = [];
  private results = new LabResults();

  /** The records held of the current source: the dissection worker sends only the ones after them. */
  get held(): number {
    return this.records.length;
  }

  /**
   * Records `firstIndex`… of source `generation`; another generation starts over. Only the next
   * ones in order are kept (records already held, or past a gap, are ignored).
   */
  add(generation: number, firstIndex: number, records: readonly WireRecord[]): void {
    if (generation !== this.generation) this.reset(generation);
    for (let i = Math.max(0, this.records.length - firstIndex); i < records.length; i++) {
      if (firstIndex + i !== this.records.length) break;
      this.records.push(records[i]);
    }
  }

  /**
   * The lab analysis of the first `count` packets (at most the records held), for a source of
   * `total` packets: what the dissection worker's labResult gives for its first packets.
   */
  analyse(count: number, total: number, options: LabRequestOptions): LabResult {
    const wanted = Math.min(count, this.records.length);
    // The engine's state is that of the packets before the next one: more packets continue it.
    for (let i = this.packets.length; i < wanted; i++) {
      this.packets.push(this.engine.dissect(this.records[i]));
    }
    return this.results.get(this.generation, this.packets.slice(0, wanted), total, options);
  }

  private reset(generation: number): void {
    this.generation = generation;
    this.records = [];
    this.engine = labEngine();
    this.packets = [];
    this.results = new LabResults();
  }
}

/**
 * Trees of only the fields the analysis reads, values without labels: whole trees cost 1.7 s and
 * 500 MB of heap for 20,000 packets of a live capture, and took the second core from the capture.
 */
function labEngine(): DissectionEngine {
  return new DissectionEngine({ tree: true, keptFields: LAB_FACT_FIELDS, labels: false });
}

/**
 * The lab worker's answer to an ask: its records added, the result sent in parts then its head
 * (splitLabResult), each a message (and a task) of its own for the UI thread to take.
 */
export function answerLabAsk(
  analyst: LabAnalyst,
  request: Extract<LabWorkerRequest, { kind: 'ask' }>,
  send: (reply: WorkerReply) => void,
): void {
  const { id } = request;
  let reply: WorkerReply;
  try {
    analyst.add(request.generation, request.firstIndex, unpackRecords(request.batch));
    const { head, parts } = splitLabResult(analyst.analyse(request.count, request.total, request.options));
    for (const part of parts) send({ type: 'labPart', id, part });
    reply = { type: 'reply', id, value: head };
  } catch (error) {
    reply = errorReply(id, error);
  }
  send(reply);
}
