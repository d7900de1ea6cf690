// The foundation, end to end: the built page, cross-origin isolated, runs `count` from the UI.
import { expect, open, runsDone, test } from './fixtures.js';

const outputOf = (page, variant) =>
  page.locator(`figure[data-variant="${variant}"] ol.output .text`).allTextContents();
const totalOf = async (page, variant) =>
  Number(await page.locator(`figure[data-variant="${variant}"]`).getAttribute('data-total-ms'));

test('the page is cross-origin isolated and offers the worker pool', async ({ page }) => {
  await open(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('#env-status')).toContainText(/worker pool: \d+ threads/);
});

test('count runs both variants from the UI, in the order the lesson predicts', async ({ page }) => {
  await open(page, '?scenario=count&sleep_ms=400');
  await page.getByRole('button', { name: 'Run all variants' }).click();
  await runsDone(page);

  expect(await outputOf(page, 'sync')).toEqual(['One', 'Two', 'One', 'Two', 'One', 'Two']);
  expect(await outputOf(page, 'async')).toEqual(['One', 'One', 'One', 'Two', 'Two', 'Two']);
  const [sync, asynchronous] = [await totalOf(page, 'sync'), await totalOf(page, 'async')];
  expect(sync).toBeGreaterThanOrEqual(3 * 400);
  expect(asynchronous).toBeLessThan(sync / 2);

  // A plot rendered for each variant: an SVG with one bar per task wait.
  for (const variant of ['sync', 'async']) {
    const chart = page.locator(`figure[data-variant="${variant}"] .chart svg`).first();
    await expect(chart).toBeVisible();
    expect(await chart.locator('rect').count()).toBeGreaterThanOrEqual(3);
  }
});

test('async tasks with a blocking wait inside print in pairs and freeze the health check', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=blocking-in-async&sleep_ms=400&autorun=1');
  await runsDone(page);
  expect(await outputOf(page, 'blocking-in-async')).toEqual(['One', 'Two', 'One', 'Two', 'One', 'Two']);
  expect(await totalOf(page, 'blocking-in-async')).toBeGreaterThanOrEqual(3 * 400);
  const trace = await page.evaluate(() =>
    window.juggle.run('count', { variant: 'blocking-in-async', sleep_ms: 300 }),
  );
  expect(trace.heartbeat.frozen).toBe(true);
  expect(trace.heartbeat.max_gap_ms).toBeGreaterThanOrEqual(0.9 * trace.total_ms);
});

test('URL parameters set the knobs and may run a variant', async ({ page }) => {
  await open(page, '?scenario=count&variant=async&tasks=2&sleep_ms=300&autorun=1');
  await runsDone(page);
  await expect(page.locator('input[name="tasks"]')).toHaveValue('2');
  expect(await outputOf(page, 'async')).toEqual(['One', 'One', 'Two', 'Two']);
  await expect(page.locator('figure[data-variant="sync"]')).toHaveCount(0);
  expect(page.url()).toContain('sleep_ms=300');
});

test('a bad parameter gets a message naming it and the allowed range', async ({ page }) => {
  await open(page, '?scenario=count&tasks=abc&autorun=1');
  await runsDone(page);
  const error = page.getByRole('alert');
  await expect(error).toBeVisible();
  await expect(error).toContainText('"tasks"');
  await expect(error).toContainText('from 1 to 10');
  await expect(page.locator('figure.run-figure')).toHaveCount(0);
});

test('juggle.run rejects bad input with a stable code', async ({ page }) => {
  await open(page);
  const failure = await page.evaluate(() =>
    window.juggle.run('count', { variant: 'threads' }).catch((e) => ({ code: e.code, message: e.message })),
  );
  expect(failure.code).toBe('unknown-variant');
  expect(failure.message).toContain('sync, async');
  const unknown = await page.evaluate(() => window.juggle.run('nope').catch((e) => e.code));
  expect(unknown).toBe('unknown-scenario');
  // Each parameter in range, together far more than a minute of waiting: refused before it starts.
  const tooLong = await page.evaluate(() =>
    window.juggle
      .run('io-bound', { variant: 'sequential', requests: 200, latency_ms: 5000 })
      .catch((e) => ({ code: e.code, message: e.message })),
  );
  expect(tooLong.code).toBe('too-much-work');
  expect(tooLong.message).toContain('capped at 60 s');
});

test('juggle.scenarios() lists parameters with defaults and ranges', async ({ page }) => {
  await open(page);
  const count = await page.evaluate(() => window.juggle.scenarios().find((s) => s.id === 'count'));
  expect(count.variants.map((v) => v.id)).toEqual(['sync', 'async', 'blocking-in-async']);
  expect(count.params.find((p) => p.name === 'sleep_ms')).toMatchObject({
    default: 1000,
    min: 0,
    max: 5000,
  });
});
