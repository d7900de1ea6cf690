// Teaching truth (#14): one thread executes one thing at a time. Every variant of every scenario, run in
// the browser with the QUICK parameters: on any lane at any instant at most one span is `cpu` or
// `blocked`, and `juggle.traceAt` never lists two executing tasks on one lane, at many instants.
import { readFileSync } from 'node:fs';
import { expect, open, QUICK, runPython, runsDone, test } from './fixtures.js';

/** How many instants of each run `traceAt` is asked about. */
const INSTANTS = 200;

test('on every lane of every variant, one thing executes at a time, in the trace and in traceAt', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await open(page);
  const quick = Object.fromEntries(
    Object.entries(QUICK).map(([id, query]) => [id, Object.fromEntries(new URLSearchParams(query))]),
  );
  const report = await page.evaluate(
    async ({ quick, instants }) => {
      const problems = [];
      const checked = [];
      for (const scenario of window.juggle.scenarios()) {
        for (const variant of scenario.variants) {
          if (!variant.available) continue;
          const trace = await window.juggle.run(scenario.id, {
            ...(quick[scenario.id] ?? {}),
            variant: variant.id,
          });
          const name = `${scenario.id}/${variant.id}`;
          checked.push(name);
          const executing = trace.spans
            .filter((s) => (s.kind === 'cpu' || s.kind === 'blocked') && s.end_ms > s.start_ms)
            .sort((a, b) => a.lane.localeCompare(b.lane) || a.start_ms - b.start_ms);
          for (let i = 1; i < executing.length; i += 1) {
            const [a, b] = [executing[i - 1], executing[i]];
            if (a.lane === b.lane && b.start_ms < a.end_ms)
              problems.push(
                `${name}: ${a.task} (${a.label}) and ${b.task} (${b.label}) on ${a.lane} at ${b.start_ms}`,
              );
          }
          for (let k = 0; k <= instants; k += 1) {
            const t = (trace.total_ms * k) / instants;
            const moment = window.juggle.traceAt(trace, t);
            const perLane = new Map();
            for (const s of moment.active)
              if (s.kind === 'cpu' || s.kind === 'blocked')
                perLane.set(s.lane, [...(perLane.get(s.lane) ?? []), s.task]);
            for (const [lane, tasks] of perLane)
              if (tasks.length > 1)
                problems.push(`${name}: traceAt(${t.toFixed(3)}) runs ${tasks} on ${lane}`);
          }
        }
      }
      return { problems: problems.slice(0, 10), checked };
    },
    { quick, instants: INSTANTS },
  );
  expect(report.checked.length).toBeGreaterThan(15);
  expect(report.checked).toContain('race/await-race');
  expect(report.problems).toEqual([]);
});

test('race on one thread draws each task as slices and waits, and the replay runs one task at a time', async ({
  page,
}) => {
  await open(page, `?scenario=race&${QUICK.race}`);
  const trace = await page.evaluate(() =>
    window.juggle.run('race', { increments: 20, variant: 'await-locked' }),
  );
  const kinds = new Set(trace.spans.filter((s) => s.task === 'task 2').map((s) => s.kind));
  expect([...kinds].sort()).toEqual(['cpu', 'wait']);
  expect(trace.spans.some((s) => s.label === 'waiting for the lock')).toBe(true);
});

test('before Run: Python first, the variants say what they do, race asks for a number, counts follow the knobs', async ({
  page,
}) => {
  await open(page, '?scenario=race&tasks=8');
  const before = await page.locator('.variants').textContent();
  expect(before).not.toMatch(/exact|overwrite|frozen|faster/i);
  await expect(page.locator('.situation')).toContainText('8 tasks each add one');
  await expect(page.locator('.code-columns > *').first()).toHaveClass(/code-python/);
  await expect(page.locator('.code-python')).not.toContainText('final count');
  const count = page.locator('.question-count input[type="number"]');
  await expect(count).toHaveCount(5);
  await page.fill('input[name="tasks"]', '2');
  await expect(page.locator('.situation')).toContainText('2 tasks each add one');
});

