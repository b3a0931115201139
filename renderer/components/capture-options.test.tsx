// @vitest-environment jsdom
/** The Capture Options dialog: interfaces, the capture filter checked on the host, snap length, start and errors. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { StoreContext } from '../store/context';
import { createAppStore } from '../store/app-store';
import { createI18n } from '../i18n';
import { fakeApi, fakeWorker, labStatus } from '../test/fakes';
import { Toolbar } from './Toolbar';
import { useDesktopMenu } from './desktop-menu';
import type { MenuAction } from '../../bridge/desktop-api';
import type { CaptureFilterCheck, InterfaceSummary, LabStatus } from '../../bridge/lab-api';

afterEach(cleanup);

const interfaces: InterfaceSummary[] = [
  { name: 'eth0', description: 'Ethernet', addresses: ['192.0.2.10', 'fe80::1'], loopback: false },
  { name: 'lo', description: 'Loopback', addresses: ['127.0.0.1', '::1'], loopback: true },
];

/** Like the host: "prt" is libpcap's syntax error, "gone0" does not exist. */
async function check(filter: string, device: string): Promise<CaptureFilterCheck> {
  if (device === 'gone0')
    return {
      filter,
      device,
      valid: null,
      error: { code: 'no-device', message: 'There is no interface "gone0" (it may have been removed or renamed).' },
    };
  if (filter.includes('prt'))
    return {
      filter,
      device,
      valid: false,
      message: "can't parse filter expression: syntax error",
      checkedBy: 'dumpcap',
    };
  return { filter, device, valid: true, checkedBy: 'dumpcap', instructions: filter === '' ? 1 : 20 };
}

function MenuHost() {
  useDesktopMenu();
  return <Toolbar />;
}

async function open(language: 'en' | 'zh-CN' = 'en', startResult?: LabStatus, list = interfaces) {
  const running = labStatus({
    capture: { state: 'running', backend: 'dumpcap', device: 'lo', received: 0, dropped: 0, snapLen: 100 },
    source: { kind: 'live', packets: 0, generation: 1 },
  });
  const { api } = fakeApi({
    listInterfaces: vi.fn(async () => list),
    checkCaptureFilter: vi.fn(check),
    startCapture: vi.fn(async () => startResult ?? running),
  });
  const { worker } = fakeWorker();
  const i18n = createI18n(language);
  const store = createAppStore({ api, worker, language, t: (key, options) => i18n.t(key, options) });
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={i18n}>
        <MenuHost />
      </I18nextProvider>
    </StoreContext.Provider>,
  );
  await act(() => store.getState().init());
  return { api, store };
}

const status = (dialog: HTMLElement) => within(dialog).getByTestId('capture-filter-status');

