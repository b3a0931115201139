/**
 * The lab analysis in a worker of its own (lab-link.ts, lab-worker.ts, lab-analyst.ts): the UI's
 * asks get, through the lab worker, exactly what the dissection worker's own analysis of its
 * first packets gives, each record is sent to the lab worker once, and when the lab worker dies
 * (or cannot start) the asks are answered by the dissection worker itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCaptureFile } from '../../core/pcap';
import { PacketTable } from './packet-table';
import { createColorizer } from './coloring';
import { labResult, labResultForViews } from './lab';
import { LabAnalyst, answerLabAsk } from './lab-analyst';
import { joinLabResult, splitLabResult } from './lab-parts';
import { WorkerClient } from './worker-client';
import { LabLink, type LabWorkerAnswered, type LabWorkerEndpoint, type LabWorkerRequest } from './lab-link';
import {
  ALL_LAB_VIEWS,
  type LabRequestOptions,
  type LabResult,
  type WorkerReply,
  type WorkerRequest,
} from './worker-messages';

const captures = path.join(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'lab');
const read = (name: string) => readCaptureFile(new Uint8Array(readFileSync(path.join(captures, name)))).packets;

/** The dissection worker's table of a capture, its first `count` records received and dissected. */
function tableOf(records: ReturnType<typeof read>, count = records.length, generation = 1): PacketTable {
  // Trees kept for 3 packets only: the rest of the dissection worker's lab packets are its own pass.
  const table = new PacketTable(createColorizer(), 3);
  table.reset(generation);
  table.append(generation, 0, records.slice(0, count));
  table.drain();
  return table;
}

/** What the dissection worker answered before there was a lab worker. */
const answeredHere = (table: PacketTable, options = { serverPort: 8001 }) =>
  labResultForViews(labResult(table.firstPackets(20_000), table.dissectedCount, options), ALL_LAB_VIEWS);

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/**
 * A lab worker in this thread: a LabAnalyst behind the messages lab-worker.ts handles. `alive`
 * false: it takes asks and never answers (a worker that died while analysing).
 */
function fakeLabWorker(state: { alive: boolean; asks: Extract<LabWorkerRequest, { kind: 'ask' }>[] }) {
  const analyst = new LabAnalyst();
  let replies: MessagePort | null = null;
  const endpoint: LabWorkerEndpoint & { terminated: boolean } = {
    terminated: false,
    onmessage: null,
    onerror: null,
    terminate() {
      endpoint.terminated = true;
    },
    postMessage(request: LabWorkerRequest) {
      if (request.kind === 'replies') {
        replies = request.port;
        ports.push(request.port);
        return;
      }
      state.asks.push(request);
      if (!state.alive) return;
      answerLabAsk(analyst, request, (reply) => replies?.postMessage(reply));
      endpoint.onmessage?.({ data: { kind: 'answered', id: request.id } } as MessageEvent<LabWorkerAnswered>);
    },
  };
  return endpoint;
}

/**
 * The UI's end, a WorkerClient: its lab asks go to `link` as the dissection worker hands them
 * over, and what the link posts (and the lab worker's port) comes back to it.
 */
function ui() {
  let link: LabLink | null = null;
  const dissection = {
    onmessage: null as ((event: MessageEvent<WorkerReply>) => void) | null,
    postMessage(request: WorkerRequest) {
      if (request.type === 'lab') link?.ask(request.id, request.options);
    },
  };
  const client = new WorkerClient(dissection as unknown as Worker);
  const receive = (reply: WorkerReply) => {
    if (reply.type === 'labReplies') ports.push(reply.port);
    dissection.onmessage?.({ data: reply } as MessageEvent<WorkerReply>);
  };
  return {
    receive,
    attach: (to: LabLink) => (link = to),
    ask: (options: LabRequestOptions) => client.lab(options),
  };
}

describe('LabAnalyst', () => {
  it('analyses its records as the dissection worker analyses its first packets, as they arrive', () => {
    for (const name of ['lab-linux-ipv4.pcap', 'lab-dumpcap-lo-any.pcapng']) {
      const records = read(name);
      const analyst = new LabAnalyst();
      for (let from = 0; from < records.length; from += 11) {
        const to = Math.min(records.length, from + 11);
        analyst.add(1, from, records.slice(from, to));
        const expected = answeredHere(tableOf(records, to));
        expect(JSON.stringify(analyst.analyse(to, to, { serverPort: 8001 })), `${name} at ${to}`).toBe(
          JSON.stringify(expected),
        );
      }
      // Fewer than it holds, and a bigger total (a source that went on): the first ones.
      const few = analyst.analyse(5, 1_000, { serverPort: 8001 });
      expect([few.analysed, few.total, few.truncated]).toEqual([5, 1_000, true]);
      expect(few.analysis.packetCount).toBe(5);
    }
  });

  it('keeps only the next records in order, and starts over for another source', () => {
    const records = read('lab-linux-ipv4.pcap');
    const analyst = new LabAnalyst();
    analyst.add(1, 0, records.slice(0, 10));
    analyst.add(1, 5, records.slice(5, 15)); // 5–9 again: only 10–14 are new
    analyst.add(1, 20, records.slice(20, 25)); // past a gap: ignored
    expect(analyst.held).toBe(15);
    expect(analyst.analyse(100, 15, {}).analysis.packetCount).toBe(15);
    analyst.add(2, 0, records.slice(0, 4));
    expect(analyst.held).toBe(4);
    expect(analyst.analyse(100, 4, {}).analysis.packetCount).toBe(4);
  });
});

