/**
 * PacketFeed: turns the host's packet batches (pushed events, plus pulls to fill gaps, e.g.
 * after a page reload in the middle of a capture) into one ordered stream per generation
 * for the dissection worker. Batches may arrive out of order or twice; each packet is
 * delivered exactly once, in order.
 *
 * A file this page reads itself (its dissection worker, upload.ts) is a source whose packets
 * the host does not send and the feed does not fetch: the host's status names it with the
 * token the page chose (source.loadedBy). Another page, or this one after a reload, does not
 * know the token and fetches the packets as for any source.
 */
import type { LabStatus, PacketsEvent, RecordBatch } from '../../bridge/lab-api';

export interface FeedTarget {
  reset(generation: number): void;
  /** Packets from `firstIndex` on; the batch may start before the next packet expected (skip those). */
  append(generation: number, firstIndex: number, batch: RecordBatch): void;
}

export type FetchPackets = (from: number, count: number) => Promise<PacketsEvent>;

const FETCH_CHUNK = 50_000;

export class PacketFeed {
  generation = -1;
  /** Index of the next packet the target expects. */
  next = 0;
  /** Packets the host says the source has (from status). */
  private known = 0;
  private readonly parked = new Map<number, PacketsEvent>();
  private fetching = false;
  /** Tokens of the files this page reads itself, and whether the current generation is one. */
  private readonly ownTokens = new Set<string>();
  /** What to call when the host has started the source of a token (once). */
  private readonly starting = new Map<string, (generation: number) => void>();
  private local = false;

  constructor(
    private readonly target: FeedTarget,
    private readonly fetchPackets: FetchPackets,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  private reset(generation: number): void {
    this.generation = generation;
    this.next = 0;
    this.known = 0;
    this.parked.clear();
    this.local = false;
    this.target.reset(generation);
  }

  /**
   * This page is about to open a file it reads itself, under this token (loadedBy): `onStart` is
   * called once with the source's generation, after the target was reset to it, as soon as the
   * host's status or its answer (adopt) says the file is the source.
   */
  expectLocal(token: string, onStart: (generation: number) => void = () => undefined): void {
    this.ownTokens.add(token);
    this.starting.set(token, onStart);
  }

  /**
   * The host's answer says it started `generation` for the token's file: as its status would (in
   * whichever order they come). False when a newer source already replaced it (not to be read).
   */
  adopt(generation: number, token: string): boolean {
    if (generation < this.generation) {
      this.starting.delete(token);
      return false;
    }
    if (generation > this.generation) this.reset(generation);
    this.startLocal(token);
    return true;
  }

  private startLocal(token: string): void {
    this.local = true;
    this.parked.clear();
    const onStart = this.starting.get(token);
    this.starting.delete(token);
    onStart?.(this.generation);
  }

  /** A status from the host: a new generation resets; packets we lack are fetched. */
  status(status: LabStatus): void {
    const { generation, packets, loadedBy } = status.source;
    if (generation !== this.generation) this.reset(generation);
    if (loadedBy !== undefined && this.ownTokens.has(loadedBy)) this.startLocal(loadedBy);
    this.known = Math.max(this.known, packets);
    this.fill();
  }

  /** A pushed batch. */
  packets(event: PacketsEvent): void {
    if (event.generation === this.generation && this.local) return;
    if (event.generation !== this.generation) {
      if (event.generation < this.generation) return;
      this.reset(event.generation);
    }
    this.known = Math.max(this.known, event.firstIndex + event.batch.count);
    this.accept(event);
    this.fill();
  }

  private accept(event: PacketsEvent): void {
    if (event.generation !== this.generation) return;
    const end = event.firstIndex + event.batch.count;
    if (end <= this.next) return;
    if (event.firstIndex > this.next) {
      this.parked.set(event.firstIndex, event);
      return;
    }
    // The packed batch goes as it is (the UI thread does not unpack); the target skips the overlap.
    this.target.append(this.generation, event.firstIndex, event.batch);
    this.next = end;
    // Parked batches that now fit.
    for (const [first, parked] of [...this.parked].sort((a, b) => a[0] - b[0])) {
      if (first > this.next) break;
      this.parked.delete(first);
      this.accept(parked);
    }
  }

  /** Fetches what is missing before the first parked batch (or up to `known`). */
  private fill(): void {
    if (this.local || this.fetching || this.next >= this.known) return;
    const firstParked = Math.min(...this.parked.keys(), Infinity);
    const until = Math.min(this.known, firstParked);
    if (until <= this.next) return;
    const generation = this.generation;
    const from = this.next;
    this.fetching = true;
    this.fetchPackets(from, Math.min(FETCH_CHUNK, until - from))
      .then((event) => {
        this.fetching = false;
        if (generation !== this.generation) return this.fill();
        this.accept(event);
        // An empty answer means the host has fewer packets than we thought.
        if (event.batch.count === 0) this.known = this.next;
        this.fill();
      })
      .catch((error: unknown) => {
        this.fetching = false;
        this.onError(error);
      });
  }
}
