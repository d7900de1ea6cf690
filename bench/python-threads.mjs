// Bench section: threads under the GIL in the browser's Python (www/python/juggle_threads.py) beside
// CPython's real threads on this machine, the same program (bench/threads.py) in the same bench run: CPU
// work on two threads against one after the other (the GIL's ratio), twenty 0.2 s sleeps on twenty
// threads, and what the switch interval costs a CPU task when another thread only waits (preemption). The
// browser's figures are taken traced (as the Lab runs a program: every hand-off recorded) and untraced.
import { readFileSync } from 'node:fs';

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
  async measure({ openPage, log, run }) {
    const source = readFileSync('bench/threads.py', 'utf8');
    const { stdout } = await run('python3', ['bench/threads.py']);
    const cpython = judged(figuresOf(stdout));
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
    await page.close();
    const n = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
    const pct = (v) => `${n(100 * v, 1)}%`;
    log(
      `  threads: GIL ratio CPython ${n(cpython.gil_ratio, 2)}, browser ${n(traced.gil_ratio, 2)} traced / ${n(untraced.gil_ratio, 2)} untraced; 20 sleeps CPython ${n(cpython.sleeps)} ms, browser ${n(traced.sleeps)} ms`,
    );
    const gilOff = Math.abs(untraced.gil_ratio / cpython.gil_ratio - 1);
    const sleepsOff = Math.abs(traced.sleeps / cpython.sleeps - 1);
    return {
      figures: { cpython, traced, untraced },
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
      ],
    };
  },
};
