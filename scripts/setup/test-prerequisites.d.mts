// Types for scripts/setup/test-prerequisites.mjs (imported by test/setup/setup.test.ts).
export interface TestTool {
  what: string;
  why: string;
  probe: { command?: string; chromium?: boolean; header?: string };
  debian: string;
  fedora: string;
  brew: string | null;
}
export const TEST_TOOLS: readonly TestTool[];
export type OsFamily = 'linux-debian' | 'linux-fedora' | 'linux-other' | 'darwin' | 'win32' | 'other';
export function osFamily(options?: { platform?: string; readOsRelease?: () => string }): OsFamily;
export function toolPresent(
  tool: TestTool,
  options?: { env?: NodeJS.ProcessEnv; exists?: (path: string) => boolean; has?: (command: string) => boolean },
): boolean;
export function installAdvice(
  missing: readonly TestTool[],
  family: OsFamily,
  options?: { root?: boolean },
): { command: string | null; text: string };
export function ensureTestTools(options?: {
  log?: (line: string) => void;
  family?: OsFamily;
  isRoot?: boolean;
}): { ok: true; installed: string[] } | { ok: false; message: string };
