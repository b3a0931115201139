/**
 * Statistics › Capture File Properties: the source's name, encapsulation, first/last packet time
 * and elapsed time, and the packet, byte and rate measurements Wireshark's dialog shows.
 */
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/context';
import type { StatisticsResult } from '../../worker/statistics-types';

/** Wireshark's encapsulation names (wtap_encap_description) for the link types WireLab reads. */
const ENCAPSULATION: Record<number, string> = {
  0: 'NULL/Loopback',
  1: 'Ethernet',
  101: 'Raw IP',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  276: 'Linux cooked-mode capture v2',
};

export function encapsulationName(linkType: number): string {
  return ENCAPSULATION[linkType] ?? `LINKTYPE ${linkType}`;
}

/** Wireshark's file type names (wtap_file_type_subtype_description). */
const FORMAT_NAMES = { pcap: 'Wireshark/tcpdump/... - pcap', pcapng: 'Wireshark/... - pcapng' } as const;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time as Wireshark's dialog prints it: 2024-05-01 10:20:30. */
export function formatDateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Elapsed time as Wireshark's dialog prints it: 00:01:05. */
export function formatElapsed(seconds: number): string {
  const s = Math.floor(Math.max(0, seconds));
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days} days ${hms}` : hms;
}

export function PropertiesView({ result }: { result: StatisticsResult }) {
  const { t } = useTranslation();
  const source = useApp((s) => s.status?.source);
  const displayed = useApp((s) => s.progress.displayed);
  const { packets, bytes, first, last, linkTypes, duration: span } = result.properties;
  const na = t('stats.props.na');
  const rate = (n: number) => (span > 0 ? (n / span).toFixed(1) : na);
  const row = (label: string, value: string | number) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
  return (
    <div className="stats-table-wrap">
      <table className="stats-table stats-props" aria-label={t('stats.props.table')}>
        <thead>
          <tr>
            <th scope="col">{t('stats.props.measurement')}</th>
            <th scope="col">{t('stats.props.captured')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="rowgroup" colSpan={2}>
              {t('stats.props.file')}
            </th>
          </tr>
          {row(t('stats.props.name'), source?.name ?? '—')}
          {row(t('stats.props.source'), source?.kind === 'live' ? t('stats.props.live') : t('stats.props.fileSource'))}
          {source?.format && row(t('stats.props.format'), FORMAT_NAMES[source.format])}
          {row(t('stats.props.encapsulation'), linkTypes.map(encapsulationName).join(', ') || na)}
        </tbody>
        <tbody>
          <tr>
            <th scope="rowgroup" colSpan={2}>
              {t('stats.props.time')}
            </th>
          </tr>
          {row(t('stats.props.first'), first !== null ? formatDateTime(first) : na)}
          {row(t('stats.props.last'), last !== null ? formatDateTime(last) : na)}
          {row(t('stats.props.elapsed'), formatElapsed(span))}
        </tbody>
        <tbody>
          <tr>
            <th scope="rowgroup" colSpan={2}>
              {t('stats.props.statistics')}
            </th>
          </tr>
          {row(t('stats.props.packets'), packets)}
          {row(
            t('stats.props.displayed'),
            `${displayed} (${packets > 0 ? ((displayed * 100) / packets).toFixed(1) : '0.0'}%)`,
          )}
          {row(t('stats.props.timeSpan'), span.toFixed(3))}
          {row(t('stats.props.avgPps'), rate(packets))}
          {row(t('stats.props.avgSize'), packets > 0 ? Math.round(bytes / packets) : na)}
          {row(t('stats.props.bytes'), bytes)}
          {row(t('stats.props.avgBps'), rate(bytes))}
          {row(t('stats.props.avgBits'), span > 0 ? ((bytes * 8) / span).toFixed(0) : na)}
        </tbody>
      </table>
    </div>
  );
}
