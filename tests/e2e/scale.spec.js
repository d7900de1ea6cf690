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
  const each = Number(closing.match(/held ([0-9.]+) MiB of memory/)[1]);
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
  await expect(figure.locator('.workers-cost')).toContainText('MiB of memory of its own');
  await expect(figure.locator('dl.result').first()).toContainText('memory of one worker (bytes)');
  await page.screenshot({ path: 'test-results/workers.png', fullPage: false });
});

test('a run of 50,000 spans is drawn, as one painted picture, and its replay cursor moves', async ({
  page,
}) => {
  // Four tasks, 6,250 increments each: two spans an increment, plus one per task.
  await open(page, '?scenario=race&tasks=4&increments=6250');
  await page.locator('#run-await-race').click();
  await runsDone(page);
  const figure = page.locator('#figure-await-race');
  await expect(figure.locator('.data-table summary')).toHaveText('The timeline as a table (50004 spans)');
  await expect(figure.locator('.painted-note')).toContainText('50,004 spans');
  // The bars are one image in the plot, next to Plot's rows (not one element per span).
  const painted = figure.locator('.chart svg image.painted-spans');
  await expect(painted).toHaveCount(1);
  await expect(figure.locator('.chart svg')).toContainText('main · task 4');
  expect(await figure.locator('.chart svg rect').count()).toBeLessThan(100);
  // The picture holds the bars: a good part of its pixels are painted (a blank one has none).
  const share = await painted.evaluate(async (image) => {
    const picture = new Image();
    picture.src = image.getAttribute('href');
    await picture.decode();
    const canvas = document.createElement('canvas');
    canvas.width = picture.naturalWidth;
    canvas.height = picture.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(picture, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
    return opaque / (canvas.width * canvas.height);
  });
  expect(share).toBeGreaterThan(0.1);
  // The replay cursor moves across it, and the readout says what ran at each instant.
  const cursor = figure.locator('line.replay-cursor');
  const slider = page.locator('#replay-cursor');
  await slider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('PageUp');
  await expect(cursor).toHaveAttribute('visibility', 'visible');
  const early = Number(await cursor.getAttribute('x1'));
  await expect(figure.locator('.moment')).toContainText('In progress');
  await page.keyboard.press('End');
  await expect.poll(async () => Number(await cursor.getAttribute('x1'))).toBeGreaterThan(early);
  await expect(figure.locator('.moment')).toContainText(/done; counter = \d+/);
});
