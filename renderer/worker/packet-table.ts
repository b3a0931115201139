/**
 * The worker's packet table: every packet of the current source, dissected in arrival order
 * (summary columns, colour, filter verdict), the displayed view (filtered, sorted) and the
 * detail trees on demand. No DOM and no worker globals, so it is unit-tested directly.
 *
 * Work is incremental: `step(budgetMs)` does at most that much dissection or filtering and
 * returns, so the worker can answer row and detail requests between slices.
 *
 * Memory: the load pass keeps only the columns. Whole trees of the first packets are made when
 * first needed (a filter over a capture of up to KEEP_TREES packets, Follow, the report) and then
 * kept. Showing a packet whose tree is not kept re-dissects it with a fresh engine fed only what
 * its tree depends on (packet-index.ts), each packet at its place in the capture
 * (DissectionEngine.seek). A filter is answered, by what it reads, from what the load pass noted
 * of each packet (PacketIndex: protocols, addresses, ports, streams, flags, request and status
 * lines, TCP's analysis flags and per-segment numbers, HTTP's exchange numbers), from the HTTP header lines
 * it noted (HeaderBlocks), from the frame layer alone (the frame's own items), or else by
 * re-dissecting, with trees only where the filter's fields can be, the packets of those shapes
 * and what they depend on (each stream from its start up to its last packet that can match),
 * skipping the rest. Find Packet by display filter finds its matches the same way.
 */
import {
  DissectionEngine,
  readsOnlyBelowTcpPayload,
  readsOnlyTcpHeader,
  withDisplayedDelta,
} from '../../core/dissect/engine';
import { FRAME_ITEM_FIELDS } from '../../core/dissect/frame-fields';
import { TreePruning, copyColumns, emptyPacket, type DissectedPacket } from '../../core/dissect/context';
import { TCP_INFO_PACKING, heldTcpInfo } from '../../core/dissect/protocols/tcp-info';
import { formatFieldValue, nodeLabel, type ProtoNode } from '../../core/dissect/tree';
import { matchSelectedFilter } from '../../core/filter/match-selected';
import { customColumnText } from '../../core/dissect/custom-column';
import { formatTimeColumn, type TimeStamp } from '../../core/dissect/time-format';
import { compileDisplayFilter, type CompileResult, type PacketPredicate } from '../../core/filter';
import { PCAPNG_BLOCK_LINK_TYPE, type PacketRecord } from '../../core/pcap/types';
import type { RecordBatch, WireRecord } from '../../bridge/lab-api';
import { RecordStore } from './record-store';
import type { RecordSource } from './record-source';
import { createColorizer, type Colorizer, type RowColor } from './coloring';
import { exportDissections } from './export';
import { GrowableFloat64, GrowableInt32 } from './growable';
import { InternedColumn } from './interned-column';
import { TextColumn } from './text-column';
import { HeaderBlocks, readsOnlyHeaderItems } from './header-blocks';
import { INDEX_FIELDS, PacketIndex, presenceFields } from './packet-index';
import { valueFields } from './value-sets';
import { searchPacket, type SearchTarget } from './search';
import { LATER_LINK_FIELDS, requestFrameOf, withResponseLink } from './later-links';
import type {
  ExportTextOptions,
  SearchQuery,
  SearchResult,
  ViewOptions,
  FilterOutcome,
  PacketDetail,
  RowData,
  SortSpec,
  TableProgress,
  TreeItem,
} from './worker-messages';

type CompiledFilter = Extract<CompileResult, { ok: true }>;

/** Fields a packet's detail has and a filter's re-dissection does not (linkedPacket adds them). */
const DETAIL_ONLY_FIELDS: ReadonlySet<string> = new Set(['http.response_in', 'frame.marked']);

/** Whether a filter reading `fields` reads only the frame layer's own items (see EngineOptions.frameOnly). */
function readsOnlyFrameItems(fields: readonly string[]): boolean {
  return fields.length > 0 && fields.every((field) => FRAME_ITEM_FIELDS.has(field));
}

/**
 * A capture of up to this many packets is filtered on whole trees, made once and kept (see
 * keptTrees); a longer one is re-dissected with trees pruned to the filter's fields. A kept tree
 * costs ~20 KB of heap (10,000 cost 190 MB). 2,000 hold every lab capture (a few hundred packets) whole.
 */
export const KEEP_TREES = 2_000;

interface FilterJob {
  predicate: PacketPredicate;
  /** The fields `predicate` reads. */
  fields: readonly string[];
  /** Packets to re-check: [0, total). */
  total: number;
  next: number;
  view: GrowableInt32;
  /** Fresh engine when the trees are not kept. */
  engine: DissectionEngine | null;
  /** Per packet: whether it can have a field the filter reads (PacketIndex.relevantPackets). */
  relevant: (index: number) => boolean;
  /** The filter's answer for a packet without any of its fields. */
  withoutFields: boolean;
  /** The filter reads the coloring rule fields, which the colorizer adds to the tree. */
  colorize: boolean;
  /**
   * Per packet, whether `engine` must dissect it (PacketIndex.replayPlan of the packets that
   * can have the filter's fields); the others are skipped and the engine seeks over them.
   * null: every packet (after a disagreement).
   */
  plan: Uint8Array | null;
  /** The packet `engine` would dissect next without a seek. */
  fedUpTo: number;
  /**
   * Whether the plan skipped a packet yet. Until it does, the engine has dissected every packet
   * before, in order, as the load pass did: its columns cannot disagree with the list's.
   */
  skipped: boolean;
  /** A filter on header items alone: answered from the noted header blocks, nothing dissected. */
  headers: HeaderJob | null;
  /**
   * Where a filter that reads frame.time_delta_displayed measures it from: 'matches', the last
   * packet it matched (`lastShown`, -1: none yet), as tshark's -Y does when the filter is
   * applied; 'view', the packet shown before in the list, for Find Packet (which shows nothing
   * of its own). null: the filter does not read it.
   */
  displayedDeltaFrom: 'matches' | 'view' | null;
  lastShown: number;
}

