/** The dialogs slice: Follow Stream and the Statistics / Export Objects dialogs, with the worker passes they show. */
import { runAction } from './notices';
import type { DialogsActions, DialogsState, Slice } from './types';

export const createDialogsSlice: Slice<DialogsState & DialogsActions> =
  ({ worker, t }) =>
  (set, get) => ({
    follow: null,
    statsDialog: null,

    openFollow(kind) {
      if (get().selectedIndex === null) {
        get().notify('error', t('follow.noPacket'));
        return;
      }
      set({ follow: { kind } });
    },

    closeFollow() {
      set({ follow: null });
    },

    followStream(index) {
      return runAction(get, () => worker.follow(index), null);
    },

    openStats(kind) {
      set({ statsDialog: kind });
    },

    closeStats() {
      set({ statsDialog: null });
    },

    statistics(scope, onProgress) {
      return runAction(get, () => worker.statistics(scope, onProgress), null);
    },

    ioGraph(interval, filter, onProgress) {
      return worker.ioGraph(interval, filter, onProgress);
    },
  });
