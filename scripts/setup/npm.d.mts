// Types for scripts/setup/npm.mjs (imported by test/setup/setup.test.ts).
export function npmCommand(platform?: string): { command: string; shell: boolean };
export function npmEnv(options?: {
  env?: NodeJS.ProcessEnv;
  execPath?: string;
  exists?: (path: string) => boolean;
}): NodeJS.ProcessEnv;
export function runNpm(root: string, args: string[]): number;
export function installReason(
  root: string,
  fs?: { exists?: (path: string) => boolean; mtime?: (path: string) => number },
): string | null;
export function ensurePackages(root: string, options?: { log?: (line: string) => void; force?: boolean }): boolean;
