import { defineConfig } from 'vitest/config';

// test/setup/fresh-clone.test.ts installs two clones (a few minutes of npm and CPU): `npm test` runs it on
// its own after everything else (WIRELAB_FRESH_CLONE=1); `npx vitest run test/setup/fresh-clone.test.ts`
// with that variable runs it by hand.
const freshClone = 'test/setup/fresh-clone.test.ts';

export default defineConfig({
  test: {
    include: ['{core,bridge,main,embedded-server,renderer,test}/**/*.test.{ts,tsx}'],
    exclude: process.env.WIRELAB_FRESH_CLONE ? [] : [freshClone, '**/node_modules/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
