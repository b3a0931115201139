/**
 * View → Packet Diagram: the selected packet's headers as RFC-style bit grids (core/diagram).
 * Clicking a field selects its tree item (and so its bytes); the selected tree item is
 * highlighted here. The pane shows the same SVG the PNG / SVG exports save.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../store/context';
import { runAction } from '../store/notices';
import { diagramSvg, layoutDiagram } from '../../core/diagram';
import { saveOutput } from '../lib/desktop';
import { svgToPng } from '../lib/screenshot';

export function PacketDiagram() {
  const { t } = useTranslation();
  const detail = useApp((s) => s.detail);
  const selectedItem = useApp((s) => s.selectedItem);
  const setDiagramOpen = useApp((s) => s.setDiagramOpen);
  const store = useAppStore();
  const body = useRef<HTMLDivElement>(null);
  // Bit columns as wide as the pane allows (the 32 columns fit without scrolling), 18–28 px.
  const [bitPx, setBitPx] = useState(24);
  useEffect(() => {
    const el = body.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width > 0) setBitPx(Math.max(18, Math.min(28, Math.floor((width - 20) / 32))));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const layers = useMemo(() => (detail ? layoutDiagram(detail.tree) : []), [detail]);
  const title = detail ? t('diagram.title', { number: detail.number }) : '';
  const svg = useMemo(
    () => (layers.length ? diagramSvg(layers, { selectedId: selectedItem, title, interactive: true, bitPx }) : ''),
    [layers, selectedItem, title, bitPx],
  );

  // Keep the highlighted field in view when the tree selection changes.
  useEffect(() => {
    body.current?.querySelector('[data-selected="true"]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [svg]);

  const select = (target: EventTarget | null) => {
    const cell = target instanceof Element ? target.closest('[data-id]') : null;
    const id = Number(cell?.getAttribute('data-id'));
    // Open the item's ancestors so the tree shows it, as clicking a byte does.
    if (cell && Number.isInteger(id)) store.getState().revealItem(id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    select(e.target);
  };

  const save = async (format: 'svg' | 'png') => {
    if (!detail || !svg) return;
    const plain = diagramSvg(layers, { title });
    const name = `${store.getState().fileBase()}-frame-${detail.number}-diagram.${format}`;
    await runAction(
      store.getState,
      async () => {
        const saved =
          format === 'svg'
            ? await saveOutput('png', name, plain, 'image/svg+xml')
            : await saveOutput('png', name, (await svgToPng(plain, 2, '#ffffff')).bytes, 'image/png');
        if (saved) store.getState().notify('info', t('diagram.saved', { name }));
      },
      undefined,
    );
  };

  return (
    <section className="pane diagram-pane" role="region" aria-label={t('diagram.label')}>
      <div className="pane-toolbar">
        <button type="button" className="mini-button" disabled={!svg} onClick={() => void save('png')}>
          {t('diagram.exportPng')}
        </button>
        <button type="button" className="mini-button" disabled={!svg} onClick={() => void save('svg')}>
          {t('diagram.exportSvg')}
        </button>
        <span className="pane-toolbar-spacer" />
        <button
          type="button"
          className="mini-button"
          aria-label={t('diagram.close')}
          title={t('diagram.close')}
          onClick={() => setDiagramOpen(false)}
        >
          ×
        </button>
      </div>
      <div
        ref={body}
        className="diagram-body"
        onMouseDown={(e: MouseEvent<HTMLDivElement>) => {
          if (e.button === 0) select(e.target);
        }}
        onKeyDown={onKeyDown}
      >
        {!detail && <div className="pane-empty">{t('details.empty')}</div>}
        {detail && !svg && <div className="pane-empty">{t('diagram.none', { number: detail.number })}</div>}
        {svg && <div className="diagram-svg" dangerouslySetInnerHTML={{ __html: svg }} />}
      </div>
    </section>
  );
}
