// Debian's Chromium as the tests and the benches run it (never a downloaded browser): where it
// is, and the flags that keep it off the network and off the GPU, with no first-run work.
// One list for playwright.config.ts, the host's browser test and bench/lib/chromium.mjs.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
