// @ts-check
/**
 * The Lab's See step: the run's figure in `#results` (results.js's runFigure: timeline, health check,
 * printed lines, downloads) under the health check's definition, the replay control in `#replay-slot`,
 * and what shows before a run, while one runs, and when the charting library does not load. How a figure
 * and its replay are drawn is handed in (`drawRun`), so this module holds only what the Lab adds: the
 * placeholders, the layout, and each figure's extras (`figureExtras`: a recorded run's note, "Share this
 * run").
 */
import { el } from '../dom.js';
import { recordedNote } from './recorded.js';
import { shareControl } from './share.js';
import { heartbeatDefinition } from './trace-facts.js';

/** @typedef {'file' | 'link' | null} RunOrigin where a recorded run came from; null for a run made here */

/**
 * What the Lab adds to a run's figure (runFigure's `extras`): a recorded run's note, and (outside an
 * embed) "Share this run", whose link `runLink` makes.
 * @param {{ trace: any, from: RunOrigin, embed: boolean, runLink: () => Promise<string> }} options
 */
export function figureExtras({ trace, from, embed, runLink }) {
  return {
    note: from
      ? recordedNote(
          trace,
          from,
          'A trace holds the run, not the program: Run runs the program in the editor.',
        )
      : null,
    share: embed
      ? null
      : el(
          'p',
          { class: 'share-row' },
          shareControl({
            label: 'Share this run',
            description: 'Share this run of your program in a link (the recorded run travels in the link)',
            link: runLink,
          }).element,
        ),
    recorded: from,
    engine: 'python',
  };
}

/**
 * The See step's figure and replay. `update(trace, from)` draws a run (complete, or up to an exception or
 * a Stop) and resolves to true, or says why it cannot (the charting library did not load) and resolves
 * to false; `waiting()` says the replay comes back when the run ends.
 * @param {{ loadPlot: () => Promise<unknown>,
 *   drawRun: (trace: any, from: RunOrigin, layout: { xMax: number, width: number }) =>
 *     { figure: HTMLElement, replay: HTMLElement } }} options `loadPlot`: plot.js's; `drawRun`: the run's
 *   figure and its replay control, for a time axis up to `xMax` ms and `width` px
 * @returns {{ results: HTMLElement, replaySlot: HTMLElement, waiting: () => void,
 *   update: (trace: any, from?: RunOrigin) => Promise<boolean> }} two elements, siblings in the See step
 *   (the replay slot sticks to the top of an embed's frame as the results scroll under it)
 */
export function runOutput({ loadPlot, drawRun }) {
  const results = el(
    'div',
    { class: 'results lab-results', id: 'results' },
    el('p', { class: 'hint' }, 'Nothing has run yet: the timeline of your program appears here.'),
  );
  const replaySlot = el('div', { class: 'replay-slot', id: 'replay-slot' });
  return {
    results,
    replaySlot,
    waiting: () =>
      replaySlot.replaceChildren(el('p', { class: 'hint' }, 'Replay comes back when the run ends.')),
    async update(trace, from = null) {
      // Charts need Observable Plot, loaded on demand (www/views/plot.js).
      try {
        await loadPlot();
      } catch (failure) {
        results.replaceChildren(
          el('p', { class: 'error', role: 'alert' }, String(/** @type {Error} */ (failure).message)),
        );
        return false;
      }
      const width = Math.min(1100, Math.max(340, results.clientWidth || 900));
      const xMax = Math.max(1, trace.total_ms) * 1.02;
      const { figure, replay } = drawRun(trace, from, { xMax, width });
      results.replaceChildren(
        el('p', { class: 'hint heartbeat-definition' }, heartbeatDefinition(trace.heartbeat)),
        figure,
      );
      replaySlot.replaceChildren(replay);
      return true;
    },
  };
}
