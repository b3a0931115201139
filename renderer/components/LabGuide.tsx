/**
 * The lab guide: the checklist that fills in as the lab runs (from analyzeLab with the host's
 * facts), each step linked to its frames; per TCP connection to the lab port the handshake and
 * teardown segments with their numbers and both ends' TCP states, who closed first and why,
 * the notes; and the explanation (explainLab, made in the lab worker) in the UI language.
 */
import { memo, useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dequal } from 'dequal';
import { useApp } from '../store/context';
import { GUIDE_CONNECTIONS, type LabResult } from '../worker/worker-messages';
import type { Language } from '../i18n';
import { noteText, stepName, stepStatusText } from '../../core/analysis/lab/explain';
import type {
  HandshakeSegment,
  LabConnection,
  LabStep,
  StatePair,
  TeardownSegment,
} from '../../core/analysis/lab/types';
import { FrameLink, FrameLinks } from './FrameLink';
import { ScenarioGuide } from './ScenarioGuide';
import { useExports } from './use-exports';

const STATUS_ICON: Record<LabStep['status'], string> = { done: '✓', partial: '◐', missing: '✗', unknown: '?' };

function endpointText(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** "x", "x + 1", "y + 1" for numbers relative to the initial sequence numbers. */
export function symbolic(raw: number, conn: LabConnection): string | null {
  const x = conn.handshake.clientIsn;
  const y = conn.handshake.serverIsn;
  const name = (isn: number | null, letter: string) => {
    if (isn === null) return null;
    const d = (raw - isn + 0x1_0000_0000) % 0x1_0000_0000;
    if (d === 0) return letter;
    if (d < 1_000_000) return `${letter} + ${d}`;
    return null;
  };
  return name(x, 'x') ?? name(y, 'y');
}

function States({ states }: { states: StatePair }) {
  return (
    <span className="tcp-states">
      <span className="tcp-state" data-side="client">
        {states.client}
      </span>
      <br />
      <span className="tcp-state" data-side="server">
        {states.server}
      </span>
    </span>
  );
}

function SeqAck({ s, conn, ack }: { s: HandshakeSegment | TeardownSegment; conn: LabConnection; ack: boolean }) {
  const value = ack ? s.ack : s.seq;
  const raw = ack ? s.ackRaw : s.seqRaw;
  const sym = symbolic(raw, conn);
  if (ack && !s.flags.includes('ACK')) return <span className="muted">—</span>;
  return (
    <span title={`raw ${raw}`}>
      {value}
      {sym && <span className="seq-sym"> ({sym.replace(/ /g, '')})</span>}
    </span>
  );
}

/** The cells handshake and teardown rows share: step, frame link, direction, flags, seq, ack. */
function SegmentCells({ s, conn }: { s: HandshakeSegment | TeardownSegment; conn: LabConnection }) {
  return (
    <>
      <td className="step-no">{s.step}</td>
      <td>
        <FrameLink frame={s.frame} />
      </td>
      <td>
        <Direction d={s.direction} />
      </td>
      <td>{s.flags}</td>
      <td>
        <SeqAck s={s} conn={conn} ack={false} />
      </td>
      <td>
        <SeqAck s={s} conn={conn} ack />
      </td>
    </>
  );
}

function Direction({ d }: { d: 'client' | 'server' }) {
  const { t } = useTranslation();
  return <span className={`dir dir-${d}`}>{d === 'client' ? t('guide.c2s') : t('guide.s2c')}</span>;
}

function HandshakeTable({ conn }: { conn: LabConnection }) {
  const { t } = useTranslation();
  const segs = conn.handshake.segments;
  if (segs.length === 0) return <p className="muted">{t('guide.noHandshake')}</p>;
  const { clientIsn, serverIsn } = conn.handshake;
  return (
    <>
      <p className="guide-isn">
        {clientIsn !== null && t('guide.isnX', { x: clientIsn })}
        {serverIsn !== null && ` ${t('guide.isnY', { y: serverIsn })}`}
      </p>
      <table className="guide-table" aria-label={t('guide.handshakeOf', { stream: conn.stream })}>
        <thead>
          <tr>
            <th>{t('guide.step')}</th>
            <th>{t('guide.frameCol')}</th>
            <th>{t('guide.direction')}</th>
            <th>{t('guide.flags')}</th>
            <th>Seq</th>
            <th>Ack</th>
            <th>{t('guide.window')}</th>
            <th>{t('guide.options')}</th>
            <th>{t('guide.states')}</th>
          </tr>
        </thead>
        <tbody>
          {segs.map((s) => (
            <tr key={s.frame} data-frame={s.frame} data-step={s.step}>
              <SegmentCells s={s} conn={conn} />
              <td>
                {s.windowValue === s.window ? s.window : `${s.windowValue} (×${s.window / (s.windowValue || 1)})`}
              </td>
              <td>
                {[
                  s.mss !== null ? `MSS=${s.mss}` : '',
                  s.wscaleMultiplier !== null ? `WS=${s.wscaleMultiplier}` : '',
                  s.sackPerm ? 'SACK_PERM' : '',
                ]
                  .filter(Boolean)
                  .join(' ')}
              </td>
              <td>
                <States states={s.states} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TeardownTable({ conn }: { conn: LabConnection }) {
  const { t } = useTranslation();
  const td = conn.teardown;
  if (td.segments.length === 0) return <p className="muted">{t('guide.noTeardown')}</p>;
  return (
    <table className="guide-table" aria-label={t('guide.teardownOf', { stream: conn.stream })}>
      <thead>
        <tr>
          <th>{t('guide.step')}</th>
          <th>{t('guide.frameCol')}</th>
          <th>{t('guide.direction')}</th>
          <th>{t('guide.flags')}</th>
          <th>Seq</th>
          <th>Ack</th>
          <th>{t('guide.role')}</th>
          <th>{t('guide.states')}</th>
        </tr>
      </thead>
      <tbody>
        {td.segments.map((s) => (
          <tr key={s.frame} data-frame={s.frame} data-step={s.step}>
            <SegmentCells s={s} conn={conn} />
            <td>
              {t(`guide.roles.${s.role}`)}
              {s.acksFinOf ? ` (${t('guide.acksFinOf', { side: t(`guide.side.${s.acksFinOf}`) })})` : ''}
            </td>
            <td>
              <States states={s.states} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A list cut short: what is shown of how many, and the button that shows all `count`. `pending`:
 * pressed, and what it shows is on its way (the guide's connections come from the lab worker).
 */
function ShowAll({
  said,
  count,
  onShowAll,
  pending = false,
}: {
  said: string;
  count: number;
  onShowAll: () => void;
  pending?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <p className="guide-more">
      {said}{' '}
      <button type="button" className="mini-button" onClick={onShowAll} disabled={pending} aria-busy={pending}>
        {t('guide.showAllConnections', { count })}
      </button>
    </p>
  );
}

/**
 * HTTP exchanges listed per connection before its "Show all": a keep-alive connection of a load
 * test carries hundreds (each an item with two frame links), as GUIDE_CONNECTIONS bounds the cards.
 */
const EXCHANGES_SHOWN = 12;

/** A connection's card, and its notes' texts (noteText). */
interface ConnectionProps {
  conn: LabConnection;
  notes: readonly string[];
}

/**
 * A connection's card is drawn again only when the connection changed: a live capture's guide is
 * analysed again and again, and the connections it shows are mostly done and the same each time.
 * Drawing their cards (tables, frame links, their labels) anew was most of a re-run's UI work.
 * (Frame links still follow the selection: they read it from FrameLinkScope's context.)
 */
function sameCard(before: ConnectionProps, after: ConnectionProps): boolean {
  return dequal(before.conn, after.conn) && dequal(before.notes, after.notes);
}

const Connection = memo(function Connection({ conn, notes }: ConnectionProps) {
  const { t } = useTranslation();
  const [allExchanges, setAllExchanges] = useState(false);
  const exchanges = allExchanges ? conn.transactions : conn.transactions.slice(0, EXCHANGES_SHOWN);
  const td = conn.teardown;
  const title = t('guide.connection', {
    stream: conn.stream,
    client: endpointText(conn.client),
    server: endpointText(conn.server),
  });
  return (
    <section className="guide-conn" aria-label={title} data-stream={conn.stream} data-role={conn.role}>
      <h4>
        {title} <span className={`conn-role role-${conn.role}`}>{t(`guide.connRole.${conn.role}`)}</span>
        {conn.ipVersion === 6 && <span className="conn-role">IPv6</span>}
      </h4>
      <h5>{t('guide.handshake')}</h5>
      <HandshakeTable conn={conn} />
      {conn.transactions.length > 0 && (
        <>
          <h5>HTTP</h5>
          <ul className="guide-http">
            {exchanges.map((tx) => (
              <li key={tx.request.frame}>
                <FrameLink frame={tx.request.frame} /> {tx.request.method} {tx.request.uri}
                {tx.response && (
                  <>
                    {' → '}
                    <FrameLink frame={tx.response.frame} /> {tx.response.code} {tx.response.phrase}
                    {tx.response.contentType ? ` (${tx.response.contentType.split(';')[0]})` : ''}
                  </>
                )}
              </li>
            ))}
          </ul>
          {exchanges.length < conn.transactions.length && (
            <ShowAll
              said={t('guide.exchangesShown', { shown: exchanges.length, count: conn.transactions.length })}
              count={conn.transactions.length}
              onShowAll={() => setAllExchanges(true)}
            />
          )}
        </>
      )}
      <h5>{t('guide.teardown')}</h5>
      <TeardownTable conn={conn} />
      {td.initiator && (
        <p className="guide-closer" data-initiator={td.initiator} data-reason={td.reason}>
          {t('guide.closedFirst', {
            side: t(`guide.side.${td.initiator}`),
            kind: t(`guide.kinds.${td.kind}`),
            reason: t(`guide.reasons.${td.reason}`),
          })}
          {td.idleBeforeClose !== null && ` ${t('guide.idle', { seconds: td.idleBeforeClose.toFixed(3) })}`}
          {td.halfCloseSeconds !== null &&
            td.halfCloseSeconds > 0.5 &&
            ` ${t('guide.halfClosed', { seconds: td.halfCloseSeconds.toFixed(3) })}`}
        </p>
      )}
      {conn.notes.length > 0 && (
        <ul className="guide-notes" aria-label={t('guide.notes')}>
          {conn.notes.map((n, i) => (
            <li key={i} data-note={n.code}>
              {notes[i]} <FrameLinks frames={n.frames.slice(0, 6)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}, sameCard);

/**
 * "Only the first N of M packets were analysed": M grows with the capture, the analysis is not
 * run again for it (store/lab.ts). Its own component: the guide itself does not re-render at
 * every progress update.
 */
function TruncatedNote({ analysed, total }: { analysed: number; total: number }) {
  const { t } = useTranslation();
  const dissected = useApp((s) => s.progress.dissected);
  return <strong> {t('guide.truncated', { limit: analysed, total: Math.max(total, dissected) })}</strong>;
}

export function LabGuide() {
  const { t } = useTranslation();
  // A new analysis is drawn in a deferred render, which React cuts into slices that yield to the
  // packet list: drawn at once, the cards and tables of a many-connection guide were one
  // 150–300 ms task during a live capture (it came with the lab worker's answer).
  const lab = useDeferredValue(useApp((s) => s.lab));
  // "Show all" holds for the capture it was pressed on, not for the next one (store/lab.ts).
  const showsAll = useApp((s) => s.guideShowsAll);
  const showAll = useApp((s) => s.showAllConnections);
  const language = useApp((s) => s.language);
  const exports = useExports();
  return (
    <section className="pane guide-pane side-pane" role="region" aria-label={t('guide.label')}>
      <div className="pane-toolbar">
        <button type="button" className="mini-button" onClick={() => void exports.report('html')} disabled={!lab}>
          {t('guide.reportHtml')}
        </button>
        <button type="button" className="mini-button" onClick={() => void exports.report('markdown')} disabled={!lab}>
          {t('guide.reportMd')}
        </button>
        <button type="button" className="mini-button" onClick={() => void exports.screenshot('guide')}>
          {t('guide.screenshot')}
        </button>
      </div>
      <div className="side-scroll">
        <GuideBody lab={lab} language={language} showAllConnections={showsAll} onShowAllConnections={showAll} />
      </div>
    </section>
  );
}

/** What the guide shows of one analysis: memo, so that only a new analysis (or language) draws it again. */
const GuideBody = memo(function GuideBody({
  lab,
  language,
  showAllConnections,
  onShowAllConnections,
}: {
  lab: LabResult | null;
  language: Language;
  showAllConnections: boolean;
  onShowAllConnections: () => void;
}) {
  const { t } = useTranslation();
  // It describes the connections whose cards are drawn: the page's first GUIDE_CONNECTIONS, or
  // all of them once the result asked for with "Show all" is here.
  const explanation = lab?.explanation[language];
  const analysis = lab?.analysis;
  // Until then the result carries only the first ones: draw those.
  const drawsAll = showAllConnections && lab?.views.allConnections === true;
  const connNotes = new Set(analysis?.connections.flatMap((c) => c.notes) ?? []);
  const globalNotes = analysis?.notes.filter((n) => !connNotes.has(n) && n.stream === undefined) ?? [];
  const ordered = analysis
    ? [...analysis.connections].sort(
        (a, b) => Number(b.stream === analysis.mainStream) - Number(a.stream === analysis.mainStream),
      )
    : [];
  return (
    <>
      <ScenarioGuide result={lab?.scenario} />
      {!lab || !analysis ? (
        <div className="pane-empty">{t('guide.empty')}</div>
      ) : (
        <>
          <p className="guide-summary">
            {t('guide.summary', {
              analysed: lab.analysed,
              lab: analysis.labPacketCount,
              port: analysis.serverPort ?? '?',
            })}
            {lab.truncated && <TruncatedNote analysed={lab.analysed} total={lab.total} />}
          </p>
          <h3>{t('guide.checklist')}</h3>
          <ol className="guide-steps" aria-label={t('guide.checklist')}>
            {analysis.steps
              // The logo steps belong to the profile page; other scenarios have their own checklist above.
              .filter((step) => !lab.scenario || lab.scenario.scenario === 'profile' || !step.id.startsWith('logo-'))
              .map((step) => (
                <li key={step.id} data-step={step.id} data-status={step.status} className={`step step-${step.status}`}>
                  <span className="step-icon" aria-hidden="true">
                    {STATUS_ICON[step.status]}
                  </span>
                  <span className="step-name">{stepName(step.id, language)}</span>
                  <span className="step-status">{stepStatusText(step.status, language)}</span>
                  {step.source === 'host' && step.frames.length === 0 && (
                    <span className="step-source">{t('guide.fromHost')}</span>
                  )}
                  <FrameLinks frames={step.frames} />
                </li>
              ))}
          </ol>
          {globalNotes.length > 0 && (
            <ul className="guide-notes" aria-label={t('guide.notes')}>
              {globalNotes.map((n, i) => (
                <li key={i} data-note={n.code}>
                  {noteText(n, analysis, language)}
                </li>
              ))}
            </ul>
          )}
          <h3>{t('guide.connections')}</h3>
          {(drawsAll ? ordered : ordered.slice(0, GUIDE_CONNECTIONS)).map((c) => (
            <Connection key={c.stream} conn={c} notes={c.notes.map((n) => noteText(n, analysis, language))} />
          ))}
          {!drawsAll && lab.connectionCount > GUIDE_CONNECTIONS && (
            <ShowAll
              said={t('guide.connectionsShown', { shown: GUIDE_CONNECTIONS, count: lab.connectionCount })}
              count={lab.connectionCount}
              onShowAll={onShowAllConnections}
              pending={showAllConnections}
            />
          )}
          {explanation && (
            <section className="guide-explain" aria-label={t('guide.explanation')} lang={language}>
              <h3>{explanation.title}</h3>
              {explanation.sections.map((sec) => (
                <section key={sec.id} data-section={sec.id}>
                  <h4>{sec.title}</h4>
                  {sec.paragraphs.map((p, i) => (
                    <p key={i}>
                      {p.text} {p.frames.length > 0 && <FrameLinks frames={p.frames.slice(0, 8)} />}
                    </p>
                  ))}
                </section>
              ))}
            </section>
          )}
        </>
      )}
    </>
  );
});
