/**
 * The host slice: the connection to the host (LabClient), its status and the errors it reports,
 * the lab run (Start / Stop Lab), opening captures, and the student's profile.
 */
import type { LabError, LabStatus } from '../../bridge/lab-api';
import { missingProfileFields } from '../lib/profile';
import { openCaptureInWorker } from '../lib/upload';
import { desktopApi } from '../lib/desktop';
import { errorText, runAction } from './notices';
import type { HostActions, HostState, Slice, StoreState } from './types';
import type { DissectionClient } from '../worker/worker-client';
import type { TableProgress } from '../worker/worker-messages';

/** Shows each server, capture or source error once, when it first appears (or changes). */
function reportNewErrors(get: () => StoreState, previous: LabStatus | null, status: LabStatus): void {
  const errors: [LabError | undefined, LabError | undefined][] = [
    [previous?.server.error, status.server.error],
    [previous?.capture.error, status.capture.error],
    [previous?.source.error, status.source.error],
  ];
  for (const [before, now] of errors) {
    if (now && (!before || before.message !== now.message)) get().reportError(now);
  }
}

/** Resolves once the list of `generation` has `packets` dissected, or another source replaced it. */
function listComplete(
  get: () => StoreState,
  worker: DissectionClient,
  generation: number,
  packets: number,
): Promise<void> {
  const done = (p: TableProgress) =>
    p.generation > generation || (p.generation === generation && p.dissected >= packets);
  return new Promise((resolve) => {
    if (done(get().progress)) {
      resolve();
      return;
    }
    const stop = worker.onProgress((progress) => {
      if (!done(progress)) return;
      stop();
      resolve();
    });
  });
}

export const createHostSlice: Slice<HostState & HostActions> =
  ({ api, worker, t, openPage, feed, facts, hostCopy }) =>
  (set, get) => {
    /** Opens started: an earlier open's end does not free the Open button of a later one. */
    let opens = 0;
    return {
      connected: false,
      status: null,
      profile: null,
      busy: null,
      profileFormOpen: false,

      async init() {
        worker.onProgress((progress, tail) => get().receiveProgress(progress, tail));
        // The Time Display Format and custom columns remembered from the last session.
        void worker.view({
          timeFormat: get().timeFormat,
          refs: [],
          marked: [],
          columns: get().customColumns.map((c) => c.field),
        });
        api.on('status', (status) => get().receiveStatus(status));
        api.on('packets', (event) => feed.packets(event));
        api.on('request', (request) => facts.noteRequest(request));
        api.on('log', (entry) => {
          if (entry.level === 'error') get().notify('error', entry.message);
        });
        const [status, profile] = await Promise.all([api.getStatus(), api.getProfile()]);
        // A first run (or a profile still missing a field): ask for it before the first Start Lab.
        set({ connected: true, profile, profileFormOpen: missingProfileFields(profile).length > 0 });
        get().receiveStatus(status);
      },

      receiveStatus(status) {
        const previous = get().status;
        facts.noteStatus(status);
        set({ status });
        reportNewErrors(get, previous, status);
        feed.status(status);
      },

      async startLab(options) {
        const missing = missingProfileFields(get().profile);
        if (missing.length > 0) {
          // Still possible (the page shows "not set"), but the lab requires the fields on the page.
          const fields = missing.map((field) => t(`profile.${field}`)).join(t('profile.listSeparator'));
          get().notify('warning', t('profile.incompleteAtStart', { fields }), t('profile.incompleteRemedy'));
        }
        const tab = openPage?.() ?? null;
        const started = await runAction(
          get,
          async () => {
            const status = await (options?.scenario ? api.startLab({ scenario: options.scenario }) : api.startLab());
            get().receiveStatus(status);
            if (status.server.state !== 'running' || status.capture.state !== 'running') return false;
            set({ sidePanelOpen: true, sideTab: 'guide' });
            const filter = `tcp.port == ${status.server.port}`;
            set({ filterDraft: filter });
            await get().applyFilter(filter);
            if (status.server.url && tab) tab.navigate(status.server.url);
            return true;
          },
          false,
        );
        if (!started) tab?.close();
      },

      async stopLab() {
        await runAction(get, async () => get().receiveStatus(await api.stopLab()), undefined);
      },

      async openCapture(source) {
        const open = ++opens;
        set({ busy: 'open' });
        await runAction(
          get,
          async () => {
            // A File is read by the dissection worker itself; a path (Electron's dialog) by the host.
            const result =
              'file' in source
                ? await openCaptureInWorker(
                    {
                      api,
                      worker,
                      feed,
                      pathOf: (file) => desktopApi()?.pathForFile(file) ?? '',
                      hostCopy,
                      listComplete: (generation, packets) => listComplete(get, worker, generation, packets),
                      // Open is free again once the worker has read the file: the host's copy waits for the list.
                      onRead: () => {
                        if (open === opens) set({ busy: null });
                      },
                    },
                    source.file,
                  )
                : await api.openCapture({ path: source.path, name: source.name });
            if ('cancelled' in result && result.cancelled) return;
            if (result.error) get().reportError(result.error);
            else get().notify('info', t('messages.opened', { name: result.name, count: result.packets }));
          },
          undefined,
        );
        if (open === opens) set({ busy: null });
      },

      async updateProfile(update, logo) {
        try {
          let profile = await api.updateProfile(update);
          if (logo) profile = await api.setLogo(logo);
          set({ profile });
          get().notify('info', t('profile.saved'));
        } catch (error) {
          // Not a notice: the form shows the reason next to the fields and stays open.
          throw new Error(errorText(error), { cause: error });
        }
      },

      setProfileFormOpen(open) {
        set({ profileFormOpen: open });
      },

      currentLogo() {
        return api.getLogo();
      },
    };
  };
