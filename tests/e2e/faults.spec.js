// A panic in Rust becomes a rejected run (code `panicked`, the panic's message), never a hung page, and the
// next run of any scenario works, cooperative and parallel, with as many workers as before. The panics are
// caused on purpose through a test-only switch (see crate/src/fault.rs), in each wasm instance a run uses:
// the page's own (a cooperative task), the engine worker's (a pool job on shared memory) and a
// message-passing worker's (a part of a pool job, on the page served without cross-origin isolation).
import { expect, open, runsDone, test, withoutIsolation } from './fixtures.js';

/** Loads the page with the test switch on, so that `juggle.run` accepts a `fault` parameter. */
async function openWithFaults(page, query) {
  await page.addInitScript(() => {
    globalThis.__juggleTestFaults = true;
  });
  await open(page, query);
}

/**
 * Runs `id` with `params` (a `fault` among them) `times` times, expecting a rejection each time; then runs
 * each of `next`. Returns the last failure (and whether they were all alike), how long the last failing
 * run took to settle, the next runs' traces in brief, and the engine's worker count before and after.
 */
function failThenRun(page, id, params, next, times = 1) {
  return page.evaluate(
    async ({ id, params, next, times }) => {
      const before = await window.juggle.diagnostics();
      const failures = [];
      let started;
      for (let i = 0; i < times; i += 1) {
        started = performance.now();
        failures.push(
          await window.juggle.run(id, params).then(
            () => null,
            (e) => ({ code: e.code, message: e.message, isError: e instanceof Error }),
          ),
        );
      }
      const settledMs = performance.now() - started;
      const failure = failures.at(-1);
      const allAlike = failures.every((f) => f?.code === failure?.code);
      const traces = [];
      for (const [nextId, nextParams] of next) {
        const trace = await window.juggle.run(nextId, nextParams);
        traces.push({
          variant: `${trace.scenario}/${trace.variant}`,
          output: trace.output.length,
          workerLanes: new Set(trace.spans.map((s) => s.lane).filter((l) => l.startsWith('worker-'))).size,
          total: trace.total_ms,
        });
      }
      const after = await window.juggle.diagnostics();
      return { failure, allAlike, settledMs, traces, before: before.workers, after: after.workers };
    },
    { id, params, next, times },
  );
}

const COUNT = ['count', { variant: 'async', tasks: 3, sleep_ms: 20 }];
const OFFLOAD = ['cpu-in-async', { variant: 'offload', tasks: 4, task_ms: 20 }];

test('without the test switch there is no fault parameter', async ({ page }) => {
  await open(page);
  const failure = await page.evaluate(() =>
    window.juggle
      .run('count', { variant: 'async', fault: 'task' })
      .catch((e) => ({ code: e.code, message: e.message })),
  );
  expect(failure.code).toBe('unknown-parameter');
  const params = await page.evaluate(() =>
    window.juggle.scenarios().flatMap((s) => s.params.map((p) => p.name)),
  );
  expect(params).not.toContain('fault');
});

test('a cooperative task that panics rejects the run with its message; the next runs work', async ({
  page,
}) => {
  await openWithFaults(page);
  await page.evaluate(() => window.juggle.startPool());
  const result = await failThenRun(page, 'count', { variant: 'async', sleep_ms: 50, fault: 'task' }, [
    COUNT,
    OFFLOAD,
    ['count', { variant: 'sync', tasks: 2, sleep_ms: 10 }],
  ]);
  console.log(
    `task panic: the run settled after ${result.settledMs.toFixed(0)} ms; ` +
      `the next run took ${result.traces[0].total.toFixed(0)} ms`,
  );
  expect(result.failure).toMatchObject({ code: 'panicked', isError: true });
  expect(result.failure.message).toContain('count/async panicked');
  expect(result.failure.message).toContain('test fault: a cooperative task panicked on purpose');
  expect(result.failure.message).toMatch(/\(at crate\/src\/fault\.rs:\d+:\d+\)/);
  expect(result.traces.map((t) => t.output)).toEqual([6, 2, 4]);
  expect(result.traces[1].workerLanes).toBeGreaterThanOrEqual(1);
  expect(result.after).toBe(result.before);
});

