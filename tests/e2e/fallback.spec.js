// Without cross-origin isolation (most course platforms): no shared memory, so the parallel variants run on
// message-passing workers and the variants that need shared memory say so instead of failing.
import { fallbackPort } from '../../playwright.config.js';
import { expect, open, QUICK, runPython, runsDone, test } from './fixtures.js';

test.use({ baseURL: `http://127.0.0.1:${fallbackPort}` });

// No service worker either, as in a browser or a private window without them: coi-serviceworker would
// otherwise isolate the page after a reload (embed.spec.js checks that it does).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined });
  });
});

const workerLanes = (trace) => new Set(trace.spans.map((s) => s.lane).filter((l) => l.startsWith('worker-')));

test('the page says it runs on message-passing workers, and why', async ({ page }) => {
  await open(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  const status = page.locator('#env-status');
  await expect(status).toHaveAttribute('data-mode', 'message-passing');
  await expect(status).toContainText('message-passing workers');
  await expect(status).toContainText('not cross-origin isolated');
  await expect(status.getByRole('link', { name: /new tab/ })).toBeVisible();
});

test('parallel variants run on two or more message-passing workers', async ({ page }) => {
  await open(page);
  const traces = await page.evaluate(async () => {
    const runs = [
      ['timelines', { variant: 'parallel', work_ms: 150 }],
      ['cpu-in-async', { variant: 'offload', tasks: 6, task_ms: 50 }],
      ['scraper', { variant: 'hybrid', pages: 4, latency_ms: 100, parse_ms: 40 }],
      ['speedup', { variant: 'scaling', limit: 200000, rounds: 1 }],
    ];
    const traces = [];
    for (const [id, params] of runs) traces.push(await window.juggle.run(id, params));
    return traces;
  });
  for (const trace of traces) {
    expect(trace.env.mode, trace.scenario).toBe('message-passing');
    expect(workerLanes(trace).size, `${trace.scenario}/${trace.variant}`).toBeGreaterThanOrEqual(2);
  }
  const speedup = traces[3].result;
  expect(speedup.identical).toBe(true);
  expect(speedup.primes).toBe(17984);
  // The first parallel run started the workers and shows it.
  expect(traces[0].spans.filter((s) => s.kind === 'startup')).toHaveLength(1);
});

test('variants that need shared memory say so, on the page and from the API', async ({ page }) => {
  await open(page, '?scenario=race');
  const racy = page.locator('#run-thread-race');
  await expect(racy).toBeDisabled();
  await expect(page.locator('.unavailable-note')).toContainText('share memory');
  const failure = await page.evaluate(() =>
    window.juggle.run('race', { variant: 'atomic' }).catch((e) => ({ code: e.code, message: e.message })),
  );
  expect(failure.code).toBe('needs-shared-memory');
  expect(failure.message).toContain('cross-origin isolated');
});

test('autorun runs the variants that can run here and skips the others', async ({ page }) => {
  await open(page, '?scenario=race&increments=100&autorun=1');
  await runsDone(page);
  await expect(page.getByRole('alert')).toBeHidden();
  await expect(page.locator('figure.run-figure')).toHaveCount(2);
});

for (const [id, query] of Object.entries(QUICK)) {
  test(`${id}: every variant that can run here runs from the UI`, async ({ page }) => {
    await open(page, `?scenario=${id}&${query}`);
    await page.locator('#run-all').click();
    await runsDone(page);
    await expect(page.getByRole('alert')).toBeHidden();
    const runnable = await page.locator('button.run[data-variant]:not([data-unavailable])').count();
    await expect(page.locator('figure.run-figure')).toHaveCount(runnable);
  });
}

test('cancelling a run on message-passing workers ends them; the next run starts new ones', async ({
  page,
}) => {
  await open(page);
  const result = await page.evaluate(async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const code = await window.juggle
      .run('cpu-in-async', { variant: 'offload', tasks: 10, task_ms: 1000 }, { signal: controller.signal })
      .catch((e) => e.code);
    const next = await window.juggle.run('cpu-in-async', { variant: 'offload', tasks: 4, task_ms: 50 });
    return { code, total: next.total_ms, startup: next.spans.filter((s) => s.kind === 'startup').length };
  });
  expect(result.code).toBe('cancelled');
  expect(result.total).toBeLessThan(2000);
  expect(result.startup).toBe(1);
});

test("Python threads are preempted by the switch interval without shared memory too (the signal's slower path)", async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `import sys, threading, time
sys.setswitchinterval(0.002)
turns = []
def spin(name):
    end = time.perf_counter() + 0.2
    while time.perf_counter() < end:
        if not turns or turns[-1] != name:
            turns.append(name)
threads = [threading.Thread(target=spin, args=(name,)) for name in "ab"]
for t in threads: t.start()
for t in threads: t.join()
print(len(turns))
`,
  );
  expect(trace.error ?? null).toBeNull();
  // Neither thread gives the GIL up by itself: every turn after the first is a preemption.
  expect(Number(trace.output[0].text)).toBeGreaterThanOrEqual(6);
});
