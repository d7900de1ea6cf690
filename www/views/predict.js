// @ts-check
/**
 * The prediction step: before running, the learner answers the scenario's questions (its
 * `predict.json`, built into the page); after running, each answer is set beside what the run measured.
 * Every verdict comes from the traces shown on the page, never from a stored answer.
 */
import { el, formatMs } from '../dom.js';
import { froze } from './trace-facts.js';

/** @typedef {import('../types/views.js').ShownTrace} ShownTrace */
/** @typedef {import('../types/views.js').PredictQuestion} PredictQuestion */
/** @typedef {import('../types/views.js').OutputPattern} OutputPattern */
/** @typedef {import('../types/views.js').Answers} Answers */
/** @typedef {{ id: string, title: string }} Variant a variant of the catalogue, as the questions name it */
/**
 * A change of one of the prediction form's inputs (each is in the form whenever the learner can change it).
 * @typedef {Event & { target: HTMLInputElement & { form: HTMLFormElement } }} InputEvent
 */
/**
 * The figures of `trace.result` the verdicts read, which the trace format declares only as a scenario's
 * figures by name: a `race` run's counts (crate/src/scenarios/race/pool_job.rs) and a `speedup` run's
 * runs (SpeedupResult, crate/src/scenarios/speedup/mod.rs). Another scenario's result, or a Python twin's,
 * may have none of them.
 * @typedef {{ expected?: number, final?: number, lost?: number,
 *   runs?: { threads: number, speedup: number }[] }} JudgedFigures
 */

/**
 * The result's figures the verdicts read (see `JudgedFigures`).
 * @param {ShownTrace} trace
 */
const figuresOf = (trace) => /** @type {JudgedFigures | null} */ (trace.result);

/**
 * The orders the printed lines fit: `alternating` (each line differs from the next) and `grouped` (equal
 * lines come in one block each). Short output can fit both: "One Two" from a single task.
 */
export function outputPatterns(/** @type {{ output: { text: string }[] }} */ trace) {
  const texts = trace.output.map((line) => line.text);
  const changes = texts.slice(1).filter((text, i) => text !== texts[i]).length;
  /** @type {Set<OutputPattern>} */
  const patterns = new Set();
  if (texts.length > 1 && changes === texts.length - 1) patterns.add('alternating');
  if (changes === new Set(texts).size - 1) patterns.add('grouped');
  return patterns;
}

/** An order of printed lines in words, for a verdict whose lines differ from the choice's words. */
const ORDER_WORDS = {
  alternating: 'the tasks take turns',
  grouped: "each task's lines together",
};

/** A box that answers "none of them" in a question where several variants may be ticked. */
const NONE = 'none';

/**
 * A verdict line: a symbol and a word, so that colour is never the only signal. A miss says why, in the
 * sentence the core computed from the run's trace (`trace.why`), and links to the run's chart (`variant`:
 * the figure's variant id).
 * @param {boolean} ok
 * @param {string} text
 * @param {{ why?: string | null, variant?: string | null }} [miss]
 */
