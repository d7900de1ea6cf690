// @ts-check
/**
 * The See step's parts that are the scenario page's own (results.js draws the figures, their sentences,
 * the replay and the verdicts): the runs shown and their drawing, what each figure adds (its Share buttons,
 * and the note on a recorded run), the time axis choice, and the line saying why a trace could not be shown.
 */
import { el, inSentence } from '../dom.js';
import { loadPlot, plotLoaded } from './plot.js';
import { recordedNote } from './recorded.js';
import { shareControl } from './share.js';

/** @typedef {'file' | 'link'} RecordedFrom */

/**
 * The runs shown, by variant id: those run here, those recorded (and where they came from), and the Python
 * twin's. `draw` hands them to `view` (a resultsView) on the session's axis and resolves once they are on
 * the page; charts need Observable Plot, loaded on demand (www/views/plot.js): the first drawing waits for
 * it, and a failure to load is said where the charts go. `onDrawn` hears how many figures were drawn.
 * @param {{ view: { show: (traces: Map<string, any>, axis: 'shared' | 'fitted',
 *   pythonTraces: Map<string, any>) => number, results: HTMLElement }, axis: () => 'shared' | 'fitted',
 *   onDrawn: (drawn: number) => void, plot?: { loaded: () => boolean, load: () => Promise<unknown> } }} options
 */
export function runsShown({ view, axis, onDrawn, plot = { loaded: plotLoaded, load: loadPlot } }) {
  /** @type {Map<string, any>} */
  let traces = new Map();
  /** @type {Map<string, any>} */
  let pythonTraces = new Map();
  /** @type {Map<string, RecordedFrom>} */
  let recorded = new Map();
  /** @returns {Promise<void>} */
  const draw = () => {
    if ((traces.size || pythonTraces.size) && !plot.loaded())
      return plot.load().then(draw, (/** @type {Error} */ failure) => {
        view.results.replaceChildren(el('p', { class: 'error', role: 'alert' }, failure.message));
      });
    onDrawn(view.show(traces, axis(), pythonTraces));
    return Promise.resolve();
  };
  return {
    draw,
    /** A run made here (it replaces a recorded run of the variant). */
    addRun: (/** @type {string} */ id, /** @type {any} */ trace) => {
      traces.set(id, trace);
      recorded.delete(id);
    },
    /** A recorded run, from a file or a link. */
    addRecorded: (/** @type {string} */ id, /** @type {any} */ trace, /** @type {RecordedFrom} */ from) => {
      traces.set(id, trace);
      recorded.set(id, from);
    },
    /** The Python twin's run of a variant, drawn under its Rust run. */
    addPython: (/** @type {string} */ id, /** @type {any} */ trace) => {
      pythonTraces.set(id, trace);
    },
    /** Forgets every run (new settings: the runs shown always share theirs). */
    clear: () => {
      traces = new Map();
      pythonTraces = new Map();
      recorded = new Map();
    },
    /** Whether any run is shown; `rust` only: whether a run of the scenario itself is. */
    any: ({ rust = false } = {}) => traces.size > 0 || (!rust && pythonTraces.size > 0),
    /** Where a variant's run shown came from, when it is recorded; null when it ran here. */
    from: (/** @type {string} */ id) => recorded.get(id) ?? null,
  };
}

/**
 * What a run's figure adds: its Share buttons (these settings; this run, which travels in the link) and, for
 * a recorded run, the note saying so, with a button running it here (`runAfresh`, null when this page
 * cannot run the variant).
 * @param {{ variant: { id: string, title: string }, trace: any, from: RecordedFrom | null,
 *   runAfresh: (() => void) | null, settingsLink: () => string, runLink: () => Promise<string> }} options
 * @returns {{ note: HTMLElement | null, share: HTMLElement, recorded: RecordedFrom | null }}
 */
export function runExtras({ variant, trace, from, runAfresh, settingsLink, runLink }) {
  const share = el(
    'p',
    { class: 'share-row' },
    shareControl({
      label: 'Share',
      description: `Share a link to these settings (${variant.title})`,
      link: settingsLink,
    }).element,
    shareControl({
      label: 'Share this run',
      description: `Share this run of ${variant.title} in a link (the recorded run travels in the link)`,
      link: runLink,
    }).element,
  );
  const note = from
    ? recordedNote(
        trace,
        from,
        runAfresh
          ? el(
              'button',
              { type: 'button', class: 'run run-afresh', onclick: runAfresh },
              `Run ${inSentence(variant.title)} here`,
            )
          : 'This page cannot run this variant (it needs shared memory).',
      )
    : null;
  return { note, share, recorded: from };
}

/**
 * The time axis choice: shared by all runs, or fitted to each. `onAxis` gets the choice.
 * @param {{ axis: 'shared' | 'fitted', onAxis: (axis: 'shared' | 'fitted') => void }} options
 * @returns {HTMLElement}
 */
export function axisChoice({ axis, onAxis }) {
  /** @type {['shared' | 'fitted', string][]} */
  const choices = [
    ['shared', 'shared by all runs (compare their lengths)'],
    ['fitted', 'fitted to each run (see short runs in detail)'],
  ];
  return el(
    'fieldset',
    { class: 'axis-choice' },
    el('legend', {}, 'Time axis'),
    choices.map(([value, text]) =>
      el(
        'label',
        { class: 'choice' },
        el('input', {
          type: 'radio',
          name: 'axis',
          value,
          checked: axis === value,
          onchange: () => onAxis(value),
        }),
        text,
      ),
    ),
  );
}

/**
 * The line saying why a trace could not be shown (as text, an alert), hidden until there is something
 * to say; `update(null)` hides it again.
 * @returns {{ element: HTMLElement, update: (message: string | null) => void }}
 */
export function traceErrorLine() {
  const element = el('p', { class: 'error trace-error', id: 'trace-error', role: 'alert', hidden: true });
  return {
    element,
    update: (message) => {
      element.textContent = message ?? '';
      element.hidden = message === null;
    },
  };
}
