/**
 * The Capture → Options slice: the dialog's open state and the host calls it needs (list the
 * interfaces, compile a capture filter, start a capture on an interface).
 */
import { runAction } from './notices';
import type { CaptureOptionsActions, CaptureOptionsState, Slice } from './types';

export const createCaptureOptionsSlice: Slice<CaptureOptionsState & CaptureOptionsActions> =
  ({ api }) =>
  (set, get) => ({
    captureOptionsOpen: false,

    setCaptureOptionsOpen(open) {
      set({ captureOptionsOpen: open });
    },

    listInterfaces() {
      return api.listInterfaces();
    },

    checkCaptureFilter(filter, device) {
      return api.checkCaptureFilter(filter, device);
    },

    startCapture(options) {
      return runAction(
        get,
        async () => {
          const status = await api.startCapture(options);
          get().receiveStatus(status);
          return status;
        },
        null,
      );
    },
  });