function verdict(ok, text, { why = null, variant = null } = {}) {
  return el(
    'li',
    { class: ok ? 'verdict verdict-ok' : 'verdict verdict-miss' },
    el('span', { class: 'verdict-mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
    el('span', { class: 'visually-hidden' }, ok ? 'As predicted: ' : 'Not as predicted: '),
    text,
    !ok && why ? el('span', { class: 'verdict-why' }, ` Why: ${why}`) : null,
    !ok && variant
      ? [' ', el('a', { href: `#figure-${variant}`, class: 'verdict-chart' }, 'See its chart')]
      : null,
  );
}

/** Two times within this ratio of each other take "about as long" (the lessons' "no faster"). */
export const SAME_WITHIN = 1.25;

/** How time `a` compares with time `b`: `longer`, `shorter` or `same` (within {@link SAME_WITHIN}). */
export function pace(/** @type {number} */ a, /** @type {number} */ b) {
  const ratio = a / Math.max(b, 1e-9);
  if (ratio > SAME_WITHIN) return 'longer';
  if (ratio < 1 / SAME_WITHIN) return 'shorter';
  return 'same';
}

/** @type {Record<'longer' | 'shorter' | 'same', string>} */
const PACE_WORDS = { longer: 'longer than', shorter: 'less time than', same: 'about as long as' };

/**
 * Judges the learner's times, one verdict per variant. What the lessons are about is the comparison
 * (faster or not), so when the learner gave times for two or more variants, a verdict is a tick only if
 * each of their comparisons (longer, shorter, about as long; {@link pace}) is the one the runs measured:
 * a time within 25% is reported but does not tick a wrong comparison, and a time far off does not cross
 * a right one. With one time only, there is nothing to compare: the 25% tolerance decides.
 * @param {{ id: string, title: string, said: number, measured: number }[]} rows
 * @returns {{ id: string, ok: boolean, text: string }[]}
 */
export function judgeTimes(rows) {
  return rows.map((row) => {
    const { said, measured } = row;
    const close = Math.abs(measured - said) <= 0.25 * measured;
    const ratio = measured / Math.max(said, 0.001);
    let how = ' (within 25%)';
    if (!close) how = ratio > 1 ? ` (${ratio.toFixed(1)}× longer)` : ` (${(1 / ratio).toFixed(1)}× shorter)`;
    const others = rows.filter((other) => other !== row);
    const wrong = others.filter((other) => pace(said, other.said) !== pace(measured, other.measured));
    const ok = others.length ? wrong.length === 0 : close;
    let text = `${row.title}: you said ${said} s; it took ${measured.toFixed(2)} s${how}.`;
    for (const other of wrong)
      text += ` You said it would take ${PACE_WORDS[pace(said, other.said)]} ${other.title} (${(said / Math.max(other.said, 0.001)).toFixed(2)}×); it took ${PACE_WORDS[pace(measured, other.measured)]} it (${(measured / Math.max(other.measured, 1e-9)).toFixed(2)}×).`;
    if (ok && !close && others.length)
      text += ` Your comparison with ${others.map((other) => other.title).join(' and ')} is right, and that is what this run is about.`;
    return { id: row.id, ok, text };
  });
}

/**
 * The prediction form for a scenario. `answers` is the object the answers are kept in (it survives
 * re-rendering); the form stays editable, and the comparison after a run reads it.
 * @param {PredictQuestion[]} questions the scenario's questions
 * @param {Variant[]} variants the scenario's variants (id, title)
 * @param {Answers} answers
 */
export function predictionForm(questions, variants, answers) {
  const title = (/** @type {string} */ id) => variants.find((v) => v.id === id)?.title ?? id;
  const fieldsets = questions.map((question, index) => {
    const name = `q${index}`;
    const legend = el('legend', {}, question.prompt);
    /**
     * @param {'radio' | 'checkbox'} type
     * @param {string} value
     * @param {string} label
     */
    const choice = (type, value, label) =>
      el(
        'label',
        { class: 'choice' },
        el('input', {
          type,
          name,
          value,
          // A checkbox's field holds the variants ticked.
          checked:
            type === 'radio'
              ? answers[name] === value
              : value === NONE
                ? /** @type {string[] | undefined} */ (answers[name])?.length === 0
                : /** @type {string[]} */ (answers[name] ?? []).includes(value),
          onchange: (/** @type {InputEvent} */ event) => {
            if (type === 'radio') {
              answers[name] = value;
              return;
            }
            // "None of them" and the variants exclude each other; ticking "none" is an answer too.
            const boxes = [
              .../** @type {NodeListOf<HTMLInputElement>} */ (
                event.target.form.querySelectorAll(`input[name="${name}"]`)
              ),
            ];
            if (event.target.checked)
              for (const box of boxes) if ((value === NONE) !== (box.value === NONE)) box.checked = false;
            const picked = boxes.filter((box) => box.checked && box.value !== NONE).map((box) => box.value);
            const none = boxes.some((box) => box.checked && box.value === NONE);
            answers[name] = picked.length || none ? picked : undefined;
          },
        }),
        label,
      );
    /**
     * @param {string} key
     * @param {string} label
     * @param {string} unit
     * @param {number} step
     */
    const number = (key, label, unit, step) =>
      el(
        'label',
        { class: 'choice number' },
        el('span', {}, label),
        el('input', {
          type: 'number',
          inputmode: 'decimal',
          min: 0,
          step,
          // A number's field holds the number typed.
          value: /** @type {number | undefined} */ (answers[key]) ?? '',
          onchange: (/** @type {InputEvent} */ event) => {
            answers[key] = event.target.value === '' ? undefined : Number(event.target.value);
          },
        }),
        el('span', { class: 'unit' }, unit),
      );
    /** @type {HTMLElement[]} */
    let body;
    switch (question.kind) {
      case 'time':
        body = variants.map((v) => number(`${name}-${v.id}`, v.title, 's', 0.1));
        break;
      case 'fastest':
        body = variants.map((v) => choice('radio', v.id, v.title));
        break;
      case 'stalls':
      case 'lost':
        body = [
          ...variants.map((v) => choice('checkbox', v.id, v.title)),
          choice('checkbox', NONE, 'None of them'),
        ];
        break;
      case 'output':
        body = question.choices.map((c) => choice('radio', c.pattern, c.text));
        break;
      case 'count':
        body = variants.map((v) => number(`${name}-${v.id}`, v.title, '', 1));
        break;
      case 'speedup':
        body = [number(name, `${title(question.variant)}: about`, '× faster', 0.1)];
        break;
      default:
        body = [];
    }
    return el('fieldset', { class: `question question-${question.kind}` }, legend, body);
  });
  return el(
    'form',
    {
      class: 'prediction',
      'aria-label': 'Your prediction',
      onsubmit: (/** @type {Event} */ event) => event.preventDefault(),
    },
    fieldsets,
  );
}

/**
 * Each answered question beside what the runs measured. `traces` maps variant id to trace; questions about
 * variants that have not run yet say so.
 * @param {PredictQuestion[]} questions
 * @param {Variant[]} variants
 * @param {Answers} answers
 * @param {Map<string, ShownTrace>} traces
 * @param {{ ranHere?: boolean }} [options] `ranHere`: false when every run shown was recorded elsewhere (a
 *   file, a link), so that nobody is told they ran it without predicting
 * @returns {HTMLElement | null}
 */
export function predictionResults(questions, variants, answers, traces, { ranHere = true } = {}) {
  const title = (/** @type {string} */ id) => variants.find((v) => v.id === id)?.title ?? id;
  const ran = variants.filter((v) => traces.has(v.id));
  if (!ran.length) return null;
  /** The trace of a variant known to have run (one of `ran`, or checked with `traces.has`). */
  const ranTrace = (/** @type {string} */ id) => /** @type {ShownTrace} */ (traces.get(id));
  /** @type {HTMLElement[]} */
  const items = [];
  const notRun = (/** @type {string[]} */ ids) => `Run ${ids.map(title).join(' and ')} to check this.`;
  /** The trace a question about one variant is judged by; until it exists, says to run that variant. */
  const traceOf = (/** @type {string} */ variant) => {
    if (!traces.has(variant)) items.push(el('li', { class: 'verdict' }, notRun([variant])));
    return traces.get(variant);
  };
  questions.forEach((question, index) => {
    const name = `q${index}`;
    const answer = answers[name];
    switch (question.kind) {
      case 'time': {
        const rows = ran
          .filter((v) => answers[`${name}-${v.id}`] !== undefined)
          .map((v) => ({
            id: v.id,
            title: v.title,
            // A time's field holds the number typed (the filter left out those without one).
            said: /** @type {number} */ (answers[`${name}-${v.id}`]),
            measured: ranTrace(v.id).total_ms / 1000,
          }));
        for (const row of judgeTimes(rows))
          items.push(verdict(row.ok, row.text, { why: ranTrace(row.id).why.time, variant: row.id }));
        break;
      }
      case 'fastest': {
        if (answer === undefined) break;
        // A radio's field holds the variant picked.
        const picked = /** @type {string} */ (answer);
        const missing = variants.filter((v) => !traces.has(v.id)).map((v) => v.id);
        if (missing.length) {
          items.push(el('li', { class: 'verdict' }, `Which is fastest: ${notRun(missing)}`));
          break;
        }
        const fastest = ran.reduce((a, b) => (ranTrace(a.id).total_ms <= ranTrace(b.id).total_ms ? a : b));
        items.push(
          verdict(
            picked === fastest.id,
            `You picked ${title(picked)}; the fastest was ${fastest.title} (${formatMs(ranTrace(fastest.id).total_ms)}).`,
            {
              why: traces.has(picked)
                ? `${title(picked)} took ${formatMs(ranTrace(picked).total_ms)}. ${ranTrace(picked).why.time}`
                : null,
              variant: fastest.id,
            },
          ),
        );
        break;
      }
      case 'stalls':
      case 'lost': {
        if (answer === undefined) break;
        // A checkbox question's field holds the variants ticked.
        const picked = new Set(/** @type {string[]} */ (answer));
        for (const v of ran) {
          const trace = ranTrace(v.id);
          const counts = figuresOf(trace);
          const happened = question.kind === 'stalls' ? froze(trace) : (counts?.lost ?? 0) > 0;
          const what =
            question.kind === 'stalls'
              ? happened
                ? `the health check froze (longest gap ${formatMs(trace.heartbeat.max_gap_ms)})`
                : `the health check kept answering (longest gap ${formatMs(trace.heartbeat.max_gap_ms)})`
              : happened
                ? `${counts?.lost} of ${counts?.expected} updates were lost`
                : `the count was exact (${counts?.final})`;
          const why =
            question.kind === 'stalls'
              ? trace.why.health
              : 'on the chart, see which tasks executed between one read and its write.';
          items.push(
            verdict(
              picked.has(v.id) === happened,
              `${v.title}: you said it would${picked.has(v.id) ? '' : ' not'}; ${what}.`,
              { why, variant: v.id },
            ),
          );
        }
        break;
      }
      case 'count':
        for (const v of ran) {
          // A count's field holds the number typed.
          const said = /** @type {number | undefined} */ (answers[`${name}-${v.id}`]);
          const result = figuresOf(ranTrace(v.id));
          // A race's result has `expected` wherever it has `final` (race/pool_job.rs); a trace opened from
          // outside may lack either, and then has nothing to judge.
          if (said === undefined || result?.final === undefined || result.expected === undefined) continue;
          const close = Math.abs(result.final - said) <= 0.05 * Math.max(1, result.expected);
          items.push(
            verdict(
              close,
              `${v.title}: you said ${said}; the final count was ${result.final} of ${result.expected}${result.lost ? ` (${result.lost} updates lost)` : ''}.`,
              {
                why: result.lost
                  ? 'tasks read the same value before any of them wrote it back, so their writes overwrote each other.'
                  : 'no task could run between another one’s read and its write.',
                variant: v.id,
              },
            ),
          );
        }
        break;
      case 'output': {
        const trace = answer === undefined ? null : traceOf(question.variant);
        if (!trace) break;
        const printed = trace.output.map((line) => line.text).join(' ');
        const said = question.choices.find((c) => c.pattern === answer)?.text;
        const fits = outputPatterns(trace);
        // A radio's field holds the pattern picked: the order is what is judged, and the choices are written
        // for the lesson's settings, so other settings print other lines in the same order.
        const ok = fits.has(/** @type {OutputPattern} */ (answer));
        const sameOrder =
          ok && said !== printed
            ? `: the order you said (${ORDER_WORDS[/** @type {OutputPattern} */ (answer)]})`
            : '';
        items.push(
          verdict(
            ok,
            `${title(question.variant)}: you said “${said}”; it printed “${printed}”${sameOrder}${fits.size > 1 ? ' (with these settings, both answers fit)' : ''}.`,
          ),
        );
        break;
      }
      case 'speedup': {
        const trace = answer === undefined ? null : traceOf(question.variant);
        if (!trace) break;
        // A speedup run's result lists its runs, the last on every thread of the pool (SpeedupResult); a
        // trace opened from outside may have none, and then has nothing to judge.
        const last = /** @type {{ runs?: { threads?: number, speedup?: number }[] } | null} */ (
          trace.result
        )?.runs?.at(-1);
        if (typeof last?.speedup !== 'number' || typeof last.threads !== 'number') break;
        const measured = last.speedup;
        const threads = last.threads;
        const pace =
          measured >= 1
            ? `${measured.toFixed(2)}× faster than on one`
            : `slower than on one (${measured.toFixed(2)}×: ${(1 / measured).toFixed(2)} times the one-thread time)`;
        items.push(
          verdict(
            // A number's field holds the number typed.
            Math.abs(measured - /** @type {number} */ (answer)) <= 0.25 * Math.max(1, measured),
            `${title(question.variant)}: you said ${answer}×; on ${threads} threads it ran ${pace}.`,
            { why: trace.why.time, variant: question.variant },
          ),
        );
        break;
      }
      default:
    }
  });
  if (!items.length) {
    const answered = Object.values(answers).some((answer) => answer !== undefined);
    if (!answered && !ranHere) return null;
    return el(
      'p',
      { class: 'prediction-results empty' },
      answered
        ? 'Your answers are checked once the variants they are about have run.'
        : 'You ran it without predicting. Next time, answer the questions first: a wrong guess you can see is what makes it stick.',
    );
  }
  return el(
    'section',
    { class: 'prediction-results', 'aria-labelledby': 'prediction-results-title' },
    el('h3', { id: 'prediction-results-title' }, 'Your prediction, measured'),
    el('ul', {}, items),
  );
}
