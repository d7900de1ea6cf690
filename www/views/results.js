// @ts-check
/**
 * The "See" step's results: one figure per run (caption, timeline, its summary in words, replay readout,
 * the scenario's own figures, printed lines, the spans as a table, downloads), the replay control over
 * them, and the prediction verdicts. Everything measured is read from the traces.
 */

import { browserFigures, labels as RESULT_LABELS, views } from 'virtual:juggle-scenario-parts';
import { el, formatMs } from '../dom.js';
import { downloads } from './downloads.js';
import { outputList, spokenText, stderrCount } from './output-lines.js';
import { predictionResults } from './predict.js';
import { replayControls } from './replay.js';
import { ownAxes, SVG_SPANS, spanTable, timeline } from './timeline.js';
import { froze, heartbeatDefinition, simulatedLabels } from './trace-facts.js';

/** @typedef {import('../types/views.js').ShownTrace} ShownTrace */

/**
 * Says which waits are simulated, when the trace has any.
 * @param {any} trace
 */
function simulatedNote(trace) {
  const labels = simulatedLabels(trace);
  if (!labels.length) return null;
  return el(
    'p',
    { class: 'simulated-note' },
    `Simulated: the waits labelled ${labels.map((l) => `“${l}”`).join(', ')} are timers standing in for a network; the CPU work and all times are real.`,
  );
}

/**
 * Figures about the browser's own machinery rather than the lesson (a Rust future's size, the Rust heap,
 * an interpreter's WebAssembly memory): shown under "How the browser does it", not beside the lesson's.
 * A scenario's labels.json lists them under `"browser"`.
 */
export const BROWSER_FIGURES = new Set(browserFigures);

/**
 * The scenario's own figures (`trace.result`), for example expected, final and lost counts; those in
 * `BROWSER_FIGURES` folded under "How the browser does it".
 * @param {any} result
 */
function resultList(result) {
  const all = Object.entries(result ?? {}).filter(([, value]) =>
    ['number', 'boolean'].includes(typeof value),
  );
  const entries = all.filter(([key]) => !BROWSER_FIGURES.has(key));
  const browser = all.filter(([key]) => BROWSER_FIGURES.has(key));
  if (!all.length) return null;
  /**
   * A figure's name in words (each scenario folder's labels.json, merged by the build with
   * www/views/result-labels.json; a native test checks every figure of a scenario has one).
   */
  const name = (/** @type {string} */ key) =>
    /** @type {Record<string, string>} */ (RESULT_LABELS)[key] ?? key.replaceAll('_', ' ');
  /** A figure as written: thousands separated; a size in bytes also in KiB or MiB. */
  const value = (/** @type {string} */ key, /** @type {any} */ v) => {
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    const written = Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(v < 10 ? 2 : 1);
    if (!key.endsWith('_bytes') || v < 10 * 1024) return written;
    const [size, unit] = v >= 1024 * 1024 ? [v / (1024 * 1024), 'MiB'] : [v / 1024, 'KiB'];
    return `${written} (${size.toFixed(1)} ${unit})`;
  };
  const list = (/** @type {[string, any][]} */ figures) =>
    el(
      'dl',
      { class: 'result' },
      figures.map(([key, number]) =>
        el('div', {}, el('dt', {}, name(key)), el('dd', {}, value(key, number))),
      ),
    );
  if (!browser.length) return list(entries);
  return el(
    'div',
    { class: 'results-figures' },
    entries.length ? list(entries) : null,
    el('details', { class: 'browser-fold' }, el('summary', {}, 'How the browser does it'), list(browser)),
  );
}

/**
 * One run's figure: caption, timeline, its summary in words, replay readout, results, output, data.
 * @param {{ id: string, title: string }} variant
 * @param {ShownTrace} trace
 * @param {{ xMax: number, width: number, exportTrace: any,
 *   extras?: { note: HTMLElement | null, share: HTMLElement | null, recorded: string | null, engine?: string } }} options
 *   `extras`: what the view adds (a recorded run's note, the share controls; `recorded` says where it came
 *   from, for `data-recorded`)
 */
