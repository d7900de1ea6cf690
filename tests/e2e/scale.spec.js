// io-bound at scale: 10,000 concurrent requests on one thread take about one latency, the run reports the
// heap a waiting request held (measured in the run), and the page draws requests in flight over time with a
// sample of rows, quickly.
import { expect, open, runsDone, test } from './fixtures.js';

test('ten thousand concurrent requests take about one latency, drawn as requests in flight', async ({
  page,
}) => {
  await open(page, '?scenario=io-bound&variant=concurrent&requests=10000&work_ms=0&autorun=1');
  const started = Date.now();
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  const figure = page.locator('figure[data-variant="concurrent"]');
  await expect(figure.locator('.in-flight svg')).toBeVisible();
  const drawnIn = Date.now() - started;
  const total = Number(await figure.getAttribute('data-total-ms'));
  // About one latency, with the cost of starting 10,000 timers on a shared machine: far from 10,000 x 200 ms.
  expect(total).toBeLessThan(5 * 200);
  expect(drawnIn).toBeLessThan(15_000);
  await expect(figure.locator('.in-flight')).toContainText('10000 requests, at most 10000 at once');
  const trace = await page.evaluate(() =>
    window.juggle.run('io-bound', { variant: 'concurrent', requests: 10000, work_ms: 0 }),
  );
  expect(trace.result.heap_per_task_bytes).toBeGreaterThan(0);
  expect(trace.result.rows_shown).toBe(20);
  expect(trace.spans.length).toBeLessThan(1000);
  console.log(
    `10,000 concurrent: ${trace.total_ms.toFixed(0)} ms, ${trace.result.heap_per_task_bytes.toFixed(0)} B heap per waiting request (future ${trace.result.future_bytes} B), page drawn in ${drawnIn} ms`,
  );
  await page.screenshot({ path: 'test-results/scale.png', fullPage: false });
});

test('a worker per request is capped, says why, and reports its start-up', async ({ page }) => {
  await open(page, '?scenario=io-bound');
  const trace = await page.evaluate(() =>
    window.juggle.run('io-bound', { variant: 'workers', requests: 80, latency_ms: 100 }),
  );
  expect(trace.result.requests_made).toBe(50);
  expect(trace.output[0].text).toContain('capped at 50');
  expect(trace.result.worker_startup_ms).toBeGreaterThan(0);
  // Each worker measured its own wasm memory: more than an empty instance's first page, and the total is
  // the workers' sum.
  expect(trace.result.worker_memory_bytes).toBeGreaterThan(65536);
  expect(trace.result.workers_memory_bytes).toBeCloseTo(50 * trace.result.worker_memory_bytes, -3);
  // The closing line gives the reason for the cap from those figures: the 80 asked would hold more.
  const closing = trace.output.at(-1).text;
  const each = Number(closing.match(/held ([0-9.]+) MiB of wasm memory/)[1]);
  const asked = Number(closing.match(/the 80 asked would hold about ([0-9]+) MiB/)[1]);
  expect(asked).toBeGreaterThan(50 * each);
  expect(closing).toContain('so at most 50 workers are started');
  console.log(
    `workers: ${trace.result.worker_startup_ms.toFixed(1)} ms start-up and ${(trace.result.worker_memory_bytes / 1048576).toFixed(2)} MiB wasm memory per worker (mean of 50)`,
  );
});

test('the page shows what a worker per request cost, from the run', async ({ page }) => {
  await open(page, '?scenario=io-bound&variant=workers&requests=60&latency_ms=100&autorun=1');
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  const figure = page.locator('figure[data-variant="workers"]');
  await expect(figure.locator('.workers-cost')).toContainText('so at most 50 workers are started');
  await expect(figure.locator('.workers-cost')).toContainText('MiB of wasm memory of its own');
  await expect(figure.locator('dl.result')).toContainText('worker memory bytes');
  await page.screenshot({ path: 'test-results/workers.png', fullPage: false });
});
