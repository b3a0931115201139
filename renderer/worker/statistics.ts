/**
 * Statistics › Conversations / Endpoints / Protocol Hierarchy / Expert Information / Capture File
 * Properties and File › Export Objects › HTTP, computed in the worker by a pass of core/stats'
 * collectors over the current source's packets with a fresh engine (as Wireshark's taps are run
 * by a rescan): trees pruned to what the tables read, or to what they, Protocol Hierarchy and
 * Expert Information read, or whole trees for Export Objects too (StatisticsScope). The pass
 * works in slices (`step`) so the worker keeps answering while it runs, and reports its
 * progress. Pure: unit-tested directly.
 */
import { DissectionEngine, readsOnlyBelowTcpPayload } from '../../core/dissect/engine';
import type { DissectedPacket, ExpertSeverity } from '../../core/dissect/context';
import type { PacketRecord } from '../../core/pcap/types';
import {
  CONVERSATION_TYPES,
  ConversationTable,
  EndpointTable,
  ExpertSummary,
  PacketEnds,
  ProtocolHierarchy,
  protocolShortName,
} from '../../core/stats';
import { HttpObjectList, exportFileNames } from '../../core/stats/http-objects';
import type { Ends } from '../../core/stats/conversations';
import {
  LAYER_FIELDS,
  childNumber,
  childText,
  hierarchyFields,
  packetLayers,
  type Layer,
} from '../../core/stats/layers';
import { lookupField } from '../../core/dissect/fields';
import type { ExpertEntry, HttpObjectEntry, StatisticsResult, StatisticsScope } from './statistics-types';
import { arraySource, type RecordSource } from './record-source';

/**
 * The engine of a pass. Read by taps alone, its trees format no label (EngineOptions.forTaps).
 * 'tables' reads only the layers' addresses and ports (LAYER_FIELDS, as `wirelab -z conv` does),
 * all of them below TCP's payload: nothing above TCP is dissected. 'protocols' reads those and
 * the protocols' own items (hierarchyFields, as `wirelab -z io,phs` does), the expert items among
 * them ('_ws.expert' is a protocol item): every expert item is raised as with a whole tree.
 */
function statisticsEngine(scope: StatisticsScope): DissectionEngine {
  if (scope === 'all') return new DissectionEngine({ tree: true, forTaps: true });
  if (scope === 'protocols')
    return new DissectionEngine({ tree: true, forTaps: true, keptFields: [...LAYER_FIELDS, ...hierarchyFields()] });
  return new DissectionEngine({
    tree: true,
    forTaps: true,
    keptFields: LAYER_FIELDS,
    stopAtTcpPayload: readsOnlyBelowTcpPayload(LAYER_FIELDS),
  });
}

export class StatisticsJob {
  private readonly engine: DissectionEngine;
  private next = 0;
  private readonly conversations = new Map(CONVERSATION_TYPES.map((t) => [t, new ConversationTable(t)]));
  private readonly endpoints = new Map(CONVERSATION_TYPES.map((t) => [t, new EndpointTable(t)]));
  private readonly ends = new PacketEnds();
  private readonly hierarchy = new ProtocolHierarchy();
  // Wireshark's Expert Information dialog builds trees, so it counts the tree-only items too.
  private readonly expertSummary = new ExpertSummary({ withTreeOnlyItems: true });
  private readonly expertFrames = new Map<string, number[]>();
  private readonly http = new HttpObjectList();
  /** The first frame of each TCP stream (Follow Stream selects it). */
  private readonly streamFirstFrame = new Map<number, number>();
  /** Ethernet names as the tables show them ("Vendor_12:34:56") → the address a filter takes. */
  private readonly macOfName = new Map<string, string>();
  private bytes = 0;
  /** First and last packet time as [seconds, nanoseconds] (a double of epoch seconds loses the ns). */
  private firstTime: [number, number] | null = null;
  private lastTime: [number, number] | null = null;
  private readonly linkTypes = new Set<number>();

  constructor(
    private readonly records: RecordSource,
    readonly generation: number,
    readonly scope: StatisticsScope = 'all',
  ) {
    this.engine = statisticsEngine(scope);
  }

  get total(): number {
    return this.records.length;
  }
  get done(): number {
    return this.next;
  }

  /** Dissects for up to `budgetMs`; true while packets remain. */
  step(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const deadline = now() + budgetMs;
    while (this.next < this.records.length) {
      this.add(this.engine.dissect(this.records.record(this.next++)));
      if ((this.next & 15) === 0 && now() >= deadline) break;
    }
    return this.next < this.records.length;
  }

