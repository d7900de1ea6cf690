// @ts-check
/**
 * The Lab's prediction: before Run, an optional form (how long, which lines in what order); after the
 * run, a table setting those answers beside what the run measured (`predictionBeside`), in its slot of the
 * See step. A scenario's questions and verdicts are predict.js's: a Lab program has no questions of its
 * own, so the learner says the time and the printed words freely.
 */
import { el, formatMs } from '../dom.js';
import { printedToStdout } from './output-lines.js';

/** @typedef {{ seconds: string, order: string }} Expected what the learner typed, as typed */

/** Words split on white space and commas: how an expected output order is compared. @param {string} text */
const tokens = (text) => text.split(/[\s,]+/).filter(Boolean);

/**
 * What the learner expected beside what happened: a row for the total time when a number was given, a
 * row for the printed words (stdout only) when some were; null when neither was.
 * @param {Expected} expected
 * @param {{ total_ms: number, output: { text: string, stream?: string | null }[] }} trace
 * @returns {HTMLTableElement | null}
 */
export function predictionBeside(expected, trace) {
  const rows = [];
  const seconds = Number(expected.seconds);
  if (expected.seconds.trim() !== '' && Number.isFinite(seconds)) {
    const took = trace.total_ms / 1000;
    rows.push(
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, 'Total time'),
        el('td', {}, `${seconds} s`),
        el('td', {}, formatMs(trace.total_ms)),
        el('td', {}, `off by ${Math.abs(took - seconds).toFixed(2)} s`),
      ),
    );
  }
  if (expected.order.trim() !== '') {
    // What print shows: lines on stderr (logging, warnings, tracebacks) are not compared, only counted.
    const printed = printedToStdout(trace.output).map((line) => line.text);
    const onStderr = trace.output.length - printed.length;
    const want = tokens(expected.order);
    const got = tokens(printed.join(' '));
    const same = want.length === got.length && want.every((w, i) => w === got[i]);
    const apart = onStderr
      ? ` (stdout only: ${onStderr} line${onStderr === 1 ? '' : 's'} on stderr not compared)`
      : '';
    rows.push(
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, 'Output order'),
        el('td', {}, el('code', {}, want.join(' '))),
        el('td', {}, el('code', {}, got.length ? got.join(' ') : '(nothing printed)')),
        el('td', {}, `${same ? 'the same, word for word' : 'different (compared word by word)'}${apart}`),
      ),
    );
  }
  if (!rows.length) return null;
  return el(
    'table',
    { class: 'data lab-prediction-result', id: 'lab-prediction-result' },
    el('caption', {}, 'Your prediction beside this run'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ['', 'you expected', 'this run', ''].map((h, i) =>
          el('th', { scope: 'col' }, i === 3 ? el('span', { class: 'visually-hidden' }, 'comparison') : h),
        ),
      ),
    ),
    el('tbody', {}, rows),
  );
}

/**
 * The "Predict first (optional)" form: the total time and the printed lines. `expected()` reads what is
 * typed now.
 * @param {{ open: boolean }} options `open`: unfolded (the full Lab) or folded (an embed)
 * @returns {{ element: HTMLDetailsElement, expected: () => Expected }}
 */
export function predictionForm({ open }) {
  const seconds = /** @type {HTMLInputElement} */ (
    el('input', { type: 'number', id: 'lab-expect-seconds', min: '0', step: 'any', inputmode: 'decimal' })
  );
  const order = /** @type {HTMLTextAreaElement} */ (
    el('textarea', { id: 'lab-expect-order', rows: 2, spellcheck: 'false' })
  );
  const element = el(
    'details',
    { class: 'lab-predict', open },
    el('summary', {}, 'Predict first (optional)'),
    el(
      'p',
      { class: 'hint' },
      'Before you run it: how long will it take, and in what order will the lines be printed? After the run, your answers are set beside what happened.',
    ),
    el(
      'div',
      { class: 'lab-predict-fields' },
      el('label', { for: 'lab-expect-seconds' }, 'Total time (seconds)'),
      seconds,
      el(
        'label',
        { for: 'lab-expect-order' },
        'Printed lines, in order (words separated by spaces or new lines)',
      ),
      order,
    ),
  );
  return { element, expected: () => ({ seconds: seconds.value ?? '', order: order.value ?? '' }) };
}

/**
 * Where the prediction is set beside a run (`#prediction-slot`): `update(expected, trace)` shows the
 * table for that run, or nothing when `expected` is null (a recorded run: a prediction is about the
 * program in the editor) or holds no answer.
 * @returns {{ element: HTMLElement, update: (expected: Expected | null, trace: any) => void }}
 */
export function predictionSlot() {
  const element = el('div', { id: 'prediction-slot' });
  return {
    element,
    update: (expected, trace) =>
      element.replaceChildren((expected && predictionBeside(expected, trace)) || ''),
  };
}
