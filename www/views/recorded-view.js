// @ts-check
/**
 * Recorded runs, wherever they come from: a trace file picked ("Open a trace") or dropped on the page, or a
 * `#trace=` link (www/views/trace-link.js). Each is read (a file refused unread past the size limit, a link
 * decoded), checked by the core (`juggle.reviewTrace`, which judges it again from its samples), then shown
 * by the view it belongs to: the router takes the page there (its scenario with its knobs, or the Lab) and
 * that view's `showRecorded` draws it. What went wrong is said as text: in the scenario's See step, or on
 * top of any other view. `data-recorded` and `data-trace-errors` on the body count both, for the tests.
 */
import { el } from '../dom.js';
import { decodeTrace, tracePayload } from './trace-link.js';

/** @typedef {import('../types/views.js').Thrown} Thrown */
/** @typedef {'file' | 'link'} RecordedFrom */

/**
 * A view that shows recorded runs: a scenario view (its See step) or the Lab.
 * @typedef {{ showRecorded: (trace: any, from: RecordedFrom) => void | Promise<void> }} RecordedShower
 */

/**
 * The recorded runs of a page.
 * @param {{ app: HTMLElement, juggle: { reviewTrace: (text: string) => Promise<any>,
 *   traceLimits: () => { file_bytes: number } }, busy: () => boolean,
 *   viewFor: (trace: any) => Promise<RecordedShower | null>,
 *   errorView: () => { showTraceError: (message: string) => void } | null, body?: HTMLElement }} options
 *   `app` is where views go; `busy` whether a run is in progress (a recorded run waits for none);
 *   `viewFor` takes the page to where a checked trace belongs (the router) and resolves to the view shown
 *   there, or null if none could be; `errorView` is the scenario view shown, if any, which says errors in
 *   its See step; `body` carries the counts (the page's body)
 * @returns {{ openFile: (file: File) => Promise<void>, openLink: (hash?: string) => Promise<boolean>,
 *   listenForDrops: () => void }}
 */
export function recordedRuns({ app, juggle, busy, viewFor, errorView, body = document.body }) {
  /** Adds one to a count on the body. */
  const count = (/** @type {'recorded' | 'traceErrors'} */ name) => {
    body.dataset[name] = String(Number(body.dataset[name] ?? 0) + 1);
  };

  /**
   * Says why a recorded run could not be shown, as text: in the scenario's See step, or on top of the view.
   * @param {string} message
   */
  const traceFailed = (message) => {
    count('traceErrors');
    const view = errorView();
    if (view) {
      view.showTraceError(message);
      return;
    }
    app.querySelector('#trace-error')?.remove();
    app.prepend(el('p', { class: 'error trace-error', id: 'trace-error', role: 'alert' }, message));
  };

  /**
   * Shows a recorded run (a trace's JSON text) where it belongs once the core has checked it; otherwise
   * says what was wrong.
   * @param {string} text
   * @param {RecordedFrom} from
   * @param {string} what how the message names the source, for example `The file "run.json"`
   */
  const openTrace = async (text, from, what) => {
    let trace;
    try {
      trace = await juggle.reviewTrace(text);
    } catch (failure) {
      traceFailed(`${what} cannot be shown: ${/** @type {Thrown} */ (failure)?.message ?? failure}.`);
      return;
    }
    if (busy()) {
      traceFailed(
        `${what} was not opened: a run is in progress. Cancel it (Esc) or wait, then open it again.`,
      );
      return;
    }
    const view = await viewFor(trace);
    if (!view) return;
    await view.showRecorded(trace, from);
    count('recorded');
  };

  /**
   * A trace file picked or dropped: refused unread past the size limit, else read as text and opened.
   * @param {File} file
   */
  const openFile = async (file) => {
    const name = file.name.length > 60 ? `${file.name.slice(0, 60)}…` : file.name;
    const what = `The file “${name}”`;
    const limit = juggle.traceLimits().file_bytes;
    if (file.size > limit) {
      traceFailed(
        `${what} cannot be shown: it is ${(file.size / 1024 / 1024).toFixed(1)} MB, and a trace file may be at most ${limit / 1024 / 1024} MB.`,
      );
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch (failure) {
      traceFailed(`${what} could not be read (${/** @type {Thrown} */ (failure)?.message ?? failure}).`);
      return;
    }
    await openTrace(text, 'file', what);
  };

  /**
   * A `#trace=` link: its run decoded and opened. Resolves to whether the fragment held one (nothing
   * happens for other fragments).
   * @param {string} [hash] the page's fragment
   */
  const openLink = async (hash = location.hash) => {
    const payload = tracePayload(hash);
    if (payload === null) return false;
    let text;
    try {
      text = await decodeTrace(payload, juggle.traceLimits().file_bytes);
    } catch (failure) {
      traceFailed(
        `The run in this link cannot be shown: ${/** @type {Thrown} */ (failure)?.message ?? failure}.`,
      );
      return true;
    }
    await openTrace(text, 'link', 'The run in this link');
    return true;
  };

  /** Dropping a file anywhere on the page opens it as a trace; the page shows where it may go meanwhile. */
  const listenForDrops = () => {
    const hasFiles = (/** @type {DragEvent} */ event) => event.dataTransfer?.types.includes('Files');
    document.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      document.body.classList.add('dropping');
    });
    document.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) document.body.classList.remove('dropping');
    });
    document.addEventListener('drop', (event) => {
      document.body.classList.remove('dropping');
      if (!hasFiles(event)) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (file) openFile(file);
    });
  };

  return { openFile, openLink, listenForDrops };
}
