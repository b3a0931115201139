/**
 * Follow TCP Stream (Analyze › Follow › TCP Stream, tshark's `-z follow,tcp,MODE,N`), after
 * packet-tcp.c's follow tap: each direction's payload in sequence order, a retransmitted part
 * kept once, out-of-order data held until the gap before it is filled (or acknowledged as
 * missing, then "[N bytes missing in capture file]" stands for it).
 */
import type { DissectedPacket } from '../dissect/context';
import { childNumber, networkLayerBefore, packetLayers, transportAddresses, type Layer } from './layers';

export interface FollowChunk {
  /** True for data from the server (node 1: the side the stream's first packet went to). */
  fromServer: boolean;
  /** Frame the data came in. */
  frame: number;
  data: Uint8Array;
}

export interface FollowEndpoint {
  address: string;
  port: number;
  ipv6: boolean;
}

export interface FollowResult {
  stream: number;
  /** Node 0 (the first packet's source) and node 1; null when the stream has no packet. */
  client: FollowEndpoint | null;
  server: FollowEndpoint | null;
  chunks: FollowChunk[];
}

const TH_SYN = 0x02;

interface Fragment {
  seq: number;
  frame: number;
  data: Uint8Array;
}

/** a - b in 32-bit sequence space, as a signed number. */
function seqDiff(a: number, b: number): number {
  return ((a - b) | 0) as number;
}

const encoder = new TextEncoder();

export class FollowTcpStream {
  private client: FollowEndpoint | null = null;
  private server: FollowEndpoint | null = null;
  private readonly chunks: FollowChunk[] = [];
  private readonly seq: [number, number] = [0, 0];
  private readonly written: [number, number] = [0, 0];
  private readonly fragments: [Fragment[], Fragment[]] = [[], []];

  constructor(readonly stream: number) {}

  /** `layers` are the packet's packetLayers. */
  add(packet: DissectedPacket, layers: readonly Layer[] = packetLayers(packet)): void {
    for (let i = 0; i < layers.length; i++) {
      const { protocol, node } = layers[i];
      if (protocol !== 'tcp' || childNumber(node, 'tcp.stream') !== this.stream) continue;
      const net = networkLayerBefore(layers, i);
      if (!net) continue;
      const p = net.protocol;
      const addresses = transportAddresses(net);
      const src: FollowEndpoint = {
        address: addresses.src,
        port: childNumber(node, 'tcp.srcport') ?? 0,
        ipv6: p === 'ipv6',
      };
      const dst: FollowEndpoint = {
        address: addresses.dst,
        port: childNumber(node, 'tcp.dstport') ?? 0,
        ipv6: p === 'ipv6',
      };
      const hdrLen = childNumber(node, 'tcp.hdr_len') ?? 0;
      const segLen = childNumber(node, 'tcp.len') ?? 0;
      // The payload lies right after the TCP header, in the bytes the TCP item points at (the
      // frame, or reassembled IP fragments), cut where the capture stopped.
      const bytes = packet.sources[node.source]?.data ?? packet.record.data;
      const start = Math.min(node.start + hdrLen, bytes.length);
      const data = bytes.subarray(start, Math.min(start + segLen, bytes.length));
      this.segment(packet.number, src, dst, {
        seq: childNumber(node, 'tcp.seq_raw') ?? 0,
        ack: childNumber(node, 'tcp.ack_raw') ?? 0,
        flags: childNumber(node, 'tcp.flags') ?? 0,
        length: segLen,
        data,
      });
    }
  }

  private segment(
    frame: number,
    src: FollowEndpoint,
    dst: FollowEndpoint,
    s: { seq: number; ack: number; flags: number; length: number; data: Uint8Array },
  ): void {
    let sequence = s.seq;
    if (s.flags & TH_SYN) sequence = (sequence + 1) >>> 0;
    if (this.client === null) {
      this.client = src;
      this.server = dst;
    }
    const c = this.client;
    const dir = c.address === src.address && c.port === src.port ? 0 : 1;
    const other = (1 - dir) as 0 | 1;
    // A packet acknowledging data of the other side that is missing here.
    if (this.fragments[other].length > 0) {
      while (this.checkFragments(other, s.ack, frame, false));
    }
    if (this.written[dir] === 0 && this.seq[dir] === 0) this.seq[dir] = sequence;
    let data = s.data;
    let length = s.length;
    if (data.length === 0) return;
    if (seqDiff(sequence, this.seq[dir]) < 0) {
      // Partly or wholly seen already: keep only what is new.
      if (seqDiff(sequence + length, this.seq[dir]) <= 0) return;
      const offset = seqDiff(this.seq[dir], sequence);
      data = data.subarray(Math.min(offset, data.length));
      length -= offset;
      sequence = this.seq[dir];
    }
    if (sequence === this.seq[dir]) {
      if (data.length > 0) {
        this.chunks.push({ fromServer: dir === 1, frame, data: data.slice() });
        this.written[dir] += data.length;
      }
      this.seq[dir] = (this.seq[dir] + length) >>> 0;
      while (this.checkFragments(dir, 0, frame, true));
    } else if (seqDiff(sequence, this.seq[dir]) > 0) {
      this.fragments[dir].push({ seq: sequence, frame, data: data.slice() });
    }
  }

  /** Moves held data that now fits into the stream; true when something changed. */
  private checkFragments(dir: 0 | 1, acknowledged: number, frame: number, suppress: boolean): boolean {
    const list = this.fragments[dir];
    if (list.length === 0) return false;
    let lowest = list[0].seq;
    for (let i = 0; i < list.length; i++) {
      const fragment = list[i];
      if (seqDiff(lowest, fragment.seq) > 0) lowest = fragment.seq;
      if (seqDiff(fragment.seq, this.seq[dir]) < 0) {
        const end = (fragment.seq + fragment.data.length) >>> 0;
        if (seqDiff(end, this.seq[dir]) > 0) {
          const from = seqDiff(this.seq[dir], fragment.seq);
          if (fragment.data.length > from) {
            this.chunks.push({ fromServer: dir === 1, frame: fragment.frame, data: fragment.data.subarray(from) });
          }
          this.seq[dir] = (this.seq[dir] + fragment.data.length - from) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (fragment.seq === this.seq[dir]) {
        if (fragment.data.length > 0)
          this.chunks.push({ fromServer: dir === 1, frame: fragment.frame, data: fragment.data });
        this.seq[dir] = (this.seq[dir] + fragment.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (!suppress && seqDiff(acknowledged, lowest) > 0) {
      const text = `[${seqDiff(lowest, this.seq[dir])} bytes missing in capture file]`;
      const bytes = new Uint8Array(text.length + 1); // with the C string's NUL, as Wireshark writes it
      bytes.set(encoder.encode(text));
      this.chunks.push({ fromServer: dir === 1, frame, data: bytes });
      this.seq[dir] = lowest;
      return true;
    }
    return false;
  }

  result(): FollowResult {
    return { stream: this.stream, client: this.client, server: this.server, chunks: [...this.chunks] };
  }
}