export function runFigure(variant, trace, { xMax, width, exportTrace, extras }) {
  const { heartbeat } = trace;
  /** The scenario folder's view.js (crate/src/scenarios/<id>/view.js), when it has one. */
  const view = /** @type {Record<string, any>} */ (views)[trace.scenario];
  const texts = trace.output.map(spokenText);
  const printed =
    texts.length > 12
      ? `${texts.slice(0, 12).join(' · ')} … (${texts.length} lines in all)`
      : texts.join(' · ');
  const summary =
    `${variant.title}: ${formatMs(trace.total_ms)} in total.` +
    (printed ? ` Printed: ${printed}.` : '') +
    ` Health check: ${
      froze(trace)
        ? `froze ${heartbeat.frozen_gaps.length === 1 ? 'once' : `${heartbeat.frozen_gaps.length} times`} (no beat for ${formatMs(heartbeat.frozen_threshold_ms)} or more)`
        : `never froze (no silence of ${formatMs(heartbeat.frozen_threshold_ms)})`
    }; longest gap ${formatMs(heartbeat.max_gap_ms)}; ${heartbeat.missed} of its ${formatMs(heartbeat.interval_ms)} deadlines missed.`;
  const plot = timeline(trace, { xMax, width });
  const readout = el('div', { class: 'moment', hidden: true });
  const figure = el(
    'figure',
    {
      class: [
        'run-figure',
        extras?.recorded ? 'recorded' : '',
        extras?.engine === 'python' ? 'python-figure' : '',
      ]
        .filter(Boolean)
        .join(' '),
      id: `figure-${variant.id}`,
      'data-variant': variant.id,
      'data-total-ms': trace.total_ms,
      'data-recorded': extras?.recorded ?? null,
      'data-engine': extras?.engine ?? 'rust',
    },
    el(
      'figcaption',
      {},
      el('strong', {}, `${variant.title} `),
      el('code', {}, variant.id),
      el('span', { class: 'total' }, ` total ${formatMs(trace.total_ms)}`),
    ),
    extras?.note ?? null,
    el('div', { class: 'chart', role: 'img', 'aria-label': summary }, plot),
    trace.spans.length > SVG_SPANS
      ? el(
          'p',
          { class: 'hint painted-note' },
          `This run recorded ${trace.spans.length.toLocaleString('en')} spans: the timeline paints them as one picture (no tooltip per bar). The table and the downloads below hold every span.`,
        )
      : null,
    // The scenario's own drawing under the timeline, if its folder has a view.js with a `chart`.
    view?.chart?.(trace, { xMax, width }) ?? null,
    readout,
    el('p', { class: 'run-summary' }, summary),
    // Why it froze, in the core's words (trace.why): on a loaded machine a freeze can come from outside
    // the run, and the chart alone would then seem to contradict the verdict.
    froze(trace) ? el('p', { class: 'run-why' }, `Why: ${trace.why.health}`) : null,
    // A Python twin's run comes after the Rust one it is compared with: how its time went, in the core's
    // words, says why the two differ where they do (a run of many awaits is slower in the browser).
    extras?.engine === 'python' && trace.why?.time
      ? el('p', { class: 'run-why python-why' }, `How its time went: ${trace.why.time}`)
      : null,
    trace.env.hidden
      ? el(
          'p',
          { class: 'hidden-note', role: 'note' },
          'This tab was hidden during the run. Browsers throttle timers in hidden tabs (to about once a second), so these times are not reliable: run it again with the tab in view.',
        )
      : null,
    simulatedNote(trace),
    // The scenario's own figures before the list, if its view.js has `figures`.
    view?.figures?.(variant, trace) ?? null,
    resultList(trace.result),
    trace.output.length
      ? el(
          'details',
          { class: 'output-list', open: trace.output.length <= 12 },
          el('summary', {}, `Printed lines (${trace.output.length}${stderrCount(trace.output)})`),
          outputList(trace.output, `${variant.title} output`),
        )
      : null,
    el(
      'details',
      { class: 'data-table' },
      el(
        'summary',
        {},
        `The timeline as a table (${trace.spans.length} span${trace.spans.length === 1 ? '' : 's'})`,
      ),
      spanTable(trace, `${variant.title}: the spans of the run`),
    ),
    downloads(variant, trace, { exportTrace, chart: () => plot }),
    extras?.share ?? null,
  );
  return { figure, plot, readout, trace };
}

/**
 * The results of a scenario view: the elements the view places (the replay slot, the figures, the
 * prediction verdicts) and `show`, which redraws them for the runs so far.
 * @param {{ scenario: import('../pkg-st/juggle.js').CatalogEntry,
 *   questions: import('../types/views.js').PredictQuestion[],
 *   answers: import('../types/views.js').Answers, runnable: { id: string, title: string }[],
 *   juggle: Pick<import('../types/views.js').Juggle, 'replayOf' | 'exportTrace'>,
 *   extras?: (variant: any, trace: any) => { note: HTMLElement | null, share: HTMLElement | null,
 *     recorded: string | null } }} options `runnable`: the variants that can run on this page (the verdicts
 *   wait only for those); `extras`: what the view adds to each figure (see runFigure)
 */
