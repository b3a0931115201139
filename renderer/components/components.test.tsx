// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { StoreContext } from '../store/context';
import { createAppStore } from '../store/app-store';
import { createI18n } from '../i18n';
import { fakeApi, fakeWorker, sampleDetail } from '../test/fakes';
import { FilterBar } from './FilterBar';
import { DetailTree } from './DetailTree';
import { BytesPane } from './BytesPane';
import { Toolbar } from './Toolbar';

afterEach(cleanup);

// jsdom has no layout: give elements a size so the virtualised panes render their lines.
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 400 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
HTMLElement.prototype.getBoundingClientRect = function () {
  return { x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 400, width: 800, height: 400, toJSON: () => ({}) };
};
const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

function renderWith(ui: React.ReactNode, language: 'en' | 'zh-CN' = 'en') {
  const { api } = fakeApi();
  const { worker, setProgress } = fakeWorker(sampleDetail);
  const store = createAppStore({ api, worker, language });
  const i18n = createI18n(language);
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={i18n}>{ui}</I18nextProvider>
    </StoreContext.Provider>,
  );
  const ready = async () => {
    await act(() => store.getState().init());
    act(() => setProgress({}));
  };
  return { store, api, worker, i18n, ready };
}

describe('FilterBar', () => {
  it('is named "Display filter", turns red with aria-invalid and the message while wrong, green when right', async () => {
    const { worker } = renderWith(<FilterBar />);
    const input = screen.getByRole('textbox', { name: 'Display filter' });
    expect(input.getAttribute('aria-invalid')).toBe('false');
    fireEvent.change(input, { target: { value: 'tcp.prot == 1' } });
    await flush();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.className).toContain('is-invalid');
    expect(screen.getByRole('alert').textContent).toBe('tcp.prot is neither a field nor a protocol name.');
    fireEvent.change(input, { target: { value: 'http' } });
    await flush();
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(input.className).toContain('is-valid');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.keyDown(input, { key: 'Enter' });
    await flush();
    expect(worker.filter).toHaveBeenCalledWith('http');
    // The history dropdown lists it.
    fireEvent.click(screen.getByRole('button', { name: 'Recent filters' }));
    expect(screen.getByRole('option', { name: 'http' })).toBeTruthy();
  });
});

describe('DetailTree', () => {
  it('is an ARIA tree with treeitems, aria-expanded, and arrow-key navigation', async () => {
    const { store, ready } = renderWith(<DetailTree />);
    await ready();
    await act(() => store.getState().selectPosition(0));
    const tree = screen.getByRole('tree', { name: 'Packet details' });
    const tcp = screen.getByRole('treeitem', { name: /^Transmission Control Protocol/ });
    expect(tcp.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByRole('treeitem', { name: /^Frame 1/ }).getAttribute('aria-expanded')).toBeNull();
    fireEvent.mouseDown(tcp);
    expect(tcp.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(tcp.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(screen.getByRole('treeitem', { name: 'Source Port: 46062' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    const generated = screen.getByRole('treeitem', { name: '[Stream index: 0]' });
    expect(generated.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(tcp.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(tcp.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(screen.getByRole('treeitem', { name: '.... .... ..1. = Syn: Set' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(screen.queryByRole('treeitem', { name: 'Source Port: 46062' })).toBeNull();
  });
});

describe('BytesPane ↔ tree', () => {
  it('highlights exactly the selected item bytes, and a byte click selects the deepest item', async () => {
    const { store, ready } = renderWith(
      <>
        <DetailTree />
        <BytesPane />
      </>,
    );
    await ready();
    await act(() => store.getState().selectPosition(0));
    const region = screen.getByRole('region', { name: 'Packet bytes' });
    expect(screen.getByRole('tab', { name: 'Frame (74 bytes)' }).getAttribute('aria-selected')).toBe('true');
    act(() => store.getState().expandAll());
    fireEvent.mouseDown(screen.getByRole('treeitem', { name: /^Sequence Number: 0/ }));
    const on = region.querySelectorAll('[data-highlight="true"]');
    expect(Array.from(on).map((e) => e.getAttribute('data-offset'))).toEqual(['38', '39', '40', '41']);
    // Generated items highlight nothing.
    fireEvent.mouseDown(screen.getByRole('treeitem', { name: '[Stream index: 0]' }));
    expect(region.querySelectorAll('[data-highlight="true"]')).toHaveLength(0);
    // Click on byte 26 → Source Address.
    fireEvent.mouseDown(region.querySelector('[data-offset="26"]') as Element);
    expect(screen.getByRole('treeitem', { name: 'Source Address: 127.0.0.1' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect(region.querySelectorAll('[data-highlight="true"]')).toHaveLength(4);
    // An item in the reassembled source switches the tab.
    fireEvent.mouseDown(screen.getByRole('treeitem', { name: 'Reassembled body' }));
    expect(screen.getByRole('tab', { name: 'Reassembled TCP (10 bytes)' }).getAttribute('aria-selected')).toBe('true');
    expect(region.querySelectorAll('[data-highlight="true"]')).toHaveLength(5);
  });
});

describe('Toolbar', () => {
  it('has Start Lab / Stop in English and 开始实验 in Chinese', async () => {
    const { store } = renderWith(<Toolbar />);
    await act(() => store.getState().init());
    expect(screen.getByRole('button', { name: 'Start Lab' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    cleanup();
    renderWith(<Toolbar />, 'zh-CN');
    expect(screen.getByRole('button', { name: '开始实验' })).toBeTruthy();
  });
});
