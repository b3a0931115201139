/**
 * DHCP / BOOTP over UDP ports 67 and 68, after Wireshark 4.0's packet-dhcp.c: the fixed BOOTP
 * header, the magic cookie and the options (message type, client identifier, requested
 * address, server identifier, lease times, masks and routers, names, parameter request list,
 * client FQDN, …). Protocol is "DHCP" with Info "DHCP Discover - Transaction ID 0x…" when the
 * message type option is there, else "BOOTP" with "Boot Request from <MAC> (<name>)" or
 * "Boot Reply". A packet cut by the snap length shows what was captured, then
 * "[Packet size limited during capture: DHCP/BOOTP truncated]".
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import type { PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv4, formatBytesHex, latin1 } from '../format';
import { u16, u32, etherWithName, resolveEther, timeSecsText, truncatedHex } from './common';

const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'Discover',
  2: 'Offer',
  3: 'Request',
  4: 'Decline',
  5: 'ACK',
  6: 'NAK',
  7: 'Release',
  8: 'Inform',
  9: 'Force Renew',
  10: 'Lease query',
  11: 'Lease Unassigned',
  12: 'Lease Unknown',
  13: 'Lease Active',
  14: 'Bulk Lease Query',
  15: 'Lease Query Done',
  16: 'Active LeaseQuery',
  17: 'Lease Query Status',
  18: 'TLS',
};

const HW_TYPES: Readonly<Record<number, string>> = {
  1: 'Ethernet',
  6: 'IEEE 802',
  7: 'ARCNET',
  15: 'Frame Relay',
  16: 'ATM',
  20: 'Serial Line',
  32: 'InfiniBand',
};

/** Option names as Wireshark prints them ("Option: (54) DHCP Server Identifier"). */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'Padding',
  1: 'Subnet Mask',
  2: 'Time Offset',
  3: 'Router',
  4: 'Time Server',
  5: 'Name Server',
  6: 'Domain Name Server',
  7: 'Log Server',
  8: 'Quotes Server',
  9: 'LPR Server',
  10: 'Impress Server',
  11: 'Resource Location Server',
  12: 'Host Name',
  13: 'Boot File Size',
  14: 'Merit Dump File',
  15: 'Domain Name',
  16: 'Swap Server',
  17: 'Root Path',
  18: 'Extensions Path',
  19: 'IP Forwarding',
  20: 'Non-Local Source Routing',
  21: 'Policy Filter',
  22: 'Maximum Datagram Reassembly Size',
  23: 'Default IP Time-to-Live',
  24: 'Path MTU Aging Timeout',
  25: 'Path MTU Plateau Table',
  26: 'Interface MTU',
  27: 'All Subnets are Local',
  28: 'Broadcast Address',
  29: 'Perform Mask Discovery',
  30: 'Mask Supplier',
  31: 'Perform Router Discover',
  32: 'Router Solicitation Address',
  33: 'Static Route',
  34: 'Trailer Encapsulation',
  35: 'ARP Cache Timeout',
  36: 'Ethernet Encapsulation',
  37: 'TCP Default TTL',
  38: 'TCP Keepalive Interval',
  39: 'TCP Keepalive Garbage',
  40: 'Network Information Service Domain',
  41: 'Network Information Service Servers',
  42: 'Network Time Protocol Servers',
  43: 'Vendor-Specific Information',
  44: 'NetBIOS over TCP/IP Name Server',
  45: 'NetBIOS over TCP/IP Datagram Distribution Name Server',
  46: 'NetBIOS over TCP/IP Node Type',
  47: 'NetBIOS over TCP/IP Scope',
  48: 'X Window System Font Server',
  49: 'X Window System Display Manager',
  50: 'Requested IP Address',
  51: 'IP Address Lease Time',
  52: 'Option Overload',
  53: 'DHCP Message Type',
  54: 'DHCP Server Identifier',
  55: 'Parameter Request List',
  56: 'Message',
  57: 'Maximum DHCP Message Size',
  58: 'Renewal Time Value',
  59: 'Rebinding Time Value',
  60: 'Vendor class identifier',
  61: 'Client identifier',
  66: 'TFTP Server Name',
  67: 'Bootfile name',
  69: 'SMTP Server',
  70: 'POP3 Server',
  77: 'User Class Information',
  80: 'Rapid commit',
  81: 'Client Fully Qualified Domain Name',
  82: 'Agent Information Option',
  119: 'Domain Search',
  121: 'Classless Static Route',
  249: 'Private/Classless Static Route (Microsoft)',
  252: 'Private/Proxy autodiscovery',
  255: 'End',
};

