// multiprocessing in the browser's Python (www/python/juggle_mp.py): Pool, Process, Value, Array and Lock,
// each process a separate interpreter in a Web Worker of its own, Value and Array in shared memory behind a
// real cross-process lock. Exact counts under the lock, starmap in order on two overlapping process lanes,
// CPython's RuntimeError for a Value pickled into a task, and the speedup twin run live from its page, its
// lines in CPython's order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, open, runPython, test, withoutIsolation } from './fixtures.js';

test.describe.configure({ timeout: 240_000 });

const lines = (trace) => trace.output.map((l) => l.text);

test('a Value incremented under its lock by two processes ends exact, through Process args and Pool initargs', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `from multiprocessing import Pool, Process, Value

def bump(counter, times):
    for _ in range(times):
        with counter.get_lock():  # read and write as one step, with the other process competing
            counter.value += 1

def keep(counter):
    global shared
    shared = counter

def bump_shared(times):
    bump(shared, times)
    return times

if __name__ == "__main__":
    counter = Value("q", 0)
    workers = [Process(target=bump, args=(counter, 3000)) for _ in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    print(counter.value, [p.exitcode for p in workers])
    with Pool(2, initializer=keep, initargs=(counter,)) as pool:
        print(pool.map(bump_shared, [3000, 3000], chunksize=1))
    print(counter.value)
`,
  );
  expect(trace.error).toBeUndefined();
  expect(lines(trace)).toEqual(['6000 [0, 0]', '[3000, 3000]', '12000']);
  // Each bump ran on a process lane of its own, and two of them at the same time at least once.
  const bumps = trace.spans.filter((s) => s.kind === 'cpu' && s.lane.startsWith('process-'));
  expect(new Set(bumps.map((s) => s.lane)).size).toBeGreaterThanOrEqual(2);
});

test('Pool.starmap gives its results in order; two process lanes compute at the same time', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `import time
from multiprocessing import Pool

def burn(seconds, tag):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return tag * 10

if __name__ == "__main__":
    with Pool(processes=2) as pool:
        print(pool.starmap(burn, [(0.4, 1), (0.4, 2), (0.05, 3), (0.05, 4)], chunksize=1))
        print(pool.apply_async(pow, (2, 10)).get())
        print(pool.map(abs, [-1, -2, -3]))
`,
  );
  expect(trace.error).toBeUndefined();
  expect(lines(trace)).toEqual(['[10, 20, 30, 40]', '1024', '[1, 2, 3]']);
  const long = trace.spans.filter(
    (s) => s.task === 'burn' && s.kind === 'cpu' && s.end_ms - s.start_ms > 300,
  );
  expect(long).toHaveLength(2);
  const [a, b] = long;
  expect(a.lane).not.toBe(b.lane);
  expect(Math.max(a.start_ms, b.start_ms)).toBeLessThan(Math.min(a.end_ms, b.end_ms));
  // Pool() returned once both processes were ready: their start-ups end before the first burn starts.
  const startups = trace.spans.filter((s) => s.kind === 'startup');
  expect(startups).toHaveLength(2);
  expect(Math.min(a.start_ms, b.start_ms)).toBeGreaterThanOrEqual(
    Math.max(...startups.map((s) => s.end_ms)) - 0.01,
  );
  expect(
    trace.spans.some((s) => s.lane === 'python' && s.label === "waiting for the pool's processes to start"),
  ).toBe(true);
});

test('a Value pickled into a task raises CPython’s RuntimeError; Array and Lock work', async ({ page }) => {
  await open(page);
  const trace = await runPython(
    page,
    `from multiprocessing import Array, Lock, Pool, Value

def peek(v):
    return v.value

if __name__ == "__main__":
    v = Value("i", 7)
    a = Array("d", [1.5, 2.5, 3.5])
    a[0] = 4
    print(v, v.value, a[:], len(a))
    lock = Lock()
    print(lock.acquire(), lock.acquire(False), lock.acquire(timeout=0.05))
    lock.release()
    with Pool(1) as pool:
        try:
            pool.apply_async(peek, (v,)).get()
        except RuntimeError as error:
            print(type(error).__name__, error)
    try:
        Value("z", 0)
    except TypeError as error:
        print("TypeError", "typecode" in str(error))
`,
  );
  expect(trace.error).toBeUndefined();
  expect(lines(trace)).toEqual([
    '<Synchronized wrapper for c_int(7)> 7 [4.0, 2.5, 3.5] 3',
    'True False False',
    'RuntimeError Synchronized objects should only be shared between processes through inheritance',
    'TypeError True',
  ]);
});

