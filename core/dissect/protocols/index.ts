/**
 * Every protocol WireLab dissects, as data, and the one call that registers them:
 * `registerAllProtocols()` puts each protocol's fields in the field registry (fields.ts), its
 * dissectors in the dissector tables (context.ts, media/index.ts) and its TCP payload consumers
 * in TCP's list. The engine and the filter compiler call it; calling it again changes nothing.
 * No module registers anything when it is imported.
 *
 * Order matters only within a table that is tried in turn: TCP's consumers (ports first, then
 * heuristics, in this order: HTTP, TLS, SSH).
 */
import {
  EXPERT_ITEM_FIELDS,
  dissectorTables,
  malformedExpertField,
  malformedField,
  shortFrameField,
  tcpPayloadConsumers,
  type DissectFn,
} from '../context';
import { registerFields, type FieldDef } from '../fields';
import { coloringRuleFields, frameFields } from '../frame-fields';
import { pcapngBlockFields } from '../pcapng-block';
import type { DissectorTableName, ProtocolDescriptor } from '../protocol';
import { protocol as linkNull } from './link-null';
import { protocol as ethernet } from './ethernet';
import { protocol as linuxSll } from './linux-sll';
import { protocol as rawIp } from './raw-ip';
import { protocol as ipv4 } from './ipv4';
import { protocol as gre } from './gre';
import { protocol as ipv6 } from './ipv6';
import { protocol as arp } from './arp';
import { protocol as icmp } from './icmp';
import { protocol as icmpv6 } from './icmpv6';
import { protocol as igmp } from './igmp';
import { protocol as udp } from './udp';
import { protocol as dns } from './dns';
import { protocol as dhcp } from './dhcp';
import { protocol as tcp, SEGMENT_NUMBER_FIELDS } from './tcp';
import { protocol as http, HTTP_NUMBER_FIELDS } from './http';
import { protocol as tls } from './tls';
import { protocol as ssh } from './ssh';
import { protocol as media, mediaTypeTable } from './media';
import { protocol as dbLspDisc } from './db-lsp-disc';
import { dataFields } from './common';

/**
 * Every field a dissector tells a PacketNumbersListener (DissectionEngine.listenToPacketNumbers):
 * TCP's per-segment numbers, then HTTP's exchange numbers.
 */
export const PACKET_NUMBER_FIELDS: readonly string[] = [...SEGMENT_NUMBER_FIELDS, ...HTTP_NUMBER_FIELDS];

/** The protocols, in registration order. */
export const PROTOCOLS: readonly ProtocolDescriptor[] = [
  linkNull,
  ethernet,
  linuxSll,
  rawIp,
  ipv4,
  gre,
  ipv6,
  arp,
  icmp,
  icmpv6,
  igmp,
  udp,
  dns,
  dhcp,
  tcp,
  http,
  tls,
  ssh,
  media,
  dbLspDisc,
];

const TABLES: Readonly<Record<DissectorTableName, Map<number, { fn: DissectFn; name: string }>>> = {
  wtap_encap: dissectorTables.linkType,
  ethertype: dissectorTables.ethertype,
  'ip.proto': dissectorTables.ipProto,
  'udp.port': dissectorTables.udpPort,
};

/**
 * Registers one protocol; registering the same one again changes nothing. A field registered
 * before under the same name (a test's own definition) is kept.
 */
export function registerProtocol(protocol: ProtocolDescriptor): void {
  for (const fields of protocol.fields) registerFields(Object.values(fields), true);
  for (const infos of protocol.expertInfos ?? []) {
    // Each item's own field (its `field`, or one named by its abbreviation), as Wireshark registers them.
    for (const ei of Object.values(infos)) registerFields([ei.itemField], true);
  }
  for (const r of protocol.registrations ?? []) TABLES[r.table].set(r.key, { fn: r.dissector, name: r.name });
  for (const consumer of protocol.tcpConsumers ?? []) {
    if (!tcpPayloadConsumers.includes(consumer)) tcpPayloadConsumers.push(consumer);
  }
  for (const m of protocol.mediaTypes ?? []) mediaTypeTable.set(m.type, m.dissector);
}

/** The frame's own fields and those of the context (malformed, expert), before any protocol's. */
const BASE_FIELDS: readonly FieldDef[] = [
  ...Object.values(frameFields),
  ...Object.values(coloringRuleFields),
  ...Object.values(pcapngBlockFields),
  malformedField,
  malformedExpertField,
  shortFrameField,
  ...EXPERT_ITEM_FIELDS,
  ...Object.values(dataFields),
];

/** Throws when two protocols declare one field name with different types (a bug, found by any test). */
function checkFieldTypes(): void {
  const types = new Map<string, string>();
  const check = (def: FieldDef) => {
    const type = types.get(def.abbrev);
    if (type !== undefined && type !== def.type) throw new Error(`Field ${def.abbrev} declared with different types`);
    types.set(def.abbrev, def.type);
  };
  BASE_FIELDS.forEach(check);
  for (const p of PROTOCOLS) for (const fields of p.fields) Object.values(fields).forEach(check);
}

let registered = false;

/** Sets up the dissection engine's registries: the frame's own fields and every protocol. Safe to call again. */
export function registerAllProtocols(): void {
  if (registered) return;
  checkFieldTypes();
  registerFields(BASE_FIELDS, true);
  for (const protocol of PROTOCOLS) registerProtocol(protocol);
  registered = true;
}
