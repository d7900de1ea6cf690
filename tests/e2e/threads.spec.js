// The threads lesson's shape in the page: under the GIL model CPU threads take turns (the gil lane) and are
// no faster than the work added up; without it they are faster; blocking waits overlap; to_thread keeps the
// health check free and the same call inline freezes it. Every figure is read from the run's trace.
import { expect, open, runsDone, test } from './fixtures.js';

test('threads take turns under the GIL, overlap their waits, and to_thread keeps the loop free', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page, '?scenario=threads');
  await page.getByRole('button', { name: 'Run all variants' }).click();
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  const traces = await page.evaluate(async () => {
    const run = (variant) => window.juggle.run('threads', { variant });
    const out = {};
    for (const v of ['cpu-gil', 'free-threaded', 'io-gil', 'to-thread', 'inline']) out[v] = await run(v);
    return out;
  });
  const gil = traces['cpu-gil'];
  const holds = gil.spans.filter((s) => s.lane === 'gil').sort((a, b) => a.start_ms - b.start_ms);
  expect(holds.length).toBeGreaterThan(10);
  for (let i = 1; i < holds.length; i++)
    expect(holds[i].start_ms).toBeGreaterThanOrEqual(holds[i - 1].end_ms);
  expect(new Set(holds.map((s) => s.task)).size).toBe(2);
  expect(gil.result.threads_ms).toBeGreaterThanOrEqual(0.9 * gil.result.work_ms);
  expect(traces['free-threaded'].result.threads_ms).toBeLessThan(gil.result.threads_ms);
  // io-gil: 10 waits of 200 ms on 2 threads, in about 5 rounds, not 10.
  expect(traces['io-gil'].result.threads_ms).toBeLessThan(0.75 * traces['io-gil'].result.work_ms);
  expect(traces['to-thread'].heartbeat.frozen).toBe(false);
  expect(traces.inline.heartbeat.frozen).toBe(true);
  // The page draws the gil lane for cpu-gil.
  const figure = page.locator('figure[data-variant="cpu-gil"]');
  await expect(figure.locator('.chart svg').first()).toBeVisible();
  await expect(figure.locator('.chart svg').first()).toContainText('gil');
  await page.screenshot({ path: 'test-results/threads.png', fullPage: true });
});

test('io-gil asked for more threads than the pool has says what ran and what to expect', async ({ page }) => {
  await open(page, '?scenario=threads&variant=io-gil&threads=8&tasks=8&autorun=1');
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  const pool = await page.evaluate(() => window.juggle.status().threads);
  const figure = page.locator('figure[data-variant="io-gil"]');
  const lines = figure.locator('.output li .text');
  await expect(lines.first()).toContainText(`8 threads asked; the pool has ${pool}`);
  const trace = await page.evaluate(() =>
    window.juggle.run('threads', { variant: 'io-gil', threads: 8, tasks: 8, wait_ms: 100 }),
  );
  expect(trace.result.threads_asked).toBe(8);
  expect(trace.result.threads).toBe(Math.min(8, pool));
  expect(trace.result.wait_rounds).toBe(Math.ceil(8 / trace.result.threads));
  // The waits overlap on the threads that ran, no better: not faster than its rounds, and faster than
  // all 8 waits in turn when more than one thread ran.
  expect(trace.result.threads_ms).toBeGreaterThanOrEqual(0.98 * trace.result.expected_ms);
  if (trace.result.threads > 1) expect(trace.result.threads_ms).toBeLessThan(trace.result.work_ms);
  await page.screenshot({ path: 'test-results/threads-io-gil.png', fullPage: false });
});