  private add(packet: DissectedPacket): void {
    const layers = packetLayers(packet);
    for (const type of CONVERSATION_TYPES) {
      const ends = this.ends.of(type, layers);
      this.conversations.get(type)?.add(packet, ends);
      this.endpoints.get(type)?.add(packet, ends);
    }
    if (this.scope !== 'tables') this.addToProtocolDialogs(packet, layers);
    if (this.scope === 'all') this.http.add(packet, layers);
    for (const { protocol, node } of layers) {
      if (protocol !== 'tcp') continue;
      const stream = childNumber(node, 'tcp.stream');
      if (stream !== null && !this.streamFirstFrame.has(stream)) this.streamFirstFrame.set(stream, packet.number);
    }
    // The MAC behind each name the Ethernet tables show, found once per name: the names are
    // PacketEnds' own (formatting both addresses twice more for every packet was a tenth of a pass).
    const ethEnds = this.ends.of('eth', layers);
    if (ethEnds.length > 0) this.noteMacs(ethEnds, layers);
    const { tsSec, tsNsec } = packet.record;
    const first = this.firstTime;
    const last = this.lastTime;
    if (first === null || tsSec < first[0] || (tsSec === first[0] && tsNsec < first[1]))
      this.firstTime = [tsSec, tsNsec];
    if (last === null || tsSec > last[0] || (tsSec === last[0] && tsNsec > last[1])) this.lastTime = [tsSec, tsNsec];
    this.bytes += packet.record.originalLength;
    this.linkTypes.add(packet.record.linkType);
  }

  /** Notes the MAC of each name in `ends` (the Ethernet layers' ends, in order) not seen yet. */
  private noteMacs(ends: readonly Ends[], layers: readonly Layer[]): void {
    let next = 0;
    for (const { protocol, node } of layers) {
      if (protocol !== 'eth') continue;
      const { src, dst } = ends[next++];
      if (!this.macOfName.has(src)) this.macOfName.set(src, childText(node, 'eth.src'));
      if (!this.macOfName.has(dst)) this.macOfName.set(dst, childText(node, 'eth.dst'));
    }
  }

  /** What Protocol Hierarchy and Expert Information read ('protocols' and 'all'). */
  private addToProtocolDialogs(packet: DissectedPacket, layers: readonly Layer[]): void {
    this.hierarchy.add(packet, layers);
    this.expertSummary.add(packet);
    const expertKey = (severity: ExpertSeverity, protocol: string, summary: string) =>
      `${severity}\u0000${protocol}\u0000${summary}`;
    const noteExpert = (k: string) => {
      const frames = this.expertFrames.get(k);
      if (frames) frames.push(packet.number);
      else this.expertFrames.set(k, [packet.number]);
    };
    for (const comment of packet.record.comments ?? []) noteExpert(expertKey('comment', 'Frame', comment));
    for (const item of packet.expert) {
      // As the summary: items inside a packet quoted by an ICMP error are not Wireshark's expert items.
      if (!item.inErrorPacket) noteExpert(expertKey(item.severity, protocolShortName(item.protocol), item.message));
    }
  }

  result(): StatisticsResult {
    const expert: ExpertEntry[] = this.expertSummary.result().map((row) => ({
      ...row,
      frames: this.expertFrames.get(`${row.severity}\u0000${row.protocol}\u0000${row.summary}`) ?? [],
    }));
    const objects = this.http.result();
    const names = exportFileNames(objects, () => false);
    const httpObjects: HttpObjectEntry[] = objects.map((o, i) => ({
      frame: o.frame,
      hostname: o.hostname,
      contentType: o.contentType,
      filename: o.filename,
      saveName: names[i],
      size: o.data.length,
      data: o.data,
    }));
    const mac = (name: string) => this.macOfName.get(name) ?? name;
    const conversations = {} as StatisticsResult['conversations'];
    const endpoints = {} as StatisticsResult['endpoints'];
    for (const type of CONVERSATION_TYPES) {
      conversations[type] = (this.conversations.get(type)?.result() ?? []).map((row) => ({
        ...row,
        filterAddressA: type === 'eth' ? mac(row.addressA) : row.addressA,
        filterAddressB: type === 'eth' ? mac(row.addressB) : row.addressB,
        firstFrame: row.stream !== null ? (this.streamFirstFrame.get(row.stream) ?? null) : null,
      }));
      endpoints[type] = (this.endpoints.get(type)?.result() ?? []).map((row) => ({
        ...row,
        filterAddress: type === 'eth' ? mac(row.address) : row.address,
      }));
    }
    const hierarchy = this.hierarchy.result();
    const protocolNames: Record<string, string> = {};
    const name = (nodes: typeof hierarchy) => {
      for (const n of nodes) {
        protocolNames[n.protocol] ??= lookupField(n.protocol)?.name ?? n.protocol;
        name(n.children);
      }
    };
    name(hierarchy);
    return {
      generation: this.generation,
      scope: this.scope,
      packets: this.next,
      properties: {
        packets: this.next,
        bytes: this.bytes,
        first: this.firstTime && this.firstTime[0] + this.firstTime[1] / 1e9,
        last: this.lastTime && this.lastTime[0] + this.lastTime[1] / 1e9,
        duration:
          this.firstTime && this.lastTime
            ? this.lastTime[0] - this.firstTime[0] + (this.lastTime[1] - this.firstTime[1]) / 1e9
            : 0,
        linkTypes: [...this.linkTypes],
      },
      conversations,
      endpoints,
      hierarchy,
      protocolNames,
      expert,
      httpObjects,
    };
  }
}

/** Everything at once (tests). */
export function computeStatistics(
  records: readonly PacketRecord[],
  generation = 0,
  scope: StatisticsScope = 'all',
): StatisticsResult {
  const job = new StatisticsJob(arraySource(records), generation, scope);
  while (job.step(1_000)) {
    /* keep going */
  }
  return job.result();
}
