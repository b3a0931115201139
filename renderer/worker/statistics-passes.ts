/**
 * The worker's statistics passes (StatisticsJob): one at a time, over the packets received when
 * it was asked for, in slices between the worker's other requests. The last result is kept until
 * the source changes or grows. A pass of a wider scope answers the narrower scopes' requests too
 * (StatisticsScope); a request no running pass answers starts a new one, which answers the
 * running one's callers as well.
 */
import type { RecordSource } from './record-source';
import { StatisticsJob } from './statistics';
import { scopeAnswers, widerScope, type StatisticsResult, type StatisticsScope } from './statistics-types';

/** The packets a pass counts (the worker's PacketTable). */
export interface StatisticsSource {
  readonly generation: number;
  readonly received: number;
  receivedSource(): RecordSource;
}

/** How the passes answer (the worker's messages). */
export interface StatisticsReplies {
  progress(id: number, done: number, total: number): void;
  reply(id: number, result: StatisticsResult): void;
  fail(id: number, error: unknown): void;
  /** Calls `step` again soon, after the requests that came meanwhile. */
  continueLater(): void;
}

/** A pass's slice: short enough that the worker answers other requests between slices. */
const SLICE_MS = 12;

export class StatisticsPasses {
  private running: { job: StatisticsJob; ids: number[] } | null = null;
  private cache: StatisticsResult | null = null;

  constructor(
    private readonly source: StatisticsSource,
    private readonly replies: StatisticsReplies,
  ) {}

  request(id: number, scope: StatisticsScope): void {
    const { generation, received } = this.source;
    const current = (g: number, packets: number) => g === generation && packets === received;
    const cache = this.cache;
    if (cache && current(cache.generation, cache.packets) && scopeAnswers(cache.scope, scope)) {
      this.replies.reply(id, cache);
      return;
    }
    const previous = this.running;
    if (previous && current(previous.job.generation, previous.job.total) && scopeAnswers(previous.job.scope, scope)) {
      previous.ids.push(id);
      return;
    }
    // A new source, more packets or more dialogs: a new pass. It answers the callers of the one
    // still running too, so it computes what they asked for as well.
    const wider = previous ? widerScope(previous.job.scope, scope) : scope;
    this.running = { job: new StatisticsJob(this.source.receivedSource(), generation, wider), ids: [id] };
    if (previous) this.running.ids.push(...previous.ids);
    // The slices of a pass already running go on with the new job.
    else this.replies.continueLater();
  }

  /** One slice of the running pass; its callers get their answer when it ends. */
  step(budgetMs = SLICE_MS): void {
    const current = this.running;
    if (!current) return;
    try {
      const more = current.job.step(budgetMs);
      for (const id of current.ids) this.replies.progress(id, current.job.done, current.job.total);
      if (more) {
        this.replies.continueLater();
        return;
      }
      this.running = null;
      const result = current.job.result();
      if (result.generation === this.source.generation) this.cache = result;
      for (const id of current.ids) this.replies.reply(id, result);
    } catch (error) {
      this.running = null;
      for (const id of current.ids) this.replies.fail(id, error);
    }
  }
}
