// Bench section: threads under the GIL in the browser's Python (www/python/juggle_threads.py) beside
// CPython's real threads on this machine, the same program (bench/threads.py) in the same bench run: CPU
// work on two threads against one after the other (the GIL's ratio), twenty 0.2 s sleeps on twenty
// threads, and what the switch interval costs a CPU task when another thread only waits (preemption). The
// browser's figures are taken traced (as the Lab runs a program: every hand-off recorded) and untraced.
// Then every twin that uses threads, as its page runs it (traced), beside the same twin under python3: a
// twin that waits within 10% of CPython's time, one that computes within 1.5 times the interpreter's own
// pure-Python slowdown measured in the same run (bench/threads.py's sequential figure), as #26 asks of
// every twin; a twin whose time is its threads' hand-offs (`time.sleep(0)` between read and write) is
// shown with its cost per hand-off beside CPython's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The twins that use threads, what their time is spent on, and their own timing line. `handoffs`: how many
 * GIL hand-offs the variant makes (4 threads x 1,000 updates, each `time.sleep(0)` at least once).
 */
const THREAD_TWINS = [
  { scenario: 'threads', variant: 'cpu-gil', kind: 'computes', time: /2 threads ([0-9.]+) s/ },
  { scenario: 'threads', variant: 'io-gil', kind: 'waits', time: /^io-gil: .*: ([0-9.]+) s/m },
  { scenario: 'threads', variant: 'to-thread', kind: 'waits', time: /^to-thread: ([0-9.]+) s/m },
  {
    scenario: 'race',
    variant: 'thread-race',
    kind: 'hands off',
    time: /^thread-race: ([0-9.]+) s/m,
    handoffs: 4000,
  },
  { scenario: 'race', variant: 'mutex', kind: 'hands off', time: /^mutex: ([0-9.]+) s/m, handoffs: 4000 },
];
const TWIN_RUNS = 3;

/** The figures bench/threads.py prints ("name: 12.3 ms"), by name. */
const figuresOf = (text) =>
  Object.fromEntries([...text.matchAll(/^(\w+): ([0-9.]+) ms$/gm)].map(([, name, ms]) => [name, Number(ms)]));

/** What one interpreter measured: the raw figures and the ratios the budgets hold. */
const judged = (f) => ({
  ...f,
  gil_ratio: f.threads / f.sequential,
  preemption_cost: f.beside / f.alone - 1,
});

