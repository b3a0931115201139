/**
 * The UI state (zustand), put together from slices (see README.md): notices and the one error
 * path, appearance, host, view, selection, tools, lab panel, dialogs, report, capture options.
 * The store talks to the host only through LabClient and to the dissection worker only through
 * DissectionClient, so tests run it with fakes; what it remembers between sessions goes through
 * preferences.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LabClient } from '../api/types';
import type { Language } from '../i18n';
import type { DissectionClient } from '../worker/worker-client';
import { createAppearanceSlice } from './appearance';
import { createCaptureOptionsSlice } from './capture-options';
import { createDialogsSlice } from './dialogs';
import { PacketFeed } from './feed';
import { createHostSlice } from './host';
import { createLabPanelSlice } from './lab';
import { LabFacts } from './lab-facts';
import { createNoticesSlice } from './notices';
import { openPreferences, type PreferenceStorage } from './preferences';
import { createReportSlice } from './report';
import { createSelectionSlice } from './selection';
import { createToolsSlice } from './tools';
import type { SliceContext, StoreState, Theme } from './types';
import { createViewSlice } from './view';
import { HostCopy } from '../lib/upload';

export type {
  AppActions,
  AppState,
  CaptureSource,
  ExportScope,
  FilterState,
  Notice,
  Screenshot,
  SideTab,
  StatsDialogKind,
  WhenHidden,
} from './types';
export { LAB_DEBOUNCE_MS } from './lab';

export type AppStore = StoreApi<StoreState>;

export interface StoreDeps {
  api: LabClient;
  worker: DissectionClient;
  /** Opens the profile page after Start Lab (browser shell); receives a function to call after the lab started. */
  openPage?: () => { navigate(url: string): void; close(): void } | null;
  language?: Language;
  theme?: Theme;
  /** Text for messages (i18n t function); identity in tests. */
  t?: (key: string, values?: Record<string, unknown>) => string;
  /** Where preferences are saved (localStorage in the app; none: defaults, nothing saved). */
  storage?: PreferenceStorage;
}

export function createAppStore(deps: StoreDeps): AppStore {
  const { api, worker } = deps;
  let store: AppStore | null = null;
  const context: SliceContext = {
    api,
    worker,
    t: deps.t ?? ((key: string) => key),
    preferences: openPreferences(deps.storage),
    openPage: deps.openPage,
    feed: new PacketFeed(
      worker,
      (from, count) => api.getPackets(from, count),
      (error) => store?.getState().reportError(error),
    ),
    facts: new LabFacts(),
    hostCopy: new HostCopy(),
  };
  const appearance = createAppearanceSlice({ language: deps.language ?? 'en', theme: deps.theme ?? 'light' });
  store = createStore<StoreState>()((...a) => ({
    ...createNoticesSlice(context)(...a),
    ...appearance(context)(...a),
    ...createHostSlice(context)(...a),
    ...createViewSlice(context)(...a),
    ...createSelectionSlice(context)(...a),
    ...createToolsSlice(context)(...a),
    ...createLabPanelSlice(context)(...a),
    ...createDialogsSlice(context)(...a),
    ...createReportSlice(context)(...a),
    ...createCaptureOptionsSlice(context)(...a),
  }));
  return store;
}
