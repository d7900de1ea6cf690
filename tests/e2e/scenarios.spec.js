// Every variant of every scenario runs from the UI, end to end, with small parameters to stay quick.
import { expect, open, QUICK, runsDone, test } from './fixtures.js';

test('the catalogue has every scenario the page offers', async ({ page }) => {
  await open(page);
  const ids = await page.evaluate(() => window.juggle.scenarios().map((s) => s.id));
  expect(ids.sort()).toEqual(Object.keys(QUICK).sort());
});

test('the main thread runs on microtasks: yield-micro interleaves and no timer fires', async ({ page }) => {
  // Guards the page's wiring: on the threaded build, wakes go through Atomics.waitAsync (a task) and
  // timers would get in.
  await open(page);
  const trace = await page.evaluate(() =>
    window.juggle.run('cpu-in-async', { variant: 'yield-micro', tasks: 5, task_ms: 60 }),
  );
  expect(trace.output.slice(0, 5).every((line) => line.text.startsWith('start'))).toBe(true);
  expect(trace.heartbeat.samples).toEqual([]);
});

test('macrotask yields let the health check in; no yield freezes it', async ({ page }) => {
  await open(page);
  const run = (variant) =>
    page.evaluate((v) => window.juggle.run('cpu-in-async', { variant: v, tasks: 5, task_ms: 100 }), variant);
  const frozen = await run('async');
  const yielding = await run('yield-macro');
  expect(frozen.heartbeat.max_gap_ms).toBeGreaterThanOrEqual(0.9 * frozen.total_ms);
  expect(yielding.heartbeat.max_gap_ms).toBeLessThan(frozen.heartbeat.max_gap_ms / 4);
  expect(yielding.env.yield_macro).toBe('MessageChannel');
});

test('simulated network waits are labelled as such on the page', async ({ page }) => {
  await open(page, '?scenario=io-bound&variant=concurrent&requests=4&latency_ms=50&autorun=1');
  await runsDone(page);
  await expect(page.locator('figure[data-variant="concurrent"] .simulated-note')).toContainText(
    'network (simulated)',
  );
});

for (const [id, query] of Object.entries(QUICK)) {
  test(`every ${id} variant runs from the UI`, async ({ page }) => {
    await open(page, `?scenario=${id}&${query}`);
    const variants = await page.evaluate(
      (scenario) =>
        window.juggle
          .scenarios()
          .find((s) => s.id === scenario)
          .variants.map((v) => v.id),
      id,
    );
    await page.getByRole('button', { name: 'Run all variants' }).click();
    await runsDone(page);
    await expect(page.getByRole('alert')).toBeHidden();
    for (const variant of variants) {
      await expect(page.locator(`figure[data-variant="${variant}"] .chart svg`).first()).toBeVisible();
    }
    if (id === 'speedup') {
      // The speedup chart and its data table, beside the timeline.
      await expect(page.locator('figure[data-variant="scaling"] .speedup table tbody tr')).not.toHaveCount(0);
    }
  });
}

test('the charting library is not part of the first load; the first run is drawn with it', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=async&sleep_ms=200&autorun=1');
  await runsDone(page);
  const fetched = await page.evaluate(() => {
    const ready = performance.getEntriesByName('juggle-ready')[0].startTime;
    return performance
      .getEntriesByType('resource')
      .map((entry) => ({ name: new URL(entry.name).pathname, before: entry.startTime <= ready }));
  });
  const plot = fetched.filter((entry) => entry.name.includes('plot-library'));
  expect(plot.length).toBeGreaterThan(0);
  expect(plot.every((entry) => !entry.before)).toBe(true);
  // It was loaded (fetched and evaluated) before the run began, not during it: its evaluation would take
  // the health check's turns.
  const { plotEnd, runStart } = await page.evaluate(() => ({
    plotEnd: performance.getEntriesByName('juggle-plot-loaded')[0].startTime,
    runStart: Math.min(
      ...performance
        .getEntriesByType('measure')
        .filter((entry) => entry.name.startsWith('juggle count/async'))
        .map((entry) => entry.startTime),
    ),
  }));
  expect(plotEnd).toBeLessThan(runStart);
  await expect(page.locator('figure[data-variant="async"] .chart svg').first()).toBeVisible();
});
