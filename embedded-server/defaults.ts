/**
 * Where the profile server listens unless told otherwise: the lab's address. The one definition of
 * the default lab port for the Node side (Start Lab, `wirelab lab`, the capture filter, the CLI's
 * help). Imports nothing, so the capture worker and the CLI can use it without loading the server.
 * core/analysis/lab keeps its own DEFAULT_LAB_PORT (core imports nothing outside core/), and
 * electron-main.ts keeps a literal URL for electronegativity; test/structure/defaults.test.ts and
 * test/electron/open-external.test.ts keep both equal to this one.
 */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8001;
