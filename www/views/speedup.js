// @ts-check
/**
 * Draws the `speedup` scenario's result with Observable Plot: measured speedup against threads, the ideal
 * line (speedup = threads) and the Amdahl curve fitted in Rust. Every number comes from the trace.
 */
import { plot as loadedPlot } from './plot.js';
import { asImage } from './timeline.js';

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
