// @ts-check
/**
 * What went wrong with a Lab run, under its status line: a Python exception (the sentence naming it and
 * its line, marked in the editor through `mark`, then the traceback as Python printed it), and a run cut
 * short (by a limit, a crash). `failureStatus` is the status line's sentence for a run that did not end.
 */
import { el, formatMs } from '../dom.js';

/**
 * A Python exception as juggle.runPython rejects with it (code `python-error`): the traceback as printed,
 * the exception's name, and the line of the program it was raised at, when known.
 * @typedef {{ message: string, kind?: string | null, line?: number | null }} PythonException
 */

/**
 * The exception and cut-short notes (`#lab-error-line`, `#lab-traceback`, `#lab-truncated`, hidden until
 * used). `showException(exception)` says it and marks its line; `showException(null)` hides it and
 * unmarks the editor. `showCut(reason)` says the run was cut short, or hides that with null.
 * @param {{ mark: (line: number | null) => void }} options `mark`: marks a line of the editor, null none
 * @returns {{ element: HTMLElement, note: HTMLElement, showException: (exception: PythonException | null)
 *   => void, showCut: (reason: string | null | undefined) => void }} `note`: the sentence an embed scrolls to
 */
export function problemPanel({ mark }) {
  const traceback = el('pre', {
    class: 'error python-error lab-traceback',
    id: 'lab-traceback',
    hidden: true,
  });
  const note = el('p', {
    class: 'error lab-error-line',
    id: 'lab-error-line',
    role: 'alert',
    hidden: true,
  });
  const cut = el('p', {
    class: 'error lab-truncated',
    id: 'lab-truncated',
    role: 'note',
    hidden: true,
  });
  return {
    element: el('div', { class: 'lab-problem' }, note, traceback, cut),
    note,
    showException(exception) {
      if (!exception) {
        traceback.hidden = true;
        traceback.textContent = '';
        note.hidden = true;
        mark(null);
        return;
      }
      traceback.textContent = exception.message;
      traceback.hidden = false;
      const raised = `Your program raised ${exception.kind ?? 'an exception'}`;
      if (typeof exception.line === 'number') {
        mark(exception.line);
        note.textContent = `${raised} at line ${exception.line} (marked in the editor). The run up to there is drawn below.`;
      } else note.textContent = `${raised}. The run up to there is drawn below.`;
      note.hidden = false;
    },
    showCut(reason) {
      cut.hidden = !reason;
      cut.textContent = reason ? `Cut short: ${reason}. The timeline shows the run up to there.` : '';
    },
  };
}

/**
 * The status line's sentence for a run of `command` that rejected with `failure` (juggle.runPython's
 * codes: `cancelled` with or without the run so far, `python-error`, `python-crashed` with the run so far;
 * anything else could not run).
 * @param {import('../types/views.js').Thrown} failure
 * @param {string} command the command line, `python main.py ...`
 */
export function failureStatus(failure, command) {
  const f = failure;
  if (f?.code === 'cancelled')
    return f.trace
      ? `Stopped (KeyboardInterrupt) after ${formatMs(f.trace.total_ms)}: the run up to there is drawn below.`
      : 'Stopped: the interpreter did not answer KeyboardInterrupt and was ended, so nothing of the run is kept.';
  if (f?.code === 'python-error') return `${command} raised an exception.`;
  if (f?.code === 'python-crashed' && f.trace)
    return `The program could not finish: ${f.message}. What it printed and did before is drawn below.`;
  return `The program could not run: ${f?.message ?? f}.`;
}
