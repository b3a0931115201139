// Types for scripts/setup/capture-module.mjs (imported by test/setup/setup.test.ts).
export function captureModuleState(
  root: string,
  options?: { exists?: (path: string) => boolean; platform?: string },
): { ok: true } | { ok: false; reason: string };
