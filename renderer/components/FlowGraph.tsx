/**
 * Flow graph (Wireshark's Statistics → Flow Graph, TCP flows): the engine's SVG (the same one
 * the report and the SVG/PNG exports use), one arrow per packet; clicking an arrow selects that
 * packet. Arrows are made keyboard-reachable buttons after each render.
 */
import { useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { flowGraphSvg } from '../../core/analysis/lab/flow-graph';
import { useApp } from '../store/context';
import { useExports } from './use-exports';

export function FlowGraphView() {
  const { t } = useTranslation();
  const lab = useApp((s) => s.lab);
  const language = useApp((s) => s.language);
  const theme = useApp((s) => s.theme);
  const selected = useApp((s) => s.detail?.number ?? null);
  const goToPacket = useApp((s) => s.goToPacket);
  const exports = useExports();
  const host = useRef<HTMLDivElement>(null);
  // A result asked for another tab has no arrows: the one with them is on its way (store/lab.ts).
  const graph = lab?.views.flowGraph ? lab.graph : undefined;
  const loading = lab !== null && !lab.views.flowGraph;
  const svg = useMemo(
    () => (graph && graph.arrows.length ? flowGraphSvg(graph, { lang: language, theme, title: '' }) : ''),
    [graph, language, theme],
  );

  useEffect(() => {
    const root = host.current;
    if (!root || !graph) return;
    const byFrame = new Map(graph.arrows.map((a) => [a.frame, a]));
    root.querySelectorAll<SVGGElement>('g.arrow').forEach((g) => {
      const frame = Number(g.dataset.frame);
      const arrow = byFrame.get(frame);
      g.setAttribute('role', 'button');
      g.setAttribute('tabindex', '0');
      g.setAttribute(
        'aria-label',
        t('flow.arrow', { frame, label: arrow?.label ?? '', comment: arrow?.comment ?? '' }),
      );
    });
  }, [svg, graph, t]);

  useEffect(() => {
    const root = host.current;
    if (!root) return;
    root.querySelectorAll('g.arrow').forEach((g) => {
      const on = selected !== null && (g as SVGGElement).dataset.frame === String(selected);
      g.classList.toggle('is-selected', on);
      if (on) g.setAttribute('aria-pressed', 'true');
      else g.removeAttribute('aria-pressed');
    });
  }, [svg, selected]);

  const frameOf = (target: EventTarget | null): number | null => {
    const g = target instanceof Element ? target.closest('g.arrow') : null;
    const frame = g ? Number((g as SVGGElement).dataset.frame) : NaN;
    return Number.isFinite(frame) ? frame : null;
  };
  const onClick = (e: MouseEvent) => {
    const frame = frameOf(e.target);
    if (frame !== null) void goToPacket(frame);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const frame = frameOf(e.target);
    if (frame === null) return;
    e.preventDefault();
    void goToPacket(frame);
  };

  return (
    <section className="pane flow-pane side-pane" role="region" aria-label={t('flow.label')}>
      <div className="pane-toolbar">
        <span className="pane-note">{graph ? t('flow.count', { count: graph.arrows.length }) : ''}</span>
        <span className="tb-spacer" />
        <button type="button" className="mini-button" onClick={() => void exports.flowGraph('svg')} disabled={!svg}>
          {t('flow.exportSvg')}
        </button>
        <button type="button" className="mini-button" onClick={() => void exports.flowGraph('png')} disabled={!svg}>
          {t('flow.exportPng')}
        </button>
      </div>
      <div className="side-scroll">
        {svg ? (
          <div
            ref={host}
            className="flow-svg"
            onClick={onClick}
            onKeyDown={onKeyDown}
            // The engine's SVG: every text is XML-escaped (escapeXml).
            dangerouslySetInnerHTML={{ __html: svg }}
          />
        ) : (
          <div className="pane-empty">{t(loading ? 'flow.loading' : 'flow.empty')}</div>
        )}
      </div>
    </section>
  );
}
