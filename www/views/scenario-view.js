// @ts-check
/**
 * A scenario's view: its situation and variants, then the four steps (predict; run, with knobs, progress
 * and Cancel; see, with the timelines, replay and verdicts; understand, with the explanation and the code
 * that ran) and, outside embeds, the Embed panel. It composes the parts in www/views/scenario-*.js and
 * runs the batches; it keeps its own knobs and runs; what outlives it (prediction answers, the time axis
 * choice) is in `session`.
 */
import { el } from '../dom.js';
import { bringIntoFrame } from './embed-panel.js';
import { postTrace } from './embed-trace.js';
import { loadPlot, plotLoaded } from './plot.js';
import { pythonTwinPanel } from './python-twin.js';
import { FROM, openTraceControl } from './recorded.js';
import { resultsView } from './results.js';
import { runPanel } from './run-control.js';
import { batchRunner } from './scenario-batch.js';
import {
  embedOptions,
  foldIf,
  openInJuggle,
  questionsAbout,
  scenarioEmbedPanel,
  short,
  situationView,
  withEmbedOptions,
} from './scenario-embed.js';
import { followKnobs, knobsForm } from './scenario-knobs.js';
import { scenarioLinks } from './scenario-links.js';
import { predictStep } from './scenario-predict.js';
import { axisChoice, runExtras, runsShown, traceErrorLine } from './scenario-results.js';
import { codePanel, explanationFold, understandBody } from './scenario-understand.js';
import { runButtons, unavailableNote, variantList } from './scenario-variants.js';
import { shareControl } from './share.js';
import { legend } from './timeline.js';
import { canRun } from './trace-facts.js';

/**
 * A numbered step of the scenario view: predict, run, see, understand.
 * @param {number} n
 * @param {string} id
 * @param {string} title
 * @param {...any} children
 */
const step = (n, id, title, ...children) =>
  el(
    'section',
    { class: `step step-${id}`, 'aria-labelledby': `step-${id}-title` },
    el('h3', { id: `step-${id}-title` }, el('span', { class: 'step-number' }, `${n}`), title),
    children,
  );

/**
 * Builds a scenario's view.
 * @param {{ scenario: any, content: any, params: Record<string, unknown>, juggle: any,
 *   session: { answers: Record<string, import('../types/views.js').Answers>, axis: 'shared' | 'fitted' },
 *   control: ReturnType<typeof import('./run-control.js').createRunControl>, embed: boolean,
 *   onParams: (params: Record<string, unknown>) => void, onBatchEnd: () => void,
 *   onOpenFile: (file: File) => void }} options
 *   `params`: the knobs as the URL set them (the view owns them from here on); `onParams`: the knobs
 *   changed (the router writes the URL); `onBatchEnd`: a batch of runs ended, however
 *   `onOpenFile`: a trace file was picked (the router checks and shows it)
 * @returns {{ element: HTMLElement, showError: (message: string) => void,
 *   showRecorded: (trace: any, from: 'file' | 'link') => void, showTraceError: (message: string) => void,
 *   busy: () => boolean,
 *   runVariants: (ids: string[]) => Promise<void>, runnable: () => string[] }}
 */
