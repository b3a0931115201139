/** What the UI talks to: the LabApi contract plus its events, from either shell. */
import type { LabApi, LabEvents } from '../../main/host/lab-api';

export type Unsubscribe = () => void;

export interface LabClient extends LabApi {
  on<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void): Unsubscribe;
  /** 'electron': the preload's bridge; 'web': the browser shell's WebSocket bridge. */
  readonly shell: 'electron' | 'web';
}

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge). */
    wirelab?: LabClient;
  }
}
