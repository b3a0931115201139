/**
 * Statistics › Protocol Hierarchy: Wireshark's tree under "Frame" (every packet), each protocol
 * with its share of packets and bytes, bits/s over the capture's time span, and the packets that
 * end in it (the last protocol of their chain).
 */
import { useTranslation } from 'react-i18next';
import type { ProtocolHierarchyNode } from '../../../core/stats/protocol-hierarchy';
import type { StatisticsResult } from '../../worker/statistics-types';
import { formatBitsPerSecond, percent } from './format';

interface Line {
  node: ProtocolHierarchyNode;
  depth: number;
  endFrames: number;
  endBytes: number;
}

export function hierarchyLines(result: StatisticsResult): Line[] {
  const { packets, bytes } = result.properties;
  const frame: ProtocolHierarchyNode = { protocol: 'frame', frames: packets, bytes, children: result.hierarchy };
  const lines: Line[] = [];
  const walk = (node: ProtocolHierarchyNode, depth: number) => {
    const below = node.children.reduce((n, c) => ({ f: n.f + c.frames, b: n.b + c.bytes }), { f: 0, b: 0 });
    lines.push({ node, depth, endFrames: node.frames - below.f, endBytes: node.bytes - below.b });
    for (const c of node.children) walk(c, depth + 1);
  };
  walk(frame, 0);
  return lines;
}

export function HierarchyView({ result }: { result: StatisticsResult }) {
  const { t } = useTranslation();
  const { packets, bytes, duration: span } = result.properties;
  const na = t('stats.props.na');
  const name = (p: string) => (p === 'frame' ? t('stats.frameRow') : (result.protocolNames[p] ?? p));
  return (
    <div className="stats-table-wrap">
      <table className="stats-table" aria-label={t('stats.hierarchyTable')}>
        <thead>
          <tr>
            <th scope="col">{t('stats.col.protocol')}</th>
            <th scope="col" className="num">
              {t('stats.col.percentPackets')}
            </th>
            <th scope="col" className="num">
              {t('stats.col.packets')}
            </th>
            <th scope="col" className="num">
              {t('stats.col.percentBytes')}
            </th>
            <th scope="col" className="num">
              {t('stats.col.bytes')}
            </th>
            <th scope="col" className="num">
              {t('stats.col.bps')}
            </th>
            <th scope="col" className="num">
              {t('stats.col.endPackets')}
            </th>
            <th scope="col" className="num">
              {t('stats.col.endBytes')}
            </th>
          </tr>
        </thead>
        <tbody>
          {hierarchyLines(result).map(({ node, depth, endFrames, endBytes }, i) => (
            <tr key={i} data-protocol={node.protocol} data-depth={depth}>
              <td style={{ paddingLeft: 8 + depth * 16 }} title={node.protocol}>
                {name(node.protocol)}
              </td>
              <td className="num">
                <span
                  className="stats-bar"
                  style={{ width: Math.round((node.frames * 60) / Math.max(1, packets)) }}
                  aria-hidden="true"
                />
                {percent(node.frames, packets)}
              </td>
              <td className="num">{node.frames}</td>
              <td className="num">{percent(node.bytes, bytes)}</td>
              <td className="num">{node.bytes}</td>
              <td className="num">{formatBitsPerSecond(node.bytes, span, na)}</td>
              <td className="num">{endFrames}</td>
              <td className="num">{endBytes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