/** A header filter's walk over HeaderBlocks (see headerVerdict). */
interface HeaderJob {
  /** The filter's fields, as a filter engine would prune its trees to them. */
  pruning: TreePruning;
  /** The first block not read yet. */
  block: number;
  /** The packet the predicate is given, holding one packet's header items at a time. */
  packet: DissectedPacket;
}

/**
 * Which packets a display filter matches (PacketTable.matchSearch), found in slices: `step` runs
 * one and says whether there is more; `matches` is complete once it says no.
 */
export interface MatchSearch {
  /** The packets searched: [0, total). */
  readonly total: number;
  readonly done: number;
  /** Per packet, 1 where the filter matches. */
  readonly matches: Uint8Array;
  step(budgetMs: number, now?: () => number): boolean;
}

/** A search whose answer is already known. */
function finishedSearch(matches: Uint8Array): MatchSearch {
  return { total: matches.length, done: matches.length, matches, step: () => false };
}

/** How much of the source a re-dissection replays (see PacketIndex.replayed). */
const enum Replay {
  /** What the packet's stream depends on: its own packets and the earlier streams on its ports. */
  Stream,
  /** The same, and every stream with reused ports in full. */
  StreamAndReusedPorts,
  /** Everything (if the others ever disagree with the list). */
  All,
}

/**
 * Where the detail engine stands: it has been fed, of packets [0, next), those that `stream`'s
 * packets depend on, each at its place in the capture (DissectionEngine.seek), or everything.
 */
interface DetailCursor {
  engine: DissectionEngine;
  next: number;
  stream: number;
  replay: Replay;
}

/**
 * The load pass's engine: pruned trees (setKeptFields) whose labels nobody reads: the colours,
 * the index and a filter read values.
 */
function loadEngine(): DissectionEngine {
  return new DissectionEngine({ tree: true, labels: false });
}

export class PacketTable {
  generation = 0;
  private records = new RecordStore();
  private dissected = 0;
  private engine = loadEngine();
  /** Where each HTTP message's header lines are (the load pass notes them), for header filters. */
  private headerBlocks = new HeaderBlocks();
  private readonly colorizer: Colorizer;
  // Columns, by packet index.
  private sources = new InternedColumn<string>();
  private destinations = new InternedColumn<string>();
  private protocols = new InternedColumn<string>();
  private infos = new TextColumn(TCP_INFO_PACKING);
  private times = new GrowableFloat64();
  private colors = new InternedColumn<RowColor | undefined>();
  /**
   * Whole trees of the first packets, made in order by an engine of their own when first asked
   * for (keptTrees). The load pass no longer makes them: 2,000 whole trees were most of a live
   * capture's first second in the worker, and the list started seconds behind the capture.
   */
  private trees: { engine: DissectionEngine; packets: DissectedPacket[] } | null = null;
  /** null: every dissected packet is shown, in order. */
  private view: GrowableInt32 | null = null;
  private filterText = '';
  private predicate: PacketPredicate | null = null;
  /** The fields `predicate` reads (the load pass keeps them in its pruned trees). */
  private predicateFields: readonly string[] = [];
  /** The last packet the applied filter matched, once its job is done (FilterJob.lastShown). */
  private lastShown = -1;
  private filterJob: FilterJob | null = null;
  private sortSpec: SortSpec | null = null;
  private viewVersion = 0;
  private index = new PacketIndex();
  private cursor: DetailCursor | null = null;
  /** Set if a re-dissection of only a packet's dependencies ever disagreed with the list. */
  private replayFailed = false;
  /** Streams whose packets needed every stream with reused ports replayed in full (once disagreed). */
  private reusedPortStreams = new Set<number>();
  /** Time Display Format, time references, marks and custom columns (see setView). */
  private viewOptions: ViewOptions = { timeFormat: 'relative', refs: [], marked: [], columns: [] };
  private refs: number[] = [];
  private marked = new Set<number>();
  /** HTTP request frame → its response's frame (see later-links.ts). */
  private responseOf = new Map<number, number>();
  /** Some timestamp has sub-microsecond digits: the Time column shows nanoseconds. */
  private nanoseconds = false;
  /** Find Packet's last display filter and what it matched (filterMatches), until the list changes. */
  private found: { text: string; total: number; matches: Uint8Array } | null = null;
  /** Displayed indices in capture order, for "since previous displayed" under a sorted view. */
  private displayedInOrder: { version: number; indices: Int32Array } | null = null;

  constructor(
    colorizer: Colorizer = createColorizer(),
    /** Captures of up to this many packets are filtered on whole trees, made once and kept (KEEP_TREES). */
    private readonly keepTrees = KEEP_TREES,
  ) {
    this.colorizer = colorizer;
    this.listenToLoadPass();
    this.updateLoadFields();
  }

  /**
   * The load pass's engine notes each HTTP message's header lines in `headerBlocks`, and tells
   * the index each TCP segment's numbers (it notes them without their tree nodes).
   */
  private listenToLoadPass(): void {
    const blocks = this.headerBlocks;
    this.engine.listenToHeaderBlocks((block, inFrame) => blocks.note(this.dissected, block, inFrame));
    this.engine.listenToPacketNumbers(this.index.packetNumbers);
  }

  reset(generation: number): void {
    this.generation = generation;
    this.records = new RecordStore();
    this.dissected = 0;
    this.engine = loadEngine();
    this.headerBlocks = new HeaderBlocks();
    this.sources = new InternedColumn();
    this.destinations = new InternedColumn();
    this.protocols = new InternedColumn();
    this.infos = new TextColumn(TCP_INFO_PACKING);
    this.times = new GrowableFloat64();
    this.colors = new InternedColumn();
    this.trees = null;
    this.view = this.predicate ? new GrowableInt32() : null;
    this.filterJob = null;
    this.index = new PacketIndex();
    this.listenToLoadPass();
    this.cursor = null;
    this.found = null;
    this.replayFailed = false;
    this.reusedPortStreams = new Set();
    this.nanoseconds = false;
    this.responseOf = new Map();
    this.refs = [];
    this.marked = new Set();
    this.viewOptions = { ...this.viewOptions, refs: [], marked: [] };
    this.viewVersion++;
    this.updateLoadFields();
  }