export function scenarioView({
  scenario: whole,
  content,
  params,
  juggle,
  session,
  control,
  embed,
  onParams: writeUrl,
  onBatchEnd,
  onOpenFile,
}) {
  // An embed may show one variant, and keeps the Understand step folded unless asked.
  const { only, understand } = embed
    ? embedOptions(location.search, whole)
    : { only: null, understand: true };
  const scenario = only ? { ...whole, variants: [only] } : whole;
  const questions = only ? questionsAbout(content.questions, only.id) : content.questions;
  const fold = embed && short();
  session.answers[scenario.id] ??= {};
  const answers = session.answers[scenario.id];
  const runnable = scenario.variants.filter(canRun);
  const links = scenarioLinks({ scenario, params, only, exportTrace: juggle.exportTrace });

  const panel = runPanel({ onCancel: () => control.abort() });
  const results = resultsView({
    scenario,
    questions,
    answers,
    runnable,
    juggle,
    extras: (variant, trace) =>
      runExtras({
        variant,
        trace,
        from: runs.from(variant.id),
        runAfresh: canRun(variant) ? () => runVariants([variant.id]) : null,
        settingsLink: () => links.settings(variant.id),
        runLink: () => links.run(trace),
      }),
  });
  // Folded in an embed, the explanation stays folded after a run too: the learner opens it.
  const explanation = explanationFold({ ...content, keepFolded: !understand });
  const runs = runsShown({
    view: results,
    axis: () => session.axis,
    onDrawn: (drawn) => explanation.update({ drawn }),
  });
  const pythonTwin = pythonTwinPanel({
    juggle,
    scenario,
    python: content.python,
    control,
    knobsAtDefaults: () =>
      scenario.params.every(
        (/** @type {any} */ p) => params[p.name] === undefined || Number(params[p.name]) === p.default,
      ),
    onTrace: (variant, trace) => {
      runs.addPython(variant, trace);
      runs.draw();
    },
    // A batch has ended once its runs are drawn (the tests and the embed's height wait for that).
    onBatchEnd: () => void runs.draw().then(onBatchEnd),
  });

  const knobs = knobsForm({
    params: scenario.params,
    values: params,
    poolThreads: juggle.status?.().threads,
    onKnob: (knob, value, valid) => {
      params[knob.name] = value;
      knobsChanged();
      // Runs shown side by side always share their settings: new settings clear the old runs. A setting
      // that cannot run clears nothing (the runs and the verdicts stay until a valid one).
      if (runs.any() && valid) {
        runs.clear();
        runs.draw();
        panel.status(
          'Settings changed: the earlier runs were cleared, so the runs shown always share their settings.',
        );
      } else if (runs.any({ rust: true })) {
        panel.status(
          `${knob.label}: not a setting that can run; the runs shown keep the settings they ran with.`,
        );
      }
    },
  });

  /** Runs `ids` one after another, unless something runs already. */
  const runVariants = batchRunner({
    scenarioId: scenario.id,
    params,
    juggle,
    control,
    panel,
    titleOf: (id) => scenario.variants.find((/** @type {any} */ v) => v.id === id)?.title ?? id,
    lock: (locked) => {
      buttons.update({ running: locked });
      knobs.setDisabled(locked);
    },
    prepare: async () => {
      // The charting library (not part of the first load) is loaded before the first run, not during it:
      // evaluating it on this thread would take the run's own health check's turns (gaps of 30-50 ms
      // measured in count/async on a fresh page). A failure is shown where the charts go.
      if (!plotLoaded()) await loadPlot().catch(() => {});
      // A replay playing now would take main-thread time from the run: its controls go until the run ends.
      results.pauseReplay();
      // In an embed the first run's figure is scrolled into the frame as soon as it is drawn.
      intoFrame = embed;
    },
    onTrace: (id, trace) => {
      runs.addRun(id, trace);
      // A live run: an embed hands its trace to the embedding page (a notebook widget's trace).
      postTrace(trace);
      const drawn = runs.draw();
      if (!intoFrame) return;
      intoFrame = false;
      drawn.then(() =>
        bringIntoFrame(results.results.querySelector(`figure.run-figure[data-variant="${CSS.escape(id)}"]`)),
      );
    },
    redraw: () => runs.draw(),
    onBatchEnd,
  });
  /** Whether the next run's figure is to be scrolled into an embed's frame (the first of a batch). */
  let intoFrame = false;

  const buttons = runButtons({ variants: scenario.variants, alone: Boolean(only), onRun: runVariants });
  const shareSettings = shareControl({
    label: 'Share these settings',
    description: 'Share these settings: a link to this scenario with them',
    link: () => links.settings(null),
  });
  const embedding = embed ? null : scenarioEmbedPanel(scenario, params);
  // "Open in Juggle" goes to this scenario, these knobs, and the embed's one variant.
  const openJuggle = embed ? openInJuggle(links.open()) : null;
  /** The knobs changed: the URL, the share link, the embed code and the counts in the prose follow. */
  function knobsChanged() {
    writeUrl(params);
    // An embed's `variant` and `understand` stay in its URL.
    if (embed && (only || understand))
      history.replaceState(null, '', withEmbedOptions(location.href, { only, understand }));
    followKnobs(element, scenario.params, params);
    openJuggle?.update(links.open());
    shareSettings.reset();
    embedding?.refresh();
  }
  const traceError = traceErrorLine();
  // Whether the header's line about the worker pool matters here: an embed shows it only for a
  // scenario with a variant on the pool (style.css hides it otherwise).
  const usesPool = scenario.variants.some(
    (/** @type {any} */ v) => v.placement === 'pool' || v.placement === 'shared-memory',
  );
  const element = el(
    'section',
    {
      class: 'scenario',
      'aria-labelledby': 'scenario-title',
      'data-scenario': scenario.id,
      'data-uses-pool': String(usesPool),
      'data-variant': only?.id ?? null,
    },
    el('h2', { id: 'scenario-title', tabindex: '-1' }, scenario.title, openJuggle?.element ?? null),
    situationView(content.situation, fold),
    // One variant: its line is short enough to stay open.
    foldIf(
      fold && !only,
      'variants-fold',
      `The ${scenario.variants.length} variants`,
      variantList(scenario.variants),
    ),
    step(1, 'predict', 'Predict', predictStep({ questions, variants: scenario.variants, answers, embed })),
    step(
      2,
      'run',
      'Run',
      foldIf(fold, 'knobs-fold', `Settings (${scenario.params.length})`, knobs.element),
      buttons.element,
      // An embed links out with "Open in Juggle" instead.
      embed ? null : el('p', { class: 'share-row' }, shareSettings.element),
      unavailableNote(scenario.variants, links.settings(null)),
      panel.line,
      panel.error,
      embed ? null : pythonTwin.element,
    ),
    step(
      3,
      'see',
      'See',
      // One variant has no runs to compare on a shared axis; an embed opens no files (Open in Juggle does).
      el(
        'div',
        { class: 'see-options' },
        legend(),
        only
          ? null
          : axisChoice({
              axis: session.axis,
              onAxis: (axis) => {
                session.axis = axis;
                runs.draw();
              },
            }),
      ),
      embed ? null : openTraceControl({ onOpenFile }),
      traceError.element,
      results.replaySlot,
      results.results,
      results.predictionSlot,
    ),
    step(4, 'understand', 'Understand', understandBody(explanation.element, codePanel(content), understand)),
    embedding?.element ?? null,
  );
  followKnobs(element, scenario.params, params);
  runs.draw();

  /**
   * Shows a recorded run (checked already: its scenario is this one) beside the runs with the same knobs:
   * the knobs take its parameters, and runs with other settings are cleared.
   * @param {any} trace
   * @param {'file' | 'link'} from
   */
  const showRecorded = (trace, from) => {
    traceError.update(null);
    const changed = scenario.params.some(
      (/** @type {any} */ p) => String(params[p.name] ?? p.default) !== String(trace.params[p.name]),
    );
    for (const p of scenario.params) params[p.name] = String(trace.params[p.name]);
    knobs.update(params);
    if (changed) {
      knobsChanged();
      runs.clear();
    }
    runs.addRecorded(trace.variant, trace, from);
    runs.draw();
    panel.status(`Showing a recorded run of ${trace.variant} (${FROM[from]}); Run measures it afresh here.`);
    // Its title and the note saying where it came from, just under the replay control where that sticks.
    if (!embed)
      bringIntoFrame(results.results.querySelector(`figure[data-variant="${CSS.escape(trace.variant)}"]`), {
        top: true,
      });
  };
  return {
    element,
    showRecorded,
    showTraceError: (message) => traceError.update(message),
    busy: () => control.busy,
    showError: (message) => panel.showError(message),
    runVariants,
    runnable: () => runnable.map((/** @type {any} */ v) => v.id),
  };
}