describe('LabLink', () => {
  it('answers through the lab worker what the dissection worker answered itself; each record is sent once', async () => {
    const records = read('lab-linux-ipv4.pcap');
    const state = { alive: true, asks: [] as Extract<LabWorkerRequest, { kind: 'ask' }>[] };
    const side = ui();
    const table = tableOf(records, 12);
    const link = side.attach(new LabLink(table, side.receive, () => fakeLabWorker(state)));
    expect(link.inWorker).toBe(true);
    expect(JSON.stringify(await side.ask({ serverPort: 8001 }))).toBe(JSON.stringify(answeredHere(table)));
    // More packets: only the new records go.
    table.append(1, 12, records.slice(12));
    table.drain();
    expect(JSON.stringify(await side.ask({ serverPort: 8001 }))).toBe(JSON.stringify(answeredHere(table)));
    expect(state.asks.map((a) => [a.firstIndex, a.batch.count, a.count])).toEqual([
      [0, 12, 12],
      [12, records.length - 12, records.length],
    ]);
    // A new source: its records from the first.
    table.reset(2);
    table.append(2, 0, records.slice(0, 6));
    table.drain();
    expect((await side.ask({})).analysis.packetCount).toBe(6);
    expect(state.asks.at(-1)?.firstIndex).toBe(0);
  });

  it('answers here when the lab worker dies or cannot start', async () => {
    const records = read('lab-linux-ipv4.pcap');
    const state = { alive: false, asks: [] as Extract<LabWorkerRequest, { kind: 'ask' }>[] };
    const side = ui();
    const table = tableOf(records);
    let worker: ReturnType<typeof fakeLabWorker> | null = null;
    const link = side.attach(new LabLink(table, side.receive, () => (worker = fakeLabWorker(state))));
    const asked = side.ask({ serverPort: 8001 });
    expect(state.asks).toHaveLength(1);
    // The lab worker crashes before answering: the ask is answered here, and so are later ones.
    worker!.onerror?.({ preventDefault() {} } as ErrorEvent);
    expect(worker!.terminated).toBe(true);
    expect(link.inWorker).toBe(false);
    expect(JSON.stringify(await asked)).toBe(JSON.stringify(answeredHere(table)));
    expect((await side.ask({ serverPort: 8001 })).analysed).toBe(records.length);
    expect(state.asks).toHaveLength(1);

    const none = ui();
    const without = none.attach(new LabLink(table, none.receive, () => null));
    expect(without.inWorker).toBe(false);
    expect(JSON.stringify(await none.ask({ serverPort: 8001 }))).toBe(JSON.stringify(answeredHere(table)));
  });
});

describe('a lab result in parts (lab-parts.ts) and the UI client that puts it together', () => {
  const many = (): LabResult => {
    // A capture of many connections: the fixture's lists, 60 times over.
    const one = answeredHere(tableOf(read('lab-linux-ipv4.pcap')));
    const times = <T>(items: T[]) => Array.from({ length: 60 }, () => items).flat();
    return {
      ...one,
      analysis: {
        ...one.analysis,
        connections: times(one.analysis.connections),
      },
      graph: { ...one.graph, arrows: times(one.graph.arrows) },
    };
  };

  it('splitLabResult cuts each long list into parts; joinLabResult gives the result back', () => {
    const result = many();
    const { head, parts } = splitLabResult(result);
    expect(head.analysis.connections).toEqual([]);
    expect(head.graph.arrows).toEqual([]);
    expect(new Set(parts.map((p) => p.list))).toEqual(new Set(['connections', 'arrows']));
    expect(parts.filter((p) => p.list === 'connections').length).toBeGreaterThan(1);
    expect(JSON.stringify(joinLabResult(structuredClone(head), structuredClone(parts)))).toBe(JSON.stringify(result));
  });

  it('WorkerClient.lab resolves with the whole result from the parts and the head the lab worker sent', async () => {
    const dissection = { onmessage: null as ((event: MessageEvent<WorkerReply>) => void) | null, postMessage() {} };
    const client = new WorkerClient(dissection as unknown as Worker);
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    dissection.onmessage?.({ data: { type: 'labReplies', port: channel.port1 } } as MessageEvent<WorkerReply>);
    const asked = client.lab({ serverPort: 8001 });
    const result = many();
    const { head, parts } = splitLabResult(result);
    // The first ask's id is 1.
    for (const part of parts) channel.port2.postMessage({ type: 'labPart', id: 1, part } satisfies WorkerReply);
    channel.port2.postMessage({ type: 'reply', id: 1, value: head } satisfies WorkerReply);
    expect(JSON.stringify(await asked)).toBe(JSON.stringify(result));
  });
});
