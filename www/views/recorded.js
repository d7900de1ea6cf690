// @ts-check
/**
 * What a scenario page and the Lab share about recorded runs (a trace opened from a file or a link): the
 * "Open a trace" control, and the note on a recorded run's figure saying what it is, when and where it ran.
 * The trace itself is checked by the core (`juggle.reviewTrace`) before any of this sees it.
 */
import { el, formatMs } from '../dom.js';

/** Where a recorded run came from, as its note says it. */
export const FROM = { file: 'from a file', link: 'from a link' };

/**
 * Where a recorded run ran, in words: its date, cores and kind of pool, or the browser's Python (text only).
 * @param {any} trace
 */
export function recordedWhere(trace) {
  const date = new Date(trace.started_at_ms).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const { env } = trace;
  if (env.python)
    return `Recorded ${date} in the browser's Python (CPython ${env.python})${env.hidden ? ', in a hidden tab' : ''}.`;
  const pool =
    env.mode === 'shared-memory'
      ? `a pool of ${env.threads} threads sharing memory`
      : env.mode === 'message-passing'
        ? `${env.threads} message-passing workers`
        : env.mode === 'main-only'
          ? 'the main thread only'
          : `mode “${env.mode}”`;
  return `Recorded ${date} on ${env.cores} ${env.cores === 1 ? 'core' : 'cores'}, ${pool}${env.hidden ? ', in a hidden tab' : ''}.`;
}

/**
 * The note on a recorded run's figure: what it is, when and where it ran, and how to measure afresh.
 * @param {any} trace
 * @param {'file' | 'link'} from
 * @param {HTMLElement | string} afresh a button that runs it here, or a sentence saying why it cannot
 */
export function recordedNote(trace, from, afresh) {
  return el(
    'div',
    { class: 'recorded-note', role: 'note' },
    el('p', {}, el('strong', {}, `Recorded run (${FROM[from]})`), ' ', recordedWhere(trace)),
    el(
      'p',
      {},
      `Its times were measured then, on that machine (total ${formatMs(trace.total_ms)}); nothing ran here. `,
      typeof afresh === 'string' ? el('span', {}, afresh) : afresh,
    ),
  );
}

/**
 * The "Open a trace" control: a file picker whose file goes to `onOpenFile` (recorded-view.js checks it,
 * and shows it on the page it belongs to). Dropping a file anywhere on the page does the same.
 * @param {{ onOpenFile: (file: File) => void }} options
 * @returns {HTMLElement}
 */
export function openTraceControl({ onOpenFile }) {
  const opener = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'file',
      id: 'open-trace',
      accept: '.json,application/json',
      onchange: () => {
        const file = opener.files?.[0];
        opener.value = '';
        if (file) onOpenFile(file);
      },
    })
  );
  return el(
    'div',
    { class: 'open-trace' },
    el(
      'label',
      { for: 'open-trace' },
      'Open a trace (a JSON download of a run; or drop the file on the page): ',
    ),
    opener,
  );
}
