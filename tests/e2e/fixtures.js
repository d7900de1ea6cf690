// Shared fixtures: every test fails on a console error or an uncaught page error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { fallbackPort } from '../../playwright.config.js';

/** The scenario folders, each with its `test.json`. */
const SCENARIOS = new URL('../../crate/src/scenarios/', import.meta.url).pathname;

/** Console errors a test causes on purpose, per page (see `allowConsoleError`). */
const allowed = new WeakMap();

/** Lets `page` log console errors matching `pattern`: the test provokes them on purpose. */
export function allowConsoleError(page, pattern) {
  allowed.set(page, [...(allowed.get(page) ?? []), pattern]);
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if ((allowed.get(page) ?? []).some((pattern) => pattern.test(message.text()))) return;
      problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    expect(problems, 'no console or page errors').toEqual([]);
  },
});

export { expect };

/**
 * Makes the tests of the current file or `describe` block use the page served without cross-origin
 * isolation, with no service worker either (as in a browser without them; coi-serviceworker would otherwise
 * isolate the page after a reload): the engine runs on message-passing workers. See fallback.spec.js.
 */
export function withoutIsolation() {
  test.use({ baseURL: `http://127.0.0.1:${fallbackPort}` });
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined });
    });
  });
}

/**
 * Opens the page and waits until it is idle (core loaded, nothing running). Without a query it opens the
 * `count` scenario, where nothing runs by itself (the start view at `/` runs its three pictures once they
 * come into view).
 */
export async function open(page, query = '?scenario=count') {
  await page.goto(`/${query}`);
  await page.waitForFunction(() => document.body?.dataset.ready === 'true');
}

/** Waits until the page has finished `count` run batches (each click or autorun is one). */
export async function runsDone(page, count = 1) {
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) >= n, count, {
    timeout: 45_000,
  });
}

/** Runs a Python program on the page; resolves to the trace, or to `{ error }` with the rejection's fields. */
export const runPython = (page, code, options = {}) =>
  page.evaluate(
    async ([code, options]) => {
      try {
        return await window.juggle.runPython(code, options);
      } catch (error) {
        return { error: { code: error.code, message: error.message, line: error.line, trace: error.trace } };
      }
    },
    [code, options],
  );

/**
 * Small parameters per scenario, so that running every variant stays quick: each scenario folder's
 * `test.json` (`crate/src/scenarios/<id>/test.json`, its `quick` query), read here.
 */
export const QUICK = Object.fromEntries(
  readdirSync(SCENARIOS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => [
      entry.name,
      JSON.parse(readFileSync(join(SCENARIOS, entry.name, 'test.json'), 'utf8')).quick,
    ]),
);
