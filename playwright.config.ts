import { defineConfig } from '@playwright/test';
import { E2E_ORIGIN, E2E_PORT, TOUR_SEEN } from './e2e/storage.ts';

// Playwright cannot download its own browsers here: it drives Debian's
// chromium package (scripts/ensure-chromium.mjs installs it when missing).
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// SKBWALK_E2E_PORT lets two test runs (or a running `npm start`) coexist.
const PORT = E2E_PORT;
const BASE_URL = `${E2E_ORIGIN}/`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores shared by a browser, a preview server and the engine's worker,
  // often with other work on the machine: give tests and assertions room.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  workers: 2,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: BASE_URL,
    // The first-visit tour is seen: specs open the explorer itself (explain.spec.ts tests the tour).
    storageState: TOUR_SEEN,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  // Serves the already-built app (run `vite build` first; `npm test` does).
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
