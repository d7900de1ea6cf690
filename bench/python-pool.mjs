// Bench section: the browser's Python beyond one interpreter. Its process pool (www/python/juggle_pool.py:
// each process a separate Pyodide in a Worker of its own) on the twins that use one, beside CPython on this
// machine, with each process's start-up measured from its `startup` span (from the request to ready; its
// label says whether it started from the page's memory snapshot); memory per interpreter (its
// WebAssembly memory); and the tracer's own cost on cpu-in-async (the same twin with the tracer's
// sys.monitoring switched off: `juggle.runPython(code, { tracer: false })`); the cost of one asyncio step beside
// CPython's and the pure-Python slowdown (bench/asyncio_steps.py); and the speedup twin (multiprocessing:
// Pool, a shared Value and its cross-process lock) beside CPython, its 1-process time and 2-process speedup.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The twins whose variants use a ProcessPoolExecutor and run in the browser's Python. */
const POOL_TWINS = [
  ['cpu-in-async', 'offload'],
  ['cpu-in-async', 'pool-blocking'],
  ['scraper', 'hybrid'],
  ['timelines', 'parallel'],
];
const RUNS = 3;
const MiB = 1024 * 1024;

/** A twin's own timing line ("<variant>: 1.234 s") in ms, or NaN. */
const ownMs = (lines, variant) => {
  const match = lines.join('\n').match(new RegExp(`^${variant}: ([0-9.]+) s`, 'm'));
  return match ? Number(match[1]) * 1000 : Number.NaN;
};

/** The lines a twin printed, measured times masked (a health check's gap differs by nature). */
const shape = (lines, variant) =>
  lines
    .filter((line) => !line.startsWith(`${variant}: `))
    .map((line) => line.replace(/[0-9]+(\.[0-9]+)? ?(ms|s)\b/g, '#'));