  /** Sets how rows are shown (time format, references, marks, custom columns); returns the view version. */
  setView(options: ViewOptions): number {
    this.viewOptions = { ...options, columns: options.columns.slice() };
    this.refs = [...new Set(options.refs)].sort((a, b) => a - b);
    this.marked = new Set(options.marked);
    this.viewVersion++;
    return this.viewVersion;
  }

  private stamp(index: number): TimeStamp {
    return { sec: this.records.tsSec(index), nsec: this.records.tsNsec(index) };
  }

  /**
   * The displayed packet before `index` in capture order, or -1 (`position`: where `index` is
   * shown, when known; a packet not shown, or one whose place is not known, is looked up).
   */
  private previousDisplayed(index: number, position = -1): number {
    if (!this.view) return index - 1;
    const sorted = this.sortSpec && !(this.sortSpec.column === 'number' && !this.sortSpec.descending);
    if (!sorted && position >= 0 && this.view.get(position) === index)
      return position > 0 ? this.view.get(position - 1) : -1;
    let list: Int32Array;
    if (!sorted) list = this.view.data.subarray(0, this.view.length);
    else {
      if (!this.displayedInOrder || this.displayedInOrder.version !== this.viewVersion)
        this.displayedInOrder = {
          version: this.viewVersion,
          indices: this.view.data.slice(0, this.view.length).sort(),
        };
      list = this.displayedInOrder.indices;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? list[lo - 1] : -1;
  }

  private timeText(index: number, position: number): string {
    const refs = this.refs;
    let reference: TimeStamp | null = null;
    let isReference = false;
    if (refs.length > 0) {
      let lo = 0;
      let hi = refs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (refs[mid] <= index) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) {
        reference = this.stamp(refs[lo - 1]);
        isReference = refs[lo - 1] === index;
      }
    }
    const previous = this.previousDisplayed(index, position);
    return formatTimeColumn(this.stamp(index), {
      format: this.viewOptions.timeFormat,
      digits: this.nanoseconds ? 9 : 6,
      first: this.stamp(0),
      previousCaptured: index > 0 ? this.stamp(index - 1) : null,
      previousDisplayed: previous >= 0 ? this.stamp(previous) : null,
      reference,
      isReference,
    });
  }

  /** Edit → Find Packet: the next (or previous) displayed packet that matches, wrapping around. */
  search(query: SearchQuery): SearchResult | null {
    const total = this.displayed;
    if (total === 0) return null;
    let target: SearchTarget;
    let matches: Uint8Array | null = null;
    if (query.kind === 'filter') {
      const compiled = compileDisplayFilter(query.text);
      if (!compiled.ok) throw new Error(compiled.error.message);
      target = { kind: 'filter', predicate: compiled.filter };
      matches = this.filterMatches(query.text.trim(), compiled);
    } else target = { kind: query.kind, text: query.text, where: query.where, caseSensitive: query.caseSensitive };
    const step = query.backward ? -1 : 1;
    let position = query.from < 0 ? (query.backward ? total : -1) : query.from;
    for (let n = 0; n < total; n++) {
      position = (position + step + total) % total;
      const index = this.indexAt(position);
      if (matches) {
        if (matches[index] === 1) return { position, index };
        continue;
      }
      const found = searchPacket(target, {
        columns: () => [
          String(index + 1),
          this.timeText(index, position),
          this.sources.get(index),
          this.destinations.get(index),
          this.protocols.get(index),
          String(this.records.originalLength(index)),
          this.infos.get(index),
        ],
        data: this.records.get(index).data,
        packet: () => this.linkedPacket(index),
      });
      if (found) return { position, index, ...found };
    }
    return null;
  }

  /** Adds records (their index must continue the source); returns false if it did not fit. */
  append(generation: number, firstIndex: number, records: readonly WireRecord[]): boolean {
    if (generation !== this.generation) return false;
    const skip = this.records.length - firstIndex;
    if (skip < 0) return false;
    this.records.appendRecords(skip > 0 ? records.slice(skip) : records);
    return true;
  }

  /** Adds a packed batch from the host (see record-batch.ts); the part already held is skipped. */
  appendBatch(generation: number, firstIndex: number, batch: RecordBatch): boolean {
    if (generation !== this.generation) return false;
    const skip = this.records.length - firstIndex;
    if (skip < 0) return false;
    this.records.appendBatch(batch, skip);
    return true;
  }

  get received(): number {
    return this.records.length;
  }

  /**
   * Makes room in every per-packet list for the `packets` a file is expected to hold in all
   * (file-reader.ts): each then grows once, not ten times (see growable.ts).
   */
  reserve(packets: number): void {
    this.records.reserve(packets);
    for (const column of [this.sources, this.destinations, this.protocols, this.colors]) column.reserve(packets);
    this.infos.reserve(packets);
    this.times.reserve(packets);
    this.index.reserve(packets);
  }

  get displayed(): number {
    return this.view ? this.view.length : this.dissected;
  }

  get busy(): boolean {
    return this.filterJob !== null || this.dissected < this.records.length;
  }

  progress(): TableProgress {
    const job = this.filterJob;
    return {
      generation: this.generation,
      received: this.records.length,
      dissected: this.dissected,
      displayed: this.displayed,
      filtering: job ? { done: job.next, total: job.total } : undefined,
      viewVersion: this.viewVersion,
    };
  }

  /** Does up to `budgetMs` of work; returns true while more remains. */
  step(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const deadline = now() + budgetMs;
    let n = 0;
    while (this.filterJob) {
      this.stepFilter(this.filterJob);
      if ((++n & 63) === 0 && now() >= deadline) return true;
    }
    while (this.dissected < this.records.length) {
      this.dissectNext();
      if ((++n & 31) === 0 && now() >= deadline) return this.busy;
    }
    return false;
  }

