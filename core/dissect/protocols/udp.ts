/**
 * UDP (IP protocol 17), as Wireshark 4.0's packet-udp.c: ports (hidden udp.port), length,
 * checksum (unverified, as Wireshark's default), stream index and timestamps, then the payload
 * by port (lower port first) through dissectorTables.udpPort, else Data.
 */
import { defineProtocol } from '../protocol';
import { defineExpertInfos } from '../expert';
import { defineFields } from '../fields';
import { dissectorTables, type DissectFn, type PacketContext } from '../context';
import { byteCount, formatSeconds } from '../format';
import { CHECKSUM_STATUS, dissectData, hexN, u16 } from './common';
import { isErrorPacket } from './ipv4';

const f = defineFields({
  udp: { abbrev: 'udp', name: 'User Datagram Protocol', type: 'protocol' },
  srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: 'uint16' },
  dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: 'uint16' },
  port: { abbrev: 'udp.port', name: 'Source or Destination Port', type: 'uint16' },
  length: { abbrev: 'udp.length', name: 'Length', type: 'uint16' },
  checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: {
    abbrev: 'udp.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: { ...CHECKSUM_STATUS, 3: 'Not present', 4: 'Illegal' },
  },
  stream: { abbrev: 'udp.stream', name: 'Stream index', type: 'uint32' },
  timestamps: { abbrev: 'udp.time', name: 'Timestamps', type: 'none', textOnly: true },
  timeRelative: { abbrev: 'udp.time_relative', name: 'Time since first frame', type: 'time_rel' },
  timeDelta: { abbrev: 'udp.time_delta', name: 'Time since previous frame', type: 'time_rel' },
  payload: { abbrev: 'udp.payload', name: 'Payload', type: 'bytes' },
  badLength: { abbrev: 'udp.length.bad', name: 'Bad length value', type: 'none' },
});

/** UDP's expert items (Wireshark's ei_register_info of packet-udp.c). */
const ei = defineExpertInfos({
  badLength: {
    abbrev: 'udp.length.bad',
    group: 'malformed',
    severity: 'error',
    message: (text: string) => text,
    field: f.badLength,
  },
  checksumZero: {
    abbrev: 'udp.checksum.zero',
    group: 'checksum',
    severity: 'error',
    message: () => 'Illegal checksum value (0)',
  },
});
export const udpFields = f;

interface UdpStream {
  index: number;
  first: number;
  prev: number;
}

interface UdpState {
  streams: Map<string, UdpStream>;
  count: number;
}

/** A UDP conversation's key (udp.stream): both directions of an address and port pair. */
export function udpConversationKey(ctx: PacketContext, srcPort: number, dstPort: number): string {
  const net = ctx.net;
  const a = `${net?.srcText ?? ''}|${srcPort}`;
  const b = `${net?.dstText ?? ''}|${dstPort}`;
  return a < b ? `${a}>${b}` : `${b}>${a}`;
}

