/**
 * GRE (IP protocol 47), enough to read PPTP's enhanced GRE (RFC 2637) and plain GRE (RFC
 * 2784/2890) sensibly: header fields as Wireshark 4.0's packet-gre.c, payload by ethertype.
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import { dissectorTables, type DissectFn } from '../context';
import { ETHERTYPES, dissectData, hexN, u16, u32 } from './common';

const GRE_TYPES: Readonly<Record<number, string>> = {
  ...ETHERTYPES,
  0x880b: 'PPP',
  0x6558: 'Transparent Ethernet bridging',
};
const YES_NO: [string, string] = ['Yes', 'No'];

const f = defineFields({
  gre: { abbrev: 'gre', name: 'Generic Routing Encapsulation', type: 'protocol' },
  flags: { abbrev: 'gre.flags_and_version', name: 'Flags and Version', type: 'uint16', base: 'hex' },
  checksumBit: {
    abbrev: 'gre.flags.checksum',
    name: 'Checksum Bit',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
    trueFalse: YES_NO,
  },
  routingBit: {
    abbrev: 'gre.flags.routing',
    name: 'Routing Bit',
    type: 'bool',
    bitmask: 0x4000,
    bitWidth: 16,
    trueFalse: YES_NO,
  },
  keyBit: { abbrev: 'gre.flags.key', name: 'Key Bit', type: 'bool', bitmask: 0x2000, bitWidth: 16, trueFalse: YES_NO },
  seqBit: {
    abbrev: 'gre.flags.sequence_number',
    name: 'Sequence Number Bit',
    type: 'bool',
    bitmask: 0x1000,
    bitWidth: 16,
    trueFalse: YES_NO,
  },
  ssrBit: {
    abbrev: 'gre.flags.strict_source_route',
    name: 'Strict Source Route Bit',
    type: 'bool',
    bitmask: 0x0800,
    bitWidth: 16,
    trueFalse: YES_NO,
  },
  recursion: { abbrev: 'gre.flags.recursion_control', name: 'Recursion control', type: 'uint16', bitmask: 0x0700 },
  ackBit: {
    abbrev: 'gre.flags.ack',
    name: 'Acknowledgment',
    type: 'bool',
    bitmask: 0x0080,
    bitWidth: 16,
    trueFalse: YES_NO,
  },
  reserved: { abbrev: 'gre.flags.reserved', name: 'Flags (Reserved)', type: 'uint16', bitmask: 0x0078 },
  version: {
    abbrev: 'gre.flags.version',
    name: 'Version',
    type: 'uint16',
    bitmask: 0x0007,
    valueStrings: { 0: 'GRE', 1: 'Enhanced GRE' },
  },
  proto: { abbrev: 'gre.proto', name: 'Protocol Type', type: 'uint16', base: 'hex', valueStrings: GRE_TYPES },
  checksum: { abbrev: 'gre.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  offset: { abbrev: 'gre.offset', name: 'Offset', type: 'uint16' },
  key: { abbrev: 'gre.key', name: 'GRE Key', type: 'uint32', base: 'hex' },
  payloadLength: { abbrev: 'gre.key.payload_length', name: 'Payload Length', type: 'uint16' },
  callId: { abbrev: 'gre.key.call_id', name: 'Call ID', type: 'uint16' },
  seq: { abbrev: 'gre.sequence_number', name: 'Sequence Number', type: 'uint32' },
  ack: { abbrev: 'gre.ack_number', name: 'Acknowledgment Number', type: 'uint32' },
});
export const greFields = f;

const dissectGre: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('gre', 'GRE');
  ctx.need(buf, offset, 4, end);
  const fv = u16(buf, offset);
  const type = u16(buf, offset + 2);
  const version = fv & 7;
  let len = 4;
  if (fv & 0xc000) len += 4;
  if (fv & 0x2000) len += 4;
  if (fv & 0x1000) len += 4;
  if (version === 1 && fv & 0x0080) len += 4;
  ctx.need(buf, offset, len, end);
  const typeName = GRE_TYPES[type] ?? hexN(type, 4);
  ctx.setInfo(`Encapsulated ${typeName}`);
  if (tree) {
    const node = ctx.add(tree, f.gre, offset, len, undefined, `Generic Routing Encapsulation (${typeName})`);
    const c = ctx.children(node);
    const fl = ctx.add(c, f.flags, offset, 2, fv);
    const flc = ctx.children(fl);
    ctx.add(flc, f.checksumBit, offset, 2, (fv & 0x8000) !== 0);
    ctx.add(flc, f.routingBit, offset, 2, (fv & 0x4000) !== 0);
    ctx.add(flc, f.keyBit, offset, 2, (fv & 0x2000) !== 0);
    ctx.add(flc, f.seqBit, offset, 2, (fv & 0x1000) !== 0);
    ctx.add(flc, f.ssrBit, offset, 2, (fv & 0x0800) !== 0);
    ctx.add(flc, f.recursion, offset, 2, (fv >> 8) & 7);
    if (version === 1) ctx.add(flc, f.ackBit, offset, 2, (fv & 0x0080) !== 0);
    ctx.add(flc, f.reserved, offset, 2, version === 1 ? (fv >> 3) & 0xf : (fv >> 3) & 0x1f);
    ctx.add(flc, f.version, offset, 2, version);
    ctx.add(c, f.proto, offset + 2, 2, type);
    let p = offset + 4;
    if (fv & 0xc000) {
      ctx.add(c, f.checksum, p, 2, u16(buf, p));
      ctx.add(c, f.offset, p + 2, 2, u16(buf, p + 2));
      p += 4;
    }
    if (fv & 0x2000) {
      if (version === 1) {
        ctx.add(c, f.payloadLength, p, 2, u16(buf, p));
        ctx.add(c, f.callId, p + 2, 2, u16(buf, p + 2));
      } else ctx.add(c, f.key, p, 4, u32(buf, p));
      p += 4;
    }
    if (fv & 0x1000) {
      ctx.add(c, f.seq, p, 4, u32(buf, p));
      p += 4;
    }
    if (version === 1 && fv & 0x0080) ctx.add(c, f.ack, p, 4, u32(buf, p));
  }
  const next = dissectorTables.ethertype.get(type);
  if (next) ctx.call(next.fn, buf, offset + len, end, tree, next.name);
  else dissectData(ctx, buf, offset + len, end, tree);
};

/** GRE as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'gre',
  fields: [f],
  registrations: [{ table: 'ip.proto', key: 47, dissector: dissectGre, name: 'GRE' }],
});
