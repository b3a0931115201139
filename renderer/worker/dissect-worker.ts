/// <reference lib="webworker" />
/**
 * The dissection worker: owns the PacketTable, answers the UI's requests and works through
 * queued dissection in ~12 ms slices so a request never waits long.
 */
import { PacketTable } from './packet-table';
import { LAB_PACKET_LIMIT, type WorkerReply, type WorkerRequest } from './protocol';
import { followResult, labResult, reportResult } from './lab';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const table = new PacketTable();
let scheduled = false;
let lastProgress = 0;
let progressDirty = false;

const post = (reply: WorkerReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

/**
 * How often progress goes to the UI. Each update that grows the list makes the UI re-measure
 * it (O(rows)), so a big source is updated less often while it loads.
 */
function progressInterval(): number {
  return table.received > 200_000 ? 400 : 100;
}

function postProgress(force = false): void {
  const now = performance.now();
  if (!force && now - lastProgress < progressInterval()) {
    progressDirty = true;
    return;
  }
  lastProgress = now;
  progressDirty = false;
  post({ type: 'progress', progress: table.progress() });
}

// A MessageChannel yields to the event loop faster than setTimeout(0) (no 4 ms clamp).
const tick = new MessageChannel();
tick.port1.onmessage = () => {
  scheduled = false;
  const before = table.displayed;
  const more = table.step(12);
  // The first rows matter most: report them at once.
  postProgress(before === 0 && table.displayed > 0);
  if (more) schedule();
  else postProgress(true);
};

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  tick.port2.postMessage(null);
}

setInterval(() => {
  if (progressDirty) postProgress();
}, 150);

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'reset':
        table.reset(request.generation);
        postProgress(true);
        return;
      case 'append':
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
      case 'lab': {
        // What is dissected so far: the UI asks again (debounced) as more packets are dissected.
        const packets = table.firstPackets(LAB_PACKET_LIMIT);
        post({ type: 'reply', id: request.id, value: labResult(packets, table.dissectedCount, request.options) });
        return;
      }
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
      case 'report': {
        table.drain();
        const packets = table.firstPackets(LAB_PACKET_LIMIT);
        post({ type: 'reply', id: request.id, value: reportResult(packets, request.options) });
        return;
      }
    }
  } catch (error) {
    if ('id' in request)
      post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    else console.error(error);
  }
};
