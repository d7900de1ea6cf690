// @ts-check
/**
 * The `io-bound` scenario's view (found by the build: the content plugin's `virtual:juggle-scenario-parts`):
 * the requests in flight over time when only a sample of them has rows, and what the `workers` variant's
 * workers cost, in the words Rust built from the run's figures.
 */
import { el } from '../../../../www/dom.js';
import { inFlightChart } from '../../../../www/views/timeline.js';

/**
 * When only a sample of a run's tasks has rows of its own (thousands of requests), the whole run as
 * requests in flight over time, with the figures Rust measured; `null` otherwise.
 * @param {any} trace
 * @param {{ xMax: number, width: number }} options
 */
export function inFlight(trace, { xMax, width }) {
  const result = trace.result;
  if (!result?.in_flight || !(result.rows_shown < result.requests_made)) return null;
  const words =
    `Requests in flight over time: ${result.requests_made} requests, at most ${result.in_flight_max} at once; ` +
    `${result.rows_shown} of them have rows of their own above.`;
  const chart = inFlightChart(trace, { xMax, width });
  return el(
    'div',
    { class: 'in-flight' },
    el('div', { class: 'chart', role: 'img', 'aria-label': words }, chart),
    el('p', { class: 'run-summary' }, words),
  );
}

/** Under a run's timeline (www/views/results.js). */
export const chart = inFlight;

/**
 * Before a run's list of figures (www/views/results.js): io-bound/workers' cost in words.
 * @param {unknown} _variant
 * @param {any} trace
 */
export const figures = (_variant, trace) =>
  typeof trace.result?.workers_cost === 'string'
    ? el('p', { class: 'run-summary workers-cost' }, trace.result.workers_cost)
    : null;