test('a pool job that panics on a pool thread rejects the run; the pool keeps working', async ({ page }) => {
  await openWithFaults(page);
  await page.evaluate(() => window.juggle.startPool());
  const result = await failThenRun(
    page,
    'cpu-in-async',
    { ...OFFLOAD[1], fault: 'pool' },
    [OFFLOAD, COUNT, OFFLOAD],
    3,
  );
  console.log(
    `pool panic (shared memory): the run settled after ${result.settledMs.toFixed(0)} ms; ` +
      `the next pool run took ${result.traces[0].total.toFixed(0)} ms`,
  );
  expect(result.allAlike).toBe(true);
  expect(result.failure).toMatchObject({ code: 'panicked', isError: true });
  expect(result.failure.message).toContain('a pool job panicked');
  expect(result.failure.message).toMatch(
    /a pool job panicked: test fault: a panic on purpose on pool thread worker-\d \(at crate\/src\/pool\.rs:\d+:\d+\)/,
  );
  expect(result.traces.map((t) => t.variant)).toEqual([
    'cpu-in-async/offload',
    'count/async',
    'cpu-in-async/offload',
  ]);
  // Both threads of the pool still take jobs.
  expect(result.traces[0].workerLanes).toBe(2);
  expect(result.traces[2].workerLanes).toBe(2);
  expect(result.after).toBe(result.before);
});

test('a panic while the pool blocks the page still settles the run', async ({ page }) => {
  await openWithFaults(page);
  await page.evaluate(() => window.juggle.startPool());
  const result = await failThenRun(
    page,
    'cpu-in-async',
    { variant: 'pool-blocking', tasks: 4, task_ms: 20, fault: 'pool' },
    [['cpu-in-async', { variant: 'pool-blocking', tasks: 4, task_ms: 20 }], COUNT],
  );
  expect(result.failure.code).toBe('panicked');
  expect(result.failure.message).toContain('a panic on purpose on pool thread');
  expect(result.traces.map((t) => t.output)).toEqual([2, 6]);
  expect(result.after).toBe(result.before);
});

test('the page shows the panic and runs again afterwards', async ({ page }) => {
  await openWithFaults(page, '?scenario=count&sleep_ms=50');
  // The page itself never passes a fault: make its next run carry one, as a bug would.
  await page.evaluate(() => {
    const run = window.juggle.run;
    window.juggle.run = (id, params, options) => {
      window.juggle.run = run;
      return run(id, { ...params, fault: 'task' }, options);
    };
  });
  await page.locator('#run-async').click();
  await runsDone(page);
  await expect(page.locator('#run-error')).toBeVisible();
  await expect(page.locator('#run-error')).toContainText('panicked: test fault: a cooperative task panicked');
  await expect(page.locator('#run-error')).toContainText('This is a bug in Juggle, not part of the lesson');
  await expect(page.locator('#run-async')).toBeEnabled();
  await page.locator('#run-async').click();
  await runsDone(page, 2);
  await expect(page.locator('#run-error')).toBeHidden();
  await expect(page.locator('figure.run-figure')).toHaveCount(1);
});

test.describe('without cross-origin isolation', () => {
  withoutIsolation();

  test('a message-passing worker whose part panics rejects the run; the workers keep working', async ({
    page,
  }) => {
    await openWithFaults(page);
    await page.evaluate(() => window.juggle.startPool());
    expect(await page.evaluate(() => window.juggle.status().mode)).toBe('message-passing');
    const result = await failThenRun(
      page,
      'cpu-in-async',
      { ...OFFLOAD[1], fault: 'pool' },
      [OFFLOAD, COUNT],
      3,
    );
    console.log(
      `pool panic (message passing): the run settled after ${result.settledMs.toFixed(0)} ms; ` +
        `the next pool run (workers started anew) took ${result.traces[0].total.toFixed(0)} ms`,
    );
    expect(result.allAlike).toBe(true);
    expect(result.failure).toMatchObject({ code: 'panicked', isError: true });
    expect(result.failure.message).toMatch(
      /a pool job panicked: test fault: a panic on purpose on pool thread worker-0/,
    );
    expect(result.traces[0].workerLanes).toBe(2);
    expect(result.traces[1].output).toBe(6);
    expect(result.after).toBe(result.before);
  });

  test('a cooperative task that panics rejects the run here too', async ({ page }) => {
    await openWithFaults(page);
    const result = await failThenRun(
      page,
      'count',
      { variant: 'sync', tasks: 2, sleep_ms: 10, fault: 'task' },
      [COUNT, OFFLOAD],
    );
    expect(result.failure.code).toBe('panicked');
    expect(result.traces.map((t) => t.output)).toEqual([6, 2]);
  });
});
