/**
 * Time–sequence graph (Stevens, as Wireshark's Statistics → TCP Stream Graphs) of one lab
 * connection, and its RTT samples with EstimatedRTT / DevRTT (RFC 6298, α = 1/8, β = 1/4).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import type { LabConnection } from '../../core/analysis/lab/types';
import { FrameLink } from './FrameLink';

const W = 520;
const H = 240;
const PAD = { left: 64, right: 12, top: 12, bottom: 34 };

function ticks(max: number, n = 4): number[] {
  if (max <= 0) return [0];
  return Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
}

function StevensGraph({
  conn,
  direction,
  zoom,
}: {
  conn: LabConnection;
  direction: 'client' | 'server';
  /** Only the time span of the handshake and the data (the teardown may come seconds later). */
  zoom: boolean;
}) {
  const { t } = useTranslation();
  const t0 = conn.timeSequence[0]?.time ?? 0;
  const data = conn.timeSequence.filter((p) => p.len > 0 || p.flags.includes('SYN'));
  // Reduced, not spread into Math.max: a long download has more segments than a call takes arguments.
  const until = zoom && data.length ? data.reduce((last, p) => Math.max(last, p.time), -Infinity) + 1e-4 : Infinity;
  const inRange = conn.timeSequence.filter((p) => p.time <= until);
  const points = inRange.filter((p) => p.direction === direction);
  const acks = inRange.filter((p) => p.direction !== direction && p.flags.includes('ACK'));
  if (points.length === 0) return <p className="muted">{t('tcptrace.none')}</p>;
  const tMax = inRange.reduce((most, p) => Math.max(most, p.time - t0), 1e-6);
  const sMax = acks.reduce(
    (most, a) => Math.max(most, a.ack),
    points.reduce((most, p) => Math.max(most, p.seq + p.len), 1),
  );
  const x = (time: number) => PAD.left + ((time - t0) / tMax) * (W - PAD.left - PAD.right);
  const y = (seq: number) => H - PAD.bottom - (seq / sMax) * (H - PAD.top - PAD.bottom);
  const ackPath = acks.map((a, i) => `${i ? 'L' : 'M'}${x(a.time).toFixed(1)} ${y(a.ack).toFixed(1)}`).join(' ');
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={t('tcptrace.graphLabel', { stream: conn.stream })}
    >
      <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
      {ticks(sMax).map((v) => (
        <text key={`y${v}`} x={PAD.left - 4} y={y(v) + 4} textAnchor="end" className="tick">
          {Math.round(v)}
        </text>
      ))}
      {ticks(tMax).map((v) => (
        <text key={`x${v}`} x={x(t0 + v)} y={H - PAD.bottom + 14} textAnchor="middle" className="tick">
          {v < 1 ? `${(v * 1000).toFixed(1)} ms` : `${v.toFixed(2)} s`}
        </text>
      ))}
      <text x={(W + PAD.left) / 2} y={H - 4} textAnchor="middle" className="tick">
        {t('tcptrace.time')}
      </text>
      {ackPath && <path d={ackPath} className="ack-line" />}
      {points.map((p) => (
        <g key={p.frame} className={p.retransmission ? 'seg retrans' : 'seg'} data-frame={p.frame}>
          <title>{`#${p.frame} ${p.flags} Seq=${p.seq} Len=${p.len}`}</title>
          {p.len > 0 ? (
            <line x1={x(p.time)} x2={x(p.time)} y1={y(p.seq)} y2={y(p.seq + p.len)} />
          ) : (
            <circle cx={x(p.time)} cy={y(p.seq)} r={2.5} />
          )}
        </g>
      ))}
    </svg>
  );
}

function RttPlot({ conn }: { conn: LabConnection }) {
  const { t } = useTranslation();
  const s = conn.rtt;
  if (s.length < 2) return null;
  const max = s.reduce((most, r) => Math.max(most, r.sampleRtt, r.estimatedRtt), 1e-9);
  const w = 360;
  const h = 120;
  const x = (i: number) => 40 + (i / (s.length - 1)) * (w - 50);
  const y = (v: number) => h - 16 - (v / max) * (h - 26);
  const line = (get: (i: number) => number) => s.map((_, i) => `${i ? 'L' : 'M'}${x(i)} ${y(get(i))}`).join(' ');
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={t('tcptrace.rttPlot')}>
      <line x1={40} y1={h - 16} x2={w - 10} y2={h - 16} className="axis" />
      <text x={36} y={y(max) + 4} textAnchor="end" className="tick">
        {(max * 1000).toFixed(2)}
      </text>
      <text x={36} y={h - 12} textAnchor="end" className="tick">
        0 ms
      </text>
      <path d={line((i) => s[i].sampleRtt)} className="rtt-sample" />
      <path d={line((i) => s[i].estimatedRtt)} className="rtt-estimated" />
      <text x={w - 10} y={12} textAnchor="end" className="tick">
        <tspan className="legend-sample">— SampleRTT</tspan> <tspan className="legend-estimated">— EstimatedRTT</tspan>
      </text>
    </svg>
  );
}

