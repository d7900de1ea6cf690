// @ts-check
/**
 * "Run the Python twin too": the scenario's twin.py (the very file the page shows) run by the browser's
 * Python (juggle.runPython: Pyodide, CPython 3.14 in WebAssembly, in a worker) for each variant the twin's
 * IN_THE_BROWSER table says runs there; each Python run is drawn under the Rust run of the same variant on
 * the shared axis. The variants that need threads or processes, or have no Python equivalent, say so.
 */
import { el } from '../dom.js';

/** @typedef {import('../types/views.js').Thrown} Thrown */

/**
 * What the page says of a variant the browser's Python cannot run, by its IN_THE_BROWSER fate.
 * @type {Partial<Record<string, string>>}
 */
const WHY_NOT = {
  'needs processes':
    'starts more processes than a page should: one per request, and each process of the browser’s Python is a whole interpreter of about 30 MB (twenty of them would take 600 MB); run twin.py with python3 on your machine to see it',
  'needs free-threading':
    'needs a free-threaded Python (3.13t, 3.14t), whose threads run Python in parallel with no GIL: the browser’s Python has a GIL, as the usual CPython does, so its threads would take turns here; the Rust run above shows what having no GIL changes, or run twin.py with python3.14t',
  'no Python equivalent':
    'is browser-only: Python has no await like it (the nearest, await asyncio.sleep(0), is the variant “Yield to the event loop”)',
};

/** A `startup` span of a process the page had started ahead (juggle_pool.py's STARTUP_LABELS). */
const AHEAD = /started ahead/;

/** What the page says when some of the runs' processes were interpreters it had started ahead. */
export const aheadNote = (/** @type {number} */ ahead, /** @type {number} */ all) =>
  `${ahead} of the ${all} processes were fresh interpreters this page had started ahead, after an earlier run, as CPython’s forkserver keeps one ready (each had run no code and ended with its run): their start-up bars are the real time from the request to ready, shorter than a cold start.`;

const cores = () => globalThis.navigator?.hardwareConcurrency || 1;

/** How many processes a trace started, and how many of them the page had started ahead. */
export function startupsOf(/** @type {any} */ trace) {
  const startups = (trace.spans ?? []).filter((/** @type {any} */ s) => s.kind === 'startup');
  return {
    all: startups.length,
    ahead: startups.filter((/** @type {any} */ s) => AHEAD.test(s.label)).length,
  };
}

/** What the page says of one run's processes (the Lab): started ahead, more at once than cores. */
export function processNotes(/** @type {any} */ trace, /** @type {string} */ command) {
  const { all, ahead } = startupsOf(trace);
  return `${ahead ? ` ${aheadNote(ahead, all)}` : ''}${mostAtOnce(trace) > cores() ? ` ${crowdedNote([command])}` : ''}`;
}

