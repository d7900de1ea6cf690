// The browser's process pool (www/python/juggle_pool.py): concurrent.futures.ProcessPoolExecutor with each
// process a separate interpreter in a Web Worker of its own. Correct results, processes on lanes of their own
// that overlap in time, the parent's loop free while it awaits them, a child's exception re-raised in the
// parent with the child's traceback, Stop ending every process, and the Lab's example showing the fix.
import { expect, open, runPython, test } from './fixtures.js';

test.describe.configure({ timeout: 180_000 });

const BURN = `
import asyncio, time
from concurrent.futures import ProcessPoolExecutor

def burn(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return seconds * 10
`;

/**
 * Watches the first `n` pool processes the page starts from now on (on a page whose pool has not run yet,
 * those are a run's own: interpreters started ahead come after a run); `ended()` resolves once all have
 * ended, `count()` says how many appeared.
 */
function watchProcesses(page, n) {
  const closed = [];
  const onWorker = (worker) => {
    if (!worker.url().includes('pool-worker') || closed.length >= n) return;
    closed.push(new Promise((resolve) => worker.once('close', resolve)));
    if (closed.length >= n) page.off('worker', onWorker);
  };
  page.on('worker', onWorker);
  return { count: () => closed.length, ended: () => Promise.all(closed) };
}

/** On each lane, the executing spans (cpu, blocked, startup) one after another. */
function oneThingAtATimePerLane(trace) {
  const lanes = new Map();
  for (const s of trace.spans.filter((s) => ['cpu', 'blocked', 'startup'].includes(s.kind)))
    lanes.set(s.lane, [...(lanes.get(s.lane) ?? []), s]);
  for (const [lane, spans] of lanes) {
    spans.sort((a, b) => a.start_ms - b.start_ms);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i].start_ms, `${lane}: one thing at a time`).toBeGreaterThanOrEqual(
        spans[i - 1].end_ms - 0.01,
      );
  }
  return lanes;
}

test('a ProcessPoolExecutor gives correct results; two processes start up and compute at the same time', async ({
  page,
}) => {
  await open(page);
  const watched = watchProcesses(page, 2);
  const trace = await runPython(
    page,
    `${BURN}
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(list(pool.map(burn, [0.01, 0.01])))  # two tasks, no idle process: two processes start
        print(list(pool.map(burn, [0.5, 0.5, 0.1, 0.1])))
        print(pool.submit(pow, 2, 10).result())
`,
  );
  expect(trace.error).toBeUndefined();
  expect(trace.output.map((l) => l.text)).toEqual(['[0.1, 0.1]', '[5.0, 5.0, 1.0, 1.0]', '1024']);
  const lanes = oneThingAtATimePerLane(trace);
  expect([...lanes.keys()].sort()).toEqual(['process-1', 'process-2', 'python']);
  const calls = (lane) =>
    trace.spans.filter(
      (s) => s.lane === lane && s.task === 'burn' && s.kind === 'cpu' && s.end_ms - s.start_ms > 400,
    );
  for (const lane of ['process-1', 'process-2']) {
    const [startup] = trace.spans.filter((s) => s.lane === lane && s.kind === 'startup');
    expect(startup, `${lane} starts up first`).toBeTruthy();
    expect(calls(lane)).toHaveLength(1);
    expect(Math.min(...calls(lane).map((s) => s.start_ms))).toBeGreaterThanOrEqual(startup.end_ms - 0.01);
  }
  // Once both processes are up, the two 0.5 s burns overlap in time on distinct lanes: two interpreters at once.
  const [a] = calls('process-1');
  const [b] = calls('process-2');
  expect(Math.max(a.start_ms, b.start_ms)).toBeLessThan(Math.min(a.end_ms, b.end_ms));
  // Meanwhile the parent waited, blocked (pool.map is a blocking call).
  const waits = trace.spans.filter((s) => s.lane === 'python' && s.kind === 'blocked');
  const overlap = (w, s) => Math.min(w.end_ms, s.end_ms) - Math.max(w.start_ms, s.start_ms);
  expect(waits.some((w) => overlap(w, a) > (a.end_ms - a.start_ms) / 2)).toBe(true);
  // Each process reports its own interpreter's memory.
  expect(trace.result.processes.map((p) => p.lane).sort()).toEqual(['process-1', 'process-2']);
  for (const p of trace.result.processes) expect(p.memory_bytes).toBeGreaterThan(1 << 20);
  // No process of the run is left once it is over.
  expect(watched.count()).toBe(2);
  await watched.ended();
});

