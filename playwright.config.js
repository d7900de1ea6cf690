import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against the built page in dist/,
// served by `vite preview` with COOP/COEP so that it is cross-origin isolated, and once more without them.
const port = Number(process.env.E2E_PORT ?? 4173);
/** Where the tests find the page served without cross-origin isolation (see tests/e2e/fallback.spec.js). */
export const fallbackPort = port + 1;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The same build without COOP/COEP, as most course platforms serve pages: the fallback mode.
      command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${fallbackPort} --strictPort`,
      env: { JUGGLE_ISOLATION: 'off' },
      url: `http://127.0.0.1:${fallbackPort}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
