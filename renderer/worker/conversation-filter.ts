/**
 * The display filters Wireshark's Conversations and Endpoints dialogs apply ("Apply as Filter ›
 * Selected › A ↔ B"), after ui/conversation_table.c: a TCP conversation is its stream.
 * No engine imports: the UI thread uses these.
 */
import type { ConversationType } from '../../core/stats/conversations';
import type { ConversationEntry } from './statistics-types';

/** The filter Wireshark's conversation dialog applies for a conversation ("Apply as Filter › A ↔ B"). */
export function conversationFilter(type: ConversationType, row: ConversationEntry): string {
  if (type === 'tcp' && row.stream !== null) return `tcp.stream eq ${row.stream}`;
  const a = row.filterAddressA;
  const b = row.filterAddressB;
  const addr = type === 'eth' ? 'eth.addr' : a.includes(':') ? 'ipv6.addr' : 'ip.addr';
  if (type === 'tcp' || type === 'udp') {
    return `${addr}==${a} && ${type}.port==${row.portA} && ${addr}==${b} && ${type}.port==${row.portB}`;
  }
  return `${addr}==${a} && ${addr}==${b}`;
}

/** The filter for one endpoint (Endpoints › Apply as Filter). */
export function endpointFilter(type: ConversationType, address: string, port: number | null): string {
  const addr = type === 'eth' ? 'eth.addr' : address.includes(':') ? 'ipv6.addr' : 'ip.addr';
  if ((type === 'tcp' || type === 'udp') && port !== null) return `${addr}==${address} && ${type}.port==${port}`;
  return `${addr}==${address}`;
}
