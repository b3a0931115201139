// @vitest-environment jsdom
/** Opening a capture: the toolbar's Open gives the chosen file to the dissection worker (and a copy to the host); Electron's File → Open asks the host to open a path. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { StoreContext } from '../store/context';
import { createAppStore } from '../store/app-store';
import { createI18n } from '../i18n';
import { fakeApi, fakeWorker } from '../test/fakes';
import { Toolbar } from './Toolbar';
import { useDesktopMenu } from './desktop-menu';
import { useCaptureDrop } from './capture-drop';
import type { MenuAction } from '../../bridge/desktop-api';

afterEach(cleanup);

function MenuHost() {
  useDesktopMenu();
  useCaptureDrop();
  return <Toolbar />;
}

/** A drop of files on the window, as the browser fires it. */
function dropFiles(files: File[], handled = false): Event {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files } });
  if (handled) event.preventDefault();
  window.dispatchEvent(event);
  return event;
}

async function open() {
  const { api } = fakeApi();
  const { worker } = fakeWorker();
  const i18n = createI18n('en');
  const store = createAppStore({ api, worker, language: 'en', t: (key, options) => i18n.t(key, options) });
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={i18n}>
        <MenuHost />
      </I18nextProvider>
    </StoreContext.Provider>,
  );
  await act(() => store.getState().init());
  return { api, store, worker };
}

describe('Open', () => {
  it('the toolbar gives the chosen file to the worker, a copy to the host, and says what the worker read', async () => {
    const { api, store, worker } = await open();
    const input = screen.getByTestId('open-file') as HTMLInputElement;
    const file = new File([new Uint8Array(100)], 'lab.pcapng');
    await act(async () => {
      fireEvent.change(input, { target: { files: [file] } });
    });
    // The fake worker read 5 packets (the fake host's copy counts 3).
    await waitFor(() => expect(store.getState().notices.at(-1)?.message).toBe('Opened lab.pcapng: 5 packets.'));
    expect(api.uploadCapture).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'lab.pcapng', offset: 0, loadedBy: expect.stringMatching(/^[0-9a-f]{32}$/) }),
    );
    const key = vi.mocked(worker.prefetchFile).mock.calls[0][1];
    expect(worker.prefetchFile).toHaveBeenCalledWith(file, key);
    expect(worker.loadFile).toHaveBeenCalledWith(file, 'lab.pcapng', 1, key);
    expect(worker.reset).toHaveBeenLastCalledWith(1);
    expect(api.openCapture).not.toHaveBeenCalled();
  });

  it("Electron's File → Open asks the host to open the chosen path", async () => {
    let menu: ((action: MenuAction) => void) | null = null;
    const chooseCaptureFile = vi.fn(async () => ({ path: '/home/student/lab.pcapng', name: 'lab.pcapng' }));
    window.wirelab = {
      desktop: {
        chooseCaptureFile,
        onMenu: (listener: (action: MenuAction) => void) => {
          menu = listener;
          return () => undefined;
        },
      },
    } as unknown as typeof window.wirelab;
    try {
      const { api, store } = await open();
      act(() => menu?.('open'));
      await waitFor(() =>
        expect(api.openCapture).toHaveBeenCalledWith({ path: '/home/student/lab.pcapng', name: 'lab.pcapng' }),
      );
      await waitFor(() => expect(store.getState().notices.at(-1)?.message).toBe('Opened a.pcap: 3 packets.'));
      expect(api.uploadCapture).not.toHaveBeenCalled();
    } finally {
      delete window.wirelab;
    }
  });

  it('a capture dropped on the window opens as Open does; a drop the page handled itself is left alone', async () => {
    const { api, store, worker } = await open();
    const file = new File([new Uint8Array(100)], 'dropped.pcapng');
    const dropped: Event[] = [];
    await act(async () => {
      dropped.push(dropFiles([file]));
    });
    expect(dropped[0].defaultPrevented).toBe(true);
    await waitFor(() => expect(store.getState().notices.at(-1)?.message).toBe('Opened dropped.pcapng: 5 packets.'));
    expect(worker.loadFile).toHaveBeenCalledWith(file, 'dropped.pcapng', 1, expect.any(String));
    vi.mocked(api.uploadCapture).mockClear();
    await act(async () => {
      dropFiles([new File([new Uint8Array(10)], 'logo.png')], true);
    });
    expect(api.uploadCapture).not.toHaveBeenCalled();
  });
});
