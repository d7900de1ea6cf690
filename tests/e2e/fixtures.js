// Shared fixtures: every test fails on a console error or an uncaught page error.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    expect(problems, 'no console or page errors').toEqual([]);
  },
});

export { expect };

/** Opens the page (with an optional query) and waits until the Rust core has loaded. */
export async function open(page, query = '') {
  await page.goto(`/${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

/** Waits until the page has finished `count` run batches (each click or autorun is one). */
export async function runsDone(page, count = 1) {
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) >= n, count, {
    timeout: 45_000,
  });
}