export function resultsView({ scenario, questions, answers, runnable, juggle, extras }) {
  const replaySlot = el('div', { class: 'replay-slot', id: 'replay-slot' });
  const results = el('div', { class: 'results', id: 'results' });
  const predictionSlot = el('div', { id: 'prediction-slot' });
  /** The core's copies of the runs on screen, for their replay (see `juggle.replayOf`). */
  /** @type {ReturnType<typeof juggle.replayOf>[]} */
  let replays = [];
  /**
   * Draws the runs in `traces` (variant id to trace) on a time axis `shared` by all or `fitted` to each;
   * returns how many figures it drew.
   * @param {Map<string, ShownTrace>} traces
   * @param {'shared' | 'fitted'} axis
   * @param {Map<string, ShownTrace>} [pythonTraces] the Python twin's runs, by the variant they mirror
   */
  const show = (traces, axis, pythonTraces = new Map()) => {
    // The bench times drawing from here to the next paint (User Timing: `juggle-draw`).
    performance.mark('juggle-draw');
    const ran = scenario.variants.filter((v) => traces.has(v.id));
    const all = [...traces.values(), ...pythonTraces.values()];
    const xMax = Math.max(1, ...all.map((t) => t.total_ms)) * 1.02;
    const width = Math.min(1100, Math.max(560, results.clientWidth || 900));
    // A variant whose Rust run and Python run are more than tenfold apart in length (timeline.js's
    // ownAxes): each language's runs share an axis of their own, so neither is a smudge, and the comparison between
    // variants (the lesson) keeps its shared axis.
    const longest = (/** @type {ShownTrace[]} */ runs) => Math.max(1, ...runs.map((t) => t.total_ms)) * 1.02;
    const rustAxis = longest([...traces.values()]);
    const pythonAxis = longest([...pythonTraces.values()]);
    /** The run of a variant known to be there (checked with `has`, or one of the map's keys). */
    const known = (/** @type {ShownTrace | undefined} */ trace) => /** @type {ShownTrace} */ (trace);
    const apart = [...pythonTraces.keys()].some(
      (id) =>
        traces.has(id) && ownAxes([known(traces.get(id)).total_ms, known(pythonTraces.get(id)).total_ms]),
    );
    const fitted = axis === 'fitted';
    const python = new Set(pythonTraces.values());
    /** @param {ShownTrace} trace */
    const axisOf = (trace) => {
      if (fitted) return Math.max(1, trace.total_ms) * 1.02;
      if (apart) return python.has(trace) ? pythonAxis : rustAxis;
      return xMax;
    };
    // Whether any run shown was made on this page (not only recorded ones, from a file or a link).
    let ranHere = false;
    const figures = scenario.variants.flatMap((variant) => {
      const drawn = [];
      const trace = traces.get(variant.id);
      if (trace) {
        const more = extras?.(variant, trace);
        if (!more?.recorded) ranHere = true;
        drawn.push(
          runFigure(variant, trace, {
            xMax: axisOf(trace),
            width,
            exportTrace: juggle.exportTrace,
            extras: more,
          }),
        );
      }
      // The Python twin's run of the same variant, under it on the same axis.
      const twin = pythonTraces.get(variant.id);
      if (twin)
        drawn.push(
          runFigure(
            {
              id: `python:${variant.id}`,
              title: `${variant.title}, Python ${twin.env.python} in this browser`,
            },
            twin,
            {
              xMax: axisOf(twin),
              width,
              exportTrace: juggle.exportTrace,
              extras: { note: null, share: null, recorded: null, engine: 'python' },
            },
          ),
        );
      return drawn;
    });
    // What "frozen" and "missed" mean, once, in the core's own terms and this run's figures.
    const first = ran.length ? traces.get(ran[0].id) : (pythonTraces.values().next().value ?? null);
    results.replaceChildren(
      ...(first
        ? [el('p', { class: 'hint heartbeat-definition' }, heartbeatDefinition(first.heartbeat))]
        : []),
      ...(apart && !fitted
        ? [
            el(
              'p',
              { class: 'hint own-axes' },
              'The Python runs and the Rust runs differ more than tenfold in length, so each language’s runs share a time axis of their own: compare a Python run with a Rust one by the times written on them, not by the widths of their bars.',
            ),
          ]
        : []),
      ...figures.map((f) => f.figure),
    );
    // Each run is read into the core once for its replay (the previous replays' copies are freed).
    for (const replay of replays) replay.free();
    replays = figures.map(({ trace }) => juggle.replayOf(trace));
    const replayOf = new Map(figures.map(({ trace }, i) => [trace, replays[i]]));
    replaySlot.replaceChildren(
      figures.length
        ? replayControls({
            xMax,
            runs: figures.map(({ plot, readout, trace }) => ({ plot, readout, trace })),
            // Asked only about the runs given, each of which has its replay.
            momentOf: (trace, t) => /** @type {(typeof replays)[number]} */ (replayOf.get(trace)).at(t),
          })
        : el('p', { class: 'hint' }, 'Nothing has run yet: the timelines of your runs appear here.'),
    );
    predictionSlot.replaceChildren(
      predictionResults(questions, runnable, answers, traces, { ranHere }) ?? '',
    );
    return figures.length;
  };
  /** While a run is in progress, the replay's place says when it comes back (it would take main-thread time). */
  const pauseReplay = () =>
    replaySlot.replaceChildren(el('p', { class: 'hint' }, 'Replay comes back when the run ends.'));
  return { replaySlot, results, predictionSlot, show, pauseReplay };
}
