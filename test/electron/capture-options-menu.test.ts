/** Capture → Options… in Electron's menu: Wireshark's Ctrl+K, both languages, off while capturing. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuState } from '../../main/electron/menu';
import { menuActions } from '../../bridge/desktop-api';

const state: MenuState = {
  platform: 'linux',
  locale: 'en',
  labRunning: false,
  theme: 'system',
  openPageIn: 'window',
  devTools: false,
};

function item(overrides: Partial<MenuState> = {}) {
  const handlers = { send: vi.fn(), setTheme: vi.fn(), setOpenPageIn: vi.fn(), about: vi.fn() };
  const template = buildMenuTemplate({ ...state, ...overrides }, handlers);
  const capture = template.find((m) => m.id === 'capture');
  const submenu = (capture?.submenu ?? []) as MenuItemConstructorOptions[];
  const options = submenu.find((i) => i.id === 'capture-options');
  if (!options) throw new Error('no Capture → Options item');
  return { options, handlers, submenu };
}

describe('Capture → Options… menu item', () => {
  it('sends capture-options (a known menu action) with Ctrl+K, right after Start Lab', () => {
    const { options, handlers, submenu } = item();
    expect(options).toMatchObject({ label: '&Options…', accelerator: 'CmdOrCtrl+K', enabled: true });
    expect(submenu.findIndex((i) => i.id === 'capture-options')).toBe(
      submenu.findIndex((i) => i.id === 'toggle-lab') + 1,
    );
    (options.click as () => void)();
    expect(handlers.send).toHaveBeenCalledWith('capture-options');
    expect(menuActions).toContain('capture-options');
  });

  it('is disabled while a capture runs, and in Chinese for Chinese locales', () => {
    expect(item({ labRunning: true }).options.enabled).toBe(false);
    expect(item({ locale: 'zh-CN' }).options.label).toBe('选项(&O)…');
    expect(item({ platform: 'darwin' }).options.label).toBe('Options…');
  });
});
