/**
 * TCP (Wireshark's packet-tcp.c), split by concern: fields.ts (fields, flag texts, expert
 * items), dissector.ts (the header and the order of the tree), options.ts, analysis.ts (the
 * conversation and SEQ/ACK state machine) with analysis-tree.ts (its items and Info markers), and
 * desegment.ts (the payload consumers and PDU reassembly). This file declares TCP as data.
 */
import { defineProtocol } from '../../protocol';
import { dissectTcp } from './dissector';
import { tcpExpert, tcpFields } from './fields';

export { dissectTcp, portsText, seekTcpStreams, tcpConversations } from './dissector';
export { SEGMENT_NUMBER_FIELDS, TCP_HEADER_FIELDS, tcpFields, tcpFlagsLetters, tcpFlagsText } from './fields';

export const protocol = defineProtocol({
  name: 'tcp',
  fields: [tcpFields],
  expertInfos: [tcpExpert],
  registrations: [{ table: 'ip.proto', key: 6, dissector: dissectTcp, name: 'TCP' }],
});
