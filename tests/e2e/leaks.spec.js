// Leak check: 50 consecutive runs of every variant of every scenario (with small parameters, so that the
// whole check takes a minute or two) leave the wasm memories, the page's JS heap and the worker count
// where they were after the first 10 rounds. Prints the figures. Runs on the cross-origin isolated page
// (rayon over shared memory) and on the page without isolation (message-passing workers).
import { expect, open, test, withoutIsolation } from './fixtures.js';

const ROUNDS = 50;
/** Rounds after which the figures are taken; the first is the baseline. */
const CHECKPOINTS = [10, 20, 30, 40, 50];

/** Small parameters: every variant runs in a few ms to a few tens of ms. */
const SMALL = {
  count: { tasks: 3, sleep_ms: 5 },
  timelines: { work_ms: 10, slice_ms: 5, wait_ms: 5 },
  'cpu-in-async': { tasks: 2, task_ms: 5, yield_every_ms: 2 },
  'io-bound': { requests: 3, latency_ms: 5, limit: 2, work_ms: 1 },
  scraper: { pages: 2, latency_ms: 5, jitter_ms: 0, parse_ms: 5 },
  speedup: { limit: 2000, rounds: 1, max_threads: 2 },
  race: { tasks: 2, increments: 50 },
  queue: { items: 3, produce_ms: 1, consume_ms: 3, maxsize: 2, consumers: 2 },
  threads: { tasks: 2, task_ms: 5, wait_ms: 5, call_ms: 5 },
};

const MiB = 1024 * 1024;
const mib = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`;

/**
 * Runs every scenario's runnable variants `ROUNDS` times on the open page and takes the figures at each
 * checkpoint: wasm memory of the page's instance and of the engine's, the page's JS heap after a forced
 * garbage collection (Chrome DevTools Protocol), the workers the engine holds and the workers Playwright
 * sees. Returns the figures per checkpoint and the number of runs.
 */
async function runRounds(page, mode) {
  const cdp = await page.context().newCDPSession(page);
  const plan = await page.evaluate(
    ({ small, sharedMemory }) =>
      window.juggle
        .scenarios()
        .flatMap((s) =>
          s.variants
            .filter((v) => sharedMemory || v.placement !== 'shared-memory')
            .map((v) => [s.id, { ...small[s.id], variant: v.id }]),
        ),
    { small: SMALL, sharedMemory: mode === 'shared-memory' },
  );
  const figures = [];
  const started = Date.now();
  for (let round = 1; round <= ROUNDS; round += 1) {
    await page.evaluate(async (plan) => {
      for (const [id, params] of plan) await window.juggle.run(id, params);
    }, plan);
    if (!CHECKPOINTS.includes(round)) continue;
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const diagnostics = await page.evaluate(() => window.juggle.diagnostics());
    figures.push({
      round,
      runs: round * plan.length,
      wasmBytes: diagnostics.wasmBytes,
      engineWasmBytes: diagnostics.engineWasmBytes,
      heapBytes: heap.usedSize,
      workers: diagnostics.workers,
      playwrightWorkers: page.workers().length,
    });
  }
  await cdp.detach();
  return { figures, plan, seconds: (Date.now() - started) / 1000 };
}

/** Prints the figures and checks that nothing grows after the baseline (the first checkpoint). */
function checkStable({ figures, plan, seconds }, mode) {
  const lines = figures.map(
    (f) =>
      `round ${String(f.round).padStart(2)} (${String(f.runs).padStart(4)} runs): page wasm ${mib(f.wasmBytes)}, ` +
      `engine wasm [${f.engineWasmBytes.map(mib).join(', ')}], JS heap after GC ${mib(f.heapBytes)}, ` +
      `workers held ${f.workers}, workers seen ${f.playwrightWorkers}`,
  );
  const summary = `${mode}: ${plan.length} variants x ${ROUNDS} rounds = ${plan.length * ROUNDS} runs in ${seconds.toFixed(0)} s`;
  console.log([summary, ...lines].join('\n'));
  test.info().annotations.push({ type: `leaks (${mode})`, description: [summary, ...lines].join('\n') });

  const [base, ...later] = figures;
  const last = figures.at(-1);
  for (const f of later) {
    expect(f.workers, `workers held at round ${f.round}`).toBe(base.workers);
    expect(f.playwrightWorkers, `workers seen at round ${f.round}`).toBe(base.playwrightWorkers);
  }
  // Wasm memory never shrinks; it must stop growing once every variant has run a few times. (A page of
  // 64 KiB of slack per instance for an allocator's late split.)
  expect(last.wasmBytes, 'page wasm memory').toBeLessThanOrEqual(base.wasmBytes + 64 * 1024);
  expect(last.engineWasmBytes.length).toBe(base.engineWasmBytes.length);
  last.engineWasmBytes.forEach((bytes, i) => {
    expect(bytes, `engine wasm memory ${i}`).toBeLessThanOrEqual(base.engineWasmBytes[i] + 64 * 1024);
  });
  expect(last.heapBytes, 'JS heap after GC').toBeLessThan(1.5 * base.heapBytes + 4 * MiB);
}

test('50 runs of every variant: wasm memory, JS heap and workers stay stable (shared memory)', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page);
  await page.evaluate(() => window.juggle.startPool());
  expect(await page.evaluate(() => window.juggle.status().mode)).toBe('shared-memory');
  checkStable(await runRounds(page, 'shared-memory'), 'shared-memory');
});

test.describe('without cross-origin isolation', () => {
  withoutIsolation();

  test('50 runs of every variant that runs here: nothing grows (message-passing workers)', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await open(page);
    await page.evaluate(() => window.juggle.startPool());
    expect(await page.evaluate(() => window.juggle.status().mode)).toBe('message-passing');
    checkStable(await runRounds(page, 'message-passing'), 'message-passing');
  });
});
