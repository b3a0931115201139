// Types for scripts/setup/electron-binary.mjs (imported by test/setup/setup.test.ts).
export const RETRY_AFTER_MS: number;
export const DOWNLOAD_TIMEOUT_MS: number;
export type ElectronInstall = { package: false } | { package: true; version: string; binary: string | null };
export function electronInstall(root: string, options?: { exists?: (path: string) => boolean }): ElectronInstall;
export function lastFailure(root: string): { at: number; reason: string } | null;
export function downloadDecision(options?: {
  env?: NodeJS.ProcessEnv;
  failure?: { at: number; reason: string } | null;
  retry?: boolean;
  now?: number;
}): { download: true } | { download: false; reason: string };
export function downloadErrorLine(stderr: string): string;
export function downloadElectronBinary(
  root: string,
  options?: { log?: (line: string) => void; timeoutMs?: number; now?: () => number },
): Promise<{ ok: true } | { ok: false; reason: string }>;
