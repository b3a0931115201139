/** The IPC router validates Capture → Options' calls like every other LabApi call. */
import { describe, expect, it, vi } from 'vitest';
import { labMethods, type LabApi, type LabEvents, type LabApiWithEvents } from '../../bridge/lab-api';
import { IPC, type IpcResult } from '../../bridge/desktop-api';
import { registerIpcRouter, type IpcEventLike } from '../../main/electron/ipc-router';
import { APP_ENTRY_URL } from '../../main/electron/security';
import { invalidCaptureCalls, validCaptureCalls } from '../../main/host/capture-options-cases';

function setup() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const api: Record<string, unknown> = {};
  for (const m of labMethods) {
    api[m] = vi.fn(async (...args: unknown[]) => {
      calls.push({ method: m, args });
      return { method: m };
    });
  }
  const host = {
    ...(api as unknown as LabApi),
    on:
      <E extends keyof LabEvents>(_event: E, _listener: (payload: LabEvents[E]) => void) =>
      () =>
        undefined,
  } satisfies LabApiWithEvents;
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const refused: string[] = [];
  registerIpcRouter({
    ipcMain: {
      handle: (channel, listener) => void handlers.set(channel, listener),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    host,
    desktop: {} as never,
    onRefused: (reason) => refused.push(reason),
  });
  const app: IpcEventLike = { senderFrame: { url: APP_ENTRY_URL, parent: null } };
  const invoke = async (method: string, args: unknown[]) =>
    (await handlers.get(IPC.call)!(app, method, ...args)) as IpcResult;
  return { calls, refused, invoke };
}

describe('IPC router: Capture → Options', () => {
  it.each(validCaptureCalls)('passes %s %j to the host', async (method, args) => {
    const s = setup();
    expect(await s.invoke(method, args)).toEqual({ ok: true, value: { method } });
    expect(s.calls).toEqual([{ method, args }]);
  });

  it.each(invalidCaptureCalls)('refuses %s', async (_what, method, args) => {
    const s = setup();
    const result = await s.invoke(method, args);
    expect(result).toMatchObject({ ok: false, error: { name: 'LabApiArgumentError' } });
    expect(s.calls).toEqual([]);
    expect(s.refused).toHaveLength(1);
  });
});
