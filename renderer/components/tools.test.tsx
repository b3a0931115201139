// @vitest-environment jsdom
/** The details context menu by keyboard (Menu key / Shift+F10, arrows, Enter), as the WAI-ARIA menu pattern. */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { StoreContext } from '../store/context';
import { createAppStore } from '../store/app-store';
import { createI18n } from '../i18n';
import { fakeApi, fakeWorker, sampleDetail } from '../test/fakes';
import type { PacketDetail, TreeItem } from '../worker/worker-messages';
import { DetailTree } from './DetailTree';
import { itemValueText } from './tree-menu';

afterEach(cleanup);
const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

const withFilters = (items: readonly TreeItem[]): TreeItem[] =>
  items.map((i) => ({
    ...i,
    ...(i.field === 'ip.src' ? { filter: 'ip.src == 127.0.0.1', name: 'Source Address', value: '127.0.0.1' } : {}),
    ...(i.children ? { children: withFilters(i.children) } : {}),
  }));
const detail: PacketDetail = { ...sampleDetail, tree: withFilters(sampleDetail.tree) };

async function setup(language: 'en' | 'zh-CN' = 'en') {
  const { api } = fakeApi();
  const { worker, setProgress } = fakeWorker(detail);
  const store = createAppStore({ api, worker, language });
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={createI18n(language)}>
        <DetailTree />
      </I18nextProvider>
    </StoreContext.Provider>,
  );
  await act(() => store.getState().init());
  act(() => setProgress({}));
  await act(() => store.getState().selectPosition(0));
  act(() => store.getState().expandAll());
  return { store, worker };
}

describe('details context menu', () => {
  it('opens with Shift+F10 on the selected item; → opens Apply as Filter; Enter applies the filter', async () => {
    const { store, worker } = await setup();
    act(() => store.getState().selectItem(3));
    const tree = screen.getByRole('tree', { name: 'Packet details' });
    fireEvent.keyDown(tree, { key: 'F10', shiftKey: true });
    const menu = screen.getByRole('menu', { name: 'Packet details menu' });
    const column = screen.getByRole('menuitem', { name: /Apply as Column/ });
    await flush();
    expect(document.activeElement).toBe(column);
    fireEvent.keyDown(column, { key: 'ArrowDown' });
    const apply = screen.getByRole('menuitem', { name: /^Apply as Filter/ });
    expect(document.activeElement).toBe(apply);
    fireEvent.keyDown(apply, { key: 'ArrowRight' });
    expect(apply.getAttribute('aria-expanded')).toBe('true');
    const sub = screen.getByRole('menu', { name: 'Apply as Filter' });
    expect(Array.from(sub.querySelectorAll('[role="menuitem"]')).map((e) => e.textContent)).toEqual([
      'Selected',
      'Not Selected',
      '…and Selected',
      '…or Selected',
      '…and not Selected',
      '…or not Selected',
    ]);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Not Selected' }));
    await flush();
    expect(worker.filter).toHaveBeenLastCalledWith('!(ip.src == 127.0.0.1)');
    expect(screen.queryByRole('menu', { name: 'Packet details menu' })).toBeNull();
    expect(menu.isConnected).toBe(false);
  });

  it('Escape closes it; items without a filter have Apply as Filter disabled; labels exist in Chinese', async () => {
    const { store } = await setup('zh-CN');
    act(() => store.getState().selectItem(2));
    const tree = screen.getByRole('tree', { name: '分组详情' });
    fireEvent.keyDown(tree, { key: 'ContextMenu' });
    expect(screen.getByRole('menuitem', { name: /^作为过滤器应用/ }).getAttribute('aria-disabled')).toBe('true');
    fireEvent.keyDown(screen.getByRole('menuitem', { name: /应用为列/ }), { key: 'Escape' });
    expect(screen.queryByRole('menu', { name: '分组详情菜单' })).toBeNull();
  });

  it('Copy → Value copies what the item shows after its name', () => {
    const item = (label: string, name?: string): TreeItem => ({
      id: 0,
      label,
      name,
      start: 0,
      length: 1,
      source: 0,
      generated: false,
    });
    expect(itemValueText(item('.... .... ..1. = Syn: Set', 'Syn'))).toBe('Set');
    expect(itemValueText(item('Request URI: /', 'Request URI'))).toBe('/');
    expect(itemValueText(item('[Response in frame: 12]', 'Response in frame'))).toBe('12');
  });
});
