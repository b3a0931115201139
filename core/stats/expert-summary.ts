/**
 * Expert information summary (Analyze › Expert Information, tshark's `-z expert`), after
 * ui/cli/tap-expert.c: items of one severity with the same protocol and summary are counted once.
 */
import type { DissectedPacket, ExpertGroup, ExpertSeverity } from '../dissect/context';

export interface ExpertSummaryRow {
  severity: ExpertSeverity;
  group: ExpertGroup;
  /** Protocol short name as Wireshark shows it ('TCP', 'HTTP', 'IPv4'). */
  protocol: string;
  summary: string;
  count: number;
}

/** Severity order of tshark's output: errors first. */
export const EXPERT_SEVERITIES: readonly ExpertSeverity[] = ['error', 'warning', 'note', 'chat', 'comment'];

/** Protocol short names (Wireshark's proto_register_protocol short name) for our protocol keys. */
const SHORT_NAMES: Record<string, string> = {
  ip: 'IPv4',
  ipv6: 'IPv6',
  icmpv6: 'ICMPv6',
  eth: 'Ethernet',
  frame: 'Frame',
  'data-text-lines': 'Line-based text data',
};

export function protocolShortName(protocol: string): string {
  return SHORT_NAMES[protocol] ?? protocol.toUpperCase();
}

export class ExpertSummary {
  private readonly rows: ExpertSummaryRow[] = [];
  private readonly index = new Map<string, ExpertSummaryRow>();

  /** Needs the packet's detail tree (expert items are raised while it is built). */
  add(packet: DissectedPacket): void {
    for (const item of packet.expert) {
      const protocol = protocolShortName(item.protocol);
      const k = `${item.severity}\u0000${protocol}\u0000${item.message}`;
      const row = this.index.get(k);
      if (row) {
        row.count++;
        continue;
      }
      const added: ExpertSummaryRow = {
        severity: item.severity,
        group: item.group,
        protocol,
        summary: item.message,
        count: 1,
      };
      this.index.set(k, added);
      this.rows.push(added);
    }
  }

  /** Rows grouped by severity (errors first), each group in the order first seen. */
  result(): ExpertSummaryRow[] {
    return EXPERT_SEVERITIES.flatMap((s) => this.rows.filter((r) => r.severity === s).map((r) => ({ ...r })));
  }
}
