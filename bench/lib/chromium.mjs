// Debian's Chromium as every bench drives it: the flags the project's tests use (no network
// of its own, no GPU, no first-run work), headless, through playwright-core (never a download).
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../test/helpers/chromium.mjs';

export { CHROMIUM_PATH };

/** Launches headless Chromium; `extraArgs` add to the common flags, and BENCH_CHROMIUM_ARGS one more (ui.bench.mjs). */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_FLAGS,
      ...extraArgs,
      ...(process.env.BENCH_CHROMIUM_ARGS ? [process.env.BENCH_CHROMIUM_ARGS] : []),
    ],
  });
}