test('the page’s first interpreter takes the memory snapshot; every process starts from it, sooner', async ({
  page,
}) => {
  await open(page);
  const program = `from concurrent.futures import ProcessPoolExecutor
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(list(pool.map(abs, [-1, -2])))
`;
  const startups = (trace) => trace.spans.filter((s) => s.kind === 'startup');
  const first = await runPython(page, program);
  const second = await runPython(page, program);
  for (const trace of [first, second]) {
    expect(trace.error).toBeUndefined();
    expect(trace.output.map((l) => l.text)).toEqual(['[1, 2]']);
    expect(startups(trace)).toHaveLength(2);
  }
  // The page's interpreter started the long way and made the snapshot; both processes started from it.
  for (const s of startups(first))
    expect(s.label).toBe("interpreter start-up (a new Pyodide, from the page's memory snapshot)");
  // The second run's processes came from the snapshot too (started ahead after the first run, or on request).
  for (const s of startups(second)) expect(s.label).toMatch(/started ahead|from the page/);
  const longest = (trace) => Math.max(...startups(trace).map((s) => s.end_ms - s.start_ms));
  expect(longest(first)).toBeLessThan(first.env.python_load_ms);
  expect(longest(second)).toBeLessThan(first.env.python_load_ms);
});

test('interpreters started ahead: none before a run used the pool, no more than it used, fresh for each run', async ({
  page,
}) => {
  await open(page);
  const processes = () => page.workers().filter((w) => w.url().includes('pool-worker')).length;
  // Python asked for, but no pool: nothing started ahead.
  expect((await runPython(page, 'print(1)')).output.map((l) => l.text)).toEqual(['1']);
  expect(processes()).toBe(0);
  // Each process records the id of its interpreter's __main__ module object and a mark left by the last run.
  const program = `import sys
from concurrent.futures import ProcessPoolExecutor

def where(_):
    seen = getattr(sys, "juggle_test_mark", None)
    sys.juggle_test_mark = "ran"
    return seen

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as pool:
        print(list(pool.map(where, [0, 1])))
`;
  const first = await runPython(page, program);
  expect(first.output.map((l) => l.text)).toEqual(["[None, 'ran']"]);
  // One process used: at most one started ahead, in the background, once the run is over.
  await expect.poll(processes).toBe(1);
  await page.waitForTimeout(1500);
  expect(processes()).toBe(1);
  const second = await runPython(page, program);
  // A fresh interpreter all the same: the first task sees no mark of the earlier run (spawn semantics).
  expect(second.output.map((l) => l.text)).toEqual(["[None, 'ran']"]);
  const [startup] = second.spans.filter((s) => s.kind === 'startup');
  expect(startup.label).toContain('started ahead');
  const [cold] = first.spans.filter((s) => s.kind === 'startup');
  expect(startup.end_ms - startup.start_ms).toBeLessThan(cold.end_ms - cold.start_ms);
});

test('each process seeds its own random numbers, also when started from the page’s memory snapshot', async ({
  page,
}) => {
  await open(page);
  const program = `import random, time
from concurrent.futures import ProcessPoolExecutor

def draw(_):
    time.sleep(0.2)  # both processes take a task
    return random.getrandbits(64)

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(*pool.map(draw, range(2)))
`;
  const draws = [];
  for (let run = 0; run < 2; run++) {
    const trace = await runPython(page, program);
    expect(trace.error).toBeUndefined();
    draws.push(...trace.output[0].text.split(' '));
  }
  // Four draws from four processes (a fresh one, then three from the snapshot): no two the same.
  expect(new Set(draws).size).toBe(4);
});

test('awaiting run_in_executor keeps the loop free: the health check beats while the processes compute', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `${BURN}
async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=2) as pool:
        await loop.run_in_executor(pool, burn, 0.01)  # both processes started, then:
        await loop.run_in_executor(pool, burn, 0.01)
        print(await asyncio.gather(*(loop.run_in_executor(pool, burn, 0.25) for _ in range(4))))

if __name__ == "__main__":
    asyncio.run(main())
`,
  );
  expect(trace.error).toBeUndefined();
  expect(trace.output.map((l) => l.text)).toEqual(['[2.5, 2.5, 2.5, 2.5]']);
  oneThingAtATimePerLane(trace);
  const burns = trace.spans.filter(
    (s) => s.task === 'burn' && s.kind === 'cpu' && s.end_ms - s.start_ms > 200,
  );
  expect(burns).toHaveLength(4);
  const from = Math.min(...burns.map((s) => s.start_ms));
  const to = Math.max(...burns.map((s) => s.end_ms));
  const beats = trace.heartbeat.samples.filter((b) => b.ran_ms > from && b.ran_ms < to);
  // The parent's thread is free: the 10 ms health check keeps answering (a third of its beats at the least).
  expect(beats.length).toBeGreaterThan((to - from) / 10 / 3);
  expect(trace.spans.filter((s) => s.lane === 'python' && s.kind === 'blocked')).toEqual([]);
});

