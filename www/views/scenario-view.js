// @ts-check
/**
 * A scenario's view: its situation and variants, then the four steps (predict; run, with knobs, progress
 * and Cancel; see, with the timelines, replay and verdicts; understand, with the explanation and the code
 * that ran) and, outside embeds, the Embed panel. The view keeps its own knobs and runs; what outlives it
 * (prediction answers, the time axis choice) is in `session`.
 */
import { el, inSentence, trustedHtml, withCode } from '../dom.js';
import { bringIntoFrame, embedPanel } from './embed-panel.js';
import { postTrace } from './embed-trace.js';
import { loadPlot, plotLoaded } from './plot.js';
import { predictionForm } from './predict.js';
import { pythonTwinPanel } from './python-twin.js';
import { FROM, openTraceControl, recordedNote } from './recorded.js';
import { resultsView } from './results.js';
import { runBatch, runPanel } from './run-control.js';
import { shareControl } from './share.js';
import { legend } from './timeline.js';
import { canRun } from './trace-facts.js';
import { traceLink } from './trace-link.js';
import { scenarioQuery, standaloneUrl } from './url-state.js';

/**
 * Whether the frame is short (720 px or less): MyST's iframe directive gives a 5:3 box (436 px at a normal
 * width), IPython's IFrame 450 px, a slide or an LMS page a 600 px frame; an embed that short folds its
 * variant list and knobs too, to keep Run in the first screen (style.css holds the same bound).
 */
const short = () => globalThis.matchMedia?.('(max-height: 720px)').matches ?? false;

/**
 * `body` folded under `summary` when `fold` (an embed in a short frame), as it is otherwise.
 * @param {boolean} fold
 * @param {string} className
 * @param {string} summary
 * @param {HTMLElement} body
 */
const foldIf = (fold, className, summary, body) =>
  fold ? el('details', { class: className }, el('summary', {}, summary), body) : body;

/** The longest first paragraph of a situation that a short embed shows whole (in characters of text). */
const SHORT_SITUATION_CHARS = 400;

/**
 * Copies of a paragraph's nodes up to the end of its first sentence (a full stop and a space): the knob
 * values in it (`<span data-param>`) stay spans, so they follow the knobs as the original's do.
 * @param {Element} paragraph
 * @returns {Node[]}
 */
export function firstSentence(paragraph) {
  const nodes = [];
  for (const node of paragraph.childNodes) {
    const text = node.textContent ?? '';
    const end = node.nodeType === Node.TEXT_NODE ? text.search(/\.(\s|$)/) : -1;
    if (end >= 0) {
      nodes.push(document.createTextNode(text.slice(0, end + 1)));
      return nodes;
    }
    nodes.push(node.cloneNode(true));
  }
  return nodes;
}

/**
 * What an embed's URL asks of the view besides the scenario and its knobs: `variant=<id>` shows that
 * variant alone (one Run button, the questions about it), `understand=1` opens the Understand step (the
 * explanation and the code), which an embed otherwise folds.
 * @param {string} search `location.search`
 * @param {any} scenario the catalogue entry
 * @returns {{ only: any | null, understand: boolean }}
 */
export function embedOptions(search, scenario) {
  const query = new URLSearchParams(search);
  const wanted = query.get('variant');
  return {
    only: scenario.variants.find((/** @type {any} */ v) => v.id === wanted) ?? null,
    understand: query.get('understand') === '1',
  };
}

/**
 * The prediction questions that still make sense about `variant` alone: those about it, and those about
 * every variant (asked of this one), not those comparing variants (`fastest`).
 * @param {any[]} questions
 * @param {string} variant
 */
export const questionsAbout = (questions, variant) =>
  questions.filter((q) => (q.variant ? q.variant === variant : q.kind !== 'fastest'));

/**
 * The Embed panel of a scenario page: the embed of this scenario with these knobs, all its variants or
 * one, its Understand step folded or open.
 * @param {any} scenario
 * @param {Record<string, unknown>} params the knobs (read on every refresh)
 */
