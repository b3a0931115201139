/**
 * Conversations and endpoints (Wireshark's Statistics › Conversations / Endpoints, tshark's
 * `-z conv,TYPE` and `-z endpoints,TYPE`), after epan/conversation_table.c: a conversation's
 * A side is the source of its first packet; frames from A count as A→B.
 */
import type { DissectedPacket } from '../dissect/context';
import {
  ADDRESS_FIELDS,
  PORT_FIELDS,
  childNumber,
  childText,
  ethernetName,
  networkLayerBefore,
  packetLayers,
  transportAddresses,
  type Layer,
} from './layers';

export type ConversationType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';
export const CONVERSATION_TYPES: readonly ConversationType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** The name tshark prints for each table ("TCP Conversations", "IPv4 Endpoints"). */
export const CONVERSATION_TYPE_NAMES: Record<ConversationType, string> = {
  eth: 'Ethernet',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
};

export interface ConversationRow {
  addressA: string;
  /** Port of A (TCP, UDP), else null. */
  portA: number | null;
  addressB: string;
  portB: number | null;
  /** TCP stream index (tcp.stream), else null. */
  stream: number | null;
  framesAtoB: number;
  bytesAtoB: number;
  framesBtoA: number;
  bytesBtoA: number;
  /** Seconds from the capture's first packet to the conversation's first. */
  relStart: number;
  /** Seconds from the conversation's first packet to its last. */
  duration: number;
}

export interface EndpointRow {
  address: string;
  port: number | null;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

/** Source and destination of one layer of a packet, as a conversation table keys them. */
export interface Ends {
  src: string;
  dst: string;
  srcPort: number | null;
  dstPort: number | null;
  stream: number | null;
}

/** The ends of every layer of `type` in the packet (a tunnel may carry several). */
function layerEnds(
  type: ConversationType,
  layers: readonly Layer[],
  addressesOf: (net: Layer) => { src: string; dst: string } = transportAddresses,
): Ends[] {
  const ends: Ends[] = [];
  for (let i = 0; i < layers.length; i++) {
    const { protocol, node } = layers[i];
    if (protocol !== type) continue;
    if (type === 'tcp' || type === 'udp') {
      // The addresses are the innermost network layer's before this one.
      const net = networkLayerBefore(layers, i);
      if (!net) continue;
      const { src, dst } = addressesOf(net);
      ends.push({
        src,
        dst,
        srcPort: childNumber(node, PORT_FIELDS[type][0]),
        dstPort: childNumber(node, PORT_FIELDS[type][1]),
        stream: type === 'tcp' ? childNumber(node, 'tcp.stream') : null,
      });
    } else if (type === 'eth') {
      // Conversation tables show MAC addresses with their vendor names ("Apple_3f:77:dd").
      ends.push({
        src: ethernetName(node, 'src'),
        dst: ethernetName(node, 'dst'),
        srcPort: null,
        dstPort: null,
        stream: null,
      });
    } else {
      const [srcField, dstField] = ADDRESS_FIELDS[type];
      ends.push({
        src: childText(node, srcField),
        dst: childText(node, dstField),
        srcPort: null,
        dstPort: null,
        stream: null,
      });
    }
  }
  return ends;
}

/**
 * The ends of each conversation type in the packet being counted, found once for all the tables
 * that count it (a type's conversations and its endpoints; TCP and UDP over the same network
 * layer): each table finding them for itself formatted every address four times or more.
 */
export class PacketEnds {
  private layers: readonly Layer[] | null = null;
  /** By the type's place in CONVERSATION_TYPES; undefined until asked for this packet. */
  private readonly byType: (Ends[] | undefined)[] = CONVERSATION_TYPES.map(() => undefined);
  private net: Layer | null = null;
  private netAddresses: { src: string; dst: string } = { src: '', dst: '' };
  private readonly addressesOf = (net: Layer) => {
    if (net !== this.net) {
      this.net = net;
      this.netAddresses = transportAddresses(net);
    }
    return this.netAddresses;
  };

