// @ts-check
/**
 * An embed hands each live run's trace to the page that embeds it: after a scenario's variant ran, or a Lab
 * program ended, the embedded page posts
 *
 *   { type: 'juggle:trace', scenario, variant, trace }
 *
 * to `window.parent` (the trace as `juggle.run` / `juggle.runPython` resolve to it, plain data). Only an
 * embed (`embed=1`) inside a frame posts; a recorded run shown from a file or a link is not a run and posts
 * nothing, nor does a run that was refused, stopped or raised. The notebook widget (notebook/, `juggle.widget`)
 * sets its `trace` trait from it, so Python reads the run as a dict. The message goes to any origin
 * (`'*'`): the embedding page chose what runs in the frame, and the run is what it shows anyway.
 */
import { isEmbed } from './url-state.js';

/** The message's `type`. */
export const TRACE_MESSAGE = 'juggle:trace';

/**
 * Posts `trace` to the embedding page when this page is an embed inside a frame; returns whether it did.
 * A trace that cannot be copied into the message (it should not happen: traces are plain data) is dropped
 * with a warning, never thrown into the run's own code path.
 * @param {any} trace a live run's trace (its `scenario` and `variant` name the message)
 * @param {{ search?: string, self?: Window }} [where] the page's query and window (for the tests)
 * @returns {boolean}
 */
export function postTrace(trace, where = {}) {
  const search = where.search ?? location.search;
  const self = where.self ?? window;
  if (!isEmbed(search) || self.parent === self) return false;
  try {
    self.parent.postMessage(
      { type: TRACE_MESSAGE, scenario: trace.scenario, variant: trace.variant, trace },
      '*',
    );
    return true;
  } catch (failure) {
    console.warn(`Juggle: the run's trace could not be sent to the embedding page: ${failure}`);
    return false;
  }
}