describe('Capture Options', () => {
  it('lists the interfaces, checks the filter while it is typed, and starts with the chosen options', async () => {
    const { api, store } = await open();
    fireEvent.click(screen.getByRole('button', { name: 'Capture Options…' }));
    const dialog = screen.getByRole('dialog', { name: 'Capture Options' });
    const rows = await within(dialog).findAllByRole('row');
    // Header + one row per interface, with description, addresses and the loopback flag.
    expect(rows.map((r) => r.textContent)).toEqual([
      'InterfaceDescriptionAddressesLoopback',
      ' eth0Ethernet192.0.2.10, fe80::1',
      ' loLoopback127.0.0.1, ::1yes',
    ]);
    // Loopback is chosen until another is picked; an empty filter captures everything.
    expect((within(dialog).getByRole('radio', { name: 'lo' }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(status(dialog).textContent).toBe('No capture filter: every packet on lo is captured.'));

    fireEvent.click(within(dialog).getByRole('radio', { name: 'eth0' }));
    const filter = within(dialog).getByRole('textbox', { name: 'Capture filter' });
    fireEvent.change(filter, { target: { value: 'tcp prt 80' } });
    await waitFor(() =>
      expect(status(dialog).textContent).toBe("Invalid capture filter: can't parse filter expression: syntax error"),
    );
    expect(filter.getAttribute('aria-invalid')).toBe('true');
    const start = within(dialog).getByRole('button', { name: 'Start' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    expect(api.checkCaptureFilter).toHaveBeenLastCalledWith('tcp prt 80', 'eth0');

    fireEvent.change(filter, { target: { value: 'tcp port 80' } });
    await waitFor(() =>
      expect(status(dialog).textContent).toBe(
        'Valid capture filter: 20 BPF instructions, compiled by dumpcap for eth0.',
      ),
    );
    expect(filter.getAttribute('aria-invalid')).toBe('false');

    // Snap length: off by default (262144); a limit outside 1–262144 blocks Start.
    const snap = within(dialog).getByRole('spinbutton', { name: 'Snap length in bytes' }) as HTMLInputElement;
    expect(snap.disabled).toBe(true);
    expect(snap.value).toBe('262144');
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Limit each packet to' }));
    fireEvent.change(snap, { target: { value: '0' } });
    expect(within(dialog).getByText('Enter a whole number from 1 to 262144.')).toBeTruthy();
    expect(start.disabled).toBe(true);
    fireEvent.change(snap, { target: { value: '100' } });
    expect(start.disabled).toBe(false);

    // The browser shell explains where the capture goes.
    expect(within(dialog).getByText(/temporary pcapng file on this computer/)).toBeTruthy();

    await act(async () => {
      fireEvent.click(start);
    });
    expect(api.startCapture).toHaveBeenCalledWith({ device: 'eth0', filter: 'tcp port 80', snapLen: 100 });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().status?.capture.state).toBe('running');
    expect(store.getState().captureOptionsOpen).toBe(false);
  });

  it('keeps the dialog open with the reason and the per-OS remedy when the capture cannot start (zh-CN)', async () => {
    const refused = labStatus({
      capture: {
        state: 'error',
        device: 'lo',
        received: 0,
        dropped: 0,
        error: { code: 'permission', message: 'No capture backend has permission to capture on "lo".' },
      },
    });
    const { api } = await open('zh-CN', refused);
    fireEvent.click(screen.getByRole('button', { name: '捕获选项…' }));
    const dialog = screen.getByRole('dialog', { name: '捕获选项' });
    await waitFor(() => expect(status(dialog).textContent).toBe('没有捕获过滤器：lo 上的所有分组都会被捕获。'));
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: '开始' }));
    });
    expect(api.startCapture).toHaveBeenCalledWith({ device: 'lo', filter: '', snapLen: 262144 });
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('没有在 lo 上捕获的权限。');
    expect(alert.textContent).toContain('No capture backend has permission');
    // jsdom's user agent is neither Windows nor macOS: the Linux remedy.
    expect(alert.textContent).toContain('sudo usermod -aG wireshark $USER');
    expect(screen.getByRole('dialog', { name: '捕获选项' })).toBeTruthy();
  });

  it('an interface that is gone is a clear error and Start stays off', async () => {
    await open('en', undefined, [...interfaces, { name: 'gone0', addresses: [], loopback: false }]);
    fireEvent.click(screen.getByRole('button', { name: 'Capture Options…' }));
    const dialog = screen.getByRole('dialog', { name: 'Capture Options' });
    fireEvent.click(await within(dialog).findByRole('radio', { name: 'gone0' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The interface gone0 is not there (any more).');
    expect(alert.textContent).toContain('Choose an interface from the list');
    expect((within(dialog).getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Electron: Browse… picks the file to write, and Start passes it to the host', async () => {
    const chooseSavePath = vi.fn(async () => '/home/student/lo.pcapng');
    window.wirelab = { desktop: { chooseSavePath, onMenu: () => () => undefined } } as unknown as typeof window.wirelab;
    try {
      const { api } = await open();
      fireEvent.click(screen.getByRole('button', { name: 'Capture Options…' }));
      const dialog = screen.getByRole('dialog', { name: 'Capture Options' });
      expect(within(dialog).getByText('None: save the capture with Save when done.')).toBeTruthy();
      await waitFor(() => expect(status(dialog).textContent).toMatch(/^No capture filter/));
      await act(async () => {
        fireEvent.click(within(dialog).getByRole('button', { name: 'Browse…' }));
      });
      expect(chooseSavePath).toHaveBeenCalledWith('capture', 'lo.pcapng');
      expect(within(dialog).getByText('/home/student/lo.pcapng')).toBeTruthy();
      await act(async () => {
        fireEvent.click(within(dialog).getByRole('button', { name: 'Start' }));
      });
      expect(api.startCapture).toHaveBeenCalledWith({
        device: 'lo',
        filter: '',
        snapLen: 262144,
        savePath: '/home/student/lo.pcapng',
      });
    } finally {
      delete window.wirelab;
    }
  });

  it("Electron's Capture → Options… opens the dialog", async () => {
    let menu: ((action: MenuAction) => void) | null = null;
    window.wirelab = {
      desktop: {
        onMenu: (listener: (action: MenuAction) => void) => {
          menu = listener;
          return () => undefined;
        },
      },
    } as unknown as typeof window.wirelab;
    try {
      const { store } = await open();
      expect(screen.queryByRole('dialog')).toBeNull();
      act(() => menu?.('capture-options'));
      await waitFor(() => expect(store.getState().captureOptionsOpen).toBe(true));
      expect(screen.getByRole('dialog', { name: 'Capture Options' })).toBeTruthy();
    } finally {
      delete window.wirelab;
    }
  });

  it('the toolbar button is off while a capture runs', async () => {
    const { store } = await open();
    await act(() => store.getState().startCapture({ device: 'lo' }));
    expect((screen.getByRole('button', { name: 'Capture Options…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
