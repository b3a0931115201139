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
  'ipv6.routing': 'IPv6 Routing',
  eth: 'Ethernet',
  ethertype: 'Ethertype',
  frame: 'Frame',
  'data-text-lines': 'Line-based text data',
};

export function protocolShortName(protocol: string): string {
  return SHORT_NAMES[protocol] ?? protocol.toUpperCase();
}

/**
 * Items Wireshark 4.0 raises only while it builds the detail tree (TCP option dissection):
 * `tshark -z expert` without -V or -Y builds none and does not count them.
 */
const TREE_ONLY: ReadonlySet<string> = new Set([
  'tcp\u00004 NOP in a row - a router may have removed some options',
  'tcp\u0000Trailing stray characters',
]);

export interface ExpertSummaryOptions {
  /** Count the items Wireshark raises only with a detail tree (tshark with -V or -Y does). */
  withTreeOnlyItems?: boolean;
}

export class ExpertSummary {
  private readonly rows: ExpertSummaryRow[] = [];
  private readonly index = new Map<string, ExpertSummaryRow>();

  constructor(private readonly options: ExpertSummaryOptions = {}) {}

  /** Needs the packet's detail tree (expert items are raised while it is built). */
  add(packet: DissectedPacket): void {
    // A packet comment is a Comment item of the frame, raised before the layers' items.
    for (const comment of packet.record.comments ?? []) {
      this.count({ severity: 'comment', group: 'comment', protocol: 'Frame', summary: comment });
    }
    for (const item of packet.expert) {
      // Wireshark's expert tap does not hear items raised inside a packet quoted by an ICMP error.
      if (item.inErrorPacket) continue;
      if (!this.options.withTreeOnlyItems && TREE_ONLY.has(`${item.protocol}\u0000${item.message}`)) continue;
      this.count({
        severity: item.severity,
        group: item.group,
        protocol: protocolShortName(item.protocol),
        summary: item.message,
      });
    }
  }

  private count(item: Omit<ExpertSummaryRow, 'count'>): void {
    {
      const { protocol } = item;
      const k = `${item.severity}\u0000${protocol}\u0000${item.summary}`;
      const row = this.index.get(k);
      if (row) {
        row.count++;
        return;
      }
      const added: ExpertSummaryRow = { ...item, count: 1 };
      this.index.set(k, added);
      this.rows.push(added);
    }
  }

  /** Rows grouped by severity (errors first), each group in the order first seen. */
  result(): ExpertSummaryRow[] {
    return EXPERT_SEVERITIES.flatMap((s) => this.rows.filter((r) => r.severity === s).map((r) => ({ ...r })));
  }
}
