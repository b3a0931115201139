import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './test/helpers/chromium.mjs';

/** Port and token of the browser shell the e2e tests run against (`npm run web` with fixed values). */
export const E2E_PORT = Number(process.env.WIRELAB_E2E_PORT ?? 18765);
export const E2E_TOKEN = 'e2e-' + 'f'.repeat(40);
const dataDir = path.join(os.tmpdir(), `wirelab-e2e-${process.pid}`);

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: ['--headless', ...CHROMIUM_FLAGS],
    },
  },
  webServer: {
    command: `node test/e2e/seed-profile.mjs ${dataDir} && node out/web/web.js --no-open --port ${E2E_PORT} --token ${E2E_TOKEN} --data-dir ${dataDir}`,
    url: `http://127.0.0.1:${E2E_PORT}/?token=${E2E_TOKEN}`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
