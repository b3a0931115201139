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

export function exportDissections(packets: readonly DissectedPacket[], options: { bytes?: boolean } = {}): string {
  const parts: string[] = [];
  const bytes = options.bytes ?? true;
  for (const p of packets) {
    const tail = bytes ? `\n\n${formatPacketBytes(p)}\n` : '\n';
    parts.push(`${HEADER}\n${summaryLine(p)}\n\n${formatTreeText(p.tree ?? [])}${tail}`);
  }
  return parts.join('\n');
}