export default {
  key: 'python_threads',
  title: "the browser's Python: threads under the GIL beside CPython's",
  async measure({ openPage, log, run, median }) {
    const source = readFileSync('bench/threads.py', 'utf8');
    const { stdout } = await run('python3', ['bench/threads.py']);
    const cpython = judged(figuresOf(stdout));
    const n = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
    const pct = (v) => `${n(100 * v, 1)}%`;
    const page = await openPage('?scenario=threads');
    await page.evaluate(() => window.juggle.runPython('pass'));
    const inBrowser = async (tracer) => {
      const trace = await page.evaluate(
        ([code, t]) => window.juggle.runPython(code, { argv: [], tracer: t }),
        [source, tracer],
      );
      return judged(figuresOf(trace.output.map((line) => line.text).join('\n')));
    };
    const traced = await inBrowser(true);
    const untraced = await inBrowser(false);
    const slowdown = untraced.sequential / cpython.sequential;
    const twins = [];
    for (const twin of THREAD_TWINS) {
      const file = join('crate/src/scenarios', twin.scenario, 'twin.py');
      const code = readFileSync(file, 'utf8');
      const seconds = (text) => Number(text.match(twin.time)?.[1] ?? Number.NaN) * 1000;
      const c = [];
      const b = [];
      for (let i = 0; i <= TWIN_RUNS; i++) {
        const { stdout } = await run('python3', [file, twin.variant]);
        const trace = await page.evaluate(
          ([source, argv, id]) =>
            window.juggle.runPython(source, { argv, filename: 'twin.py', scenario: id }),
          [code, [twin.variant], twin.scenario],
        );
        if (i === 0) continue; // warm-up
        c.push(seconds(stdout));
        b.push(seconds(trace.output.map((line) => line.text).join('\n')));
      }
      const row = { ...twin, time: undefined, cpython_ms: median(c), browser_ms: median(b) };
      row.ratio = row.browser_ms / row.cpython_ms;
      twins.push(row);
      log(
        `  ${twin.scenario} ${twin.variant}: CPython ${n(row.cpython_ms)} ms, browser ${n(row.browser_ms)} ms`,
      );
    }
    await page.close();
    log(
      `  threads: GIL ratio CPython ${n(cpython.gil_ratio, 2)}, browser ${n(traced.gil_ratio, 2)} traced / ${n(untraced.gil_ratio, 2)} untraced; 20 sleeps CPython ${n(cpython.sleeps)} ms, browser ${n(traced.sleeps)} ms`,
    );
    const gilOff = Math.abs(untraced.gil_ratio / cpython.gil_ratio - 1);
    const sleepsOff = Math.abs(traced.sleeps / cpython.sleeps - 1);
    return {
      figures: { cpython, traced, untraced, pure_python_slowdown: slowdown, twins },
      rows: [
        [
          'CPU work on 2 threads / one after the other (the GIL), untraced / traced',
          `${n(untraced.gil_ratio, 2)} / ${n(traced.gil_ratio, 2)}`,
          `CPython ${n(cpython.gil_ratio, 2)} (${n(cpython.threads)} / ${n(cpython.sequential)} ms; browser ${n(untraced.threads)} / ${n(untraced.sequential)} ms)`,
        ],
        [
          'twenty 0.2 s sleeps on twenty threads, traced',
          `${n(traced.sleeps)} ms`,
          `CPython ${n(cpython.sleeps)} ms`,
        ],
        [
          'preemption: a CPU task beside a waiting thread / alone, untraced',
          pct(untraced.preemption_cost),
          `traced ${pct(traced.preemption_cost)}; CPython ${pct(cpython.preemption_cost)}`,
        ],
        ...twins.map((t) => [
          `twin ${t.scenario} ${t.variant} (${t.kind}), traced`,
          `${n(t.browser_ms)} ms`,
          t.handoffs
            ? `CPython ${n(t.cpython_ms)} ms; per hand-off ${n((1000 * t.browser_ms) / t.handoffs)} µs against ${n((1000 * t.cpython_ms) / t.handoffs)} µs`
            : `CPython ${n(t.cpython_ms)} ms (${n(t.ratio, 2)} times; pure Python here ${n(slowdown, 2)} times)`,
        ]),
      ],
      budgets: [
        {
          name: "the GIL's ratio within 10% of CPython's (untraced)",
          value: 100 * gilOff,
          budget: '≤ 10%',
          pass: gilOff <= 0.1,
        },
        {
          name: "twenty 0.2 s sleeps within 10% of CPython's time (traced)",
          value: 100 * sleepsOff,
          budget: '≤ 10%',
          pass: sleepsOff <= 0.1,
        },
        {
          name: 'preemption cost on a CPU-bound task ≤ 5% (untraced)',
          value: 100 * untraced.preemption_cost,
          budget: '≤ 5%',
          pass: untraced.preemption_cost <= 0.05,
        },
        ...twins
          .filter((t) => t.kind === 'waits')
          .map((t) => ({
            name: `twin ${t.scenario} ${t.variant}: within 10% of CPython's time (it waits)`,
            value: 100 * Math.abs(t.ratio - 1),
            budget: '≤ 10%',
            pass: Math.abs(t.ratio - 1) <= 0.1,
          })),
        ...twins
          .filter((t) => t.kind === 'computes')
          .map((t) => ({
            name: `twin ${t.scenario} ${t.variant}: at most 1.5 times the pure-Python slowdown (it computes)`,
            value: t.ratio / slowdown,
            budget: '≤ 1.5',
            pass: t.ratio / slowdown <= 1.5,
          })),
      ],
    };
  },
};
