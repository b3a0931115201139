/**
 * Every export the UI offers (toolbar Export menu, guide buttons, Electron's menu): screenshots,
 * the capture as pcapng, packet dissections as text, the flow graph and the lab report.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { zipSync, strToU8 } from 'fflate';
import { flowGraphSvg } from '../../core/analysis/lab/flow-graph';
import { useAppStore } from '../store/context';
import { runAction } from '../store/notices';
import type { LabViews } from '../worker/worker-messages';
import type { AppStore, ExportScope, SideTab } from '../store/app-store';
import { saveOutput } from '../lib/desktop';
import { screenshotElement, svgToPng } from '../lib/screenshot';

export type ShotTarget = 'window' | 'list' | 'details' | 'bytes' | 'flow' | 'guide' | 'tcptrace';

export const SHOT_SELECTORS: Record<Exclude<ShotTarget, 'window'>, string> = {
  list: '.packet-list',
  details: '.detail-pane',
  bytes: '.bytes-pane',
  flow: '.flow-pane',
  guide: '.guide-pane',
  tcptrace: '.tcptrace-pane',
};

const TAB_OF: Partial<Record<ShotTarget, SideTab>> = { flow: 'flow', guide: 'guide', tcptrace: 'tcptrace' };

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

export interface Exports {
  screenshot(target: ShotTarget): Promise<boolean>;
  capture(scope: ExportScope): Promise<boolean>;
  dissections(scope: ExportScope, bytes: boolean): Promise<boolean>;
  flowGraph(format: 'svg' | 'png'): Promise<boolean>;
  report(format: 'html' | 'markdown'): Promise<boolean>;
}

export function createExports(store: AppStore, t: (key: string, values?: Record<string, unknown>) => string): Exports {
  /** Shows what went wrong (the store's error path) and resolves false. */
  const run = (work: () => Promise<boolean>) => runAction(store.getState, work, false);
  // With the lists a view reads (a tab's screenshot, the flow graph's export): see LabViews.
  const ensureLab = (views: LabViews) => store.getState().labWithViews(views);
  return {
    screenshot(target) {
      return run(async () => {
        const tab = TAB_OF[target];
        if (tab) {
          const state = store.getState();
          if (!state.sidePanelOpen || state.sideTab !== tab) state.setSidePanelOpen(true, tab);
          await ensureLab(store.getState().labViews(tab));
          await nextFrame();
          await nextFrame();
        }
        const element = target === 'window' ? null : document.querySelector<HTMLElement>(SHOT_SELECTORS[target]);
        if (target !== 'window' && !element) throw new Error(t('exports.noPane'));
        const png = await screenshotElement(element);
        const n = store.getState().screenshots.length + 1;
        const name = `wirelab-${target}-${n}.png`;
        store.getState().addScreenshot({ name, caption: t(`exports.shot.${target}`), bytes: png.bytes });
        const saved = await saveOutput('png', name, png.bytes, 'image/png');
        if (saved)
          store.getState().notify('info', t('exports.shotSaved', { name, width: png.width, height: png.height }));
        return saved;
      });
    },
    async capture(scope) {
      const file = await store.getState().exportCapture(scope);
      if (!file) return false;
      return saveOutput('capture', file.name, file.bytes, 'application/octet-stream');
    },
    async dissections(scope, bytes) {
      const file = await store.getState().exportDissections(scope, bytes);
      if (!file) return false;
      return saveOutput('dissection', file.name, file.text, 'text/plain;charset=utf-8');
    },
    flowGraph(format) {
      return run(async () => {
        const lab = await ensureLab(store.getState().labViews('flow'));
        if (!lab || lab.graph.arrows.length === 0) throw new Error(t('flow.empty'));
        const { language, theme } = store.getState();
        const svg = flowGraphSvg(lab.graph, { lang: language, theme });
        const base = `${store.getState().fileBase()}-flow-graph`;
        if (format === 'svg') return saveOutput('png', `${base}.svg`, svg, 'image/svg+xml');
        const png = await svgToPng(svg);
        return saveOutput('png', `${base}.png`, png.bytes, 'image/png');
      });
    },
    async report(format) {
      const built = await store.getState().buildReport();
      if (!built) return false;
      const { base, report, screenshots } = built;
      if (format === 'html') return saveOutput('report', `${base}.html`, report.html, 'text/html;charset=utf-8');
      // Markdown links its pictures: one .zip with report.md, flow-graph.svg and screenshots/*.png.
      const files: Record<string, Uint8Array> = {
        [`${base}.md`]: strToU8(report.markdown),
        'flow-graph.svg': strToU8(report.flowGraphSvg),
      };
      for (const s of screenshots) files[`screenshots/${s.name}`] = s.bytes;
      const zip = zipSync(files, { level: 6 });
      store.getState().notify('info', t('exports.zipSaved', { count: screenshots.length }));
      return saveOutput('report', `${base}-markdown.zip`, zip, 'application/zip');
    },
  };
}

export function useExports(): Exports {
  const store = useAppStore();
  const { t } = useTranslation();
  return useMemo(() => createExports(store, (k, v) => t(k, v)), [store, t]);
}
