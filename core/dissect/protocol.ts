/**
 * A protocol as data: what a dissector module declares once (after Wireshark's proto_register_*
 * and proto_reg_handoff_*), and what `registerAllProtocols()` (protocols/index.ts) registers:
 * its fields (hf_register_info), its expert items (ei_register_info), the dissector tables it
 * adds itself to (dissector_add_uint) and the TCP payload consumers it brings (its TCP ports and
 * heuristic). A module declares; it never registers itself when imported.
 */
import type { DissectFn, TcpPayloadConsumer } from './context';
import type { ExpertInfoDef } from './expert';
import type { FieldDef } from './fields';
import type { MediaDissector } from './protocols/media/media-type';

/** Dissector tables keyed by a number, with Wireshark's names for them. */
export type DissectorTableName = 'wtap_encap' | 'ethertype' | 'ip.proto' | 'udp.port';

/** "Call `dissector` for `key` in `table`" (Wireshark's dissector_add_uint). */
export interface DissectorRegistration {
  table: DissectorTableName;
  key: number;
  dissector: DissectFn;
  /** The protocol name a malformed layer is reported under ("[Malformed Packet: UDP]"). */
  name: string;
}

export interface ProtocolDescriptor {
  /** The protocol's filter name, e.g. 'udp'. */
  name: string;
  /** Its field records (the results of defineFields). */
  fields: readonly Readonly<Record<string, FieldDef>>[];
  /** Its expert items (the results of defineExpertInfos). */
  expertInfos?: readonly Readonly<Record<string, ExpertInfoDef<never>>>[];
  /** Where the lower layers hand it their payload. */
  registrations?: readonly DissectorRegistration[];
  /**
   * Application protocols over TCP: each consumer names its ports (TCP's "tcp.port" table) and
   * its heuristic; TCP tries ports first, then heuristics, in the order of registration.
   */
  tcpConsumers?: readonly TcpPayloadConsumer[];
  /** Bodies it dissects by media type (Wireshark's "media_type" table; HTTP calls them). */
  mediaTypes?: readonly { type: string; dissector: MediaDissector }[];
}

/** Checks a descriptor's shape at compile time and returns it (a protocol module's `export const protocol = …`). */
export function defineProtocol(descriptor: ProtocolDescriptor): ProtocolDescriptor {
  return descriptor;
}
