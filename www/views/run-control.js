// @ts-check
/**
 * Run control: what runs now and how it stops (`createRunControl`, one per page: the start view's
 * pictures and a scenario's variants both run through it), the run line under the Run buttons with its
 * status, progress bar, Cancel button and error (`runPanel`), and a batch of variants run one after
 * another (`runBatch`).
 */
import { el, formatMs, inSentence } from '../dom.js';

/** @typedef {import('../types/views.js').Thrown} Thrown */

/**
 * The page's one "what runs now": `busyWith(work)` marks the page busy while `work(signal)` runs; `abort()`
 * (the Cancel button, Esc, leaving the view) aborts that signal; `settled()` resolves once it has ended.
 */
export function createRunControl() {
  /** @type {AbortController | null} */
  let running = null;
  let busy = false;
  /** @type {Promise<unknown>} */
  let activity = Promise.resolve();
  return {
    get busy() {
      return busy;
    },
    /**
     * @template T
     * @param {(signal: AbortSignal) => Promise<T>} work
     * @returns {Promise<T>} `work`'s promise
     */
    busyWith(work) {
      busy = true;
      const controller = new AbortController();
      running = controller;
      const done = (async () => {
        try {
          return await work(controller.signal);
        } finally {
          if (running === controller) running = null;
          busy = false;
        }
      })();
      activity = done.catch(() => {});
      return done;
    },
    abort() {
      running?.abort();
    },
    settled: () => activity,
  };
}

/** Resolves after the browser had a chance to paint (so "Running…" shows before a blocking run). */
export const nextPaint = () =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => resolve(clearTimeout(timer)), 0));
  });

/** Runs shorter than this show no progress bar (it would only flicker). */
const PROGRESS_AFTER_MS = 300;

/**
 * The run line (status, progress bar and its text, Cancel) and the error under it.
 * @param {{ onCancel: () => void }} options
 */
export function runPanel({ onCancel }) {
  const status = el('p', { class: 'run-status', id: 'run-status', role: 'status' });
  const bar = /** @type {HTMLProgressElement} */ (
    el('progress', { id: 'run-progress', hidden: true, 'aria-label': 'Run progress' })
  );
  // Not a live region: it changes ten times a second. The status above says when runs start and end.
  const text = el('span', { id: 'run-progress-text', class: 'progress-text' });
  const cancel = el(
    'button',
    { type: 'button', id: 'cancel', class: 'cancel', hidden: true, onclick: onCancel },
    'Cancel (Esc)',
  );
  const error = el('p', { class: 'error', id: 'run-error', role: 'alert', hidden: true });
  return {
    line: el('div', { class: 'run-line' }, status, bar, text, cancel),
    error,
    /** @param {string} words */
    status: (words) => {
      status.textContent = words;
    },
    /** @param {string | null} message the error to show, or null to hide it */
    showError: (message) => {
      error.textContent = message ?? '';
      error.hidden = message === null;
    },
    /**
     * Once a run has gone on for PROGRESS_AFTER_MS, shows Cancel and a progress bar measured against the
     * scenario's estimate, updated while the main thread is free. A variant that blocks the main thread
     * freezes the bar too: the text says so, since that is the lesson.
     * @param {number} estimateMs
     */
    progress(estimateMs) {
      const began = performance.now();
      const tick = () => {
        const elapsed = performance.now() - began;
        if (elapsed < PROGRESS_AFTER_MS) return;
        cancel.hidden = false;
        bar.hidden = false;
        if (elapsed <= estimateMs) {
          bar.max = estimateMs;
          bar.value = elapsed;
        } else bar.removeAttribute('value');
        text.textContent = `${formatMs(elapsed)} of about ${formatMs(estimateMs)}. Esc or Cancel stops it; if the bar stops moving, this variant is blocking the main thread (that is part of the lesson).`;
      };
      const timer = setInterval(tick, 100);
      return {
        stop() {
          clearInterval(timer);
          bar.hidden = true;
          text.textContent = '';
          cancel.hidden = true;
        },
      };
    },
    hideCancel: () => {
      cancel.hidden = true;
    },
  };
}

/**
 * Runs variants one after another with the same settings, saying so on `panel`; `onTrace` receives each
 * trace as it comes. Cancelling (code `cancelled`) and failures end the batch with a message.
 * @param {{ ids: string[], signal: AbortSignal, panel: ReturnType<typeof runPanel>,
 *   titleOf: (id: string) => string, estimate: (id: string) => number,
 *   run: (id: string, signal: AbortSignal) => Promise<object>, onTrace: (id: string, trace: object) => void }} batch
 */
export async function runBatch({ ids, signal, panel, titleOf, estimate, run, onTrace }) {
  panel.showError(null);
  let ran = 0;
  /** @type {{ stop(): void } | null} */
  let progress = null;
  try {
    for (const id of ids) {
      panel.status(`Running ${inSentence(titleOf(id))}…`);
      progress = panel.progress(estimate(id));
      await nextPaint();
      const trace = await run(id, signal);
      progress.stop();
      ran += 1;
      onTrace(id, trace);
    }
    panel.status(`Done: ${ids.length === 1 ? 'one variant' : `${ids.length} variants`} ran.`);
  } catch (failure) {
    if (/** @type {Thrown} */ (failure)?.code === 'cancelled') {
      panel.status(`Cancelled${ran ? ` after ${ran} of ${ids.length} variants` : ''}.`);
    } else {
      panel.status('The run did not complete.');
      let message = /** @type {Thrown} */ (failure)?.message ?? String(failure);
      if (/** @type {Thrown} */ (failure)?.code === 'panicked')
        message +=
          ' This is a bug in Juggle, not part of the lesson: the next run works, and a report with the steps that led here helps.';
      panel.showError(message);
    }
  } finally {
    progress?.stop();
    panel.hideCancel();
  }
}