test('an exception in a process re-raises in the parent with the process traceback', async ({ page }) => {
  await open(page);
  const result = await runPython(
    page,
    `from concurrent.futures import ProcessPoolExecutor

def divide(n):
    return 10 / n

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as pool:
        print(pool.submit(divide, 5).result())
        pool.submit(divide, 0).result()
`,
  );
  expect(result.error.code).toBe('python-error');
  expect(result.error.message).toContain('ZeroDivisionError: division by zero');
  // The child's traceback, as CPython shows it: its frame in divide, then the parent's line.
  expect(result.error.message).toContain('_RemoteTraceback');
  expect(result.error.message).toMatch(/line 4, in divide/);
  expect(result.error.message).toContain(
    'The above exception was the direct cause of the following exception',
  );
  expect(result.error.line).toBe(9);
  expect(result.error.trace.output.map((l) => l.text)).toEqual(['2.0']);
});

test('Stop ends the parent and every process; the next run works', async ({ page }) => {
  await open(page);
  const processes = () => page.workers().filter((w) => w.url().includes('pool-worker')).length;
  const watched = watchProcesses(page, 2);
  await page.evaluate(
    (code) => {
      const controller = new AbortController();
      window.stopPool = () => controller.abort();
      window.pooled = window.juggle.runPython(code, { signal: controller.signal }).then(
        () => 'not stopped',
        (error) => error.code,
      );
    },
    `${BURN}
if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(burn, [60, 60]))
`,
  );
  await expect.poll(processes, { timeout: 90_000 }).toBe(2);
  await page.evaluate(() => window.stopPool());
  expect(await page.evaluate(() => window.pooled)).toBe('cancelled');
  expect(watched.count()).toBe(2);
  await watched.ended();
  const again = await runPython(page, 'print("again")');
  expect(again.output.map((l) => l.text)).toEqual(['again']);
});

test('the Lab: the busy loop freezes the health check, the process-pool example keeps it answering', async ({
  page,
}) => {
  await page.addInitScript(() => localStorage.removeItem('juggle.lab.v1'));
  await open(page, '?lab=1');
  await page.locator('#lab-run').waitFor();
  /** Runs a Lab example from the UI; resolves to its figure and, run again through the API, its trace. */
  const runExample = async (id) => {
    await page.locator('#lab-example').selectOption(id);
    await page.locator('#lab-load').click();
    await expect(page.locator('#lab-status')).toContainText('Loaded');
    await expect(page.locator('#lab-look')).toHaveAttribute('data-runs', 'true');
    const before = Number(await page.evaluate(() => document.body.dataset.runs ?? 0));
    await page.locator('#lab-run').click();
    await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, {
      timeout: 150_000,
    });
    await expect(page.locator('#lab-status')).toContainText('ended after');
    const code = await page.evaluate(() => document.querySelector('#lab-editor').labEditor.text());
    return { figure: page.locator('.run-figure').first(), trace: await runPython(page, code) };
  };
  /** The health check's beats while the parses ran, against the beats due in that time. */
  const beatsWhileParsing = (trace) => {
    const parses = trace.spans.filter((s) => s.kind === 'cpu' && s.end_ms - s.start_ms >= 90);
    expect(parses).toHaveLength(5);
    const inside = (t) => parses.some((s) => t > s.start_ms + 1 && t < s.end_ms - 1);
    // The time some parse was running (parses on two processes overlap: their union).
    let covered = 0;
    let reach = Number.NEGATIVE_INFINITY;
    for (const s of [...parses].sort((a, b) => a.start_ms - b.start_ms)) {
      covered += Math.max(0, s.end_ms - Math.max(s.start_ms, reach));
      reach = Math.max(reach, s.end_ms);
    }
    return {
      during: trace.heartbeat.samples.filter((b) => inside(b.ran_ms)).length,
      due: covered / trace.heartbeat.interval_ms,
      lanes: new Set(parses.map((s) => s.lane)),
    };
  };
  const busy = await runExample('busy-loop');
  await expect(busy.figure).toContainText('Health check: froze');
  const stuck = beatsWhileParsing(busy.trace);
  expect([...stuck.lanes]).toEqual(['python']);
  expect(stuck.during).toBe(0); // the parses hold the loop's thread: no beat while one runs

  const pooled = await runExample('process-pool');
  const table = await pooled.figure.locator('.data-table').textContent();
  expect(table).toContain('process-1');
  expect(table).toContain('start-up');
  await expect(pooled.figure.locator('ol.output li')).toHaveCount(5);
  const free = beatsWhileParsing(pooled.trace);
  expect([...free.lanes].every((lane) => lane.startsWith('process-'))).toBe(true);
  // The parses run on the processes: the loop's thread is free and its health check keeps answering.
  expect(free.during).toBeGreaterThan(free.due / 3);
});