  /** The ends of `type` in the packet whose layers are `layers` (the same array for one packet). */
  of(type: ConversationType, layers: readonly Layer[]): readonly Ends[] {
    const byType = this.byType;
    if (layers !== this.layers) {
      this.layers = layers;
      byType.fill(undefined);
      this.net = null;
    }
    const place = CONVERSATION_TYPES.indexOf(type);
    return (byType[place] ??= layerEnds(type, layers, this.addressesOf));
  }
}

/**
 * A conversation's key, the same both ways: its two ends in a fixed order (one lookup a packet,
 * where a key per direction took two for every packet from B).
 */
function conversationKey(e: Ends): string {
  const a = `${e.src}\u0000${e.srcPort ?? ''}`;
  const b = `${e.dst}\u0000${e.dstPort ?? ''}`;
  return a < b ? `${a}\u0000${b}\u0000${e.stream ?? ''}` : `${b}\u0000${a}\u0000${e.stream ?? ''}`;
}

/** Whether `e` goes between the ends of `row`, either way (with its stream). */
function joins(row: ConversationRow, e: Ends): boolean {
  if (row.stream !== e.stream) return false;
  const ab = e.src === row.addressA && e.srcPort === row.portA && e.dst === row.addressB && e.dstPort === row.portB;
  return ab || (e.src === row.addressB && e.srcPort === row.portB && e.dst === row.addressA && e.dstPort === row.portA);
}

/** Rows in tshark's order: most frames first, ties in the order they were first seen. */
function byFramesDescending<T>(rows: readonly T[], frames: (row: T) => number): T[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => frames(y.row) - frames(x.row) || x.i - y.i)
    .map((x) => x.row);
}

export class ConversationTable {
  private readonly rows: ConversationRow[] = [];
  private readonly index = new Map<string, number>();
  /** TCP: the row of each stream (a stream is one conversation), checked against the packet's ends. */
  private readonly rowOfStream: number[] = [];
  private readonly stops: number[] = [];

  constructor(readonly type: ConversationType) {}

  /** The row of the conversation between `e`'s ends, if counted yet; its direction is the caller's. */
  private find(e: Ends): number | undefined {
    if (e.stream !== null) {
      // No key to build for a TCP segment: its stream is its conversation, if the ends agree.
      const i = this.rowOfStream[e.stream];
      if (i !== undefined && joins(this.rows[i], e)) return i;
    }
    return this.index.get(conversationKey(e));
  }

  /** Counts `packet`, whose ends of this table's type are `ends`. */
  add(packet: DissectedPacket, ends: readonly Ends[] = layerEnds(this.type, packetLayers(packet))): void {
    const bytes = packet.record.originalLength;
    const t = packet.timeRelative;
    for (const e of ends) {
      let i = this.find(e);
      // A is the source of the conversation's first packet.
      let forward = true;
      if (i === undefined) {
        i = this.rows.length;
        this.index.set(conversationKey(e), i);
        if (e.stream !== null) this.rowOfStream[e.stream] = i;
        this.rows.push({
          addressA: e.src,
          portA: e.srcPort,
          addressB: e.dst,
          portB: e.dstPort,
          stream: e.stream,
          framesAtoB: 0,
          bytesAtoB: 0,
          framesBtoA: 0,
          bytesBtoA: 0,
          relStart: t,
          duration: 0,
        });
        this.stops.push(t);
      } else {
        const first = this.rows[i];
        forward = e.src === first.addressA && e.srcPort === first.portA;
      }
      const row = this.rows[i];
      if (forward) {
        row.framesAtoB++;
        row.bytesAtoB += bytes;
      } else {
        row.framesBtoA++;
        row.bytesBtoA += bytes;
      }
      if (t > this.stops[i]) this.stops[i] = t;
      else if (t < row.relStart) row.relStart = t;
      row.duration = this.stops[i] - row.relStart;
    }
  }

  /** The conversations, most frames first. */
  result(): ConversationRow[] {
    return byFramesDescending(this.rows, (r) => r.framesAtoB + r.framesBtoA).map((r) => ({ ...r }));
  }
}

export class EndpointTable {
  private readonly rows: EndpointRow[] = [];
  /** By address, then port (no key string to build for each end of each packet). */
  private readonly index = new Map<string, Map<number | null, number>>();

  constructor(readonly type: ConversationType) {}

  private row(address: string, port: number | null): EndpointRow {
    let byPort = this.index.get(address);
    if (byPort === undefined) {
      byPort = new Map();
      this.index.set(address, byPort);
    }
    let i = byPort.get(port);
    if (i === undefined) {
      i = this.rows.length;
      byPort.set(port, i);
      this.rows.push({ address, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 });
    }
    return this.rows[i];
  }

  /** Counts `packet`, whose ends of this table's type are `ends`. */
  add(packet: DissectedPacket, ends: readonly Ends[] = layerEnds(this.type, packetLayers(packet))): void {
    const bytes = packet.record.originalLength;
    for (const e of ends) {
      const src = this.row(e.src, e.srcPort);
      src.txFrames++;
      src.txBytes += bytes;
      const dst = this.row(e.dst, e.dstPort);
      dst.rxFrames++;
      dst.rxBytes += bytes;
    }
  }

  /** The endpoints, most frames first. */
  result(): EndpointRow[] {
    return byFramesDescending(this.rows, (r) => r.txFrames + r.rxFrames).map((r) => ({ ...r }));
  }
}