test('a setting out of range starts nothing and keeps the runs, the verdicts and the replay', async ({
  page,
}) => {
  await open(page, '?scenario=count&sleep_ms=50');
  const variants = await page.evaluate(
    () => window.juggle.scenarios().find((s) => s.id === 'count').variants.length,
  );
  await page.locator('.question-time input').first().fill('0.1');
  await page.click('#run-all');
  await runsDoneAfter(page, 0);
  await expect(page.locator('.run-figure')).toHaveCount(variants);
  await expect(page.locator('#prediction-slot')).toContainText(/you said 0.1 s; it took \d+\.\d\d s/);
  await page.fill('input[name="tasks"]', '999');
  await page.click('#run-all');
  await expect(page.locator('#run-error')).toContainText('Nothing ran');
  await expect(page.locator('.run-figure')).toHaveCount(variants);
  await expect(page.locator('#prediction-slot .verdict')).not.toHaveCount(0);
  await expect(page.locator('#replay-slot')).not.toContainText('Replay comes back');
  await expect(page.locator('#replay-cursor')).toBeVisible();
});

test('at 390 px the timeline keeps its text size: it scrolls sideways instead of shrinking', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '?scenario=count&sleep_ms=50');
  await page.click('#run-all');
  await runsDoneAfter(page, 0);
  const scale = await page
    .locator('.run-figure .chart svg')
    .first()
    .evaluate((svg) => svg.getBoundingClientRect().width / Number(svg.getAttribute('width')));
  expect(scale).toBeGreaterThan(0.99);
});

/** Waits until more than `n` run batches have ended. */
async function runsDoneAfter(page, n) {
  await page.waitForFunction((k) => Number(document.body.dataset.runs ?? 0) > k, n, { timeout: 45_000 });
}

test('the thread range shown is the one enforced: no more than the pool has', async ({ page }) => {
  await open(page, '?scenario=speedup');
  const threads = await page.evaluate(() => window.juggle.status().threads);
  await expect(page.locator('input[name="max_threads"]')).toHaveAttribute('max', String(threads));
  await expect(page.locator('#range-max_threads')).toContainText(
    `0–${threads} (the pool has ${threads} threads)`,
  );
});

test('the start pictures say why the health check beats as it does, in the run’s own figures; quiz references are links', async ({
  page,
}) => {
  await open(page, '');
  await page.locator('#pictures').scrollIntoViewIfNeeded();
  await expect(page.locator('.pictures-explained')).toContainText(
    /In “Concurrency”, the health check asks to run every 10 ms but beat about every \d+ ms/,
  );
  await page.locator('[data-question="busy-loop"] input').nth(1).check();
  const link = page.locator('[data-question="busy-loop"] .feedback a.quiz-ref');
  await expect(link).toHaveText('CPU work inside async tasks: “No await in the loop”');
  await expect(link).toHaveAttribute(
    'href',
    /scenario=cpu-in-async.*variant=async|variant=async.*scenario=cpu-in-async/,
  );
});

test('the replay keeps its width when Play becomes Pause', async ({ page }) => {
  await open(page, '?scenario=count&sleep_ms=50');
  await page.click('#run-all');
  await runsDoneAfter(page, 0);
  const play = page.locator('.replay .play');
  const before = await play.evaluate((b) => b.getBoundingClientRect().width);
  const slider = await page.locator('#replay-cursor').evaluate((s) => s.getBoundingClientRect().width);
  await play.click();
  await expect(play).toHaveText('Pause');
  expect(await play.evaluate((b) => b.getBoundingClientRect().width)).toBe(before);
  expect(await page.locator('#replay-cursor').evaluate((s) => s.getBoundingClientRect().width)).toBe(slider);
});

