// The browser's Python (Pyodide in a worker, CPython's semantics restored), through juggle.runPython: what a
// program prints and when, one thread executing one thing at a time, Stop, and Python's own tracebacks.
import { spawnSync } from 'node:child_process';
import { allowConsoleError, expect, open, runPython, test } from './fixtures.js';

/** On the interpreter's lane, no two executing spans (cpu or blocked) overlap. */
function oneThingAtATime(trace) {
  const executing = trace.spans
    .filter((s) => s.lane === 'python' && (s.kind === 'cpu' || s.kind === 'blocked'))
    .sort((a, b) => a.start_ms - b.start_ms);
  for (let i = 1; i < executing.length; i += 1) {
    expect(
      executing[i].start_ms,
      `${executing[i].task} starts after ${executing[i - 1].task} ends`,
    ).toBeGreaterThanOrEqual(executing[i - 1].end_ms - 0.01);
  }
  return executing;
}

const GATHERED = (wait) => `
import asyncio, time

async def count():
    print("One")
    ${wait}
    print("Two")

async def main():
    await asyncio.gather(count(), count(), count())

asyncio.run(main())
`;

test('no Pyodide file loads until Python is asked for; then the interpreter comes from this origin', async ({
  page,
}) => {
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await open(page, '?scenario=count');
  expect(requests.filter((url) => url.includes('pyodide'))).toEqual([]);
  const trace = await runPython(page, 'print("hello from Python")');
  expect(trace.output.map((line) => line.text)).toEqual(['hello from Python']);
  expect(trace.env.python).toMatch(/^3\.14\./);
  const origin = new URL(page.url()).origin;
  const loaded = requests.filter((url) => url.includes('pyodide.asm.wasm'));
  expect(loaded).toHaveLength(1);
  expect(loaded[0].startsWith(origin)).toBe(true);
});

test('three gathered tasks awaiting asyncio.sleep print One One One Two Two Two in about one sleep', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(page, GATHERED('await asyncio.sleep(0.3)'));
  expect(trace.output.map((line) => line.text)).toEqual(['One', 'One', 'One', 'Two', 'Two', 'Two']);
  expect(trace.total_ms).toBeGreaterThanOrEqual(300);
  expect(trace.total_ms).toBeLessThan(2 * 300);
  // Each task is suspended at its await for the sleep, all three at once: waiting, not running.
  const waits = trace.spans.filter((s) => s.kind === 'wait' && s.task.startsWith('count'));
  expect(waits).toHaveLength(3);
  expect(Math.max(...waits.map((s) => s.start_ms))).toBeLessThan(Math.min(...waits.map((s) => s.end_ms)));
  oneThingAtATime(trace);
  expect(trace.heartbeat.frozen).toBe(false);
});

test('the same tasks calling time.sleep hold the thread: One Two One Two One Two, three sleeps, frozen', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(page, GATHERED('time.sleep(0.3)'));
  expect(trace.output.map((line) => line.text)).toEqual(['One', 'Two', 'One', 'Two', 'One', 'Two']);
  expect(trace.total_ms).toBeGreaterThanOrEqual(3 * 300);
  const blocked = trace.spans.filter((s) => s.kind === 'blocked');
  expect(blocked).toHaveLength(3);
  expect(new Set(blocked.map((s) => s.task)).size).toBe(3);
  oneThingAtATime(trace);
  expect(trace.heartbeat.frozen).toBe(true);
});

test('ten gathered busy loops run one after another, one executing span at a time', async ({ page }) => {
  await open(page);
  const trace = await runPython(
    page,
    `
import asyncio, time

def burn(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass

async def parse(i):
    burn(0.04)
    print(f"page {i}")

async def main():
    await asyncio.gather(*(parse(i) for i in range(10)))

asyncio.run(main())
`,
  );
  expect(trace.output.map((line) => line.text)).toEqual([...Array(10).keys()].map((i) => `page ${i}`));
  const parses = oneThingAtATime(trace).filter((s) => s.task.startsWith('parse') && s.kind === 'cpu');
  const long = parses.filter((s) => s.end_ms - s.start_ms >= 35);
  expect(long).toHaveLength(10);
  expect(trace.total_ms).toBeGreaterThanOrEqual(10 * 40);
  // As in CPython, the loop's timers wait for the whole batch of ready tasks: the health check gets no
  // beat between two parses (it did when browser timers ran between asyncio callbacks).
  const first = Math.min(...long.map((s) => s.start_ms));
  const last = Math.max(...long.map((s) => s.end_ms));
  const between = trace.heartbeat.samples.filter((b) => b.ran_ms > first + 1 && b.ran_ms < last - 1);
  expect(between).toEqual([]);
  expect(trace.heartbeat.frozen).toBe(true);
});