const dissectUdp: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('udp', 'UDP');
  ctx.need(buf, offset, 8, end);
  const srcPort = u16(buf, offset);
  const dstPort = u16(buf, offset + 2);
  const length = u16(buf, offset + 4);
  const checksum = u16(buf, offset + 6);
  const reported = end - offset;
  let udpEnd = end;
  let badLength = false;
  const quoted = isErrorPacket(ctx);
  if (length < 8 || length > reported) badLength = true;
  else udpEnd = offset + length;
  ctx.setInfo(`${srcPort} → ${dstPort} Len=${(badLength ? reported : length) - 8}`);

  // Conversation (udp.stream): both directions of an address/port pair.
  const state = ctx.state.state<UdpState>('udp.streams', () => ({ streams: new Map(), count: 0 }));
  const key = udpConversationKey(ctx, srcPort, dstPort);
  const now = ctx.packet.timeRelative;
  let stream = state.streams.get(key);
  let sinceFirst = 0;
  let sincePrev = 0;
  if (!stream) {
    stream = { index: state.count++, first: now, prev: now };
    state.streams.set(key, stream);
  } else {
    sinceFirst = now - stream.first;
    sincePrev = now - stream.prev;
    stream.prev = now;
  }

  if (tree) {
    const node = ctx.add(
      tree,
      f.udp,
      offset,
      8,
      undefined,
      `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}`,
    );
    const c = ctx.children(node);
    ctx.add(c, f.srcport, offset, 2, srcPort);
    ctx.add(c, f.dstport, offset + 2, 2, dstPort);
    ctx.addHidden(c, f.port, offset, 2, srcPort);
    ctx.addHidden(c, f.port, offset + 2, 2, dstPort);
    const ln = ctx.add(c, f.length, offset + 4, 2, length);
    // A datagram quoted by an ICMP error is cut short on purpose: Wireshark does not complain.
    if (badLength && !quoted) {
      const text = length < 8 ? `Bad length value ${length} < 8` : `Bad length value ${length} > IP payload length`;
      ctx.expert(ctx.children(ln), ei.badLength, text);
    }
    if (checksum === 0) {
      // No checksum: allowed over IPv4 (and in a datagram an ICMP error quotes), illegal over
      // IPv6 (RFC 8200), as Wireshark's packet-udp.c has it; the status goes under the checksum.
      const illegal = !quoted && ctx.net?.family === 6;
      const cn = ctx.add(
        c,
        f.checksum,
        offset + 6,
        2,
        checksum,
        `Checksum: ${hexN(checksum, 4)} [zero-value ${illegal ? 'illegal' : 'ignored'}]`,
      );
      const cc = ctx.children(cn);
      if (illegal) ctx.expert(cc, ei.checksumZero);
      ctx.addGenerated(
        cc,
        f.checksumStatus,
        illegal ? 4 : 3,
        `Checksum Status: ${illegal ? 'Illegal' : 'Not present'}`,
      );
    } else {
      ctx.add(c, f.checksum, offset + 6, 2, checksum, `Checksum: ${hexN(checksum, 4)} [unverified]`);
      ctx.addGenerated(c, f.checksumStatus, 2, 'Checksum Status: Unverified');
    }
    ctx.addGenerated(c, f.stream, stream.index);
    const payloadLen = udpEnd - (offset + 8);
    if (payloadLen > 0 && !(quoted && badLength)) {
      // Wireshark stops here for an empty datagram: no timestamps, no payload item.
      if (!quoted) {
        const ts = ctx.addGenerated(c, f.timestamps, undefined, 'Timestamps');
        const tc = ctx.children(ts);
        ctx.addGenerated(
          tc,
          f.timeRelative,
          sinceFirst,
          `Time since first frame: ${formatSeconds(sinceFirst)} seconds`,
        );
        ctx.addGenerated(tc, f.timeDelta, sincePrev, `Time since previous frame: ${formatSeconds(sincePrev)} seconds`);
      }
      const stop = Math.min(udpEnd, buf.length);
      const captured = Math.max(0, stop - (offset + 8));
      ctx.add(c, f.payload, offset + 8, captured, buf.slice(offset + 8, stop), `UDP payload (${byteCount(captured)})`);
    }
  }
  if (badLength) return;
  if (udpEnd <= offset + 8) return;
  const low = Math.min(srcPort, dstPort);
  const high = Math.max(srcPort, dstPort);
  const next = dissectorTables.udpPort.get(low) ?? dissectorTables.udpPort.get(high);
  if (next) ctx.call(next.fn, buf, offset + 8, udpEnd, tree, next.name);
  // tshark 4.0 shows the undissected payload of a datagram quoted by an ICMP error at the top level.
  else dissectData(ctx, buf, offset + 8, udpEnd, quoted && tree ? ctx.packet.tree : tree);
};

/** UDP as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'udp',
  fields: [f],
  expertInfos: [ei],
  registrations: [{ table: 'ip.proto', key: 17, dissector: dissectUdp, name: 'UDP' }],
});