export const dhcpFields = defineFields({
  dhcp: { abbrev: 'dhcp', name: 'Dynamic Host Configuration Protocol', type: 'protocol' },
  // Wireshark 4.0 still accepts the protocol's old name in filters (proto_register_alias).
  bootp: { abbrev: 'bootp', name: 'Dynamic Host Configuration Protocol', type: 'protocol', filterAlias: true },
  type: {
    abbrev: 'dhcp.type',
    name: 'Message type',
    type: 'uint8',
    valueStrings: { 1: 'Boot Request', 2: 'Boot Reply' },
  },
  hwType: { abbrev: 'dhcp.hw.type', name: 'Hardware type', type: 'uint8', base: 'hex', valueStrings: HW_TYPES },
  hwLen: { abbrev: 'dhcp.hw.len', name: 'Hardware address length', type: 'uint8' },
  hops: { abbrev: 'dhcp.hops', name: 'Hops', type: 'uint8' },
  id: { abbrev: 'dhcp.id', name: 'Transaction ID', type: 'uint32', base: 'hex' },
  secs: { abbrev: 'dhcp.secs', name: 'Seconds elapsed', type: 'uint16' },
  flags: { abbrev: 'dhcp.flags', name: 'Bootp flags', type: 'uint16', base: 'hex' },
  flagsBc: {
    abbrev: 'dhcp.flags.bc',
    name: 'Broadcast flag',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
    trueFalse: ['Broadcast', 'Unicast'],
  },
  flagsReserved: {
    abbrev: 'dhcp.flags.reserved',
    name: 'Reserved flags',
    type: 'uint16',
    base: 'hex',
    bitmask: 0x7fff,
    bitWidth: 16,
  },
  ipClient: { abbrev: 'dhcp.ip.client', name: 'Client IP address', type: 'ipv4' },
  ipYour: { abbrev: 'dhcp.ip.your', name: 'Your (client) IP address', type: 'ipv4' },
  ipServer: { abbrev: 'dhcp.ip.server', name: 'Next server IP address', type: 'ipv4' },
  ipRelay: { abbrev: 'dhcp.ip.relay', name: 'Relay agent IP address', type: 'ipv4' },
  macAddr: { abbrev: 'dhcp.hw.mac_addr', name: 'Client MAC address', type: 'ether' },
  hwAddr: { abbrev: 'dhcp.hw.addr', name: 'Client hardware address', type: 'bytes' },
  addrPadding: { abbrev: 'dhcp.hw.addr_padding', name: 'Client hardware address padding', type: 'bytes' },
  server: { abbrev: 'dhcp.server', name: 'Server host name', type: 'string' },
  file: { abbrev: 'dhcp.file', name: 'Boot file name', type: 'string' },
  cookie: { abbrev: 'dhcp.cookie', name: 'Magic cookie', type: 'ipv4' },
  optionType: { abbrev: 'dhcp.option.type', name: 'Option', type: 'uint8' },
  optionLength: { abbrev: 'dhcp.option.length', name: 'Length', type: 'uint8' },
  optionValue: { abbrev: 'dhcp.option.value', name: 'Value', type: 'bytes' },
  optionPadding: { abbrev: 'dhcp.option.padding', name: 'Padding', type: 'bytes' },
  optionEnd: { abbrev: 'dhcp.option.end', name: 'Option End', type: 'uint8' },
  optionDhcp: { abbrev: 'dhcp.option.dhcp', name: 'DHCP', type: 'uint8', valueStrings: MESSAGE_TYPES },
  subnetMask: { abbrev: 'dhcp.option.subnet_mask', name: 'Subnet Mask', type: 'ipv4' },
  router: { abbrev: 'dhcp.option.router', name: 'Router', type: 'ipv4' },
  dns: { abbrev: 'dhcp.option.domain_name_server', name: 'Domain Name Server', type: 'ipv4' },
  hostname: { abbrev: 'dhcp.option.hostname', name: 'Host Name', type: 'string' },
  domainName: { abbrev: 'dhcp.option.domain_name', name: 'Domain Name', type: 'string' },
  broadcast: { abbrev: 'dhcp.option.broadcast_address', name: 'Broadcast Address', type: 'ipv4' },
  requestedIp: { abbrev: 'dhcp.option.requested_ip_address', name: 'Requested IP Address', type: 'ipv4' },
  leaseTime: { abbrev: 'dhcp.option.ip_address_lease_time', name: 'IP Address Lease Time', type: 'uint32' },
  serverId: { abbrev: 'dhcp.option.dhcp_server_id', name: 'DHCP Server Identifier', type: 'ipv4' },
  requestItem: { abbrev: 'dhcp.option.request_list_item', name: 'Parameter Request List Item', type: 'uint8' },
  message: { abbrev: 'dhcp.option.message', name: 'Message', type: 'string' },
  maxSize: { abbrev: 'dhcp.option.dhcp_max_message_size', name: 'Maximum DHCP Message Size', type: 'uint16' },
  renewal: { abbrev: 'dhcp.option.renewal_time_value', name: 'Renewal Time Value', type: 'uint32' },
  rebinding: { abbrev: 'dhcp.option.rebinding_time_value', name: 'Rebinding Time Value', type: 'uint32' },
  vendorClass: { abbrev: 'dhcp.option.vendor_class_id', name: 'Vendor class identifier', type: 'string' },
  clientIdType: { abbrev: 'dhcp.client_id.type', name: 'Type', type: 'uint8' },
  clientId: { abbrev: 'dhcp.client_id', name: 'Identifier', type: 'bytes' },
  fqdnFlags: { abbrev: 'dhcp.fqdn.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  fqdnMbz: { abbrev: 'dhcp.fqdn.mbz', name: 'Reserved flags', type: 'uint8', base: 'hex', bitmask: 0xf0 },
  fqdnN: {
    abbrev: 'dhcp.fqdn.n',
    name: 'Server DDNS',
    type: 'bool',
    bitmask: 0x08,
    trueFalse: ['No server updates', 'Some server updates'],
  },
  fqdnE: {
    abbrev: 'dhcp.fqdn.e',
    name: 'Encoding',
    type: 'bool',
    bitmask: 0x04,
    trueFalse: ['Binary encoding', 'ASCII encoding'],
  },
  fqdnO: {
    abbrev: 'dhcp.fqdn.o',
    name: 'Server overrides',
    type: 'bool',
    bitmask: 0x02,
    trueFalse: ['Override', 'No override'],
  },
  fqdnS: { abbrev: 'dhcp.fqdn.s', name: 'Server', type: 'bool', bitmask: 0x01, trueFalse: ['Server', 'Client'] },
  fqdnRcode1: { abbrev: 'dhcp.fqdn.rcode1', name: 'A-RR result', type: 'uint8' },
  fqdnRcode2: { abbrev: 'dhcp.fqdn.rcode2', name: 'PTR-RR result', type: 'uint8' },
  fqdnName: { abbrev: 'dhcp.fqdn.name', name: 'Client name', type: 'string' },
});
const f = dhcpFields;

const MAGIC_COOKIE = 0x63825363;
/** Where the options (or the vendor area of plain BOOTP) start. */
const VENDOR_INFO_OFFSET = 236;

function dissectDhcp(ctx: PacketContext, buf: Uint8Array, start: number, end: number, tree: ProtoNode[] | null): void {
  ctx.enterProtocol('dhcp', 'BOOTP');
  ctx.need(buf, start, 34, end);
  const op = buf[start];
  const htype = buf[start + 1];
  const hlen = buf[start + 2];
  if (op === 1) {
    if ((htype === 1 || htype === 6) && hlen === 6) {
      ctx.setInfo(`Boot Request from ${formatMac(buf, start + 28)} (${resolveEther(buf, start + 28)})`);
    } else {
      ctx.setInfo(
        `Boot Request from ${formatBytesHex(buf.subarray(start + 28, start + 28 + Math.min(hlen, 16)), ':')}`,
      );
    }
  } else if (op === 2) {
    ctx.setInfo('Boot Reply');
  } else {
    ctx.setInfo(`Unknown BOOTP message type (${op})`);
  }
  let voff = start + VENDOR_INFO_OFFSET;
  const cookie = buf.length >= voff + 4 && end >= voff + 4 && u32(buf, voff) === MAGIC_COOKIE;
  voff += cookie ? 4 : 64;
  // First pass: the message type, for the columns.
  let messageType: number | null = null;
  for (let p = voff; p < end;) {
    ctx.need(buf, p, 1, end);
    const code = buf[p];
    if (code === 255) break;
    if (code === 0) {
      p++;
      continue;
    }
    ctx.need(buf, p + 1, 1, end);
    const len = buf[p + 1];
    if (code === 53 && len >= 1) {
      ctx.need(buf, p + 2, 1, end);
      messageType = buf[p + 2];
    }
    p += 2 + len;
  }
  const typeName = messageType !== null ? (MESSAGE_TYPES[messageType] ?? 'Unknown') : null;
  if (typeName !== null) {
    ctx.columns.protocol = 'DHCP';
    ctx.setInfo(`DHCP ${typeName.padEnd(8)} - Transaction ID 0x${u32(buf, start + 4).toString(16)}`);
  }
  if (!tree) {
    // Without a tree Wireshark still reads the header and options, and stops where the capture does.
    ctx.need(buf, start, Math.min(end, voff) - start, end);
    return;
  }
  const node = ctx.add(
    tree,
    f.dhcp,
    start,
    end - start,
    undefined,
    typeName !== null ? `Dynamic Host Configuration Protocol (${typeName})` : undefined,
  );
  ctx.addHidden(tree, f.bootp, start, end - start, true);
  const t = ctx.children(node);
  const field = (def: (typeof f)[keyof typeof f], off: number, len: number, value: number | Uint8Array | string) => {
    ctx.need(buf, off, len, end);
    ctx.add(t, def, off, len, value);
  };
  field(f.type, start, 1, op);
  field(f.hwType, start + 1, 1, htype);
  field(f.hwLen, start + 2, 1, hlen);
  field(f.hops, start + 3, 1, buf[start + 3]);
  field(f.id, start + 4, 4, u32(buf, start + 4));
  field(f.secs, start + 8, 2, u16(buf, start + 8));
  ctx.need(buf, start + 10, 2, end);
  const flags = u16(buf, start + 10);
  const fl = ctx.children(
    ctx.add(
      t,
      f.flags,
      start + 10,
      2,
      flags,
      `Bootp flags: 0x${flags.toString(16).padStart(4, '0')}${flags & 0x8000 ? ', Broadcast flag (Broadcast)' : ' (Unicast)'}`,
    ),
  );
  ctx.add(fl, f.flagsBc, start + 10, 2, (flags & 0x8000) !== 0);
  ctx.add(fl, f.flagsReserved, start + 10, 2, flags & 0x7fff);
  for (const [def, off] of [
    [f.ipClient, 12],
    [f.ipYour, 16],
    [f.ipServer, 20],
    [f.ipRelay, 24],
  ] as const) {
    field(def, start + off, 4, buf.slice(start + off, start + off + 4));
  }
  if ((htype === 1 || htype === 6) && hlen === 6) {
    ctx.need(buf, start + 28, 6, end);
    ctx.add(
      t,
      f.macAddr,
      start + 28,
      6,
      buf.slice(start + 28, start + 34),
      `Client MAC address: ${etherWithName(buf, start + 28)}`,
    );
    ctx.need(buf, start + 34, 10, end);
    const pad = buf.subarray(start + 34, start + 44);
    ctx.add(t, f.addrPadding, start + 34, 10, pad, `Client hardware address padding: ${formatBytesHex(pad)}`);
  } else {
    ctx.need(buf, start + 28, 16, end);
    const hw = buf.subarray(start + 28, start + 44);
    ctx.add(t, f.hwAddr, start + 28, 16, hw, `Client hardware address: ${formatBytesHex(hw)}`);
  }
  ctx.need(buf, start + 44, 64, end);
  addName(ctx, t, f.server, buf, start + 44, 64, 'Server host name not given');
  ctx.need(buf, start + 108, 128, end);
  addName(ctx, t, f.file, buf, start + 108, 128, 'Boot file name not given');
  if (cookie) ctx.add(t, f.cookie, start + 236, 4, buf.slice(start + 236, start + 240), 'Magic cookie: DHCP');
  for (let p = voff; p < end;) {
    const next = dissectOption(ctx, buf, p, end, t);
    if (next <= p) break;
    if (buf[p] === 255) break;
    p = next;
  }
}

function formatMac(buf: Uint8Array, offset: number): string {
  return formatBytesHex(buf.subarray(offset, offset + 6), ':');
}

/** sname / file: "Server host name not given", or the text up to the NUL. */
function addName(
  ctx: PacketContext,
  t: ProtoNode[] | null,
  def: typeof f.server,
  buf: Uint8Array,
  off: number,
  len: number,
  notGiven: string,
): void {
  if (buf[off] === 0) {
    ctx.add(t, def, off, len, '', notGiven);
    return;
  }
  let z = off;
  while (z < off + len && buf[z] !== 0) z++;
  ctx.add(t, def, off, len, latin1(buf, off, z));
}

/** The options dissectOption shows item by item (the others show their value as bytes). */
const DISSECTED_OPTIONS: ReadonlySet<number> = new Set([
  53, 1, 28, 50, 54, 3, 6, 12, 15, 56, 60, 51, 58, 59, 57, 55, 61, 81,
]);

/** One option; returns the offset after it. */
function dissectOption(ctx: PacketContext, buf: Uint8Array, p: number, end: number, t: ProtoNode[] | null): number {
  ctx.need(buf, p, 1, end);
  const code = buf[p];
  const name = OPTION_NAMES[code] ?? 'Unknown';
  if (code === 255) {
    // packet-dhcp.c adds the End option's item with the value 0 (`dhcp.option.end` holds the 255).
    const o = ctx.children(ctx.add(t, f.optionType, p, 1, 0, `Option: (255) End`));
    ctx.add(o, f.optionEnd, p, 1, code);
    return p + 1;
  }
  if (code === 0) {
    let q = p + 1;
    while (q < end && q < buf.length && buf[q] === 0) q++;
    const o = ctx.children(ctx.add(t, f.optionType, p, q - p, code, `Option: (0) Padding`));
    const pad = buf.subarray(p, q);
    ctx.add(o, f.optionPadding, p, q - p, pad, `Padding: ${formatBytesHex(pad)}`);
    return q;
  }
  ctx.need(buf, p + 1, 1, end);
  const len = buf[p + 1];
  const v = p + 2;
  ctx.need(buf, v, len, end);
  const ip = (off: number) => formatIpv4(buf, off);
  const single = (def: typeof f.subnetMask) =>
    len === 4 && (def === f.subnetMask || def === f.broadcast || def === f.requestedIp || def === f.serverId);
  let label = `Option: (${code}) ${name}`;
  const ipOption: Record<number, typeof f.subnetMask> = {
    1: f.subnetMask,
    28: f.broadcast,
    50: f.requestedIp,
    54: f.serverId,
    3: f.router,
    6: f.dns,
  };
  if (code === 53 && len >= 1) label += ` (${MESSAGE_TYPES[buf[v]] ?? 'Unknown'})`;
  else if (ipOption[code] !== undefined && single(ipOption[code])) label += ` (${ip(v)})`;
  const o = ctx.children(ctx.add(t, f.optionType, p, 2 + len, code, label));
  ctx.add(o, f.optionLength, p + 1, 1, len);
  // An option dissected below keeps its bytes as a hidden value (filters, -T json); an unknown
  // one shows them (the default case).
  if (len > 0 && DISSECTED_OPTIONS.has(code)) ctx.addHidden(o, f.optionValue, v, len, buf.subarray(v, v + len));
  switch (code) {
    case 53:
      if (len >= 1) ctx.add(o, f.optionDhcp, v, 1, buf[v]);
      break;
    case 1:
    case 28:
    case 50:
    case 54:
    case 3:
    case 6:
      for (let q = v; q + 4 <= v + len; q += 4) ctx.add(o, ipOption[code], q, 4, buf.slice(q, q + 4));
      break;
    case 12:
    case 15:
    case 56:
    case 60: {
      const def = code === 12 ? f.hostname : code === 15 ? f.domainName : code === 56 ? f.message : f.vendorClass;
      ctx.add(o, def, v, len, latin1(buf, v, v + len));
      break;
    }
    case 51:
    case 58:
    case 59:
      if (len === 4) {
        const def = code === 51 ? f.leaseTime : code === 58 ? f.renewal : f.rebinding;
        const secs = u32(buf, v);
        ctx.add(o, def, v, 4, secs, `${def.name}: (${secs}s) ${timeSecsText(secs)}`);
      }
      break;
    case 57:
      if (len === 2) ctx.add(o, f.maxSize, v, 2, u16(buf, v));
      break;
    case 55:
      for (let q = v; q < v + len; q++) {
        ctx.add(
          o,
          f.requestItem,
          q,
          1,
          buf[q],
          `Parameter Request List Item: (${buf[q]}) ${OPTION_NAMES[buf[q]] ?? 'Unknown'}`,
        );
      }
      break;
    case 61:
      if (len === 7 && buf[v] === 1) {
        ctx.add(o, f.hwType, v, 1, buf[v]);
        ctx.add(o, f.macAddr, v + 1, 6, buf.slice(v + 1, v + 7), `Client MAC address: ${etherWithName(buf, v + 1)}`);
      } else if (len >= 1) {
        ctx.add(o, f.clientIdType, v, 1, buf[v]);
        const id = buf.subarray(v + 1, v + len);
        if (id.length) ctx.add(o, f.clientId, v + 1, id.length, id, `Identifier: ${formatBytesHex(id)}`);
      }
      break;
    case 81:
      if (len >= 3) {
        const flags = buf[v];
        const fl = ctx.children(
          ctx.add(o, f.fqdnFlags, v, 1, flags, `Flags: 0x${flags.toString(16).padStart(2, '0')}`),
        );
        ctx.add(fl, f.fqdnMbz, v, 1, (flags & 0xf0) >> 4);
        ctx.add(fl, f.fqdnN, v, 1, (flags & 0x08) !== 0);
        ctx.add(fl, f.fqdnE, v, 1, (flags & 0x04) !== 0);
        ctx.add(fl, f.fqdnO, v, 1, (flags & 0x02) !== 0);
        ctx.add(fl, f.fqdnS, v, 1, (flags & 0x01) !== 0);
        ctx.add(o, f.fqdnRcode1, v + 1, 1, buf[v + 1]);
        ctx.add(o, f.fqdnRcode2, v + 2, 1, buf[v + 2]);
        if (len > 3 && !(flags & 0x04)) ctx.add(o, f.fqdnName, v + 3, len - 3, latin1(buf, v + 3, v + len));
      }
      break;
    default:
      if (len > 0) {
        const data = buf.subarray(v, v + len);
        ctx.add(o, f.optionValue, v, len, data, `Value: ${truncatedHex(data)}`);
      }
  }
  return v + len;
}

/** DHCP as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'dhcp',
  fields: [dhcpFields],
  registrations: [
    { table: 'udp.port', key: 67, dissector: dissectDhcp, name: 'DHCP/BOOTP' },
    { table: 'udp.port', key: 68, dissector: dissectDhcp, name: 'DHCP/BOOTP' },
  ],
});
