/** Saved preferences: one versioned value, checked field by field, migrated once from the keys of before. */
import { describe, expect, it } from 'vitest';
import { fakeApi, fakeWorker, sampleDetail } from '../test/fakes';
import { createAppStore } from './app-store';
import {
  DEFAULT_PREFERENCES,
  loadPreferences,
  openPreferences,
  PREFERENCES_KEY,
  PREFERENCES_VERSION,
} from './preferences';

function memoryStorage(entries: Record<string, string> = {}) {
  const data = new Map(Object.entries(entries));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

/** What the app wrote under each key before the preferences had one home. */
const legacy = {
  'wirelab.language': 'zh-CN',
  'wirelab.theme': 'dark',
  'wirelab.layout': JSON.stringify({ details: 300, bytes: 120 }),
  'wirelab.timeFormat': 'utc_date_time',
  'wirelab.diagram': '1',
  'wirelab.columns': JSON.stringify([{ field: 'http.host', title: 'Host', width: 200 }]),
  'wirelab.filterHistory': JSON.stringify(['http', 'tcp.port == 8001']),
};

describe('preferences', () => {
  it('reads the old keys once, saves them as one versioned value and removes them', () => {
    const storage = memoryStorage(legacy);
    const loaded = loadPreferences(storage);
    expect(loaded).toEqual({
      language: 'zh-CN',
      theme: 'dark',
      layout: { details: 300, bytes: 120 },
      timeFormat: 'utc_date_time',
      diagramOpen: true,
      columns: [{ field: 'http.host', title: 'Host', width: 200 }],
      filterHistory: ['http', 'tcp.port == 8001'],
    });
    expect([...storage.data.keys()]).toEqual([PREFERENCES_KEY]);
    expect(JSON.parse(storage.data.get(PREFERENCES_KEY) ?? '')).toEqual({ version: PREFERENCES_VERSION, ...loaded });
    // The second start reads the new value.
    expect(loadPreferences(storage)).toEqual(loaded);
  });

  it('migrates into a store: the old settings show in the UI state', async () => {
    const storage = memoryStorage(legacy);
    const { api } = fakeApi();
    const { worker } = fakeWorker(sampleDetail);
    const store = createAppStore({ api, worker, storage });
    const s = store.getState();
    expect(s.timeFormat).toBe('utc_date_time');
    expect(s.diagramOpen).toBe(true);
    expect(s.customColumns).toEqual([{ field: 'http.host', title: 'Host', width: 200 }]);
    expect(s.filterHistory).toEqual(['http', 'tcp.port == 8001']);
    expect(s.layout).toEqual({ details: 300, bytes: 120 });
  });

  it('each damaged field falls back to its default, the others are kept', () => {
    const storage = memoryStorage({
      [PREFERENCES_KEY]: JSON.stringify({
        version: 1,
        language: 'fr',
        theme: 'purple',
        layout: { details: 10, bytes: 200 },
        timeFormat: 'epoch',
        diagramOpen: 'yes',
        columns: [
          { field: 'x); alert(1', title: 'x', width: 100 },
          { field: 'tcp.flags', title: 'Flags', width: 5 },
        ],
        filterHistory: ['dns', 42],
      }),
    });
    expect(loadPreferences(storage)).toEqual({
      language: null,
      theme: null,
      layout: { details: 230, bytes: 200 },
      timeFormat: 'epoch',
      diagramOpen: false,
      columns: [{ field: 'tcp.flags', title: 'Flags', width: 40 }],
      filterHistory: ['dns'],
    });
    expect(loadPreferences(memoryStorage({ [PREFERENCES_KEY]: '{not json' }))).toEqual(DEFAULT_PREFERENCES);
  });

  it('storage that throws or is missing: defaults, and changes still apply for the session', () => {
    const broken = {
      getItem: (): string | null => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const preferences = openPreferences(broken);
    expect(preferences.current).toEqual(DEFAULT_PREFERENCES);
    preferences.save({ theme: 'dark' });
    expect(preferences.current.theme).toBe('dark');
    expect(openPreferences(undefined).current).toEqual(DEFAULT_PREFERENCES);
  });

  it('language, theme, pane sizes and filter history changed in the store are saved', async () => {
    const storage = memoryStorage();
    const { api } = fakeApi();
    const { worker } = fakeWorker(sampleDetail);
    const store = createAppStore({ api, worker, storage, language: 'en', theme: 'light' });
    store.getState().setLanguage('zh-CN');
    store.getState().setTheme('dark');
    store.getState().setLayout({ details: 280, bytes: 160 });
    await store.getState().applyFilter('dns');
    expect(loadPreferences(storage)).toMatchObject({
      language: 'zh-CN',
      theme: 'dark',
      layout: { details: 280, bytes: 160 },
      filterHistory: ['dns'],
    });
  });
});