test('tasks that yield with asyncio.sleep(0) let the health check in once per round, as CPython does', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `
import asyncio, time

async def parse(i):
    for _ in range(20):
        end = time.perf_counter() + 0.005
        while time.perf_counter() < end:
            pass
        await asyncio.sleep(0)

async def main():
    await asyncio.gather(*(parse(i) for i in range(4)))

asyncio.run(main())
`,
  );
  // 4 tasks x 20 slices of 5 ms: a round is about 20 ms, so the health check beats every round or so and
  // the loop never freezes; and no beat ever falls inside a slice.
  expect(trace.heartbeat.frozen).toBe(false);
  const slices = oneThingAtATime(trace).filter((s) => s.task.startsWith('parse') && s.kind === 'cpu');
  expect(slices.length).toBeGreaterThanOrEqual(80);
  for (const beat of trace.heartbeat.samples)
    for (const slice of slices)
      expect(beat.ran_ms <= slice.start_ms + 0.5 || beat.ran_ms >= slice.end_ms - 0.5).toBe(true);
  const during = trace.heartbeat.samples.filter(
    (b) => b.ran_ms > slices[0].start_ms && b.ran_ms < slices.at(-1).end_ms,
  );
  expect(during.length).toBeGreaterThanOrEqual(10);
});

for (const [what, code] of [
  ['an endless loop', 'while True:\n    pass\n'],
  ['a long time.sleep', 'import time\ntime.sleep(30)\n'],
  [
    'a busy asyncio task',
    'import asyncio\n\nasync def spin():\n    while True:\n        pass\n\nasyncio.run(spin())\n',
  ],
]) {
  test(`Stop ends ${what} within a second, and the next run works`, async ({ page }) => {
    await open(page);
    const stopped = await page.evaluate(async (code) => {
      await window.juggle.startPython(); // Stop lands in the run, not in its interpreter's start
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const started = performance.now();
      try {
        await window.juggle.runPython(code, { signal: controller.signal });
        return { resolved: true };
      } catch (error) {
        return { code: error.code, afterStopMs: performance.now() - started - 300 };
      }
    }, code);
    expect(stopped.code).toBe('cancelled');
    expect(stopped.afterStopMs).toBeLessThan(1000);
    const next = await runPython(page, 'print("next")');
    expect(next.output.map((line) => line.text)).toEqual(['next']);
  });
}

