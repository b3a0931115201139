/** i18next setup: zh-CN and en; `?lang=` wins, then the saved choice (store/preferences.ts), then the browser's language. */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Language = 'en' | 'zh-CN';
export const LANGUAGES: { code: Language; label: string }[] = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];

export function normalizeLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

export function initialLanguage(search: string, saved: string | null, navigatorLanguages: readonly string[]): Language {
  const forced = normalizeLanguage(new URLSearchParams(search).get('lang'));
  if (forced) return forced;
  const stored = normalizeLanguage(saved);
  if (stored) return stored;
  for (const tag of navigatorLanguages) {
    const lang = normalizeLanguage(tag);
    if (lang) return lang;
  }
  return 'en';
}

/** The language to start with, given the saved choice (null when none). */
export function detectLanguage(saved: string | null): Language {
  if (typeof window === 'undefined') return 'en';
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return initialLanguage(location.search, saved, langs);
}

export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