  /** Runs everything queued to completion (tests, export). */
  drain(): void {
    while (this.step(1_000)) {
      /* keep going */
    }
  }

  /**
   * What the load pass builds of each tree once past the kept ones: only what the colours, the
   * index and the later links read (null: the colorizer did not say, so the whole tree).
   */
  private loadFields(): string[] | null {
    const colorFields = this.colorizer.fields;
    if (!colorFields) return null;
    // A filter applied while packets still arrive is tested on the load pass's trees: keep its fields.
    return [
      ...new Set([
        ...colorFields,
        ...INDEX_FIELDS,
        ...presenceFields(),
        ...valueFields(),
        ...LATER_LINK_FIELDS,
        ...this.predicateFields,
      ]),
    ];
  }

  /** The fields the load pass keeps (a new source, or a filter set or cleared). */
  private updateLoadFields(): void {
    this.engine.setKeptFields(this.loadFields() ?? undefined);
  }

  private dissectNext(): void {
    const index = this.dissected;
    const packet = this.engine.dissect(this.records.get(index));
    this.sources.push(packet.columns.source);
    this.destinations.push(packet.columns.destination);
    this.protocols.push(packet.columns.protocol);
    // TCP's Info still held as values goes into the column as bytes, never made as a string.
    const tcpInfo = heldTcpInfo(packet.columns);
    if (tcpInfo !== null) this.infos.pushWritten(tcpInfo);
    else this.infos.push(packet.columns.info);
    this.times.push(packet.timeRelative);
    if (!this.nanoseconds && packet.record.tsNsec % 1000 !== 0) this.nanoseconds = true;
    const request = requestFrameOf(packet);
    if (request > 0 && !this.responseOf.has(request)) this.responseOf.set(request, packet.number);
    this.index.note(packet);
    // After the note: the colours' rules keep their answers by what it noted.
    this.colors.push(this.colorizer(packet, this.index.lastNoted));
    // The filter reads the tree, so it runs before the tree is dropped.
    if (this.view && this.predicate) {
      const job = this.filterJob;
      // A running job measures each packet's displayed delta from its last match: it checks this one after those.
      if (job?.displayedDeltaFrom) job.total = index + 1;
      else if (this.shownAsItArrives(this.predicate, packet, job)) this.view.push(index);
    }
    packet.tree = null;
    this.dissected++;
  }

  /** Whether the applied filter shows a packet just dissected by the load pass. */
  private shownAsItArrives(predicate: PacketPredicate, packet: DissectedPacket, job: FilterJob | null): boolean {
    if (job !== null || !this.predicateFields.includes(DISPLAYED_DELTA)) return safeTest(predicate, packet);
    const shown = safeTest(predicate, this.displayedAfter(packet, this.lastShown));
    if (shown) this.lastShown = packet.number - 1;
    return shown;
  }

  /** `packet` with its displayed delta measured from packet `lastShown` (-1: none). */
  private displayedAfter(packet: DissectedPacket, lastShown: number): DissectedPacket {
    return withDisplayedDelta(packet, lastShown >= 0 ? this.stamp(lastShown) : null);
  }

  private stepFilter(job: FilterJob): void {
    if (job.next >= job.total) {
      this.view = job.view;
      this.lastShown = job.lastShown;
      this.filterJob = null;
      this.applySort();
      this.viewVersion++;
      return;
    }
    const index = job.next++;
    const matches = this.verdict(job, index);
    if (matches) job.view.push(index);
  }

  /**
   * Whether packet `index` (the job's next) matches the job's filter; null when the job had to
   * start again (refilterEverything: its `next` is back at 0).
   */
  private verdict(job: FilterJob, index: number): boolean | null {
    let matches: boolean;
    const engine = job.engine;
    if (job.headers) matches = this.headerVerdict(job, job.headers, index);
    else if (!engine) matches = safeTest(job.predicate, this.asTested(job, this.keptTrees(index + 1)[index]));
    else if (job.plan && job.plan[index] === 0) {
      // Of a shape without the filter's fields, and nothing dissected later depends on it.
      matches = job.withoutFields;
      job.skipped = true;
    } else {
      if (job.fedUpTo !== index) this.seek(engine, index);
      job.fedUpTo = index + 1;
      const relevant = job.relevant(index);
      // Without a field of the filter's in its tree, a packet is dissected only for the state.
      const packet = engine.dissect(this.records.get(index), relevant);
      // What the skipped packets would have changed shows in the columns of what is shown. An
      // engine without TCP's state makes other columns (no relative numbers), and needs none of it.
      if (job.skipped && relevant && !engine.options.tcpHeaderOnly && !this.sameColumns(index, packet)) {
        this.refilterEverything(job);
        return null;
      }
      if (relevant && job.colorize) this.colorizer(packet);
      matches = relevant ? safeTest(job.predicate, this.asTested(job, packet)) : job.withoutFields;
    }
    if (matches) job.lastShown = index;
    return matches;
  }

  /** The packet a job's filter is given: with its displayed delta when the filter reads it. */
  private asTested(job: FilterJob, packet: DissectedPacket): DissectedPacket {
    const from = job.displayedDeltaFrom;
    if (from === null) return packet;
    return from === 'matches' ? this.displayedAfter(packet, job.lastShown) : this.asDisplayed(packet);
  }

  /**
   * A header filter's verdict on packet `index`, from the items its noted header blocks make:
   * the items a re-dissection pruned to the filter's fields would have put in its tree.
   */
  private headerVerdict(job: FilterJob, headers: HeaderJob, index: number): boolean {
    const blocks = this.headerBlocks;
    let block = headers.block;
    if (block >= blocks.length || blocks.packetOf(block) !== index) return job.withoutFields;
    const frame = this.records.get(index).data;
    const items: ProtoNode[] = [];
    for (; block < blocks.length && blocks.packetOf(block) === index; block++)
      blocks.addItems(block, frame, headers.pruning, items);
    headers.block = block;
    headers.packet.tree = items;
    return safeTest(job.predicate, headers.packet);
  }

