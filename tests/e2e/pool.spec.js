// The worker pool, end to end: real Web Workers over shared memory, the page's main thread left free.
import { expect, open, runsDone, test } from './fixtures.js';

test('timelines/parallel runs on two worker lanes at once while the heartbeat stays on time', async ({
  page,
}) => {
  await open(page);
  const trace = await page.evaluate(async () => {
    await window.juggle.poolReady;
    return window.juggle.run('timelines', { variant: 'parallel', work_ms: 400 });
  });
  const workers = trace.spans.filter((s) => s.lane.startsWith('worker-'));
  expect(new Set(workers.map((s) => s.lane)).size).toBeGreaterThanOrEqual(2);
  const [a, b] = workers;
  expect(a.start_ms < b.end_ms && b.start_ms < a.end_ms).toBe(true);
  expect(trace.env).toMatchObject({ isolated: true, mode: 'shared-memory' });
  expect(trace.env.threads).toBeGreaterThanOrEqual(2);
  // The main thread only awaited: its heartbeat kept beating through the parallel work.
  expect(trace.heartbeat.max_gap_ms).toBeLessThan(trace.total_ms / 4);
});

test('every timelines variant runs from the UI', async ({ page }) => {
  await open(page, '?scenario=timelines&work_ms=200&wait_ms=200');
  await page.getByRole('button', { name: 'Run all variants' }).click();
  await runsDone(page);
  for (const variant of ['parallel', 'concurrent', 'async']) {
    await expect(page.locator(`figure[data-variant="${variant}"] .chart svg`).first()).toBeVisible();
  }
  await expect(page.getByRole('alert')).toBeHidden();
});

test('cpu-in-async: offload is faster than async and keeps the heartbeat, pool-blocking freezes it', async ({
  page,
}) => {
  await open(page);
  const runs = await page.evaluate(async () => {
    await window.juggle.poolReady;
    const run = (variant) => window.juggle.run('cpu-in-async', { variant });
    return { async: await run('async'), blocking: await run('pool-blocking'), offload: await run('offload') };
  });
  expect(runs.offload.total_ms).toBeLessThan(0.75 * runs.async.total_ms);
  expect(runs.offload.heartbeat.max_gap_ms).toBeLessThan(runs.blocking.heartbeat.max_gap_ms / 4);
  // pool-blocking is parallel too, but the main thread was held the whole time.
  expect(runs.blocking.total_ms).toBeLessThan(0.75 * runs.async.total_ms);
  expect(runs.blocking.heartbeat.max_gap_ms).toBeGreaterThanOrEqual(0.9 * runs.blocking.total_ms);
  const lanes = new Set(runs.offload.spans.map((s) => s.lane));
  expect([...lanes].filter((l) => l.startsWith('worker-')).length).toBeGreaterThanOrEqual(2);
});
