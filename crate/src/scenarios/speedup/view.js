// @ts-check
/**
 * The `speedup` scenario's view (found by the build: the content plugin's `virtual:juggle-scenario-parts`).
 * It draws the scenario's result with Observable Plot: measured speedup against threads, the ideal
 * line (speedup = threads) and the Amdahl curve fitted in Rust. Every number comes from the trace.
 */
import { el, formatMs } from '../../../../www/dom.js';
import { plot as loadedPlot } from '../../../../www/views/plot.js';
import { asImage } from '../../../../www/views/timeline.js';
import { amdahlCeiling } from '../../../../www/views/trace-facts.js';

/**
 * @param {any} result a `speedup` trace's `result` (`runs`, `amdahl`, `parallel_fraction`)
 * @param {{ width?: number }} options
 * @returns {SVGElement | HTMLElement}
 */
export function speedupChart(result, { width = 560 } = {}) {
  const Plot = loadedPlot();
  const runs = result.runs;
  const maxThreads = Math.max(...runs.map((r) => r.threads));
  const yMax = Math.max(maxThreads, ...runs.map((r) => r.speedup)) * 1.08;
  const ideal = [
    { threads: 1, speedup: 1 },
    { threads: maxThreads, speedup: maxThreads },
  ];
  return asImage(
    Plot.plot({
      width,
      height: 300,
      marginLeft: 50,
      marginRight: 110,
      x: {
        domain: [0.8, maxThreads + 0.2],
        ticks: runs.map((r) => r.threads),
        tickFormat: 'd',
        label: 'threads →',
        grid: true,
      },
      y: { domain: [0, yMax], label: '↑ speedup (× the 1-thread time)', grid: true },
      marks: [
        Plot.line(ideal, { x: 'threads', y: 'speedup', stroke: '#8a9bb0', strokeDasharray: '5,4' }),
        Plot.text([ideal[1]], {
          x: 'threads',
          y: 'speedup',
          text: () => 'ideal',
          dx: 8,
          dy: -8,
          textAnchor: 'start',
          fill: 'currentColor',
        }),
        result.amdahl
          ? Plot.line(result.amdahl, { x: 'threads', y: 'speedup', stroke: '#c2410c', strokeWidth: 1.5 })
          : null,
        result.amdahl
          ? Plot.text([result.amdahl.at(-1)], {
              x: 'threads',
              y: 'speedup',
              text: () => `Amdahl, P = ${result.parallel_fraction.toFixed(2)}`,
              dx: 8,
              dy: 10,
              textAnchor: 'start',
              fill: '#c2410c',
            })
          : null,
        Plot.line(runs, { x: 'threads', y: 'speedup', stroke: '#2f6fb3', strokeWidth: 2 }),
        Plot.dot(runs, {
          x: 'threads',
          y: 'speedup',
          fill: '#2f6fb3',
          r: 4.5,
          symbol: 'square',
          title: (d) => `${d.threads} threads: ${d.ms.toFixed(0)} ms, speedup ${d.speedup.toFixed(2)}×`,
        }),
        Plot.text(runs, {
          x: 'threads',
          y: 'speedup',
          text: (d) => `${d.speedup.toFixed(2)}×`,
          dx: -9,
          textAnchor: 'end',
          fill: 'currentColor',
          fontWeight: 'bold',
        }),
        Plot.ruleY([0]),
      ].filter(Boolean),
    }),
  );
}

/**
 * The `speedup` result: the chart, what it says in words, and its data as a table.
 * @param {{ title: string }} variant
 * @param {any} result
 */
export function speedupFigure(variant, result) {
  const { runs } = result;
  const last = runs.at(-1);
  const p = result.parallel_fraction;
  const counts = runs.length;
  let fraction = `Amdahl's law needs runs at three or more thread counts to be fitted; this run has ${counts === 1 ? 'one' : counts === 2 ? 'two' : counts}, so no curve and no limit are drawn.`;
  if (p !== null) {
    const ceiling = amdahlCeiling(result);
    fraction = `Amdahl's law fitted to these points: a parallel fraction P = ${p.toFixed(2)}`;
    fraction +=
      ceiling !== null
        ? `, so no number of threads could go past ${ceiling.toFixed(1)}×.`
        : ': nearly all of the work ran in parallel.';
  }
  const words =
    `${variant.title}: ${runs.map((/** @type {any} */ r) => `${r.threads} thread${r.threads === 1 ? '' : 's'} ${formatMs(r.ms)} (${r.speedup.toFixed(2)}×)`).join(', ')}. ` +
    `Efficiency on ${last.threads} threads: ${(100 * last.efficiency).toFixed(0)}%. ${fraction} ` +
    `The prime count was ${result.identical ? 'identical at every thread count' : 'NOT identical across thread counts'}.`;
  return el(
    'div',
    { class: 'speedup' },
    el('div', { class: 'chart', role: 'img', 'aria-label': words }, speedupChart(result)),
    el(
      'div',
      {},
      el('p', { class: 'run-summary' }, words),
      el(
        'table',
        { class: 'data' },
        el('caption', {}, 'Measured in this run'),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['threads', 'time', 'speedup', 'efficiency', 'lanes used'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          runs.map((/** @type {any} */ r) =>
            el(
              'tr',
              {},
              el('td', {}, String(r.threads)),
              el('td', {}, formatMs(r.ms)),
              el('td', {}, `${r.speedup.toFixed(2)}×`),
              el('td', {}, `${(100 * r.efficiency).toFixed(0)}%`),
              el('td', {}, String(r.lanes_used)),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * Before a run's list of figures (www/views/results.js): the speedup chart and its table, for a result
 * with `runs` (the Rust runs; the Python twin's result has its own shape).
 * @param {{ title: string }} variant
 * @param {any} trace
 */
export const figures = (variant, trace) => (trace.result?.runs ? speedupFigure(variant, trace.result) : null);
