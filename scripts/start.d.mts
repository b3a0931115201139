// Types for scripts/start.mjs (imported by test/electron/start.test.ts).
export type ElectronDetection = { available: true; path: string } | { available: false; reason: string };

export function detectElectron(options?: {
  requireElectron?: () => unknown;
  exists?: (path: string) => boolean;
  env?: Readonly<Record<string, string | undefined>>;
}): ElectronDetection;

export interface StartStep {
  label: 'build' | 'electron' | 'web';
  command: string;
  args: string[];
}

export function planStart(options: {
  detection: ElectronDetection;
  exists?: (path: string) => boolean;
  /** Are these outputs at least as new as the sources they are built from? */
  fresh?: (outputs: string[]) => boolean;
  forceWeb?: boolean;
  args?: string[];
}): { mode: 'electron' | 'web'; message: string; steps: StartStep[] };

export function splitStartArgs(argv: string[]): { forceWeb: boolean; retryElectron: boolean; args: string[] };
