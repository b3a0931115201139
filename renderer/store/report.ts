/**
 * The report slice: exports of the capture and of the dissections (all, displayed, selected or
 * marked packets), the screenshots taken in this session, and the lab report built from them.
 */
import { bytesToBase64 } from '../lib/base64';
import { runAction } from './notices';
import type { ExportScope, ReportActions, ReportState, Slice, StoreState } from './types';

/** The packet indices of a scope other than all / displayed, or null (after saying why) when there are none. */
function chosenIndices(
  get: () => StoreState,
  t: (key: string) => string,
  scope: Exclude<ExportScope, 'all' | 'displayed'>,
): number[] | null {
  if (scope === 'marked') {
    const marked = get().markedIndices();
    if (marked.length === 0) get().notify('error', t('mark.none'));
    return marked.length > 0 ? marked : null;
  }
  const selected = get().selectedIndex;
  if (selected === null) get().notify('error', t('follow.noPacket'));
  return selected === null ? null : [selected];
}

export const createReportSlice: Slice<ReportState & ReportActions> =
  ({ api, worker, t, hostCopy }) =>
  (set, get) => ({
    screenshots: [],

    fileBase() {
      return (get().status?.source.name ?? 'wirelab').replace(/\.(pcapng|pcap|cap)$/i, '');
    },

    exportCapture(scope) {
      return runAction(
        get,
        async () => {
          let indices: number[] | undefined;
          if (scope === 'displayed') indices = await worker.displayedIndices();
          else if (scope !== 'all') {
            const chosen = chosenIndices(get, t, scope);
            if (!chosen) return null;
            indices = chosen;
          }
          // A file the worker reads: the host saves from its copy, which may still wait (HostCopy).
          await hostCopy.needed();
          const result = await api.saveCapture(indices ? { indices } : {});
          if (!result.bytes) return null;
          get().notify('info', t('messages.saved', { count: result.packets }));
          const suffix = scope === 'all' ? '' : `-${scope}`;
          return { name: `${get().fileBase()}${suffix}.pcapng`, bytes: result.bytes, packets: result.packets };
        },
        null,
      );
    },

    exportDissections(scope, bytes = true) {
      return runAction(
        get,
        async () => {
          let indices: number[] | undefined;
          if (scope === 'selected' || scope === 'marked') {
            const chosen = chosenIndices(get, t, scope);
            if (!chosen) return null;
            indices = chosen;
          }
          // Marked packets are exported as a selection of indices.
          const text = await worker.exportText({ scope: scope === 'marked' ? 'selected' : scope, indices, bytes });
          const count = (text.match(/^No\. {5}Time/gm) ?? []).length;
          get().notify('info', t('messages.exported', { count }));
          const suffix = scope === 'displayed' ? '' : `-${scope}`;
          return { name: `${get().fileBase()}${suffix}.txt`, text };
        },
        null,
      );
    },

    addScreenshot(shot) {
      set({ screenshots: [...get().screenshots, shot] });
    },

    buildReport() {
      return runAction(
        get,
        async () => {
          const state = get();
          const screenshots = state.screenshots;
          const profile = state.profile ?? (await api.getProfile());
          const report = await worker.report({
            ...state.labOptions(),
            lang: state.language,
            profile: { major: profile.major, studentId: profile.studentId, name: profile.name },
            flowGraphFile: 'flow-graph.svg',
            screenshots: screenshots.map((s) => ({
              name: s.name,
              path: `screenshots/${s.name}`,
              caption: s.caption,
              dataUrl: `data:image/png;base64,${bytesToBase64(s.bytes)}`,
            })),
          });
          return { base: `${get().fileBase()}-report`, report, screenshots };
        },
        null,
      );
    },
  });