  /** A filter's skipping disagreed with the list: starts it again, dissecting every packet. */
  private refilterEverything(job: FilterJob): void {
    console.warn(`wirelab: filtering frame ${job.next} after skipping others disagreed with the list; refiltering all`);
    job.next = 0;
    job.view.length = 0;
    job.lastShown = -1;
    job.plan = null;
    job.fedUpTo = 0;
    job.skipped = false;
    job.engine = this.filterEngine(job.fields, job.colorize, false);
  }

  /**
   * Per packet, whether a display filter matches it, found as applying the filter finds it (see
   * matchSearch), for Find Packet: testing packet by packet re-dissected each from its stream's
   * start (5 s for a search that found nothing in 100,000 packets). null: the filter reads what
   * only a packet's detail has (its later response link, its mark), so the packets are tested
   * one by one as shown.
   */
  private filterMatches(text: string, compiled: CompiledFilter): Uint8Array | null {
    const search = this.matchSearch(text, compiled);
    if (!search) return null;
    while (search.step(Infinity)) {
      /* to the end */
    }
    return search.matches;
  }

  /**
   * Which of the packets dissected so far a display filter matches, found as applying the
   * filter finds them (what the load pass noted, header lines, the frame layer, the streams that
   * can match re-dissected in order), in slices the caller runs: Find Packet, and the I/O
   * graph's filter. The answer is kept for the next search with the same filter while the list
   * stays the same (Find Next). null: the filter reads what only a packet's detail has (its later
   * response link, its mark).
   */
  matchSearch(text: string, compiled: CompiledFilter): MatchSearch | null {
    if (compiled.fields.some((field) => DETAIL_ONLY_FIELDS.has(field))) return null;
    const total = this.dissected;
    const found = this.found;
    if (found && found.text === text && found.total === total) return finishedSearch(found.matches);
    const matches = new Uint8Array(total);
    const recorded = this.recordedView(compiled, total);
    if (recorded) {
      for (let i = 0; i < recorded.length; i++) matches[recorded.data[i]] = 1;
      this.found = { text, total, matches };
      return finishedSearch(matches);
    }
    const job = this.filterJobFor(compiled, total);
    if (job.displayedDeltaFrom) job.displayedDeltaFrom = 'view';
    const generation = this.generation;
    return {
      total,
      matches,
      get done() {
        return job.next;
      },
      step: (budgetMs, now = () => performance.now()) => {
        // The records it reads are the source's: a new source ends it.
        if (this.generation !== generation)
          throw new Error('the capture changed while its packets were being filtered');
        const deadline = now() + budgetMs;
        let n = 0;
        while (job.next < total) {
          const index = job.next++;
          const verdict = this.verdict(job, index);
          if (verdict === null)
            matches.fill(0); // started again from the first packet
          else if (verdict) matches[index] = 1;
          if ((++n & 63) === 0 && now() >= deadline) break;
        }
        if (job.next < total) return true;
        this.found = { text, total, matches };
        return false;
      },
    };
  }

  /** Checks a filter without applying it. */
  check(text: string): FilterOutcome {
    const result = compileDisplayFilter(text);
    return result.ok ? { ok: true, displayed: this.displayed } : { ok: false, ...result.error };
  }

  /** Applies a display filter; the view is rebuilt over the next steps. */
  setFilter(text: string): FilterOutcome {
    const result = compileDisplayFilter(text);
    if (!result.ok) return { ok: false, ...result.error };
    this.filterText = text.trim();
    this.viewVersion++;
    if (this.filterText === '') {
      this.predicate = null;
      this.predicateFields = [];
      this.updateLoadFields();
      this.filterJob = null;
      this.view = null;
      this.applySort();
      return { ok: true, displayed: this.displayed };
    }
    this.predicate = result.filter;
    this.predicateFields = result.fields;
    this.lastShown = -1;
    this.updateLoadFields();
    const total = this.dissected;
    const recorded = this.recordedView(result, total);
    if (recorded) {
      this.view = recorded;
      this.filterJob = null;
      this.applySort();
      return { ok: true, displayed: this.displayed };
    }
    this.filterJob = this.filterJobFor(result, total);
    // Rows appear as the job finds them; packets dissected after it are checked as they arrive.
    this.view = this.filterJob.view;
    return { ok: true, displayed: 0 };
  }

  /**
   * The packets of [0, total) a filter matches, when the load pass noted all it reads (`http.request`,
   * `tcp.stream eq 5`, `tcp.port == 8001 && http`): nothing is dissected again. null otherwise.
   */
  private recordedView(compiled: CompiledFilter, total: number): GrowableInt32 | null {
    if (!this.index.answersFromRecord(compiled.fields, compiled.valueFields)) return null;
    const predicate = compiled.filter;
    return this.index.recordedMatches((packet) => safeTest(predicate, packet), compiled.fields, total);
  }

  /** The job that checks packets [0, total) against a filter the load pass did not note all of. */
  private filterJobFor(result: CompiledFilter, total: number): FilterJob {
    const fields = result.fields;
    const colorize = fields.some((f) => f.startsWith('frame.coloring_rule'));
    const relevant = this.index.relevantPackets(fields);
    // A small capture's whole trees are made once and kept: later filters read them as they are.
    // Not for the displayed delta: its job takes the packets that arrive while it runs (see
    // dissectNext), which must not grow the kept trees past their limit in a live capture.
    const readsDisplayedDelta = fields.includes(DISPLAYED_DELTA);
    const kept = total <= this.keepTrees && !readsDisplayedDelta;
    const headers: HeaderJob | null =
      !kept && readsOnlyHeaderItems(fields)
        ? { pruning: new TreePruning(fields), block: 0, packet: emptyPacket() }
        : null;
    // A filter on the frame's own items (frame.len, frame contains "…") dissects the frame layer
    // alone, every packet in order: no other layer, and no state to replay.
    const frameOnly = !kept && !headers && readsOnlyFrameItems(fields);
    const engine =
      kept || headers
        ? null
        : frameOnly
          ? new DissectionEngine({ tree: true, keptFields: fields, labels: false, frameOnly: true })
          : this.filterEngine(fields, colorize, readsOnlyBelowTcpPayload(fields), readsOnlyTcpHeader(fields));
    return {
      predicate: result.filter,
      fields,
      total,
      next: 0,
      view: new GrowableInt32(),
      engine,
      relevant: frameOnly ? () => true : relevant,
      withoutFields: safeTest(result.filter, emptyPacket()),
      colorize,
      plan: engine && !frameOnly ? this.index.replayPlan(relevant, total) : null,
      fedUpTo: 0,
      skipped: false,
      headers,
      displayedDeltaFrom: readsDisplayedDelta ? 'matches' : null,
      lastShown: -1,
    };
  }

