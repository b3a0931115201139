/** What the UI talks to: the bridge's LabClient (the LabApi plus its events), from either shell. */
import type { LabClient } from '../../bridge/lab-api';

export type { LabClient, Unsubscribe } from '../../bridge/lab-api';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge). */
    wirelab?: LabClient;
  }
}
