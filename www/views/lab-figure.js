// @ts-check
/**
 * How a Lab run is drawn in the See step (lab-output.js's `drawRun`): results.js's figure for the program
 * (`main.py`, "Your program") with the Lab's extras, and the replay control over it, moments read from the
 * core (`juggle.traceAt`). Its "Share this run" link carries the run in a `#trace=` fragment (trace-link.js).
 */
import { FILENAME } from './lab-arguments.js';
import { figureExtras } from './lab-output.js';
import { replayControls } from './replay.js';
import { runFigure } from './results.js';
import { traceLink } from './trace-link.js';

/**
 * The link carrying the run `trace` in its fragment, opening in the Lab (refused when too large).
 * @param {{ exportTrace: (trace: any, format: 'json') => Promise<string> }} juggle
 * @param {any} trace
 */
async function runLink(juggle, trace) {
  const base = new URL(location.href);
  base.search = '?lab=1';
  base.hash = '';
  return traceLink(base.href, await juggle.exportTrace(trace, 'json'));
}

/**
 * The Lab's `drawRun`: a run's figure and its replay control.
 * @param {{ juggle: any, embed: boolean }} options `juggle`: the API (exportTrace, traceAt)
 * @returns {(trace: any, from: import('./lab-output.js').RunOrigin, layout: { xMax: number, width: number })
 *   => { figure: HTMLElement, replay: HTMLElement }}
 */
export function programRunDrawer({ juggle, embed }) {
  return (trace, from, { xMax, width }) => {
    const { figure, plot, readout } = runFigure({ id: FILENAME, title: 'Your program' }, trace, {
      xMax,
      width,
      exportTrace: juggle.exportTrace,
      extras: figureExtras({ trace, from, embed, runLink: () => runLink(juggle, trace) }),
    });
    const momentOf = (/** @type {any} */ t, /** @type {number} */ at) => juggle.traceAt(t, at);
    return { figure, replay: replayControls({ xMax, runs: [{ plot, readout, trace }], momentOf }) };
  };
}
