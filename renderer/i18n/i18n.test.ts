import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { initialLanguage } from './index';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('i18n', () => {
  it('zh-CN has every key of en, and none is empty', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const k of keys(zhCN))
      expect(k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN)).not.toBe('');
  });

  it('picks ?lang= first, then the saved choice, then the browser language, else English', () => {
    expect(initialLanguage('?lang=en', 'zh-CN', ['zh-CN'])).toBe('en');
    expect(initialLanguage('', 'zh-CN', ['en-US'])).toBe('zh-CN');
    expect(initialLanguage('', null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(initialLanguage('', null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(initialLanguage('', null, ['fr-FR'])).toBe('en');
  });
});