function scenarioEmbedPanel(scenario, params) {
  const variant = /** @type {HTMLSelectElement} */ (
    el(
      'select',
      { id: 'embed-variant', onchange: () => panel.refresh() },
      el('option', { value: '' }, 'every variant'),
      scenario.variants.map((/** @type {any} */ v) => el('option', { value: v.id }, `${v.title} only`)),
    )
  );
  const understand = /** @type {HTMLInputElement} */ (
    el('input', { type: 'checkbox', id: 'embed-understand', onchange: () => panel.refresh() })
  );
  const panel = embedPanel({
    summary: 'Embed this scenario',
    intro:
      'Paste one of these into a course page (LMS, Jupyter, Jupyter Book, Quarto, slides): the frame shows this scenario with these knobs, compactly, with a link back to Juggle. Inside a page that is not cross-origin isolated, parallel variants run on message-passing workers.',
    id: 'embed-scenario',
    choices: [
      el('label', { for: 'embed-variant' }, 'Show '),
      variant,
      el(
        'label',
        {},
        understand,
        ' Open the Understand step (the explanation and the code; folded otherwise)',
      ),
    ],
    parts: () => {
      const query = scenarioQuery(scenario, params, { embed: true });
      if (variant.value) query.set('variant', variant.value);
      if (understand.checked) query.set('understand', '1');
      const chosen = scenario.variants.find((/** @type {any} */ v) => v.id === variant.value);
      return {
        src: new URL(`?${query}`, location.href).href,
        title: `Juggle: ${scenario.title}${chosen ? ` (${chosen.title})` : ''}`,
        height: '40rem',
      };
    },
  });
  return panel;
}

/**
 * One highlighted source (`{ path, html }`, built from the crate) with its caption.
 * @param {string} className
 * @param {string} title
 * @param {{ path: string, html: string }} source
 */
const codeFigure = (className, title, { path, html }) =>
  el(
    'figure',
    { class: className },
    el('figcaption', {}, title ? [el('strong', {}, title), ' '] : null, el('code', {}, path)),
    trustedHtml('div', { class: 'code-block' }, html),
  );

/**
 * The Predict step's body. In an embed it is folded (opened to answer), so that Run sits in the first
 * screen of a frame 600 px tall, the height course platforms give a script-less iframe.
 * @param {import('../types/views.js').PredictQuestion[]} questions
 * @param {any[]} variants
 * @param {import('../types/views.js').Answers} answers
 * @param {boolean} embed
 */
