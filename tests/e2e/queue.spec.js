// The queue lesson's shape in the page: the unbounded queue grows, a bound makes the producer wait at put,
// and several consumers finish first. Every figure is read from the run's trace.
import { expect, open, runsDone, test } from './fixtures.js';

test('a bound makes the producer wait at put; four consumers drain the queue fastest', async ({ page }) => {
  await open(page, '?scenario=queue');
  await page.getByRole('button', { name: 'Run all variants' }).click();
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  const traces = await page.evaluate(async () => {
    const run = (variant) => window.juggle.run('queue', { variant });
    return {
      unbounded: await run('unbounded'),
      bounded: await run('bounded'),
      consumers: await run('consumers'),
    };
  });
  const { unbounded, bounded, consumers } = traces;
  expect(unbounded.result.high_water).toBeGreaterThanOrEqual(12);
  expect(unbounded.result.per_item).toHaveLength(20);
  expect(bounded.result.high_water).toBe(3);
  expect(bounded.spans.some((s) => s.task === 'producer' && s.label === 'put: wait for room')).toBe(true);
  expect(consumers.total_ms).toBeLessThan(bounded.total_ms / 2);
  expect(consumers.spans.some((s) => s.label === 'get: wait for an item')).toBe(true);
  for (const trace of [unbounded, bounded, consumers]) expect(trace.heartbeat.frozen).toBe(false);
  // The page draws the producer's waits for room on its own row, and shows the high-water mark.
  const figure = page.locator('figure[data-variant="bounded"]');
  await expect(figure.locator('.chart svg').first()).toBeVisible();
  await expect(figure.locator('dl.result')).toContainText('most items in the queue at once');
  // Under each timeline, the queue's length over time, with a sentence from the same run: its high-water
  // mark is the result's, and a bounded queue's chart never goes past its bound.
  for (const variant of ['unbounded', 'bounded', 'consumers']) {
    const shown = page.locator(`figure[data-variant="${variant}"]`);
    const lane = shown.locator('.queue-length');
    await expect(lane.locator('svg')).toBeVisible();
    const words = await lane.locator('.run-summary').textContent();
    const high = Number(words.match(/at most (\d+) item/)[1]);
    const listed = shown
      .locator('dl.result div')
      .filter({ has: page.locator('dt', { hasText: /^most items in the queue at once$/ }) });
    expect(high).toBe(Number(await listed.locator('dd').textContent()));
    expect(words).toContain(variant === 'unbounded' ? 'no bound' : 'a bound of 3');
  }
  const boundedWords = await figure.locator('.queue-length .run-summary').textContent();
  expect(Number(boundedWords.match(/at most (\d+) item/)[1])).toBeLessThanOrEqual(3);
  const unboundedWords = await page
    .locator('figure[data-variant="unbounded"] .queue-length .run-summary')
    .textContent();
  // The unbounded queue grows past the bounded one's bound.
  expect(Number(unboundedWords.match(/at most (\d+) item/)[1])).toBeGreaterThan(3);
  await page.screenshot({ path: 'test-results/queue.png', fullPage: true });
});