/** The most process lanes of a trace executing (`cpu`) at one instant. */
export function mostAtOnce(/** @type {any} */ trace) {
  const edges = (trace.spans ?? [])
    .filter((/** @type {any} */ s) => s.kind === 'cpu' && s.lane.startsWith('process-'))
    .flatMap((/** @type {any} */ s) => [
      [s.start_ms, 1],
      [s.end_ms, -1],
    ])
    .sort((/** @type {number[]} */ a, /** @type {number[]} */ b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of edges) {
    now += step;
    most = Math.max(most, now);
  }
  return most;
}

/** What the page says when a run had more processes computing at once than the machine has cores. */
export const crowdedNote = (/** @type {string[]} */ variants) =>
  `${variants.join(', ')} had more processes computing at once than this machine’s ${cores()} cores: those beyond ${cores()} took turns on them, so any speedup it printed past ${cores()} processes is not more parallelism.`;

/**
 * The panel: a button, a status line, the Python error (as text) and the notes for variants that cannot
 * run. `run(ids, signal)` is the view's; it records each trace through `onTrace`.
 * @param {{ juggle: any, scenario: any, python: { source: string, browser: Record<string, string> },
 *   control: ReturnType<typeof import('./run-control.js').createRunControl>,
 *   knobsAtDefaults: () => boolean,
 *   onTrace: (variant: string, trace: any) => void, onBatchEnd: () => void }} options
 */
export function pythonTwinPanel({ juggle, scenario, python, control, knobsAtDefaults, onTrace, onBatchEnd }) {
  const runnable = scenario.variants.filter((/** @type {any} */ v) => python.browser[v.id] === 'runs');
  const status = el('p', { class: 'run-status python-status', role: 'status' });
  const error = el('pre', { class: 'error python-error', role: 'alert', hidden: true });
  const cannot = scenario.variants
    .filter((/** @type {any} */ v) => python.browser[v.id] !== 'runs')
    .map((/** @type {any} */ v) =>
      el('li', {}, el('strong', {}, v.title), ` ${WHY_NOT[python.browser[v.id]]}.`),
    );
  const button = /** @type {HTMLButtonElement} */ (
    el(
      'button',
      {
        type: 'button',
        class: 'run run-python',
        id: 'run-python',
        disabled: runnable.length === 0,
        onclick: () => runAll(),
      },
      'Run the Python twin too',
    )
  );

  const runAll = () => {
    if (control.busy) return Promise.resolve();
    return control.busyWith(async (signal) => {
      button.disabled = true;
      error.hidden = true;
      let startedAhead = 0;
      let processes = 0;
      /** Variants whose run had more processes computing at once than this machine has cores. */
      /** @type {string[]} */
      const crowded = [];
      try {
        for (const variant of runnable) {
          status.textContent = `Python: running twin.py ${variant.id}${juggle.pythonLoaded?.() ? '' : ' (loading Python first: about 7 MB, once)'}…`;
          try {
            const trace = await juggle.runPython(python.source, {
              argv: [variant.id],
              filename: 'twin.py',
              scenario: scenario.id,
              signal,
            });
            onTrace(variant.id, trace);
            const counted = startupsOf(trace);
            processes += counted.all;
            startedAhead += counted.ahead;
            if (mostAtOnce(trace) > cores()) crowded.push(`twin.py ${variant.id}`);
          } catch (failure) {
            if (/** @type {Thrown} */ (failure)?.code === 'cancelled') {
              status.textContent = 'Python: stopped.';
              return;
            }
            // A Python exception's trace up to it.
            const upTo = /** @type {Thrown} */ (failure)?.trace;
            if (upTo) onTrace(variant.id, upTo);
            error.textContent = `twin.py ${variant.id} raised an exception:\n${/** @type {Thrown} */ (failure)?.message ?? failure}`;
            error.hidden = false;
            status.textContent = `Python: twin.py ${variant.id} failed.`;
            return;
          }
        }
        status.textContent = `Python: ran twin.py for ${runnable.map((/** @type {any} */ v) => v.title).join(', ')}.${startedAhead ? ` ${aheadNote(startedAhead, processes)}` : ''}${crowded.length ? ` ${crowdedNote(crowded)}` : ''}`;
      } finally {
        button.disabled = runnable.length === 0;
        onBatchEnd();
      }
    });
  };

  const element = el(
    'div',
    { class: 'python-twin' },
    el(
      'p',
      { class: 'hint' },
      'The Python twin below runs for real in your browser (CPython 3.14 built for the browser, in a worker of its own), with its own fixed numbers',
      knobsAtDefaults()
        ? ' (the same as the knobs’ defaults here).'
        : ': you changed the knobs, so its runs are not the same size as the Rust ones.',
      ' Each Python run is drawn under the Rust run of the same variant.',
    ),
    el(
      'div',
      { class: 'actions' },
      button,
      el(
        'a',
        { href: `?lab=1&twin=${encodeURIComponent(scenario.id)}`, 'data-route': '', class: 'lab-link' },
        'Open this twin in the Lab',
      ),
    ),
    status,
    error,
    cannot.length ? el('ul', { class: 'python-cannot' }, cannot) : null,
  );
  return { element, runAll };
}