  /**
   * The engine a filter re-dissects with: trees pruned to the filter's fields, as tshark builds
   * them for a filter (and to the colours' fields, and the Frame item they go under, when the
   * filter reads the coloring rule); with `stopAtTcpPayload`, nothing above TCP (a filter on
   * `tcp.window_size`, before the load pass noted the window, took 20 % less time without HTTP);
   * with `tcpHeaderOnly`, not even TCP's conversations.
   */
  private filterEngine(
    fields: readonly string[],
    colorize: boolean,
    stopAtTcpPayload: boolean,
    tcpHeaderOnly = false,
  ): DissectionEngine {
    const colorFields = this.colorizer.fields;
    if (colorize && !colorFields) return new DissectionEngine({ tree: true });
    const kept = colorize ? [...fields, ...(colorFields ?? []), 'frame'] : fields;
    // A filter reads values, never labels.
    return new DissectionEngine({ tree: true, keptFields: kept, labels: false, stopAtTcpPayload, tcpHeaderOnly });
  }

  get currentFilter(): string {
    return this.filterText;
  }

  setSort(sort: SortSpec | null): number {
    this.sortSpec = sort;
    this.applySort();
    this.viewVersion++;
    return this.displayed;
  }

  private applySort(): void {
    const sort = this.sortSpec;
    if (!sort || (sort.column === 'number' && !sort.descending)) {
      if (this.view && !this.predicate) this.view = null;
      else if (this.view) {
        const sorted = this.view.data.subarray(0, this.view.length).sort();
        this.view.data.set(sorted);
      }
      return;
    }
    const indices = this.view ? this.view.data.slice(0, this.view.length) : identity(this.dissected);
    const key = this.sortKey(sort.column);
    const dir = sort.descending ? -1 : 1;
    const arr = Array.from(indices);
    arr.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka < kb) return -dir;
      if (ka > kb) return dir;
      return a - b;
    });
    const view = new GrowableInt32();
    for (const i of arr) view.push(i);
    this.view = view;
  }

  private sortKey(column: SortSpec['column']): (i: number) => string | number {
    switch (column) {
      case 'number':
        return (i) => i;
      case 'time':
        return (i) => this.times.get(i);
      case 'source':
        return (i) => this.sources.get(i);
      case 'destination':
        return (i) => this.destinations.get(i);
      case 'protocol':
        return (i) => this.protocols.get(i);
      case 'length':
        return (i) => this.records.originalLength(i);
      case 'info': {
        const infos = this.infos.all();
        return (i) => infos[i];
      }
    }
  }

  /** Index of the packet shown at `position`. */
  indexAt(position: number): number {
    return this.view ? this.view.get(position) : position;
  }

  rows(from: number, count: number): RowData[] {
    const out: RowData[] = [];
    const end = Math.min(this.displayed, from + count);
    for (let position = Math.max(0, from); position < end; position++) {
      const index = this.indexAt(position);
      const color = this.colors.get(index);
      out.push({
        position,
        index,
        number: index + 1,
        time: this.times.get(index),
        source: this.sources.get(index),
        destination: this.destinations.get(index),
        protocol: this.protocols.get(index),
        length: this.records.originalLength(index),
        info: this.infos.get(index),
        background: color?.background,
        foreground: color?.foreground,
        rule: color?.name,
        timeText: this.timeText(index, position),
        marked: this.marked.has(index) || undefined,
        ref: this.refs.length > 0 && this.refs.includes(index) ? true : undefined,
        custom: this.customColumns(index),
      });
    }
    return out;
  }

  private customColumns(index: number): string[] | undefined {
    const columns = this.viewOptions.columns;
    if (columns.length === 0) return undefined;
    const tree = this.packet(index)?.tree ?? [];
    return columns.map((abbrev) => customColumnText(tree, abbrev));
  }

  /** Position of frame `number` in the displayed list, or -1. */
  find(number: number): number {
    const index = number - 1;
    if (index < 0 || index >= this.dissected) return -1;
    return this.view ? this.view.indexOf(index) : index;
  }

  displayedIndices(): number[] {
    return this.view ? this.view.toArray() : Array.from(identity(this.dissected));
  }

  /** The full dissection of one packet (re-dissected if its tree was not kept). */
  packet(index: number): DissectedPacket | null {
    if (index < 0 || index >= this.dissected) return null;
    if (index < this.kept.length) return this.kept[index];
    if (!this.replayFailed) {
      const stream = this.index.streamOfPacket(index);
      // A plain TCP packet first from its stream alone, checked by its stream index.
      if (stream >= 0 && !this.reusedPortStreams.has(stream)) {
        const packet = this.redissect(index, stream, Replay.Stream);
        if (this.sameColumns(index, packet) && streamIndex(packet) === stream) return packet;
        this.reusedPortStreams.add(stream);
      }
      // The list's columns came from the full in-order pass: a replay must agree with them.
      const packet = this.redissect(index, stream, Replay.StreamAndReusedPorts);
      if (this.sameColumns(index, packet)) return packet;
      this.replayFailed = true;
      console.warn(`wirelab: re-dissecting frame ${index + 1} from its stream alone disagreed; replaying everything`);
    }
    return this.redissect(index, -1, Replay.All);
  }

  /** Dissects packet `index` with its tree, continuing the detail cursor when it can. */
  private redissect(index: number, stream: number, replay: Replay): DissectedPacket {
    let cursor = this.cursor;
    if (!cursor || cursor.stream !== stream || cursor.replay !== replay || cursor.next > index) {
      cursor = { engine: new DissectionEngine({ tree: false }), next: 0, stream, replay };
      this.cursor = cursor;
    }
    const { engine } = cursor;
    if (replay === Replay.All) {
      for (let i = cursor.next; i < index; i++) engine.dissect(this.records.get(i));
    } else {
      // Only what the packet depends on, each where it stands in the capture.
      const reusedPorts = replay === Replay.StreamAndReusedPorts;
      for (const i of this.index.replayed(cursor.next, index, stream, reusedPorts)) {
        this.seek(engine, i);
        engine.dissect(this.records.get(i));
      }
      this.seek(engine, index);
    }
    const packet = engine.dissect(this.records.get(index), true);
    cursor.next = index + 1;
    this.colorizer(packet);
    return packet;
  }

  /** Makes `engine`'s next packet dissect as packet `index` (as if fed everything before it). */
  private seek(engine: DissectionEngine, index: number): void {
    // The delta's base: the last packet before that is not a pcapng block (the first if none is).
    let previous = index - 1;
    while (previous > 0 && isPcapngBlock(this.records.get(previous))) previous--;
    previous = Math.max(previous, 0);
    engine.seek({
      number: index + 1,
      firstSec: this.records.tsSec(0),
      firstNsec: this.records.tsNsec(0),
      prevSec: this.records.tsSec(previous),
      prevNsec: this.records.tsNsec(previous),
      tcpStreams: this.index.streamsOpenedBefore(index),
    });
  }

  private sameColumns(index: number, packet: DissectedPacket): boolean {
    const c = packet.columns;
    // The Info text last: it is compared byte by byte (see TextColumn.equals).
    return (
      c.protocol === this.protocols.get(index) &&
      c.source === this.sources.get(index) &&
      c.destination === this.destinations.get(index) &&
      packet.timeRelative === this.times.get(index) &&
      this.infos.equals(index, c.info)
    );
  }

  /** A packet's dissection with the links to later frames a second pass would add. */
  private linkedPacket(index: number): DissectedPacket | null {
    const packet = this.packet(index);
    if (!packet) return null;
    const linked = withResponseLink(packet, this.responseOf.get(packet.number));
    return this.marked.has(index) ? withMarked(linked) : linked;
  }

  /** `packet` as the current view shows it: under a display filter, its delta from the packet shown before it. */
  private asDisplayed(packet: DissectedPacket): DissectedPacket {
    return this.view ? this.displayedAfter(packet, this.previousDisplayed(packet.number - 1)) : packet;
  }

  detail(index: number): PacketDetail | null {
    const linked = this.linkedPacket(index);
    if (!linked) return null;
    const packet = this.asDisplayed(linked);
    return {
      index,
      number: packet.number,
      tree: toTreeItems(packet.tree ?? [], packet.sources[0]?.data),
      sources: packet.sources.map((s) => ({ name: s.name, data: s.data })),
    };
  }

  /**
   * Packets with their detail trees, in capture order, for `indices` (sorted, from 0). Kept trees
   * are reused; otherwise the source is re-dissected with a fresh engine, from the start, of
   * what the wanted packets depend on (PacketIndex.replayPlan), each at its place.
   */
  packetsWithTrees(indices: readonly number[]): DissectedPacket[] {
    const wanted = [...new Set(indices)].filter((i) => i >= 0 && i < this.dissected).sort((a, b) => a - b);
    if (wanted.length === 0) return [];
    if (wanted.length === 1) return [this.packet(wanted[0]) as DissectedPacket];
    const last = wanted[wanted.length - 1];
    if (last < this.kept.length) return wanted.map((i) => this.kept[i]);
    if (!this.replayFailed) {
      const packets = this.packetsFromDependencies(wanted);
      if (packets) return packets;
      this.replayFailed = true;
      console.warn('wirelab: re-dissecting packets from their streams alone disagreed; replaying everything');
    }
    const want = new Set(wanted);
    const engine = new DissectionEngine({ tree: true });
    const out: DissectedPacket[] = [];
    for (let i = 0; i <= last; i++) {
      const p = engine.dissect(this.records.get(i), want.has(i));
      if (want.has(i)) {
        this.colorizer(p);
        out.push(p);
      }
    }
    return out;
  }

  /** packetsWithTrees from only what they depend on; null if one disagrees with the list. */
  private packetsFromDependencies(wanted: readonly number[]): DissectedPacket[] | null {
    const last = wanted[wanted.length - 1];
    const want = new Uint8Array(last + 1);
    for (const i of wanted) want[i] = 1;
    const plan = this.index.replayPlan((i) => want[i] === 1, last + 1);
    const engine = new DissectionEngine({ tree: false });
    const out: DissectedPacket[] = [];
    let fedUpTo = 0;
    for (let i = 0; i <= last; i++) {
      if (plan[i] === 0) continue;
      if (fedUpTo !== i) this.seek(engine, i);
      fedUpTo = i + 1;
      const p = engine.dissect(this.records.get(i), want[i] === 1);
      if (want[i] === 0) continue;
      const stream = this.index.streamOfPacket(i);
      if (!this.sameColumns(i, p) || (stream >= 0 && streamIndex(p) !== stream)) return null;
      this.colorizer(p);
      out.push(p);
    }
    return out;
  }

  /** The whole trees made so far (keptTrees): what details, filters and replays can reuse. */
  private get kept(): readonly DissectedPacket[] {
    return this.trees?.packets ?? [];
  }

  /**
   * The first `count` packets (at most those dissected) with whole trees, coloured: made in order
   * by an engine of their own, then kept. Filters over a small capture, Follow Stream, the report
   * and the lab analysis where no lab worker runs (lab-link.ts) read them. The engine continues
   * for more packets: dissecting all of them again at each ask (20,000 whole trees, seconds of
   * work and of garbage) starved the load pass while a live capture grew.
   */
  private keptTrees(count: number): readonly DissectedPacket[] {
    const wanted = Math.min(this.dissected, count);
    let trees = this.trees;
    if (!trees) this.trees = trees = { engine: new DissectionEngine({ tree: true }), packets: [] };
    const { engine, packets } = trees;
    for (let i = packets.length; i < wanted; i++) {
      const packet = engine.dissect(this.records.get(i));
      this.colorizer(packet);
      // A copy: trees the engine allocated must not live long (see detached()).
      packets.push(detached(packet));
    }
    return packets;
  }

  firstPackets(limit: number): DissectedPacket[] {
    return this.keptTrees(limit).slice(0, Math.min(this.dissected, limit));
  }

  /** The record of packet `index` (received; its bytes are a view: not to be changed). */
  record(index: number): PacketRecord {
    return this.records.get(index);
  }

  /**
   * The source's records received so far, read one at a time (the statistics and I/O graph
   * passes). A new source ends a pass still reading them.
   */
  receivedSource(): RecordSource {
    const length = this.records.length;
    const generation = this.generation;
    return {
      length,
      record: (index) => {
        if (this.generation !== generation) throw new Error('the capture changed while a pass was reading it');
        return this.records.get(index);
      },
    };
  }

  get dissectedCount(): number {
    return this.dissected;
  }

  /** Plain-text dissection (Wireshark's Export Packet Dissections): displayed packets by default. */
  exportText(options: ExportTextOptions = { scope: 'displayed' }): string {
    let indices: number[];
    if (options.scope === 'all') indices = Array.from(identity(this.dissected));
    else if (options.scope === 'selected') indices = (options.indices ?? []).filter((i) => i < this.dissected);
    else indices = this.displayedIndices();
    const packets = new Map(this.packetsWithTrees(indices.slice(0, 100_000)).map((p) => [p.number - 1, p]));
    // In the list's order (sorted views export in their order, as Wireshark does).
    return exportDissections(
      indices.filter((i) => packets.has(i)).map((i) => this.asDisplayed(packets.get(i) as DissectedPacket)),
      { bytes: options.bytes ?? true },
    );
  }
}

