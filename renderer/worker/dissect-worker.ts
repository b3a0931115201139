/// <reference lib="webworker" />
/**
 * The dissection worker: owns the PacketTable, answers the UI's requests and works through
 * queued dissection in ~12 ms slices so a request never waits long.
 */
import { PacketTable } from './packet-table';
import { LAB_PACKET_LIMIT, errorReply, type WorkerReply, type WorkerRequest } from './worker-messages';
import { followResult, reportResult } from './lab';
import { LabLink } from './lab-link';
import { StatisticsPasses } from './statistics-passes';
import { IoGraphJob } from './io-graph';
import { compileDisplayFilter } from '../../core/filter';
import { TableFileLoader } from './file-reader';
import { EngineWarmup, IdleWarmup, WARMUP_PACKETS } from './engine-warmup';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const table = new PacketTable();
let scheduled = false;
let lastProgress = 0;
/** A progress held back by the interval, and the timer that posts it when due. */
let progressDirty = false;
let progressTimer: ReturnType<typeof setTimeout> | null = null;
/** When the host last sent packets (a live capture): catching up with them is no reason to post at once. */
let lastAppend = -Infinity;
/** The list's length at the last progress: its tail goes with the next one only when it grew. */
let lastDisplayed = -1;
/** Rows of the tail sent with progress: more than a tall window shows, with its overscan. */
const TAIL_ROWS = 100;

const post = (reply: WorkerReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);
/** The lab guide's analysis, in a worker of its own (lab-link.ts). */
const lab = new LabLink(table, post);

/**
 * How often progress goes to the UI. Each update that grows the list costs the UI a render and a
 * layout of new rows: ten a second while rows come at a pace one can read, 2.5 a second when they
 * come by the hundred (a big source, a load on the lab server), where a row is on screen for a
 * fraction of a second anyway. The live bench's UI thread spent most of its time on those updates.
 */
function progressInterval(): number {
  const grown = table.displayed - lastDisplayed;
  return table.received > 200_000 || grown > 200 ? 400 : 100;
}

function postProgress(force = false): void {
  const now = performance.now();
  const wait = force ? 0 : progressInterval() - (now - lastProgress);
  if (wait > 0) {
    progressDirty = true;
    progressTimer ??= setTimeout(() => {
      progressTimer = null;
      if (progressDirty) postProgress();
    }, wait);
    return;
  }
  lastProgress = now;
  progressDirty = false;
  const progress = table.progress();
  const grew = progress.displayed !== lastDisplayed;
  lastDisplayed = progress.displayed;
  post({
    type: 'progress',
    progress,
    tail: grew ? table.rows(Math.max(0, progress.displayed - TAIL_ROWS), TAIL_ROWS) : undefined,
  });
}

// A MessageChannel yields to the event loop faster than setTimeout(0) (no 4 ms clamp).
const tick = new MessageChannel();
tick.port1.onmessage = () => {
  scheduled = false;
  const before = table.displayed;
  const more = table.step(12);
  // The first rows matter most: report them at once. So does the end of a file or filter; a live
  // capture's packets keep coming, and its catching up waits for the interval like the rest.
  const live = performance.now() - lastAppend < 1_000;
  postProgress((before === 0 && table.displayed > 0) || (!more && !live));
  if (more) schedule();
};

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  tick.port2.postMessage(null);
}

const statsTick = new MessageChannel();
const statistics = new StatisticsPasses(table, {
  progress: (id, done, total) => post({ type: 'jobProgress', id, done, total }),
  reply: (id, value) => post({ type: 'reply', id, value }),
  fail: (id, error) => post(errorReply(id, error)),
  continueLater: () => statsTick.port2.postMessage(null),
});
statsTick.port1.onmessage = () => statistics.step();

/** I/O graph passes, one after the other, in slices like the statistics pass. */
const ioJobs: { job: IoGraphJob; id: number }[] = [];
const ioTick = new MessageChannel();
ioTick.port1.onmessage = () => {
  const current = ioJobs[0];
  if (!current) return;
  try {
    const more = current.job.step(12);
    post({ type: 'jobProgress', id: current.id, done: current.job.done, total: current.job.total });
    if (!more) {
      ioJobs.shift();
      post({ type: 'reply', id: current.id, value: current.job.result() });
    }
  } catch (error) {
    ioJobs.shift();
    post(errorReply(current.id, error));
  }
  if (ioJobs.length > 0) ioTick.port2.postMessage(null);
};

