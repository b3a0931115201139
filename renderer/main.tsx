/** Renderer entry: connects to the host (preload or WebSocket), starts the worker, renders. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getLabClient } from './api';
import { createAppStore } from './store/app-store';
import { WorkerClient } from './worker/worker-client';
import { createI18n, detectLanguage } from './i18n';
import { loadPreferences } from './store/preferences';
import './styles.css';

/** localStorage, or nothing where the browser disables it (the preferences then last one session). */
function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Browser shell: open the page tab while the click still counts as a user gesture, navigate it later. */
function openPageTab() {
  const tab = window.open('about:blank', '_blank');
  if (!tab) return null;
  return {
    navigate(url: string) {
      tab.opener = null;
      tab.location.href = url;
    },
    close() {
      tab.close();
    },
  };
}

async function main() {
  const storage = browserStorage();
  const saved = loadPreferences(storage);
  const language = detectLanguage(saved.language);
  const i18n = createI18n(language);
  document.documentElement.lang = language;
  document.title = 'WireLab';
  const rootElement = document.getElementById('root') as HTMLElement;
  let store: ReturnType<typeof createAppStore> | null = null;
  try {
    const api = await getLabClient({
      onDisconnect: () => {
        store?.setState({ connected: false });
        store?.getState().notify('error', i18n.t('status.disconnected'));
      },
    });
    store = createAppStore({
      api,
      worker: WorkerClient.create(),
      openPage: api.shell === 'web' ? openPageTab : undefined,
      language,
      theme: saved.theme ?? (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'),
      t: (key, values) => i18n.t(key, values),
      storage,
    });
    createRoot(rootElement).render(<App store={store} i18n={i18n} />);
    await store.getState().init();
  } catch (error) {
    rootElement.textContent = `${i18n.t('status.disconnected')} (${error instanceof Error ? error.message : String(error)})`;
  }
}

void main();