test("asyncio runs on CPython's own event loop, whose wait parks the thread and wakes on Stop", async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    print(isinstance(loop, asyncio.BaseEventLoop), type(loop).__name__)
    for _ in range(2000):
        await asyncio.sleep(0)
    print("steps done")

asyncio.run(main())
`,
  );
  // CPython's BaseEventLoop (Pyodide's WebLoop is not one), and 2,000 steps in one run.
  expect(trace.output.map((line) => line.text)).toEqual(['True JuggleLoop', 'steps done']);
  // A loop parked in its wait (a 30 s asyncio.sleep) wakes on Stop: KeyboardInterrupt, no hard stop.
  const stopped = await page.evaluate(async () => {
    await window.juggle.startPython(); // Stop lands in the run, not in its interpreter's start
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    try {
      await window.juggle.runPython(
        'import asyncio\n\nasync def main():\n    await asyncio.sleep(30)\n\nasyncio.run(main())\n',
        { signal: controller.signal },
      );
      return { resolved: true };
    } catch (error) {
      return { code: error.code, message: error.message, afterStopMs: performance.now() - started - 300 };
    }
  });
  expect(stopped.code).toBe('cancelled');
  expect(stopped.message).toContain('KeyboardInterrupt');
  expect(stopped.afterStopMs).toBeLessThan(1000);
});

test("a syntax error and an exception reject with Python's traceback and the program's line", async ({
  page,
}) => {
  await open(page);
  const syntax = await runPython(page, 'x = 1\nif x\n    print(x)\n', { filename: 'lab.py' });
  expect(syntax.error.code).toBe('python-error');
  expect(syntax.error.message).toContain('SyntaxError');
  expect(syntax.error.message).toContain('File "lab.py", line 2');
  expect(syntax.error.line).toBe(2);

  const raised = await runPython(
    page,
    'import asyncio\n\nasync def f():\n    print("before")\n    return 1 / 0\n\nasyncio.run(f())\n',
    { filename: 'lab.py' },
  );
  expect(raised.error.code).toBe('python-error');
  expect(raised.error.message).toMatch(/^Traceback \(most recent call last\):/);
  expect(raised.error.message).toContain('ZeroDivisionError: division by zero');
  expect(raised.error.message).not.toContain('/lib/python');
  expect(raised.error.line).toBe(5);
  // The run up to the exception is kept.
  expect(raised.error.trace.output.map((line) => line.text)).toEqual(['before']);
});

test('bad arguments get a coded error naming what is allowed', async ({ page }) => {
  await open(page);
  for (const [code, options] of [
    [42, undefined],
    ['pass', { argv: 'sync' }],
    ['pass', { filename: '../x.py' }],
    ['pass', { nope: 1 }],
  ]) {
    const result = await runPython(page, code, options);
    expect(result.error.code).toBe('invalid-argument');
    expect(result.error.message).toMatch(/^juggle\.runPython: /);
  }
});

test("every scenario's twin runs from the page, each Python run drawn under its variant", async ({
  page,
}) => {
  // The twins with a process pool start interpreters of their own (seconds each on a busy machine).
  test.setTimeout(900_000);
  const catalogue = await (async () => {
    await open(page);
    return page.evaluate(() => window.juggle.scenarios());
  })();
  for (const scenario of catalogue) {
    await open(page, `?scenario=${scenario.id}`);
    const button = page.locator('#run-python');
    const runsBefore = Number(await page.evaluate(() => document.body.dataset.runs ?? 0));
    if (await button.isDisabled()) continue;
    await button.click();
    await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, runsBefore, {
      timeout: 300_000,
    });
    // A failure's message names what failed (the traceback is in .python-error).
    const failed = (await page.locator('.python-error').isVisible())
      ? await page.locator('.python-error').textContent()
      : '';
    expect(failed, scenario.id).toBe('');
    await expect(page.locator('.python-status')).toContainText('Python: ran twin.py');
    const figures = page.locator('figure.python-figure');
    expect(await figures.count(), scenario.id).toBeGreaterThan(0);
    for (const figure of await figures.all()) {
      await expect(figure.locator('figcaption')).toContainText('Python 3.14');
      await expect(figure).toHaveAttribute('data-engine', 'python');
      // How its time went, in the core's words (why a run of many awaits is slower than the Rust one).
      await expect(figure.locator('.python-why')).toContainText('How its time went:');
    }
    if (scenario.id === 'race')
      await expect(page.locator('figure.python-figure .python-why').first()).toContainText(
        /task steps, one every \d+ µs on average/,
      );
    // The variants it cannot run say why.
    const cannot = await page.locator('.python-cannot li').allTextContents();
    for (const line of cannot)
      expect(line).toMatch(/more processes than a page should|needs a free-threaded Python|browser-only/);
  }
});

test('a stopped program keeps its trace up to the stop', async ({ page }) => {
  await open(page);
  const stopped = await page.evaluate(async () => {
    await window.juggle.startPython(); // Stop lands in the run, not in its interpreter's start
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    try {
      await window.juggle.runPython('import time\nprint("before")\nwhile True:\n    time.sleep(0.05)\n', {
        signal: controller.signal,
      });
      return null;
    } catch (error) {
      return {
        code: error.code,
        total: error.trace?.total_ms,
        output: error.trace?.output.map((l) => l.text),
      };
    }
  });
  expect(stopped.code).toBe('cancelled');
  expect(stopped.output).toEqual(['before']);
  expect(stopped.total).toBeGreaterThanOrEqual(300);
});

test('Stop asked as a run starts, or lost by the interpreter, still ends it by KeyboardInterrupt', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  // Stop 0 to 60 ms after Run: while the run's message is on its way to the worker (kept for the program,
  // not cleared), while the run is readied, or in the program's first loop. A request the interpreter
  // took without raising it is asked again (control-words.js), so none waits for the hard stop.
  for (const ms of [0, 1, 3, 10, 30, 60]) {
    const stopped = await page.evaluate(async (ms) => {
      await window.juggle.startPython();
      const controller = new AbortController();
      const running = window.juggle.runPython('while True:\n    pass\n', { signal: controller.signal });
      setTimeout(() => controller.abort(), ms);
      try {
        await running;
        return { code: 'ended' };
      } catch (error) {
        return { code: error.code, message: error.message };
      }
    }, ms);
    expect(stopped.code, `Stop after ${ms} ms: ${stopped.message}`).toBe('cancelled');
    expect(stopped.message, `Stop after ${ms} ms`).not.toContain('did not end');
  }
});

test('sys.exit ends a program as python3 ends: no traceback, the exit status said, a message on stderr', async ({
  page,
}) => {
  await open(page);
  const cases = [
    ['sys.exit()', 0, []],
    ['sys.exit(0)', 0, []],
    ['sys.exit(3)', 3, []],
    ['sys.exit("bye")', 1, ['bye']],
  ];
  for (const [call, status, stderr] of cases) {
    const code = `import sys\nprint("before")\n${call}\nprint("after")\n`;
    // CPython's own status and stderr, for the same program.
    const cpython = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
    expect(cpython.status, call).toBe(status);
    expect(cpython.stderr.trim().split('\n').filter(Boolean), call).toEqual(stderr);
    const result = await runPython(page, code);
    const trace = result.error ? result.error.trace : result;
    expect(
      trace.output.map((line) => line.text),
      call,
    ).toEqual(['before', ...stderr]);
    expect(trace.output.filter((line) => line.stream === 'stderr').map((line) => line.text)).toEqual(stderr);
    if (status === 0) expect(result.error ?? null, call).toBeNull();
    else {
      expect(result.error.code, call).toBe('python-error');
      expect(result.error.message, call).toContain(`exit status ${status}`);
      expect(result.error.message, call).not.toContain('Traceback');
    }
  }
});

test("recursion deeper than the browser's stack is a coded crash that says so and keeps what was printed; the next run works", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Re-raised through a handler in every frame, 20,000 deep, then caught: CPython goes on; Pyodide prints
  // "caught" too, then its stack runs out as the deep traceback is freed (plain Pyodide in Node does the
  // same; the kind of overflow pyodide/pyodide#5959 reports).
  const cpython = ['before the recursion', 'caught'];
  const code = `import sys
print("before the recursion")
sys.setrecursionlimit(10**6)
def f(n):
    try:
        return f(n + 1)
    except RecursionError:
        raise
try:
    f(0)
except RecursionError:
    print("caught")
`;
  expect(spawnSync('python3', ['-c', code], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(cpython);
  // Pyodide reports its own fatal error on the worker's console: provoked here on purpose.
  allowConsoleError(
    page,
    /Pyodide has suffered a fatal error|The cause of the fatal error|Maximum call stack size/,
  );
  await open(page);
  const result = await runPython(page, code);
  expect(result.error.code).toBe('python-crashed');
  expect(result.error.message).toContain("the browser's stack ran out");
  // The run so far: what it printed before the crash (the worker mirrored each line as it was printed),
  // here all that CPython prints.
  expect(result.error.trace.output.map((line) => line.text)).toEqual(cpython);
  expect(result.error.trace.result.truncated).toContain('the interpreter crashed');
  const next = await runPython(page, 'print("next")');
  expect(next.output.map((line) => line.text)).toEqual(['next']);
});

test('a crashed run keeps the spans that had ended, drawn with its lines, as the tracer told them', async ({
  page,
}) => {
  await open(page);
  const result = await runPython(
    page,
    `import asyncio, os
async def tick(name):
    for i in range(3):
        await asyncio.sleep(0.01)
        print(name, i)
async def main():
    await asyncio.gather(tick("a"), tick("b"))
asyncio.run(main())
os._exit(3)
`,
  );
  expect(result.error.code).toBe('python-crashed');
  const { output, spans, total_ms: total } = result.error.trace;
  expect(output.map((line) => line.text)).toEqual(['a 0', 'b 0', 'a 1', 'b 1', 'a 2', 'b 2']);
  // Each task's three awaits of asyncio.sleep, told before the line printed after each: the spans that had
  // ended when the interpreter died, on the run's clock.
  for (const name of ['tick (Task-2)', 'tick (Task-3)']) {
    const waits = spans.filter((span) => span.task === name && span.kind === 'wait');
    expect(waits.length, name).toBe(3);
    for (const wait of waits) expect(wait.end_ms).toBeLessThanOrEqual(total);
  }
  expect(result.error.trace.result.truncated).toContain('recorded up to then');
  // The health check's beats too, while the event loop ran (a beat every 10 ms of the run's 30 ms or so).
  expect(result.error.trace.heartbeat.samples.length).toBeGreaterThan(0);
});

test('a RecursionError a million frames deep is printed as python3 prints it, its last 1,000 frames, well within the cap', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const code = 'import sys\nsys.setrecursionlimit(10**6)\ndef f(n): return f(n+1)\nf(0)\n';
  const cpython = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  const last = (text) => text.trim().split('\n').at(-1);
  await open(page);
  await page.evaluate(() => window.juggle.startPython());
  const started = Date.now();
  const result = await runPython(page, code);
  expect(Date.now() - started).toBeLessThan(30_000); // the run's cap is 60 s
  expect(result.error.code).toBe('python-error');
  expect(last(result.error.message)).toBe(last(cpython.stderr));
  expect(result.error.message).toMatch(/\[Previous line repeated 99\d more times\]/);
});