/** Measured from the packet shown before (FilterJob.displayedDeltaFrom). */
const DISPLAYED_DELTA = 'frame.time_delta_displayed';

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * A copy of a dissected packet for keeping. When trees the engine allocated stay alive, V8
 * learns that those allocation sites' objects live long and allocates all later trees in the
 * old generation (pretenuring): every later packet then costs major GCs, and the whole list
 * dissects 3-4 times slower. Copies are allocated here instead, and the engine's die young.
 */
function detached(packet: DissectedPacket): DissectedPacket {
  return {
    ...packet,
    columns: copyColumns(packet.columns),
    protocols: packet.protocols.slice(),
    tree: packet.tree && copyNodes(packet.tree),
    sources: packet.sources.map((s) => ({ ...s })),
    expert: packet.expert.map((e) => ({ ...e })),
  };
}

function copyNodes(nodes: readonly ProtoNode[]): ProtoNode[] {
  return nodes.map((n) => (n.children ? { ...n, children: copyNodes(n.children) } : { ...n }));
}

/** A pcapng block shown as a frame: it does not move the packet clock (see DissectionEngine.dissect). */
function isPcapngBlock(record: PacketRecord): boolean {
  return record.linkType === PCAPNG_BLOCK_LINK_TYPE && record.pcapngBlock !== undefined;
}

