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

test('io-gil on more threads than the pool has runs every one on a thread of its own: the waits overlap', async ({
  page,
}) => {
  await open(page, '?scenario=threads&variant=io-gil&threads=8&tasks=8&autorun=1');
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  const pool = await page.evaluate(() => window.juggle.status().threads);
  const figure = page.locator('figure[data-variant="io-gil"]');
  await expect(figure.locator('.output li .text').first()).toContainText(
    `8 threads asked; the pool has ${pool} (one per core): the waits run on 8 threads of their own`,
  );
  const trace = await page.evaluate(() =>
    window.juggle.run('threads', { variant: 'io-gil', threads: 8, tasks: 8, wait_ms: 300 }),
  );
  expect(trace.result.threads).toBe(8);
  expect(trace.result.wait_rounds).toBe(1);
  const waits = trace.spans.filter((s) => s.kind === 'blocked');
  expect(waits).toHaveLength(8);
  expect(new Set(waits.map((s) => s.lane)).size).toBe(8);
  // All eight wait at the same time: every wait ends after the last one started.
  const lastStart = Math.max(...waits.map((s) => s.start_ms));
  for (const wait of waits) expect(wait.end_ms).toBeGreaterThan(lastStart);
  // One round of waits, not four as on the pool's two threads; each thread's start-up is drawn.
  expect(trace.result.threads_ms).toBeLessThan(2 * 300);
  expect(trace.spans.filter((s) => s.kind === 'startup' && s.lane.startsWith('thread-'))).toHaveLength(8);
  // The GIL is still one lock: its holds never overlap.
  const holds = trace.spans.filter((s) => s.lane === 'gil').sort((a, b) => a.start_ms - b.start_ms);
  for (let i = 1; i < holds.length; i++)
    expect(holds[i].start_ms).toBeGreaterThanOrEqual(holds[i - 1].end_ms);
  // And the next run on the pool works as before.
  const next = await page.evaluate(() =>
    window.juggle.run('threads', { variant: 'io-gil', tasks: 4, wait_ms: 50 }),
  );
  expect(next.result.threads).toBe(Math.min(2, pool));
  await page.screenshot({ path: 'test-results/threads-io-gil.png', fullPage: false });
});