function predictStep(questions, variants, answers, embed) {
  const body = [
    el('p', { class: 'hint' }, 'Answer before you run: the runs below will check each answer.'),
    predictionForm(questions, variants, answers),
  ];
  if (!embed) return body;
  const count = questions.length;
  return el(
    'details',
    { class: 'predict-fold' },
    el('summary', {}, `Predict before you run: ${count} ${count === 1 ? 'question' : 'questions'}`),
    ...body,
  );
}

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
  /** The knobs changed: the router writes the URL; an embed's `variant` and `understand` stay in it. */
  const onParams = (/** @type {Record<string, unknown>} */ knobs) => {
    writeUrl(knobs);
    if (!embed || (!only && !understand)) return;
    const url = new URL(location.href);
    if (only) url.searchParams.set('variant', only.id);
    if (understand) url.searchParams.set('understand', '1');
    history.replaceState(null, '', url.href);
  };
  let traces = new Map();
  /** The Python twin's runs shown (variant id to trace), drawn under the Rust runs of the same variant. */
  let pythonTraces = new Map();
  // Folded in an embed, the explanation stays folded after a run too: the learner opens it.
  let explained = !understand;
  session.answers[scenario.id] ??= {};
  const answers = session.answers[scenario.id];
  const runs = (/** @type {any} */ variant) => canRun(variant);
  const runnable = scenario.variants.filter(runs);
  const here = () => ({ scenario, params });
  /** Where "Open in Juggle" goes: this scenario, these knobs, and the embed's one variant. */
  const openHref = () => {
    const url = new URL(standaloneUrl(location.href, here()));
    if (only) url.searchParams.set('variant', only.id);
    return url.href;
  };
  const panel = runPanel({ onCancel: () => control.abort() });
  /** The recorded runs shown (variant id to where they came from); the others were run here. */
  /** @type {Map<string, 'file' | 'link'>} */
  let recorded = new Map();
  /** The page's link for these knobs (and a variant), outside any iframe. */
  const settingsLink = (/** @type {string | null} */ variant) => {
    const url = new URL(standaloneUrl(location.href, here()));
    if (variant) url.searchParams.set('variant', variant);
    return url.href;
  };
  /** The link carrying the run `trace` in its fragment (refused when too large). */
  const runLink = async (/** @type {any} */ trace) => {
    const knobs = Object.fromEntries(
      scenario.params.map((/** @type {any} */ p) => [p.name, trace.params[p.name]]),
    );
    const base = new URL(standaloneUrl(location.href, { scenario, params: knobs }));
    base.searchParams.set('variant', trace.variant);
    return traceLink(base.href, await juggle.exportTrace(trace, 'json'));
  };
  const extras = (/** @type {any} */ variant, /** @type {any} */ trace) => {
    const from = recorded.get(variant.id) ?? null;
    const share = el(
      'p',
      { class: 'share-row' },
      shareControl({
        label: 'Share',
        description: `Share a link to these settings (${variant.title})`,
        link: () => settingsLink(variant.id),
      }).element,
      shareControl({
        label: 'Share this run',
        description: `Share this run of ${variant.title} in a link (the recorded run travels in the link)`,
        link: () => runLink(trace),
      }).element,
    );
    const note = from
      ? recordedNote(
          trace,
          from,
          runs(variant)
            ? el(
                'button',
                { type: 'button', class: 'run run-afresh', onclick: () => runVariants([variant.id]) },
                `Run ${inSentence(variant.title)} here`,
              )
            : 'This page cannot run this variant (it needs shared memory).',
        )
      : null;
    return { note, share, recorded: from };
  };
  const results = resultsView({
    scenario,
    questions,
    answers,
    runnable,
    juggle,
    extras,
  });
  const explanation = /** @type {HTMLDetailsElement} */ (
    el(
      'details',
      { class: 'explanation', id: 'explanation' },
      el('summary', {}, 'What happens, and why'),
      el(
        'p',
        { class: 'hint happens-note' },
        'The figures in this text describe the default settings on a typical quiet machine; your runs’ own figures are in their charts and summaries above.',
      ),
      trustedHtml('div', { class: 'prose' }, content.happens),
      el('h4', {}, 'The lesson'),
      trustedHtml('div', { class: 'prose lesson' }, content.lesson),
    )
  );
  /**
   * Draws the runs so far; resolves once they are on the page. Charts need Observable Plot, loaded on
   * demand (www/views/plot.js): the first drawing waits for it.
   * @returns {Promise<void>}
   */
  const showResults = () => {
    if ((traces.size || pythonTraces.size) && !plotLoaded())
      return loadPlot().then(showResults, (/** @type {Error} */ failure) => {
        results.results.replaceChildren(el('p', { class: 'error', role: 'alert' }, failure.message));
      });
    const drawn = results.show(traces, session.axis, pythonTraces);
    // The explanation opens when the first results appear; after that the learner decides.
    if (drawn && !explained) {
      explained = true;
      explanation.open = true;
    }
    return Promise.resolve();
  };

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
      pythonTraces.set(variant, trace);
      showResults();
    },
    // A batch has ended once its runs are drawn (the tests and the embed's height wait for that).
    onBatchEnd: () => void showResults().then(onBatchEnd),
  });

  /** @type {HTMLInputElement[]} */
  const inputs = [];
  const knobs = el(
    'form',
    {
      class: 'knobs',
      'aria-label': 'Settings',
      onsubmit: (/** @type {Event} */ event) => event.preventDefault(),
    },
    scenario.params.map((/** @type {any} */ param) => {
      // The range shown is the range enforced: a thread count cannot pass the pool's threads.
      const poolThreads = param.name === 'max_threads' ? juggle.status?.().threads : undefined;
      const max = poolThreads ? Math.min(param.max, poolThreads) : param.max;
      const rangeText = `${param.min}–${max}${poolThreads ? ` (the pool has ${poolThreads} threads)` : ''}`;
      const range = el('span', { class: 'knob-range', id: `range-${param.name}` }, rangeText);
      const input = /** @type {HTMLInputElement} */ (
        el('input', {
          type: 'number',
          name: param.name,
          min: param.min,
          max,
          step: 1,
          value: params[param.name] ?? param.default,
          'aria-describedby': `range-${param.name}`,
          oninput: () => {
            params[param.name] = input.value;
            knobsChanged();
            // The browser's own check of min, max and step flags the box at once; the run is still
            // refused by the core's validation, with its message, if it is started anyway.
            const valid = input.validity.valid && input.value !== '';
            input.setAttribute('aria-invalid', String(!valid));
            range.textContent = valid ? rangeText : `a whole number from ${param.min} to ${max}`;
            // Runs shown side by side always share their settings: new settings clear the old runs. A
            // setting that cannot run clears nothing (the runs and the verdicts stay until a valid one).
            if ((traces.size || pythonTraces.size) && valid) {
              traces = new Map();
              pythonTraces = new Map();
              recorded = new Map();
              showResults();
              panel.status(
                'Settings changed: the earlier runs were cleared, so the runs shown always share their settings.',
              );
            } else if (traces.size) {
              panel.status(
                `${param.label}: not a setting that can run; the runs shown keep the settings they ran with.`,
              );
            }
          },
        })
      );
      inputs.push(input);
      return el(
        'label',
        {},
        el('span', { class: 'knob-label' }, `${param.label}${param.unit ? ` (${param.unit})` : ''}`),
        input,
        range,
      );
    }),
  );

  /** Runs `ids` one after another, unless something runs already. */
  const runVariants = (/** @type {string[]} */ ids) => {
    if (control.busy) return Promise.resolve();
    // Settings the core refuses (out of range, not a whole number) are refused here, before anything
    // starts, with the core's own message: the runs shown, their verdicts and the replay stay.
    for (const id of ids) {
      try {
        juggle.estimate(scenario.id, { ...params, variant: id });
      } catch (error) {
        panel.showError(
          `${/** @type {Error} */ (error).message} Nothing ran; the runs shown keep the settings they ran with.`,
        );
        onBatchEnd();
        return Promise.resolve();
      }
    }
    return control.busyWith(async (signal) => {
      for (const button of buttons) button.disabled = true;
      // The charting library (not part of the first load) is loaded before the first run, not during it:
      // evaluating it on this thread would take the run's own health check's turns (gaps of 30-50 ms
      // measured in count/async on a fresh page). A failure is shown where the charts go.
      if (!plotLoaded()) await loadPlot().catch(() => {});
      // A replay playing now would take main-thread time from the run: its controls go until the run ends.
      results.pauseReplay();
      // The variants of one batch run with the same settings.
      for (const input of inputs) input.disabled = true;
      // In an embed the first run's figure is scrolled into the frame as soon as it is drawn.
      let first = embed;
      try {
        await runBatch({
          ids,
          signal,
          panel,
          titleOf: (id) => scenario.variants.find((/** @type {any} */ v) => v.id === id)?.title ?? id,
          estimate: (id) => juggle.estimate(scenario.id, { ...params, variant: id }),
          run: (id, signal) => juggle.run(scenario.id, { ...params, variant: id }, { signal }),
          onTrace: (id, trace) => {
            traces.set(id, trace);
            recorded.delete(id);
            // A live run: an embed hands its trace to the embedding page (a notebook widget's trace).
            postTrace(trace);
            const drawn = showResults();
            if (first) {
              first = false;
              drawn.then(() =>
                bringIntoFrame(
                  results.results.querySelector(`figure.run-figure[data-variant="${CSS.escape(id)}"]`),
                ),
              );
            }
          },
        });
      } finally {
        for (const button of buttons) button.disabled = button.dataset.unavailable !== undefined;
        for (const input of inputs) input.disabled = false;
        // However the batch ended (a run failed, it was cancelled), the runs so far and their replay return;
        // the batch has ended once they are drawn.
        await showResults();
        onBatchEnd();
      }
    });
  };

  const buttons = /** @type {HTMLButtonElement[]} */ (
    [
      // One variant shown: its own button is the only one.
      only
        ? null
        : el(
            'button',
            {
              type: 'button',
              class: 'run run-all',
              id: 'run-all',
              onclick: () => runVariants(runnable.map((/** @type {any} */ v) => v.id)),
            },
            scenario.variants.every(runs) ? 'Run all variants' : 'Run all variants that can run here',
          ),
      ...scenario.variants.map((/** @type {any} */ variant) =>
        el(
          'button',
          {
            type: 'button',
            class: 'run',
            id: `run-${variant.id}`,
            'data-variant': variant.id,
            disabled: !runs(variant),
            'data-unavailable': !runs(variant),
            title: runs(variant) ? null : 'Needs shared memory, which this page does not have',
            onclick: () => runVariants([variant.id]),
          },
          `Run ${inSentence(variant.title)}`,
        ),
      ),
    ].filter(Boolean)
  );
  const shareSettings = shareControl({
    label: 'Share these settings',
    description: 'Share these settings: a link to this scenario with them',
    link: () => settingsLink(null),
  });
  const embedding = embed ? null : scenarioEmbedPanel(scenario, params);
  /** The knobs changed: the URL, the share link, the embed code and the counts in the prose follow. */
  function knobsChanged() {
    onParams(params);
    followKnobs();
    if (openJuggle) openJuggle.setAttribute('href', openHref());
    shareSettings.reset();
    embedding?.refresh();
  }
  const traceError = el('p', { class: 'error trace-error', id: 'trace-error', role: 'alert', hidden: true });
  const openTrace = openTraceControl({ onOpenFile });
  const unavailable = scenario.variants.filter((/** @type {any} */ v) => !runs(v));
  const unavailableNote = unavailable.length
    ? el(
        'p',
        { class: 'unavailable-note' },
        `${unavailable.map((/** @type {any} */ v) => v.title).join(', ')}: needs threads that share memory, which this page cannot have (it is not cross-origin isolated). `,
        el(
          'a',
          { href: standaloneUrl(location.href, here()), target: '_blank', rel: 'noopener' },
          'Open Juggle in a new tab',
        ),
        ' to run it.',
      )
    : null;
  const variants = el(
    'dl',
    { class: 'variants' },
    scenario.variants.map((/** @type {any} */ v) => [
      el('dt', {}, v.title, ' ', el('code', {}, v.id)),
      el('dd', {}, withCode(v.summary)),
    ]),
  );
  const axisChoice = el(
    'fieldset',
    { class: 'axis-choice' },
    el('legend', {}, 'Time axis'),
    [
      ['shared', 'shared by all runs (compare their lengths)'],
      ['fitted', 'fitted to each run (see short runs in detail)'],
    ].map(([value, text]) =>
      el(
        'label',
        { class: 'choice' },
        el('input', {
          type: 'radio',
          name: 'axis',
          value,
          checked: session.axis === value,
          onchange: () => {
            session.axis = /** @type {'shared' | 'fitted'} */ (value);
            showResults();
          },
        }),
        text,
      ),
    ),
  );
  const code = el(
    'section',
    { class: 'code', 'aria-labelledby': 'code-title' },
    el('h3', { id: 'code-title' }, 'The code'),
    el(
      'div',
      { class: 'code-columns' },
      codeFigure('code-python', 'Python: the same workload', content.python),
      // Python first: the twin is the code a learner reads; the Rust that ran is one click away.
      el(
        'details',
        { class: 'code-rust-fold' },
        el('summary', {}, 'Rust: the code that ran here'),
        codeFigure('code-rust', '', content.rust),
      ),
    ),
  );
  let situation = trustedHtml('div', { class: 'prose situation' }, content.situation);
  if (embed && short()) {
    // A short frame shows the situation's first paragraph; the rest is one click away.
    const rest = [...situation.children].slice(1);
    if (rest.length)
      situation.append(el('details', { class: 'variants-fold' }, el('summary', {}, 'More about it'), rest));
    // A first paragraph of many lines (threads, speedup) would push Run out of the frame: its first
    // sentence stands for it, the whole situation one click away.
    const first = situation.firstElementChild;
    if (first && (first.textContent ?? '').length > SHORT_SITUATION_CHARS)
      situation = el(
        'details',
        { class: 'situation-fold' },
        el('summary', {}, firstSentence(first), ' ', el('span', { class: 'more' }, 'More')),
        situation,
      );
  }
  const openJuggle = embed
    ? el(
        'a',
        { class: 'open-juggle', href: openHref(), target: '_blank', rel: 'noopener' },
        'Open in Juggle ↗',
      )
    : null;
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
    el('h2', { id: 'scenario-title', tabindex: '-1' }, scenario.title, openJuggle),
    situation,
    // One variant: its line is short enough to stay open.
    foldIf(embed && short() && !only, 'variants-fold', `The ${scenario.variants.length} variants`, variants),
    step(1, 'predict', 'Predict', predictStep(questions, scenario.variants, answers, embed)),
    step(
      2,
      'run',
      'Run',
      foldIf(embed && short(), 'knobs-fold', `Settings (${scenario.params.length})`, knobs),
      el('div', { class: 'actions' }, buttons),
      // An embed links out with "Open in Juggle" instead.
      embed ? null : el('p', { class: 'share-row' }, shareSettings.element),
      unavailableNote,
      panel.line,
      panel.error,
      embed ? null : pythonTwin.element,
    ),
    step(
      3,
      'see',
      'See',
      // One variant has no runs to compare on a shared axis; an embed opens no files (Open in Juggle does).
      el('div', { class: 'see-options' }, legend(), only ? null : axisChoice),
      embed ? null : openTrace,
      traceError,
      results.replaySlot,
      results.results,
      results.predictionSlot,
    ),
    understand
      ? step(4, 'understand', 'Understand', explanation, code)
      : step(
          4,
          'understand',
          'Understand',
          explanation,
          el(
            'details',
            { class: 'code-fold' },
            el('summary', {}, 'The code: Python, and the Rust that ran'),
            code,
          ),
        ),
    embedding?.element ?? null,
  );
  /** Every count the prose names (`<span data-param="tasks">`) shows the knob's current value. */
  function followKnobs() {
    for (const node of element.querySelectorAll('[data-param]')) {
      const param = scenario.params.find(
        (/** @type {any} */ p) => p.name === node.getAttribute('data-param'),
      );
      if (!param) continue;
      const value = Number(params[param.name] ?? param.default);
      if (Number.isInteger(value) && value >= param.min && value <= param.max)
        node.textContent = value.toLocaleString('en-GB');
    }
  }
  followKnobs();
  showResults();

  /**
   * Shows a recorded run (checked already: its scenario is this one) beside the runs with the same knobs:
   * the knobs take its parameters, and runs with other settings are cleared.
   * @param {any} trace
   * @param {'file' | 'link'} from
   */
  const showRecorded = (trace, from) => {
    traceError.hidden = true;
    traceError.textContent = '';
    let changed = false;
    for (const input of inputs) {
      const value = String(trace.params[input.name]);
      if (String(params[input.name] ?? input.defaultValue) !== value) changed = true;
      params[input.name] = value;
      input.value = value;
      input.setAttribute('aria-invalid', 'false');
    }
    if (changed) {
      knobsChanged();
      traces = new Map();
      pythonTraces = new Map();
      recorded = new Map();
    }
    traces.set(trace.variant, trace);
    recorded.set(trace.variant, from);
    showResults();
    panel.status(`Showing a recorded run of ${trace.variant} (${FROM[from]}); Run measures it afresh here.`);
    if (!embed)
      results.results.querySelector(`figure[data-variant="${CSS.escape(trace.variant)}"]`)?.scrollIntoView();
  };
  /** Says why a trace could not be shown (as text), in the See step. */
  const showTraceError = (/** @type {string} */ message) => {
    traceError.textContent = message;
    traceError.hidden = false;
  };
  return {
    element,
    showRecorded,
    showTraceError,
    busy: () => control.busy,
    showError: (message) => panel.showError(message),
    runVariants,
    runnable: () => runnable.map((/** @type {any} */ v) => v.id),
  };
}