/** The TCP stream index shown in a packet's tree (its first TCP header), or -1. */
function streamIndex(packet: DissectedPacket): number {
  for (const node of packet.tree ?? []) {
    if (node.field?.abbrev !== 'tcp') continue;
    const stream = node.children?.find((c) => c.field?.abbrev === 'tcp.stream');
    return typeof stream?.value === 'number' ? stream.value : -1;
  }
  return -1;
}

/** The packet with `[Frame is marked: True]` (a copy), as Wireshark shows a marked frame. */
function withMarked(packet: DissectedPacket): DissectedPacket {
  const tree = packet.tree;
  const frame = tree?.[0];
  if (!tree || frame?.field?.abbrev !== 'frame' || !frame.children) return packet;
  const children = frame.children.map((c) =>
    c.field?.abbrev === 'frame.marked' ? { ...c, value: true, text: undefined } : c,
  );
  return { ...packet, tree: [{ ...frame, children }, ...tree.slice(1)] };
}

function safeTest(predicate: PacketPredicate, packet: DissectedPacket): boolean {
  try {
    return predicate(packet);
  } catch {
    return false;
  }
}

/** Hidden nodes dropped, labels formatted, ids in pre-order. */
export function toTreeItems(nodes: readonly ProtoNode[], frame?: Uint8Array): TreeItem[] {
  let next = 0;
  const convert = (list: readonly ProtoNode[]): TreeItem[] => {
    const out: TreeItem[] = [];
    for (const node of list) {
      if (node.hidden) continue;
      const item: TreeItem = {
        id: next++,
        label: nodeLabel(node),
        field: node.field?.abbrev,
        start: node.start,
        length: node.generated ? 0 : node.length,
        source: node.source,
        generated: node.generated === true,
      };
      const field = node.field;
      if (field) {
        item.name = field.name;
        item.type = field.type;
        if (field.bitmask !== undefined) item.bitmask = field.bitmask;
        if (field.bitWidth !== undefined) item.bitWidth = field.bitWidth;
        if (field.type !== 'protocol' && field.type !== 'none' && node.value !== undefined)
          item.value = formatFieldValue(field, node.value);
        if (field.type === 'framenum' && typeof node.value === 'number' && node.value > 0) item.frameRef = node.value;
      }
      const filter = matchSelectedFilter(node, frame);
      if (filter) item.filter = filter;
      if (node.children && node.children.some((c) => !c.hidden)) item.children = convert(node.children);
      out.push(item);
    }
    return out;
  };
  return convert(nodes);
}
