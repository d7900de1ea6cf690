// Cancelling: the API's AbortSignal, the Cancel button and Esc. Cooperative tasks stop at their next await,
// pool jobs stop at their next check, and the next run works with the pool intact.
import { expect, open, runsDone, test } from './fixtures.js';

/** Starts `id` with `params`, aborts it after `afterMs`, then runs `next`; returns what happened. */
function cancelThenRun(page, id, params, afterMs, next) {
  return page.evaluate(
    async ({ id, params, afterMs, next }) => {
      const controller = new AbortController();
      const started = performance.now();
      setTimeout(() => controller.abort(), afterMs);
      const failure = await window.juggle.run(id, params, { signal: controller.signal }).then(
        () => null,
        (e) => ({ code: e.code, message: e.message }),
      );
      const stoppedAfter = performance.now() - started;
      const trace = await window.juggle.run(next[0], next[1]);
      return { failure, stoppedAfter, next: { total: trace.total_ms, output: trace.output.length } };
    },
    { id, params, afterMs, next },
  );
}

test('aborting the signal cancels a cooperative run at its next await; the next run works', async ({
  page,
}) => {
  await open(page);
  const result = await cancelThenRun(page, 'io-bound', { variant: 'sequential' }, 300, [
    'count',
    { variant: 'async', sleep_ms: 50 },
  ]);
  expect(result.failure.code).toBe('cancelled');
  expect(result.failure.message).toContain('io-bound/sequential was cancelled');
  expect(result.stoppedAfter).toBeLessThan(1500);
  expect(result.next.output).toBe(6);
});

test('cancelling stops the pool jobs too: the next parallel run finds the pool free', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.juggle.startPool());
  // Five seconds of work on two threads, cancelled after 0.4 s.
  const result = await cancelThenRun(
    page,
    'cpu-in-async',
    { variant: 'offload', tasks: 10, task_ms: 1000 },
    400,
    ['cpu-in-async', { variant: 'offload', tasks: 4, task_ms: 50 }],
  );
  expect(result.failure.code).toBe('cancelled');
  expect(result.stoppedAfter).toBeLessThan(1500);
  // Had the old jobs kept the threads, this would wait for them (seconds).
  expect(result.next.total).toBeLessThan(1000);
});

test('the Cancel button and Esc cancel a run from the page', async ({ page }) => {
  // Waits of 1 s: every run lasts seconds (limited: 4 rounds), so Cancel is still there to be pressed (at
  // the default 200 ms, limited ended 0.5 s after Cancel appeared, before a loaded machine clicked it).
  await open(page, '?scenario=io-bound&latency_ms=1000');
  await page.locator('#run-sequential').click();
  const cancel = page.getByRole('button', { name: 'Cancel (Esc)' });
  await expect(cancel).toBeVisible();
  await page.keyboard.press('Escape');
  await runsDone(page);
  await expect(page.locator('#run-status')).toHaveText('Cancelled.');
  await expect(page.getByRole('alert')).toBeHidden();
  await expect(cancel).toBeHidden();

  await page.locator('#run-limited').click();
  await page.getByRole('button', { name: 'Cancel (Esc)' }).click();
  await runsDone(page, 2);
  await expect(page.locator('#run-status')).toHaveText('Cancelled.');
  await expect(page.locator('#run-concurrent')).toBeEnabled();
});