const ms = (s: number) => (s * 1000).toFixed(3);

export function TimeSequenceView() {
  const { t } = useTranslation();
  const lab = useApp((s) => s.lab);
  const connections = lab?.analysis.connections ?? [];
  const [stream, setStream] = useState<number | null>(null);
  const [direction, setDirection] = useState<'client' | 'server'>('server');
  const [zoom, setZoom] = useState(true);
  const conn =
    connections.find((c) => c.stream === stream) ??
    connections.find((c) => c.stream === lab?.analysis.mainStream) ??
    connections[0];
  return (
    <section className="pane tcptrace-pane side-pane" role="region" aria-label={t('tcptrace.label')}>
      <div className="pane-toolbar">
        <label className="tb-field">
          <span>{t('tcptrace.stream')}</span>
          <select
            aria-label={t('tcptrace.stream')}
            value={conn?.stream ?? ''}
            onChange={(e) => setStream(Number(e.target.value))}
          >
            {connections.map((c) => (
              <option key={c.stream} value={c.stream}>
                {c.stream} ({c.client.port} → {c.server.port})
              </option>
            ))}
          </select>
        </label>
        <label className="tb-field">
          <span>{t('tcptrace.direction')}</span>
          <select
            aria-label={t('tcptrace.direction')}
            value={direction}
            onChange={(e) => setDirection(e.target.value as 'client' | 'server')}
          >
            <option value="server">{t('guide.s2c')}</option>
            <option value="client">{t('guide.c2s')}</option>
          </select>
        </label>
        <label className="tb-field">
          <input type="checkbox" checked={zoom} onChange={(e) => setZoom(e.target.checked)} />
          <span>{t('tcptrace.zoom')}</span>
        </label>
      </div>
      <div className="side-scroll">
        {lab && !lab.views.timeSequence ? (
          // The result shown was asked for another tab; the one with the points is on its way.
          <div className="pane-empty">{t('flow.loading')}</div>
        ) : !conn ? (
          <div className="pane-empty">{t('flow.empty')}</div>
        ) : (
          <>
            <h4>{t('tcptrace.title', { stream: conn.stream })}</h4>
            <StevensGraph conn={conn} direction={direction} zoom={zoom} />
            <p className="muted">{t('tcptrace.legend')}</p>
            <h4>{t('tcptrace.rtt')}</h4>
            {conn.handshake.initialRtt !== null && (
              <p>{t('tcptrace.initialRtt', { ms: ms(conn.handshake.initialRtt) })}</p>
            )}
            <RttPlot conn={conn} />
            {conn.rtt.length === 0 ? (
              <p className="muted">{t('tcptrace.noRtt')}</p>
            ) : (
              <table className="guide-table" aria-label={t('tcptrace.rtt')}>
                <thead>
                  <tr>
                    <th>{t('tcptrace.segment')}</th>
                    <th>ACK</th>
                    <th>{t('guide.direction')}</th>
                    <th>SampleRTT (ms)</th>
                    <th>EstimatedRTT (ms)</th>
                    <th>DevRTT (ms)</th>
                    <th>TimeoutInterval (ms)</th>
                  </tr>
                </thead>
                <tbody>
                  {conn.rtt.map((r) => (
                    <tr key={`${r.segmentFrame}-${r.ackFrame}`}>
                      <td>
                        <FrameLink frame={r.segmentFrame} />
                      </td>
                      <td>
                        <FrameLink frame={r.ackFrame} />
                      </td>
                      <td>{r.direction === 'client' ? t('guide.c2s') : t('guide.s2c')}</td>
                      <td>{ms(r.sampleRtt)}</td>
                      <td>{ms(r.estimatedRtt)}</td>
                      <td>{ms(r.devRtt)}</td>
                      <td>{ms(r.timeoutInterval)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted formula">{t('tcptrace.formula')}</p>
          </>
        )}
      </div>
    </section>
  );
}