function requestIoGraph(id: number, interval: number, filter: string): void {
  const text = filter.trim();
  const compiled = compileDisplayFilter(text);
  if (!compiled.ok) throw new Error(compiled.error.message);
  // A filter's matches are found as applying it to the list finds them.
  const source = table.receivedSource();
  const job =
    text === ''
      ? new IoGraphJob(source, interval, null)
      : new IoGraphJob(source, interval, { text, predicate: compiled.filter }, table.matchSearch(text, compiled));
  ioJobs.push({ job, id });
  if (ioJobs.length === 1) ioTick.port2.postMessage(null);
}

/** A file the user opened, read into the table here (a newer file or source stops it). */
const fileLoader = new TableFileLoader(table, schedule);

/**
 * The load pass's code, warmed while the worker is idle (engine-warmup.ts), from a moment after
 * it starts (the page's own start first), until as many real packets have been dissected.
 */
const WARMUP_DELAY_MS = 500;
/** How long a slice waits when the worker was busy. */
const WARMUP_WAIT_MS = 100;
const warmupTick = new MessageChannel();
const warmupSlices: (() => void)[] = [];
warmupTick.port1.onmessage = () => warmupSlices.shift()?.();
const warmup = new IdleWarmup({
  later: (slice) => {
    warmupSlices.push(slice);
    warmupTick.port2.postMessage(null);
  },
  idle: () => !scheduled && !fileLoader.loading && ioJobs.length === 0,
  warm: () => table.dissectedCount >= WARMUP_PACKETS,
  wait: (slice) => setTimeout(slice, WARMUP_WAIT_MS),
});
setTimeout(() => {
  try {
    warmup.start(new EngineWarmup());
  } catch {
    // No warm-up (its capture could not be read): a cold start, as before it existed.
  }
}, WARMUP_DELAY_MS);

function loadFile(id: number, file: Blob, name: string, generation: number, key?: string): void {
  fileLoader.load(file, name, generation, key).then(
    (value) => post({ type: 'reply', id, value }),
    (error: unknown) => post(errorReply(id, error)),
  );
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'reset':
        table.reset(request.generation);
        // An I/O graph reads the table's records as it goes: a new source ends it.
        for (const { id } of ioJobs.splice(0)) post(errorReply(id, new Error('the capture changed')));
        postProgress(true);
        return;
      case 'loadFile':
        loadFile(request.id, request.file, request.name, request.generation, request.key);
        return;
      case 'prefetchFile':
        fileLoader.prefetch(request.file, request.key);
        return;
      case 'append':
        lastAppend = performance.now();
        table.appendBatch(request.generation, request.firstIndex, request.batch);
        schedule();
        return;
      case 'rows':
        post({ type: 'reply', id: request.id, value: table.rows(request.from, request.count) });
        return;
      case 'detail':
        post({ type: 'reply', id: request.id, value: table.detail(request.index) });
        return;
      case 'check':
        post({ type: 'reply', id: request.id, value: table.check(request.text) });
        return;
      case 'filter':
        post({ type: 'reply', id: request.id, value: table.setFilter(request.text) });
        postProgress(true);
        schedule();
        return;
      case 'sort':
        post({ type: 'reply', id: request.id, value: table.setSort(request.sort) });
        postProgress(true);
        return;
      case 'find':
        post({ type: 'reply', id: request.id, value: table.find(request.number) });
        return;
      case 'displayedIndices':
        post({ type: 'reply', id: request.id, value: table.displayedIndices() });
        return;
      case 'export':
        post({ type: 'reply', id: request.id, value: table.exportText(request.options) });
        return;
      case 'lab':
        // What is dissected so far: the UI asks again (throttled) as more packets are dissected.
        lab.ask(request.id, request.options);
        return;
      case 'follow': {
        table.drain();
        const packets = table.firstPackets(LAB_PACKET_LIMIT);
        const packet = request.index < packets.length ? packets[request.index] : table.packet(request.index);
        post({ type: 'reply', id: request.id, value: followResult(packets, packet) });
        return;
      }
      case 'view':
        post({ type: 'reply', id: request.id, value: table.setView(request.options) });
        postProgress(true);
        return;
      case 'search':
        table.drain();
        post({ type: 'reply', id: request.id, value: table.search(request.query) });
        return;
      case 'statistics':
        statistics.request(request.id, request.scope);
        return;
      case 'ioGraph':
        requestIoGraph(request.id, request.interval, request.filter);
        return;
      case 'report': {
        table.drain();
        const packets = table.firstPackets(LAB_PACKET_LIMIT);
        post({ type: 'reply', id: request.id, value: reportResult(packets, request.options) });
        return;
      }
    }
  } catch (error) {
    if ('id' in request) post(errorReply(request.id, error));
    else console.error(error);
  }
};
