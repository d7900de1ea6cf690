// @ts-check
/**
 * The Lab's words around the editor: the introduction, what a link asked for and could not be given,
 * that the program came with a link, what to look for in the example, and what a Lab program can and
 * cannot do.
 */
import { el } from '../dom.js';

/** @typedef {import('./lab-examples.js').LabExample} LabExample */

/** The full Lab's introduction. */
export const labIntro = () =>
  el(
    'p',
    { class: 'lab-intro' },
    'Write or paste a Python program (asyncio welcome). It runs for real in your browser, in CPython 3.14, and every task gets a row on the timeline, with the health check under them: a timer that should beat every 10 ms while the thread is free.',
  );

/**
 * What the link asked for and could not be given (an alert), or null when there is nothing to say.
 * @param {string[]} notices a sentence each
 */
export const noticesBox = (notices) =>
  notices.length
    ? el(
        'div',
        { class: 'error', role: 'alert', id: 'lab-notice' },
        notices.map((n) => el('p', {}, n)),
      )
    : null;

/** Said when the program came with a link: it is shown, and runs only on Run. */
export const fromLinkNote = () =>
  el(
    'p',
    { class: 'hint', id: 'lab-from-link' },
    'This program came with the link you opened; it is shown as text and runs only when you press Run.',
  );

/**
 * "What to look for" in an example: `update(example)` says it for another example and shows it. Hidden
 * at first when `hidden` (a linked program is the sender's: the example's sentence would not be about it).
 * @param {LabExample} example
 * @param {{ hidden: boolean }} options
 * @returns {{ element: HTMLElement, update: (example: LabExample) => void }}
 */
export function lookNote(example, { hidden }) {
  const element = el('p', { class: 'lab-look', id: 'lab-look' });
  const update = (/** @type {LabExample} */ chosen) => {
    element.replaceChildren(el('strong', {}, 'What to look for: '), chosen.look);
    element.dataset.runs = String(chosen.runs);
    element.hidden = false;
  };
  update(example);
  element.hidden = hidden;
  return { element, update };
}

/** What a Lab program can and cannot do, folded. */
export const labLimits = () =>
  el(
    'details',
    { class: 'lab-limits' },
    el('summary', {}, 'What a Lab program can and cannot do'),
    el(
      'ul',
      {},
      el(
        'li',
        {},
        'It runs in CPython 3.14 compiled to WebAssembly (Pyodide), in a worker of its own, with the standard library (asyncio included) and nothing else installed.',
      ),
      el(
        'li',
        {},
        'Threads work as in CPython, under one GIL: threading, queue, ThreadPoolExecutor, asyncio.to_thread; one thread runs Python at a time, switched every sys.getswitchinterval() (5 ms) or when it waits. Free-threaded Python (3.13t, 3.14t, no GIL) cannot run here: “Threads and the GIL”’s variant “CPU work on threads, no GIL” shows what it changes. Subprocesses are refused with a message; such programs need python3 on your machine. Processes work: concurrent.futures.ProcessPoolExecutor and multiprocessing’s Pool, Process, Queue, Pipe, Value, Array, the locks, Event, Semaphore, Condition, Barrier and Manager, each process a whole interpreter of its own (about 30 MB; started from a memory snapshot of a fresh one, and ready ahead once a run has used them), the shared objects in memory all of them share.',
      ),
      el(
        'li',
        {},
        'It has no network: urllib, sockets, pyfetch and js.fetch are refused with a message, and no request leaves this page.',
      ),
      el('li', {}, 'It cannot touch this page: a worker has no document.'),
      el(
        'li',
        {},
        'A run may take 60 s at most; recording stops after 5,000 printed lines or 50,000 spans (the run so far is kept). Stop (or Esc) ends any run within a second.',
      ),
    ),
  );