test('the speedup twin prints its lines in CPython’s order, and runs live from its page', async ({
  page,
}) => {
  const twin = 'crate/src/scenarios/speedup/twin.py';
  // Masked figures: the same lines, in the same order, as CPython on this machine.
  const shape = (text) => text.map((line) => line.replace(/[0-9]+(\.[0-9]+)?%?/g, '#'));
  const cpython = execFileSync('python3', [twin, 'scaling', '100000'], { encoding: 'utf8' })
    .trimEnd()
    .split('\n');
  await open(page, '?scenario=speedup');
  const browser = await runPython(page, readFileSync(twin, 'utf8'), {
    argv: ['scaling', '100000'],
    filename: 'twin.py',
  });
  expect(browser.error).toBeUndefined();
  expect(shape(lines(browser))).toEqual(shape(cpython));
  expect(lines(browser)).toContain('same prime count at every process count: yes');

  // From the page: both variants run (none needs what the browser lacks), each drawn under its Rust run.
  await expect(page.locator('.python-cannot')).toHaveCount(0);
  const before = Number(await page.evaluate(() => document.body.dataset.runs ?? 0));
  await page.locator('#run-python').click();
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, {
    timeout: 200_000,
  });
  await expect(page.locator('.python-status')).toContainText('Python: ran twin.py');
  await expect(page.locator('.python-error')).toBeHidden();
  await expect(page.locator('figure.python-figure')).toHaveCount(2);
  // The first run above had two processes at once: the page started two ahead, and it says they were used.
  await expect(page.locator('.python-status')).toContainText('this page had started ahead');
  await expect(page.locator('.python-status')).not.toContainText('more processes computing at once');
});

const STREAMS = `import logging
import multiprocessing as mp
import sys
from concurrent.futures import ProcessPoolExecutor


def who(task):
    parent = mp.parent_process()
    logging.warning("%s runs in %s", task, mp.current_process().name)
    return f"{task}: {mp.current_process().name}, child of {parent.name}"


def fail(x):
    print(f"failing on {x}", file=sys.stderr, flush=True)
    raise ValueError(f"bad {x}")


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print("parent of the main process:", mp.parent_process())
    with ProcessPoolExecutor(max_workers=1) as pool:
        print(pool.submit(who, "first").result(), flush=True)
    with mp.Pool(1) as pool:
        print(pool.apply(who, ("second",)), flush=True)
    p = mp.Process(target=fail, args=(5,))
    p.start()
    p.join()
    print(p.name, "exit code", p.exitcode)
`;

test('processes print to stderr as CPython’s do, are named as CPython names them, and know their parent', async ({
  page,
}) => {
  // CPython's own output, both streams merged in their order (each process flushes as it writes). A
  // traceback's frames inside multiprocessing itself (_bootstrap, run) and caret lines are left out: the
  // browser's processes start the target from Juggle's code, not from multiprocessing's process module.
  const dir = mkdtempSync(join(tmpdir(), 'juggle-'));
  writeFileSync(join(dir, 'main.py'), STREAMS);
  const merged = execFileSync('bash', ['-c', 'python3 -u main.py 2>&1'], { cwd: dir, encoding: 'utf8' });
  const stderr = execFileSync('bash', ['-c', 'python3 -u main.py 2>&1 >/dev/null'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const comparable = (text) => {
    const kept = [];
    for (const line of text.trimEnd().split('\n')) {
      if (/^\s*[~^]+\s*$/.test(line)) continue;
      if (/^ {2}File ".*multiprocessing\/process\.py"/.test(line)) {
        kept.push('<multiprocessing frame>');
        continue;
      }
      if (kept.at(-1) === '<multiprocessing frame>') {
        kept.pop(); // the frame's source line
        continue;
      }
      kept.push(line.replaceAll(join(dir, 'main.py'), 'main.py'));
    }
    return kept;
  };
  await open(page);
  const trace = await runPython(page, STREAMS, { filename: 'main.py' });
  expect(trace.error).toBeUndefined();
  expect(lines(trace)).toEqual(comparable(merged));
  expect(trace.output.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(comparable(stderr));
  // Each process's lines are its task's, drawn on its lane.
  expect(trace.output.filter((l) => l.text.startsWith('WARNING:root:')).map((l) => l.task)).toEqual([
    'who',
    'who',
  ]);
});

test.describe('on a page without cross-origin isolation', () => {
  withoutIsolation();
  test('multiprocessing says plainly that it needs shared memory', async ({ page }) => {
    await open(page);
    const trace = await runPython(
      page,
      `from multiprocessing import Lock, Pool, Value

for make in (lambda: Value("i", 1), Lock, lambda: Pool(1)):
    try:
        make()
    except NotImplementedError as error:
        print("NotImplementedError", "shared memory" in str(error))
`,
    );
    expect(trace.error).toBeUndefined();
    expect(lines(trace)).toEqual(Array(3).fill('NotImplementedError True'));
  });
});
