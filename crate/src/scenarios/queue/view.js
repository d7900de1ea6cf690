// @ts-check
/**
 * The `queue` scenario's view (found by the build: the content plugin's `virtual:juggle-scenario-parts`).
 * Its extra lane: the queue's length over time, drawn as a step line from the lengths
 * Rust recorded at every put and get (`QueueResult.lengths`), on the same time axis as the run's timeline,
 * with a sentence built from the same run's figures. It only draws; every number comes from the trace.
 */

import { el, formatMs } from '../../../../www/dom.js';
import { plot as loadedPlot } from '../../../../www/views/plot.js';
import { asImage } from '../../../../www/views/timeline.js';

/** @typedef {import('../../../../www/pkg-st/juggle.js').QueueResult} QueueResult */

/**
 * Whether a trace's result is a `queue` run's (it has the lengths and the high-water mark).
 * @param {any} result
 * @returns {result is QueueResult}
 */
export function isQueueResult(result) {
  return Array.isArray(result?.lengths) && typeof result?.high_water === 'number';
}

/**
 * What the chart shows, in words: the high-water mark and when it was first reached, the bound, and the
 * waits at put and get, all from the run's result.
 * @param {QueueResult} result
 */
export function queueLengthWords(result) {
  const bound = result.maxsize === null ? 'no bound' : `a bound of ${result.maxsize}`;
  const items = (/** @type {number} */ n) => `${n} item${n === 1 ? '' : 's'}`;
  return (
    `Queue length over time (${bound}): at most ${items(result.high_water)}, first reached at ` +
    `${formatMs(result.high_water_at_ms)}. The producer waited ${formatMs(result.producer_waited_ms)} at put ` +
    `for room; the ${result.consumers === 1 ? 'consumer' : `${result.consumers} consumers`} waited ` +
    `${formatMs(result.consumers_waited_ms)} at get for items${result.consumers === 1 ? '' : ', added up'}.`
  );
}

/**
 * The queue's length over time as a step chart, or `null` when the trace is not a `queue` run's.
 * Its margins match the timeline's, so that the two time axes line up.
 * @param {any} trace
 * @param {{ xMax: number, width?: number }} options
 * @returns {HTMLElement | null}
 */
export function queueLengthView(trace, { xMax, width = 900 }) {
  const Plot = loadedPlot();
  const result = trace?.result;
  if (!isQueueResult(result) || result.lengths.length === 0) return null;
  const last = result.lengths.at(-1);
  const steps = [...result.lengths, { t_ms: Math.max(last.t_ms, trace.total_ms), length: last.length }];
  const peak = { t_ms: result.high_water_at_ms, length: result.high_water };
  const words = queueLengthWords(result);
  const chart = asImage(
    Plot.plot({
      width,
      height: 150,
      marginLeft: 130,
      marginRight: 150,
      x: { domain: [0, xMax], label: 'time since the run started (ms) →', grid: true },
      y: {
        domain: [0, Math.max(1, result.high_water, result.maxsize ?? 0)],
        label: '↑ items in the queue',
        grid: true,
        nice: true,
      },
      marks: [
        Plot.areaY(steps, {
          x: 't_ms',
          y: 'length',
          curve: 'step-after',
          fill: '#2f6fb3',
          fillOpacity: 0.25,
        }),
        Plot.lineY(steps, { x: 't_ms', y: 'length', curve: 'step-after', stroke: '#2f6fb3' }),
        result.maxsize === null
          ? null
          : Plot.ruleY([result.maxsize], { stroke: '#c2410c', strokeDasharray: '5,4' }),
        result.maxsize === null
          ? null
          : Plot.text([result.maxsize], {
              frameAnchor: 'right',
              y: (/** @type {number} */ d) => d,
              text: () => `maxsize ${result.maxsize}`,
              dx: 8,
              dy: -7,
              textAnchor: 'start',
              fill: '#c2410c',
            }),
        Plot.dot([peak], { x: 't_ms', y: 'length', fill: 'currentColor', r: 3.5 }),
        Plot.text([peak], {
          x: 't_ms',
          y: 'length',
          text: () => `high-water ${result.high_water}`,
          dy: -9,
          fill: 'currentColor',
        }),
        Plot.ruleY([0]),
      ].filter(Boolean),
    }),
  );
  return el(
    'div',
    { class: 'queue-length' },
    el('div', { class: 'chart', role: 'img', 'aria-label': words }, chart),
    el('p', { class: 'run-summary' }, words),
  );
}

/** Under a run's timeline (www/views/results.js): the queue's length on the same time axis. */
export const chart = queueLengthView;
