// @ts-check
/**
 * A scenario's view: its situation and variants, then the four steps (predict; run, with knobs, progress
 * and Cancel; see, with the timelines, replay and verdicts; understand, with the explanation and the code
 * that ran) and, outside embeds, the Embed panel. The view keeps its own knobs and runs; what outlives it
 * (prediction answers, the time axis choice) is in `session`.
 */
import { el, trustedHtml } from '../dom.js';
import { embedPanel } from './embed-panel.js';
import { predictionForm } from './predict.js';
import { resultsView } from './results.js';
import { runBatch, runPanel } from './run-control.js';
import { legend } from './timeline.js';
import { canRun } from './trace-facts.js';
import { embedSnippet, standaloneUrl } from './url-state.js';

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
    el('figcaption', {}, el('strong', {}, title), ' ', el('code', {}, path)),
    trustedHtml('div', { class: 'code-block' }, html),
  );

/**
 * The Predict step's body. In an embed it is folded (opened to answer), so that Run sits in the first
 * screen of a frame 600 px tall, the height course platforms give a script-less iframe.
 * @param {any[]} questions
 * @param {any[]} variants
 * @param {object} answers
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
 *   session: { answers: Record<string, object>, axis: 'shared' | 'fitted' },
 *   control: ReturnType<typeof import('./run-control.js').createRunControl>, embed: boolean,
 *   onParams: (params: Record<string, unknown>) => void, onBatchEnd: () => void }} options
 *   `params`: the knobs as the URL set them (the view owns them from here on); `onParams`: the knobs
 *   changed (the router writes the URL); `onBatchEnd`: a batch of runs ended, however
 * @returns {{ element: HTMLElement, showError: (message: string) => void,
 *   runVariants: (ids: string[]) => Promise<void>, runnable: () => string[] }}
 */
export function scenarioView({
  scenario,
  content,
  params,
  juggle,
  session,
  control,
  embed,
  onParams,
  onBatchEnd,
}) {
  let traces = new Map();
  let explained = false;
  session.answers[scenario.id] ??= {};
  const answers = session.answers[scenario.id];
  const mode = juggle.status().mode;
  const runs = (/** @type {any} */ variant) => canRun(variant, mode);
  const runnable = scenario.variants.filter(runs);
  const here = () => ({ scenario, params });
  const panel = runPanel({ onCancel: () => control.abort() });
  const results = resultsView({ scenario, questions: content.questions, answers, runnable, juggle });
  const explanation = /** @type {HTMLDetailsElement} */ (
    el(
      'details',
      { class: 'explanation', id: 'explanation' },
      el('summary', {}, 'What happens, and why'),
      trustedHtml('div', { class: 'prose' }, content.happens),
      el('h4', {}, 'The lesson'),
      trustedHtml('div', { class: 'prose lesson' }, content.lesson),
    )
  );
  const showResults = () => {
    const drawn = results.show(traces, session.axis);
    // The explanation opens when the first results appear; after that the learner decides.
    if (drawn && !explained) {
      explained = true;
      explanation.open = true;
    }
  };

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
      const range = el(
        'span',
        { class: 'knob-range', id: `range-${param.name}` },
        `${param.min}–${param.max}`,
      );
      const input = /** @type {HTMLInputElement} */ (
        el('input', {
          type: 'number',
          name: param.name,
          min: param.min,
          max: param.max,
          step: 1,
          value: params[param.name] ?? param.default,
          'aria-describedby': `range-${param.name}`,
          oninput: () => {
            params[param.name] = input.value;
            onParams(params);
            // Runs shown side by side always share their settings: new settings clear the old runs.
            if (traces.size) {
              traces = new Map();
              showResults();
              panel.status(
                'Settings changed: the earlier runs were cleared, so the runs shown always share their settings.',
              );
            }
            // The browser's own check of min, max and step flags the box at once; the run is still
            // refused by the core's validation, with its message, if it is started anyway.
            input.setAttribute('aria-invalid', String(!input.validity.valid));
            range.textContent = input.validity.valid
              ? `${param.min}–${param.max}`
              : `a whole number from ${param.min} to ${param.max}`;
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
    return control.busyWith(async (signal) => {
      for (const button of buttons) button.disabled = true;
      // A replay playing now would take main-thread time from the run: its controls go until the run ends.
      results.pauseReplay();
      // The variants of one batch run with the same settings.
      for (const input of inputs) input.disabled = true;
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
            showResults();
          },
        });
      } finally {
        for (const button of buttons) button.disabled = button.dataset.unavailable !== undefined;
        for (const input of inputs) input.disabled = false;
        onBatchEnd();
      }
    });
  };

  const buttons = /** @type {HTMLButtonElement[]} */ ([
    el(
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
        `Run ${variant.title.toLowerCase()}`,
      ),
    ),
  ]);
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
      el('dd', {}, v.summary),
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
      codeFigure('code-rust', 'Rust: the code that ran', content.rust),
      codeFigure('code-python', 'Python: the same workload', content.python),
    ),
  );
  const element = el(
    'section',
    { class: 'scenario', 'aria-labelledby': 'scenario-title', 'data-scenario': scenario.id },
    el(
      'h2',
      { id: 'scenario-title', tabindex: '-1' },
      scenario.title,
      embed
        ? el(
            'a',
            {
              class: 'open-juggle',
              href: standaloneUrl(location.href, here()),
              target: '_blank',
              rel: 'noopener',
            },
            'Open in Juggle ↗',
          )
        : null,
    ),
    trustedHtml('div', { class: 'prose situation' }, content.situation),
    variants,
    step(1, 'predict', 'Predict', predictStep(content.questions, scenario.variants, answers, embed)),
    step(
      2,
      'run',
      'Run',
      knobs,
      el('div', { class: 'actions' }, buttons),
      unavailableNote,
      panel.line,
      panel.error,
    ),
    step(
      3,
      'see',
      'See',
      el('div', { class: 'see-options' }, legend(), axisChoice),
      results.replaySlot,
      results.results,
      results.predictionSlot,
    ),
    step(4, 'understand', 'Understand', explanation, code),
    embed ? null : embedPanel(() => embedSnippet(location.href, scenario, params)),
  );
  showResults();
  return {
    element,
    showError: (message) => panel.showError(message),
    runVariants,
    runnable: () => runnable.map((/** @type {any} */ v) => v.id),
  };
}
