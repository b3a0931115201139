/**
 * Saved preferences: the one place the UI reads and writes what it remembers between sessions
 * (language, theme, pane sizes, Time Display Format, packet diagram pane, custom columns,
 * display filter history). All of it is one JSON value under `wirelab.preferences` with a
 * version; every field is checked on load and falls back to its default, so a damaged or
 * hand-edited value never breaks the start-up.
 *
 * Before version 1 each setting had a key of its own (`wirelab.language`, `wirelab.theme`, …):
 * when the new key is missing, those are read once, checked the same way and written as the
 * new value (the old keys are then removed where the storage allows it).
 */
import { TIME_FORMATS, type TimeFormat } from '../../core/dissect/time-format';
import { normalizeLanguage, type Language } from '../i18n';

export const PREFERENCES_KEY = 'wirelab.preferences';
export const PREFERENCES_VERSION = 1;

/** Pane sizes (px). */
export interface Layout {
  /** Height of the detail pane. */
  details: number;
  /** Height of the bytes pane. */
  bytes: number;
}

export interface CustomColumn {
  /** Field abbreviation (`http.request.uri`). */
  field: string;
  /** Header text (the field's display name when added). */
  title: string;
  /** Width in px. */
  width: number;
}

export interface Preferences {
  /** null until the user (or a `?lang=`) chose one: the browser's language is used then. */
  language: Language | null;
  /** null until chosen: the system's colour scheme is used then. */
  theme: 'light' | 'dark' | null;
  layout: Layout;
  timeFormat: TimeFormat;
  diagramOpen: boolean;
  columns: CustomColumn[];
  /** Applied display filters, newest first. */
  filterHistory: string[];
}

/** What preferences are kept in: localStorage in the app, a Map in tests. */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'> & Partial<Pick<Storage, 'removeItem'>>;

export const DEFAULT_LAYOUT: Layout = { details: 230, bytes: 150 };
export const DEFAULT_COLUMN_WIDTH = 120;
const MAX_COLUMNS = 20;
const MAX_HISTORY = 20;

export const DEFAULT_PREFERENCES: Preferences = {
  language: null,
  theme: null,
  layout: DEFAULT_LAYOUT,
  timeFormat: 'relative',
  diagramOpen: false,
  columns: [],
  filterHistory: [],
};

/** The keys used before version 1, one a setting. */
export const LEGACY_KEYS = {
  language: 'wirelab.language',
  theme: 'wirelab.theme',
  layout: 'wirelab.layout',
  timeFormat: 'wirelab.timeFormat',
  diagramOpen: 'wirelab.diagram',
  columns: 'wirelab.columns',
  filterHistory: 'wirelab.filterHistory',
} as const satisfies Record<keyof Preferences, string>;

export const clampColumnWidth = (width: number): number => Math.max(40, Math.min(800, Math.round(width)));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function checkLayout(value: unknown): Layout {
  if (!isRecord(value)) return DEFAULT_LAYOUT;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 40 && n <= 4000;
  return {
    details: ok(value.details) ? value.details : DEFAULT_LAYOUT.details,
    bytes: ok(value.bytes) ? value.bytes : DEFAULT_LAYOUT.bytes,
  };
}

/** Only field names become columns (the field is sent to the worker and shown as a header). */
function checkColumns(value: unknown): CustomColumn[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (c): c is CustomColumn =>
        isRecord(c) && typeof c.field === 'string' && /^[A-Za-z0-9_.-]+$/.test(c.field) && typeof c.title === 'string',
    )
    .map((c) => ({
      field: c.field,
      title: c.title,
      width: Number.isFinite(c.width) ? clampColumnWidth(c.width) : DEFAULT_COLUMN_WIDTH,
    }))
    .slice(0, MAX_COLUMNS);
}

function checkHistory(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string').slice(0, MAX_HISTORY) : [];
}

/** Each field checked on its own: what is wrong falls back to its default, the rest is kept. */
export function checkPreferences(value: unknown): Preferences {
  const v = isRecord(value) ? value : {};
  return {
    language: typeof v.language === 'string' ? normalizeLanguage(v.language) : null,
    theme: v.theme === 'light' || v.theme === 'dark' ? v.theme : null,
    layout: checkLayout(v.layout),
    timeFormat:
      typeof v.timeFormat === 'string' && (TIME_FORMATS as string[]).includes(v.timeFormat)
        ? (v.timeFormat as TimeFormat)
        : DEFAULT_PREFERENCES.timeFormat,
    diagramOpen: v.diagramOpen === true,
    columns: checkColumns(v.columns),
    filterHistory: checkHistory(v.filterHistory),
  };
}

function read(storage: PreferenceStorage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null; // storage disabled
  }
}

function parse(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** The settings as the keys before version 1 held them (plain strings, '1' flags or JSON). */
function readLegacy(storage: PreferenceStorage): Record<string, unknown> | null {
  const raw = Object.fromEntries(
    Object.entries(LEGACY_KEYS).map(([name, key]) => [name, read(storage, key)] as const),
  ) as Record<keyof Preferences, string | null>;
  if (Object.values(raw).every((v) => v === null)) return null;
  return {
    language: raw.language,
    theme: raw.theme,
    layout: parse(raw.layout),
    timeFormat: raw.timeFormat,
    diagramOpen: raw.diagramOpen === '1',
    columns: parse(raw.columns),
    filterHistory: parse(raw.filterHistory),
  };
}

function write(storage: PreferenceStorage, preferences: Preferences): void {
  try {
    storage.setItem(PREFERENCES_KEY, JSON.stringify({ version: PREFERENCES_VERSION, ...preferences }));
  } catch {
    // storage full or disabled: the settings still apply for this session
  }
}

/** Reads the saved preferences (migrating the keys of before version 1 once); defaults without storage. */
export function loadPreferences(storage: PreferenceStorage | undefined): Preferences {
  if (!storage) return DEFAULT_PREFERENCES;
  const saved = parse(read(storage, PREFERENCES_KEY));
  if (isRecord(saved)) return checkPreferences(saved);
  const legacy = readLegacy(storage);
  if (!legacy) return DEFAULT_PREFERENCES;
  const migrated = checkPreferences(legacy);
  write(storage, migrated);
  for (const key of Object.values(LEGACY_KEYS)) {
    try {
      storage.removeItem?.(key);
    } catch {
      // storage disabled
    }
  }
  return migrated;
}

/** The preferences of one store: read once, then each change is written through. */
export interface PreferenceStore {
  readonly current: Preferences;
  save(patch: Partial<Preferences>): void;
}

export function openPreferences(storage: PreferenceStorage | undefined): PreferenceStore {
  let current = loadPreferences(storage);
  return {
    get current() {
      return current;
    },
    save(patch) {
      current = { ...current, ...patch };
      if (storage) write(storage, current);
    },
  };
}