export default {
  key: 'python_pool',
  title: "the browser's Python: process pool, memory per interpreter, tracer overhead",
  async measure({ openPage, median, log, run }) {
    const page = await openPage('?scenario=cpu-in-async');
    const runTwin = (scenario, variant, tracer = true, extra = []) =>
      page.evaluate(
        ([code, argv, id, t]) =>
          window.juggle.runPython(code, { argv, filename: 'twin.py', scenario: id, tracer: t }),
        [
          readFileSync(join('crate/src/scenarios', scenario, 'twin.py'), 'utf8'),
          [variant, ...extra],
          scenario,
          tracer,
        ],
      );
    await page.evaluate(() => window.juggle.runPython('pass'));

    const twins = [];
    const startups = [];
    /** Start-ups by how the interpreter started: `fresh` (the long way), `snapshot`, or `ahead` (started
     * ahead by the page, after an earlier run, and taken by this run's request). */
    const byHow = { fresh: [], snapshot: [], ahead: [] };
    const how = (label) =>
      label.includes('started ahead') ? 'ahead' : label.includes('snapshot') ? 'snapshot' : 'fresh';
    const memory = [];
    for (const [scenario, variant] of POOL_TWINS) {
      const twin = join('crate/src/scenarios', scenario, 'twin.py');
      const cpython = [];
      const browser = [];
      const startup = [];
      let same = true;
      for (let i = 0; i <= RUNS; i++) {
        const { stdout } = await run('python3', [twin, variant], { maxBuffer: 1 << 20 });
        const cLines = stdout.trimEnd().split('\n');
        const trace = await runTwin(scenario, variant);
        const bLines = trace.output.map((line) => line.text);
        if (i === 0) continue; // warm-up
        cpython.push(ownMs(cLines, variant));
        browser.push(ownMs(bLines, variant));
        same &&= JSON.stringify(shape(cLines, variant)) === JSON.stringify(shape(bLines, variant));
        const ups = trace.spans.filter((s) => s.kind === 'startup').map((s) => s.end_ms - s.start_ms);
        startup.push(Math.max(...ups));
        startups.push(...ups);
        for (const s of trace.spans.filter((s) => s.kind === 'startup'))
          byHow[how(s.label)].push(s.end_ms - s.start_ms);
        memory.push(...trace.result.processes.map((p) => p.memory_bytes));
        twins.push({ parent_memory_bytes: trace.result.memory_bytes });
      }
      const row = {
        twin: `${scenario} ${variant}`,
        cpython_ms: median(cpython),
        browser_ms: median(browser),
        slowest_startup_ms: median(startup),
        same_output: same,
      };
      row.browser_without_startup_ms = row.browser_ms - row.slowest_startup_ms;
      twins.push(row);
      log(
        `  ${row.twin}: CPython ${row.cpython_ms.toFixed(0)} ms, browser ${row.browser_ms.toFixed(0)} ms (start-up ${row.slowest_startup_ms.toFixed(0)} ms)`,
      );
    }
    const rows = twins.filter((row) => row.twin);
    const parentMemory = median(
      twins.filter((row) => row.parent_memory_bytes).map((r) => r.parent_memory_bytes),
    );

    // multiprocessing (juggle_mp.py): the speedup twin's own figures (Pool, a shared Value behind a
    // cross-process lock), limit 300,000, beside CPython's: the 1-process time and the 2-process speedup.
    const SPEEDUP_LIMIT = '300000';
    const speedupOf = (lines) => {
      const one = lines.join('\n').match(/^1 process: \d+ primes in ([0-9.]+) s/m);
      const two = lines.join('\n').match(/^2 processes: .* speedup ([0-9.]+)/m);
      return { one_ms: one ? Number(one[1]) * 1000 : Number.NaN, two: two ? Number(two[1]) : Number.NaN };
    };
    const mp = { cpython: [], browser: [], same: true };
    const speedupTwin = 'crate/src/scenarios/speedup/twin.py';
    for (let i = 0; i <= RUNS; i++) {
      const { stdout } = await run('python3', [speedupTwin, 'scaling', SPEEDUP_LIMIT], {
        maxBuffer: 1 << 20,
      });
      const cLines = stdout.trimEnd().split('\n');
      const bLines = (await runTwin('speedup', 'scaling', true, [SPEEDUP_LIMIT])).output.map((l) => l.text);
      if (i === 0) continue;
      mp.cpython.push(speedupOf(cLines));
      mp.browser.push(speedupOf(bLines));
      // Every figure masked (times, speedups, efficiencies, P differ by nature): the lines and their order.
      const masked = (lines) => lines.map((line) => line.replace(/[0-9]+(\.[0-9]+)?/g, '#'));
      mp.same &&= JSON.stringify(masked(cLines)) === JSON.stringify(masked(bLines));
    }
    const mpFigures = Object.fromEntries(
      ['cpython', 'browser'].map((k) => [
        k,
        { one_process_ms: median(mp[k].map((r) => r.one_ms)), speedup_2: median(mp[k].map((r) => r.two)) },
      ]),
    );
    log(
      `  speedup scaling ${SPEEDUP_LIMIT}: CPython 1 process ${mpFigures.cpython.one_process_ms.toFixed(0)} ms, x${mpFigures.cpython.speedup_2} on 2; browser ${mpFigures.browser.one_process_ms.toFixed(0)} ms, x${mpFigures.browser.speedup_2} on 2`,
    );

    // The tracer's cost: cpu-in-async async with and without sys.monitoring, alternating, the twin's own time.
    const on = [];
    const off = [];
    await runTwin('cpu-in-async', 'async', false);
    for (let i = 0; i < 5; i++) {
      on.push(
        ownMs(
          (await runTwin('cpu-in-async', 'async', true)).output.map((l) => l.text),
          'async',
        ),
      );
      off.push(
        ownMs(
          (await runTwin('cpu-in-async', 'async', false)).output.map((l) => l.text),
          'async',
        ),
      );
    }
    // One asyncio step (8,000 `await asyncio.sleep(0)`) and pure-Python work, the same file in CPython and
    // in the browser's Python (CPython's own event loop there, juggle_loop.py), traced and not.
    const stepsFile = 'bench/asyncio_steps.py';
    const stepsCode = readFileSync(stepsFile, 'utf8');
    const stepFigures = (lines) => {
      const text = lines.join('\n');
      const step = text.match(/^step: ([0-9.]+) us/m);
      const pure = text.match(/^pure: ([0-9.]+) ms/m);
      return { step_us: step ? Number(step[1]) : Number.NaN, pure_ms: pure ? Number(pure[1]) : Number.NaN };
    };
    const runSteps = async (tracer) =>
      stepFigures(
        (
          await page.evaluate(
            ([code, t]) => window.juggle.runPython(code, { filename: 'asyncio_steps.py', tracer: t }),
            [stepsCode, tracer],
          )
        ).output.map((l) => l.text),
      );
    const steps = { cpython: [], traced: [], untraced: [] };
    for (let i = 0; i <= RUNS; i++) {
      const { stdout } = await run('python3', [stepsFile]);
      const c = stepFigures(stdout.trimEnd().split('\n'));
      const t = await runSteps(true);
      const u = await runSteps(false);
      if (i === 0) continue;
      steps.cpython.push(c);
      steps.traced.push(t);
      steps.untraced.push(u);
    }
    const stepMedian = (k) => ({
      step_us: median(steps[k].map((r) => r.step_us)),
      pure_ms: median(steps[k].map((r) => r.pure_ms)),
    });
    const asyncioSteps = {
      cpython: stepMedian('cpython'),
      traced: stepMedian('traced'),
      untraced: stepMedian('untraced'),
    };
    asyncioSteps.pure_slowdown = asyncioSteps.untraced.pure_ms / asyncioSteps.cpython.pure_ms;
    asyncioSteps.step_slowdown = asyncioSteps.untraced.step_us / asyncioSteps.cpython.step_us;
    log(
      `  asyncio step: CPython ${asyncioSteps.cpython.step_us} us, browser ${asyncioSteps.untraced.step_us} us (traced ${asyncioSteps.traced.step_us} us); pure-Python slowdown x${asyncioSteps.pure_slowdown.toFixed(2)}`,
    );
    await page.close();
    const overhead = median(on) / median(off) - 1;
    const figures = {
      twins: rows,
      process_startup_ms: {
        median: median(startups),
        max: Math.max(...startups),
        samples: startups.length,
        ...Object.fromEntries(
          Object.entries(byHow).map(([k, v]) => [
            k,
            { median: v.length ? median(v) : null, samples: v.length },
          ]),
        ),
      },
      memory_per_interpreter_bytes: { parent: parentMemory, process_median: median(memory) },
      multiprocessing_speedup_twin: { limit: Number(SPEEDUP_LIMIT), same_output: mp.same, ...mpFigures },
      tracer: { on_ms: median(on), off_ms: median(off), overhead },
      asyncio_steps: asyncioSteps,
    };
    const n = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
    return {
      figures,
      rows: [
        ...rows.map((row) => [
          `pool twin ${row.twin} in the browser's Python`,
          `${n(row.browser_ms)} ms${row.same_output ? '' : ' (output differs)'}`,
          `CPython ${n(row.cpython_ms)} ms; slowest process start-up ${n(row.slowest_startup_ms)} ms, without it ${n(row.browser_without_startup_ms)} ms`,
        ]),
        [
          "a pool process's start-up (request to ready), median / max",
          `${n(figures.process_startup_ms.median)} / ${n(figures.process_startup_ms.max)} ms`,
          `${startups.length} processes after a warm-up run: ${byHow.ahead.length} started ahead by the page (median ${n(figures.process_startup_ms.ahead.median)} ms), ${byHow.snapshot.length} from the page's memory snapshot on request (median ${n(figures.process_startup_ms.snapshot.median)} ms), ${byHow.fresh.length} the long way (median ${n(figures.process_startup_ms.fresh.median)} ms)`,
        ],
        [
          `speedup twin scaling ${SPEEDUP_LIMIT} (multiprocessing Pool, a shared Value and its lock)${mp.same ? '' : ' (output differs)'}`,
          `1 process ${n(mpFigures.browser.one_process_ms)} ms, ${n(mpFigures.browser.speedup_2, 2)}x on 2`,
          `CPython 1 process ${n(mpFigures.cpython.one_process_ms)} ms, ${n(mpFigures.cpython.speedup_2, 2)}x on 2`,
        ],
        [
          'memory per interpreter (its WebAssembly memory)',
          `${n(parentMemory / MiB, 1)} MiB (page's)`,
          `${n(median(memory) / MiB, 1)} MiB per pool process (median)`,
        ],
        [
          "one asyncio step (8,000 await asyncio.sleep(0)) in the browser's Python, untraced / traced",
          `${n(asyncioSteps.untraced.step_us, 1)} / ${n(asyncioSteps.traced.step_us, 1)} us`,
          `CPython ${n(asyncioSteps.cpython.step_us, 1)} us (x${n(asyncioSteps.step_slowdown, 1)}); pure-Python work x${n(asyncioSteps.pure_slowdown, 1)} CPython's`,
        ],
        [
          'tracer on / off, cpu-in-async async',
          `${n(figures.tracer.on_ms)} / ${n(figures.tracer.off_ms)} ms`,
          `overhead ${n(100 * overhead, 1)}%`,
        ],
      ],
      budgets: [
        {
          name: "asyncio step / CPython's ≤ 1.5 x the pure-Python slowdown (untraced)",
          value: asyncioSteps.step_slowdown / asyncioSteps.pure_slowdown,
          budget: '≤ 1.5',
          pass: asyncioSteps.step_slowdown <= 1.5 * asyncioSteps.pure_slowdown,
        },
        {
          name: 'tracer overhead on cpu-in-async ≤ 5%',
          value: 100 * overhead,
          budget: '≤ 5%',
          pass: overhead <= 0.05,
        },
        {
          name: 'speedup twin (multiprocessing): same output as CPython',
          value: mp.same ? 1 : 0,
          budget: 'same lines',
          pass: mp.same,
        },
        ...rows.map((row) => ({
          name: `pool twin ${row.twin}: same output as CPython`,
          value: row.same_output ? 1 : 0,
          budget: 'same lines',
          pass: row.same_output,
        })),
        ...rows.map((row) => ({
          name: `pool twin ${row.twin}: the browser's total / CPython's (start-up included)`,
          value: row.browser_ms / row.cpython_ms,
          budget: '≤ 1.10',
          pass: row.browser_ms <= 1.1 * row.cpython_ms,
        })),
      ],
    };
  },
};