test('a real Python run: sentences count the program’s tasks, and every wait says what it waits for (#29)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page, '?scenario=count');
  // The count twin's blocking run: three tasks, each holding the thread with time.sleep(1.0).
  const twin = readFileSync(new URL('../../crate/src/scenarios/count/twin.py', import.meta.url), 'utf8');
  const blocking = await runPython(page, twin, { argv: ['blocking-in-async'], filename: 'twin.py' });
  expect(blocking.error).toBeUndefined();
  expect(blocking.why.time).toContain('the 3 tasks waited one after another');
  expect(blocking.why.health).toMatch(/blocking waits of 3 tasks one after another/);
  expect(`${blocking.why.time} ${blocking.why.health}`).not.toMatch(/[45] tasks/);

  // A bounded queue: the producer waits for room, the consumer for an item; gather's parent is not a task.
  const queue = await runPython(
    page,
    [
      'import asyncio',
      'async def producer(q):',
      '    for i in range(4):',
      '        await q.put(i)',
      '    await asyncio.sleep(0.3)',
      '    await q.put(None)',
      'async def consumer(q):',
      '    while (item := await q.get()) is not None:',
      '        await asyncio.sleep(0.05)',
      'async def ticker():',
      '    for _ in range(3):',
      '        await asyncio.sleep(0.04)',
      'async def main():',
      '    q = asyncio.Queue(maxsize=1)',
      '    await asyncio.gather(producer(q), consumer(q), ticker())',
      'asyncio.run(main())',
    ].join('\n'),
  );
  expect(queue.error).toBeUndefined();
  const waits = (task) =>
    new Set(queue.spans.filter((s) => s.kind === 'wait' && s.task.startsWith(task)).map((s) => s.label));
  expect([...waits('producer')]).toContain('queue.put: waiting for room');
  expect([...waits('consumer')]).toContain('queue.get: waiting for an item');
  expect([...waits('consumer')]).toContain('asyncio.sleep');
  expect([...waits('main')]).toEqual(['asyncio.gather: waiting for its tasks']);
  expect(queue.spans.some((s) => s.kind === 'wait' && s.label === 'await')).toBe(false);
  expect(queue.why.time).not.toMatch(/\b4 tasks\b/);
});

test('a real multiprocessing run: a Process’s join says so, and processes that never overlapped are not side by side (#29)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  const trace = await runPython(
    page,
    [
      'from multiprocessing import Process, Value',
      'def bump(counter, times):',
      '    for _ in range(times):',
      '        with counter.get_lock():',
      '            counter.value += 1',
      'if __name__ == "__main__":',
      '    counter = Value("q", 0)',
      '    for n in range(2):',
      '        p = Process(target=bump, args=(counter, 2000))',
      '        p.start()',
      '        p.join()  # one after the other: never two at once',
      '    print(counter.value)',
    ].join('\n'),
  );
  expect(trace.error).toBeUndefined();
  const main = trace.spans.filter((s) => s.lane === 'python' && s.kind === 'blocked').map((s) => s.label);
  expect(main.some((label) => /\.join\(\): waiting for the process to finish/.test(label))).toBe(true);
  expect(main).not.toContain('waiting for the process pool');
  const work = trace.spans.filter((s) => s.kind === 'cpu' && s.lane.startsWith('process-'));
  const overlapped = work.some((a) =>
    work.some((b) => a !== b && a.start_ms < b.end_ms && b.start_ms < a.end_ms),
  );
  expect(overlapped).toBe(false);
  expect(trace.why.time).not.toMatch(/side by side/);
});

test('Python runs far longer than the Rust ones get an axis of their own, and the page says so (#29)', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await open(page, '?scenario=race&increments=200&autorun=1');
  await runsDone(page);
  const before = await page.evaluate(() => Number(document.body.dataset.runs ?? 0));
  await page.locator('#run-python').click();
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, {
    timeout: 150_000,
  });
  // The Rust runs here take milliseconds, the Python twin's (thousands of awaits) hundreds of them.
  await expect(page.locator('figure.python-figure').first()).toBeVisible();
  await expect(page.locator('.own-axes')).toContainText('differ more than tenfold');
});
