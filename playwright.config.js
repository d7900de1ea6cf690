import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against the built page in dist/,
// served as a static host serves it (tests/e2e/static-host.js): once with dist/_headers applied, so that it
// is cross-origin isolated, and once with no headers at all, as most hosts and course platforms serve pages.
// Ports: E2E_PORT and the next three (the page, the page without headers, course pages, an attacker).
const port = Number(process.env.E2E_PORT ?? 4173);
/** Where the tests find the page served without cross-origin isolation (see tests/e2e/fallback.spec.js). */
export const fallbackPort = port + 1;
/** Another origin (another host name and port) serving course pages that embed Juggle (tests/e2e/hosts/). */
export const courseOrigin = `http://localhost:${port + 2}`;
/**
 * The attacker's origin of tests/e2e/hostile.spec.js (a fourth port): a server that records every request
 * reaching it (`static-host.js --record`), which a program in the Lab must never reach.
 */
export const hostileOrigin = `http://localhost:${port + 3}`;
const dist = process.env.JUGGLE_OUT_DIR ?? 'dist';
const staticHost = (args) => `node tests/e2e/static-host.js ${args}`;

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
      // As Netlify or Cloudflare Pages serve the build: with the headers in dist/_headers and no others.
      command: staticHost(`--root ${dist} --headers ${dist}/_headers --port ${port}`),
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The same build with no headers, as GitHub Pages and most course platforms serve pages.
      command: staticHost(`--root ${dist} --port ${fallbackPort}`),
      url: `http://127.0.0.1:${fallbackPort}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // Course material on another origin: plain pages, a reveal.js deck (reveal.js from npm).
      command: staticHost(
        `--root tests/e2e/hosts --host localhost --port ${port + 2} --mount /reveal=node_modules/reveal.js/dist --define JUGGLE=http://127.0.0.1:${port}`,
      ),
      url: `${courseOrigin}/plain.html`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The attacker's server: records whatever reaches it (tests/e2e/hostile.spec.js).
      command: staticHost(`--record --host localhost --port ${port + 3}`),
      url: `${hostileOrigin}/__recorded`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
