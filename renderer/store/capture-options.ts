/**
 * Capture → Options in the store: the dialog's open state and the host calls it needs (list the
 * interfaces, compile a capture filter, start a capture on an interface). Spread into the app store.
 */
import type { CaptureFilterCheck, CaptureOptions, InterfaceSummary, LabStatus } from '../../bridge/lab-api';
import type { LabClient } from '../api/types';

export interface CaptureOptionsState {
  /** The Capture Options dialog (toolbar "Capture Options…", Electron's Capture → Options…). */
  captureOptionsOpen: boolean;
}

export interface CaptureOptionsActions {
  setCaptureOptionsOpen(open: boolean): void;
  listInterfaces(): Promise<InterfaceSummary[]>;
  checkCaptureFilter(filter: string, device: string): Promise<CaptureFilterCheck>;
  /** Starts the capture; resolves with the host's status (its capture.error says why it did not start), null when the call failed. */
  startCapture(options: CaptureOptions): Promise<LabStatus | null>;
}

interface Deps {
  api: LabClient;
  onStatus(status: LabStatus): void;
  notify(message: string): void;
  set(patch: Partial<CaptureOptionsState>): void;
}

export function createCaptureOptionsActions({ api, onStatus, notify, set }: Deps): CaptureOptionsActions {
  return {
    setCaptureOptionsOpen(open) {
      set({ captureOptionsOpen: open });
    },
    listInterfaces() {
      return api.listInterfaces();
    },
    checkCaptureFilter(filter, device) {
      return api.checkCaptureFilter(filter, device);
    },
    async startCapture(options) {
      try {
        const status = await api.startCapture(options);
        onStatus(status);
        return status;
      } catch (error) {
        notify(error instanceof Error ? error.message : String(error));
        return null;
      }
    },
  };
}
