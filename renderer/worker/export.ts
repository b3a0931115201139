/**
 * "Export Packet Dissections → As Plain Text": for each packet its summary line (with the
 * column header), the detail tree as tshark -V prints it, and the hex dump.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { formatPacketBytes, formatTreeText } from '../../core/dissect/print';

const HEADER = 'No.     Time           Source                Destination           Protocol Length Info';

export function summaryLine(p: DissectedPacket): string {
  return (
    String(p.number).padStart(7, ' ') +
    ' ' +
    p.timeRelative.toFixed(6).padEnd(14, ' ') +
    ' ' +
    p.columns.source.padEnd(21, ' ') +
    ' ' +
    p.columns.destination.padEnd(21, ' ') +
    ' ' +
    p.columns.protocol.padEnd(8, ' ') +
    ' ' +
    String(p.record.originalLength).padEnd(6, ' ') +
    ' ' +
    p.columns.info
  );
}

export function exportDissections(packets: readonly DissectedPacket[]): string {
  const parts: string[] = [];
  for (const p of packets) {
    parts.push(`${HEADER}\n${summaryLine(p)}\n\n${formatTreeText(p.tree ?? [])}\n\n${formatPacketBytes(p)}\n`);
  }
  return parts.join('\n');
}
