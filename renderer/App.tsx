import { useEffect, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n } from 'i18next';
import { StoreContext, useApp, useAppStore } from './store/context';
import type { AppStore } from './store/app-store';
import { Toolbar } from './components/Toolbar';
import { FilterBar } from './components/FilterBar';
import { PacketList } from './components/PacketList';
import { DetailTree } from './components/DetailTree';
import { BytesPane } from './components/BytesPane';
import { StatusBar } from './components/StatusBar';
import { Notices } from './components/Notices';
import { Splitter } from './components/Splitter';
import type { Layout } from './store/preferences';
import { SidePanel } from './components/SidePanel';
import { FollowDialog } from './components/FollowDialog';
import { useDesktopMenu } from './components/desktop-menu';
import { PacketDiagram } from './components/PacketDiagram';
import { FindBar } from './components/FindBar';
import { useToolShortcuts } from './components/shortcuts';
import { StatisticsDialog } from './components/statistics/StatisticsDialog';
import { useCaptureDrop } from './components/capture-drop';

function Panes() {
  const { t } = useTranslation();
  const store = useAppStore();
  // Local while dragging; saved (setLayout in the store) when the drag ends.
  const [layout, setLayout] = useState<Layout>(() => store.getState().layout);
  const diagramOpen = useApp((s) => s.diagramOpen);
  const clamp = (n: number) => Math.max(60, Math.min(window.innerHeight - 200, n));
  return (
    <main className="panes">
      <PacketList />
      <Splitter
        label={t('list.label')}
        onResize={(dy) => setLayout((l) => ({ ...l, details: clamp(l.details - dy) }))}
        onDone={() => setLayout((l) => (store.getState().setLayout(l), l))}
      />
      <div className="pane-slot" style={{ height: layout.details }}>
        <DetailTree />
        {diagramOpen && <PacketDiagram />}
      </div>
      <Splitter
        label={t('details.label')}
        onResize={(dy) => setLayout((l) => ({ ...l, bytes: clamp(l.bytes - dy) }))}
        onDone={() => setLayout((l) => (store.getState().setLayout(l), l))}
      />
      <div className="pane-slot" style={{ height: layout.bytes }}>
        <BytesPane />
      </div>
    </main>
  );
}

function Shell({ i18n }: { i18n: i18n }) {
  const language = useApp((s) => s.language);
  const theme = useApp((s) => s.theme);
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language, i18n]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const sidePanelOpen = useApp((s) => s.sidePanelOpen);
  const follow = useApp((s) => s.follow);
  const statsDialog = useApp((s) => s.statsDialog);
  useDesktopMenu();
  useToolShortcuts();
  useCaptureDrop();
  return (
    <div className="app">
      <Toolbar />
      <FilterBar />
      <FindBar />
      <div className="workspace">
        <Panes />
        {sidePanelOpen && <SidePanel />}
      </div>
      {follow && <FollowDialog />}
      {statsDialog && <StatisticsDialog />}
      <Notices />
      <StatusBar />
    </div>
  );
}

export function App({ store, i18n }: { store: AppStore; i18n: i18n }) {
  return (
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={i18n}>
        <Shell i18n={i18n} />
      </I18nextProvider>
    </StoreContext.Provider>
  );
}
