import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,main,embedded-server,renderer,test}/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
