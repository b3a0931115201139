import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, menuLocale, type MenuState } from '../../main/electron/menu';

const state: MenuState = {
  platform: 'linux',
  locale: 'en',
  labRunning: false,
  theme: 'system',
  openPageIn: 'window',
  devTools: false,
};

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function build(overrides: Partial<MenuState> = {}) {
  const handlers = { send: vi.fn(), setTheme: vi.fn(), setOpenPageIn: vi.fn(), about: vi.fn() };
  const items = flatten(buildMenuTemplate({ ...state, ...overrides }, handlers));
  const byId = (id: string) => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new Error(`no menu item ${id}`);
    return item;
  };
  const click = (id: string) => (byId(id).click as () => void)();
  return { items, byId, click, handlers };
}

describe('application menu', () => {
  it("has Wireshark's shortcuts", () => {
    const { byId } = build();
    expect(byId('open').accelerator).toBe('CmdOrCtrl+O');
    expect(byId('save').accelerator).toBe('CmdOrCtrl+S');
    expect(byId('save-as').accelerator).toBe('CmdOrCtrl+Shift+S');
    expect(byId('toggle-lab').accelerator).toBe('CmdOrCtrl+E');
    expect(byId('focus-filter').accelerator).toBe('CmdOrCtrl+/');
    expect(byId('quit')).toMatchObject({ role: 'quit', accelerator: 'CmdOrCtrl+Q' });
    expect(byId('zoom-in')).toMatchObject({ role: 'zoomIn', accelerator: 'CmdOrCtrl+=' });
    expect(byId('zoom-out')).toMatchObject({ role: 'zoomOut', accelerator: 'CmdOrCtrl+-' });
    expect(byId('reset-zoom')).toMatchObject({ role: 'resetZoom', accelerator: 'CmdOrCtrl+0' });
    expect(byId('export-dissections-text').label).toBe('As Plain &Text…');
    expect(byId('find-packet').accelerator).toBe('CmdOrCtrl+F');
    expect(byId('toggle-mark').accelerator).toBe('CmdOrCtrl+M');
    expect(byId('toggle-time-reference').accelerator).toBe('CmdOrCtrl+T');
    expect(byId('go-back').accelerator).toBe('Alt+Left');
    expect(byId('go-forward').accelerator).toBe('Alt+Right');
  });

  it('has File, Edit, Capture, View, Statistics and Help menus on Windows/Linux', () => {
    const template = buildMenuTemplate(state, {
      send: vi.fn(),
      setTheme: vi.fn(),
      setOpenPageIn: vi.fn(),
      about: vi.fn(),
    });
    expect(template.map((m) => m.label)).toEqual([
      '&File',
      '&Edit',
      '&Capture',
      '&View',
      '&Go',
      '&Statistics',
      '&Help',
    ]);
  });

  it('sends menu actions to the renderer', () => {
    const { click, handlers } = build();
    for (const [id, action] of [
      ['open', 'open'],
      ['save', 'save'],
      ['save-as', 'save-as'],
      ['export-dissections-text', 'export-dissections'],
      ['export-screenshot', 'export-screenshot'],
      ['toggle-lab', 'start-lab'],
      ['focus-filter', 'focus-filter'],
      ['language-en', 'language-en'],
      ['language-zh-CN', 'language-zh-CN'],
      ['find-packet', 'find-packet'],
      ['toggle-mark', 'toggle-mark'],
      ['toggle-time-reference', 'toggle-time-reference'],
      ['go-back', 'go-back'],
      ['go-forward', 'go-forward'],
      ['toggle-diagram', 'toggle-diagram'],
      ['time-format-delta_displayed', 'time-format-delta_displayed'],
      ['time-format-utc_date_time', 'time-format-utc_date_time'],
      ['export-objects-http', 'export-objects-http'],
      ['stats-properties', 'stats-properties'],
      ['stats-hierarchy', 'stats-hierarchy'],
      ['stats-conversations', 'stats-conversations'],
      ['stats-endpoints', 'stats-endpoints'],
      ['stats-expert', 'stats-expert'],
      ['stats-io', 'stats-io'],
    ]) {
      click(id);
      expect(handlers.send).toHaveBeenLastCalledWith(action);
    }
  });

  it('Ctrl+E toggles: Start Lab while stopped, Stop while running', () => {
    const stopped = build();
    expect(stopped.byId('toggle-lab').label).toBe('&Start Lab');
    const running = build({ labRunning: true });
    expect(running.byId('toggle-lab')).toMatchObject({ label: 'S&top', accelerator: 'CmdOrCtrl+E' });
    running.click('toggle-lab');
    expect(running.handlers.send).toHaveBeenCalledWith('stop-lab');
  });

  it('theme and lab-page settings are radio items reflecting the state', () => {
    const { byId, click, handlers } = build({ theme: 'dark', openPageIn: 'browser' });
    expect(byId('theme-dark')).toMatchObject({ type: 'radio', checked: true });
    expect(byId('theme-light').checked).toBe(false);
    expect(byId('open-page-in-browser').checked).toBe(true);
    click('theme-light');
    expect(handlers.setTheme).toHaveBeenCalledWith('light');
    click('open-page-in-window');
    expect(handlers.setOpenPageIn).toHaveBeenCalledWith('window');
    click('about');
    expect(handlers.about).toHaveBeenCalled();
  });

  it('macOS: an app menu, no mnemonics, About and Quit in the app menu', () => {
    const template = buildMenuTemplate(
      { ...state, platform: 'darwin' },
      {
        send: vi.fn(),
        setTheme: vi.fn(),
        setOpenPageIn: vi.fn(),
        about: vi.fn(),
      },
    );
    expect(template[0].label).toBe('WireLab');
    expect(template.map((m) => m.label)).toEqual(['WireLab', 'File', 'Edit', 'Capture', 'View', 'Go', 'Statistics']);
    expect(JSON.stringify(template)).not.toMatch(/&/);
  });

  it('Chinese labels for Chinese locales, with the same shortcuts', () => {
    expect(menuLocale('zh-CN')).toBe('zh-CN');
    expect(menuLocale('zh')).toBe('zh-CN');
    expect(menuLocale('zh-TW')).toBe('en');
    expect(menuLocale('en-US')).toBe('en');
    const { byId } = build({ locale: 'zh-CN' });
    expect(byId('open')).toMatchObject({ label: '打开(&O)…', accelerator: 'CmdOrCtrl+O' });
    expect(byId('toggle-lab').label).toBe('开始实验(&S)');
  });

  it('developer tools only when enabled', () => {
    expect(build().items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(build({ devTools: true }).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
