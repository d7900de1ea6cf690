// @ts-check
/**
 * The Lab (`?lab=1`): the learner's own Python program, run by the browser's Python (juggle.runPython:
 * CPython 3.14 in WebAssembly, in a worker) and drawn as a scenario's run is (results.js's runFigure and
 * the replay control). An editor (lab-editor.js, CodeMirror, loaded with this module only), examples
 * (lab-examples.js), a prediction before Run set beside what happened after it, tracebacks with their line
 * marked, Share (the program in the `#code=` fragment, lab-link.js) and an embed snippet, and the last
 * program kept in localStorage.
 */
import { el, formatMs } from '../dom.js';
import { bringIntoFrame, embedPanel as embedCodePanel, programTitle } from './embed-panel.js';
import { postTrace } from './embed-trace.js';
import { onFrameCap } from './frame-cap.js';
import { createEditor } from './lab-editor.js';
import { CLASSICS, classic, DEFAULT_EXAMPLE, twinExample } from './lab-examples.js';
import {
  checkSource,
  codeLink,
  codePayload,
  decodeCode,
  labUrl,
  parseArgs,
  readLabQuery,
} from './lab-link.js';
import { printedToStdout } from './output-lines.js';
import { loadPlot } from './plot.js';
import { processNotes } from './python-twin.js';
import { openTraceControl, recordedNote } from './recorded.js';
import { replayControls } from './replay.js';
import { runFigure } from './results.js';
import { shareControl } from './share.js';
import { heartbeatDefinition } from './trace-facts.js';
import { traceLink } from './trace-link.js';

/** Where the learner's last program is kept. */
export const STORAGE_KEY = 'juggle.lab.v1';
/** The file name tracebacks use. */
const FILENAME = 'main.py';

/** @typedef {import('./lab-examples.js').LabExample} LabExample */

/** The learner's kept program, or null. */
function loadKept() {
  try {
    const kept = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (!kept || typeof kept.source !== 'string') return null;
    checkSource(kept.source);
    return {
      source: kept.source,
      argv: Array.isArray(kept.argv)
        ? kept.argv.filter((/** @type {unknown} */ a) => typeof a === 'string')
        : [],
      example: typeof kept.example === 'string' ? kept.example : DEFAULT_EXAMPLE,
    };
  } catch {
    return null;
  }
}

/** Words split on white space and commas: how an expected output order is compared. @param {string} text */
const tokens = (text) => text.split(/[\s,]+/).filter(Boolean);

/**
 * What the learner expected beside what happened.
 * @param {{ seconds: string, order: string }} expected
 * @param {any} trace
 */
function predictionBeside(expected, trace) {
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
    const printed = printedToStdout(trace.output).map((/** @type {any} */ line) => line.text);
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
 * @param {{ juggle: any, control: ReturnType<typeof import('./run-control.js').createRunControl>,
 *   catalogue: any[], lessons: Record<string, () => Promise<any>>, embed: boolean,
 *   onBatchEnd: () => void, onOpenFile: (file: File) => void }} options `onOpenFile`: a trace file was
 *   picked (the router checks it and shows a Lab run here with `showRecorded`)
 */
export async function labView({ juggle, control, catalogue, lessons, embed, onBatchEnd, onOpenFile }) {
  const query = readLabQuery(location.search);
  const readonly = query.readonly;
  /** Problems with what the link asked for, said above the editor. */
  const notices = [];

  /** @type {Map<string, LabExample | null>} */
  const twins = new Map();
  const twinOf = async (/** @type {string} */ id) => {
    if (twins.has(id)) return twins.get(id) ?? null;
    const scenario = catalogue.find((s) => s.id === id);
    const load = lessons[id];
    if (!scenario || !load) return null;
    const content = (await load()).default;
    const example = twinExample(scenario, content.python);
    twins.set(id, example);
    return example;
  };
  /** @param {string} id an example's id: a classic's, or `twin:<scenario>` */
  const exampleById = async (id) =>
    id.startsWith('twin:') ? await twinOf(id.slice(5)).catch(() => null) : classic(id);

  // What the Lab opens with: a link's program, an example asked for, the kept program, the default.
  /** @type {LabExample} */
  let example = /** @type {LabExample} */ (classic(DEFAULT_EXAMPLE));
  let source = example.source;
  let argv = example.argv;
  let fromLink = false;
  if (query.twin || query.example) {
    const asked = await exampleById(query.twin ? `twin:${query.twin}` : String(query.example));
    if (asked) {
      example = asked;
      source = asked.source;
      argv = asked.argv;
    } else
      notices.push(
        `There is no example “${query.twin ?? query.example}”; showing “${example.title}” instead.`,
      );
  } else {
    const kept = loadKept();
    if (kept) {
      source = kept.source;
      argv = kept.argv;
      example = (await exampleById(kept.example)) ?? example;
    }
  }
  const payload = codePayload(location.hash);
  const linked = payload !== null ? payload : query.code;
  if (linked !== null) {
    try {
      source = payload !== null ? await decodeCode(payload) : checkSource(linked);
      fromLink = true;
    } catch (failure) {
      notices.push(
        `The program in this link cannot be opened: ${/** @type {any} */ (failure)?.message ?? failure}.`,
      );
    }
  }
  if (query.argv !== null) {
    try {
      argv = parseArgs(query.argv);
    } catch (failure) {
      notices.push(
        `The link's arguments were not used: ${/** @type {any} */ (failure)?.message ?? failure}.`,
      );
    }
  }

  // An embed never keeps its program: it is the teacher's, and the full Lab's kept program (the same
  // storage on the same origin) is the learner's own.
  const keep = () => {
    if (readonly || embed) return;
    try {
      localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ source: editor.text(), argv: currentArgs(), example: example.id }),
      );
    } catch {
      // Storage full or refused (private mode): the program just is not kept.
    }
  };
  let keepTimer = 0;

  // ----- the elements -----
  // An embed is titled by its program, and links out to the full Lab with it (kept up to date as it is
  // edited, when it may be).
  const titleOf = (/** @type {string} */ text) =>
    programTitle(text, text === example.source ? example.title : 'A Python program');
  const labHome = () => labUrl(location.href).href;
  /** The full Lab with the program shown: where an embed's "Open in Juggle" goes. */
  const openLink = embed
    ? el(
        'a',
        { class: 'open-juggle', id: 'lab-open-juggle', href: labHome(), target: '_blank', rel: 'noopener' },
        'Open in Juggle ↗',
      )
    : null;
  const heading = el(
    'h2',
    { tabindex: '-1', id: 'lab-heading' },
    embed
      ? el('span', { id: 'lab-title' }, titleOf(source))
      : 'The Lab: your own Python program, on the timeline',
    openLink,
  );
  const followProgram = async () => {
    if (!openLink) return;
    const text = editor.text();
    heading.querySelector('#lab-title')?.replaceChildren(titleOf(text));
    try {
      openLink.setAttribute('href', await codeLink(location.href, text, { argv: currentArgs() }));
    } catch {
      // Too large or not text: the link opens the Lab without it.
      openLink.setAttribute('href', labHome());
    }
  };
  const look = el('p', { class: 'lab-look', id: 'lab-look' });
  const editorHost = el('div', { class: 'lab-editor', id: 'lab-editor' });
  // In an embed, the editor's height leaves room for Run in the frame's first screen: the room the frame
  // has less room for the title, the hint and Run (13rem; 450 px frames show about eleven lines of a
  // read-only program), between 6rem and 22rem. The room is the frame's height at load, or, where the
  // host's embed.js fits the frame to its content, the height it lets the frame grow to (frame-cap.js):
  // such a frame is only as tall as its content, so its height at load would shrink the editor for good.
  /** @type {() => void} */
  let stopHearingCap = () => {};
  if (embed) {
    const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    // An editable embed also has its arguments box and the folded Predict above Run.
    const around = readonly ? 13 : 20;
    const fit = (/** @type {number} */ room) => {
      const height = Math.min(22 * rem, Math.max(6 * rem, room - around * rem));
      editorHost.style.setProperty('--embed-editor-height', `${Math.round(height)}px`);
    };
    fit(innerHeight);
    stopHearingCap = onFrameCap(fit);
  }
  const editorHint = el(
    'p',
    { class: 'hint', id: 'lab-editor-hint' },
    readonly
      ? 'This program is read-only here. Ctrl+Enter (or ⌘+Enter) runs it.'
      : 'Tab indents. To leave the editor with the keyboard, press Esc, then Tab. Ctrl+Enter (or ⌘+Enter) runs the program.',
  );
  const argsField = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'text',
      id: 'lab-argv',
      class: 'lab-argv',
      spellcheck: 'false',
      autocomplete: 'off',
      readonly: readonly || null,
      'aria-describedby': 'lab-argv-hint',
    })
  );
  argsField.value = argv.join(' ');
  const currentArgs = () => {
    try {
      return parseArgs(argsField.value);
    } catch {
      return [];
    }
  };
  argsField.addEventListener('input', () => {
    clearTimeout(keepTimer);
    keepTimer = setTimeout(keep, 300);
  });

  const status = el('p', { class: 'run-status lab-status', id: 'lab-status', role: 'status' });
  const traceback = el('pre', {
    class: 'error python-error lab-traceback',
    id: 'lab-traceback',
    hidden: true,
  });
  const tracebackNote = el('p', {
    class: 'error lab-error-line',
    id: 'lab-error-line',
    role: 'alert',
    hidden: true,
  });
  const truncatedNote = el('p', {
    class: 'error lab-truncated',
    id: 'lab-truncated',
    role: 'note',
    hidden: true,
  });
  const results = el('div', { class: 'results lab-results', id: 'results' });
  const replaySlot = el('div', { class: 'replay-slot', id: 'replay-slot' });
  const predictionSlot = el('div', { id: 'prediction-slot' });

  const editor = createEditor({
    parent: editorHost,
    doc: source,
    readonly,
    label: readonly ? 'Python program (read-only)' : 'Python program',
    describedBy: 'lab-editor-hint',
    onChange: () => {
      clearTimeout(keepTimer);
      keepTimer = setTimeout(() => {
        keep();
        followProgram();
      }, 300);
    },
    onRun: () => runProgram(),
  });
  followProgram();

  // An embed's editor is short, so its code scrolls: the scrolled region is reached with the keyboard
  // through the code itself (axe: scrollable-region-focusable).
  if (embed) editorHost.querySelector('.cm-content')?.setAttribute('tabindex', '0');

  // The tests (and the curious) reach the editor through its element: text(), setText(), mark().
  Object.defineProperty(editorHost, 'labEditor', { value: editor });

  const showExample = (/** @type {LabExample} */ chosen) => {
    look.replaceChildren(el('strong', {}, 'What to look for: '), chosen.look);
    look.dataset.runs = String(chosen.runs);
    look.hidden = false;
  };
  showExample(example);
  // A linked program is the sender's, not the example's: its sentence would not be about it.
  look.hidden = fromLink;

  // Examples: the classics, then every scenario's twin (loaded when picked).
  const picker = /** @type {HTMLSelectElement} */ (
    el(
      'select',
      { id: 'lab-example', class: 'lab-example' },
      el(
        'optgroup',
        { label: 'Short programs' },
        CLASSICS.map((c) => el('option', { value: c.id }, c.title)),
      ),
      el(
        'optgroup',
        { label: 'The scenarios’ Python twins' },
        catalogue.map((s) => el('option', { value: `twin:${s.id}` }, `twin.py of “${s.title}”`)),
      ),
    )
  );
  picker.value = example.id;
  const loadExample = async () => {
    const chosen = await exampleById(picker.value);
    if (!chosen) {
      status.textContent = 'That example could not be loaded (reload the page to try again).';
      return;
    }
    example = chosen;
    editor.setText(chosen.source);
    argsField.value = chosen.argv.join(' ');
    showExample(chosen);
    clearError();
    keep();
    status.textContent = `Loaded “${chosen.title}”.`;
  };
  const loadButton = el(
    'button',
    { type: 'button', id: 'lab-load', onclick: () => loadExample() },
    'Open example',
  );

  const resetButton = el(
    'button',
    {
      type: 'button',
      id: 'lab-reset',
      onclick: () => {
        editor.setText(example.source);
        argsField.value = example.argv.join(' ');
        clearError();
        try {
          localStorage.removeItem(STORAGE_KEY);
        } catch {
          // nothing kept
        }
        status.textContent = `Reset to the example “${example.title}”.`;
      },
    },
    'Reset to example',
  );

  // Predict: before Run, optional.
  const expectSeconds = /** @type {HTMLInputElement} */ (
    el('input', { type: 'number', id: 'lab-expect-seconds', min: '0', step: 'any', inputmode: 'decimal' })
  );
  const expectOrder = /** @type {HTMLTextAreaElement} */ (
    el('textarea', { id: 'lab-expect-order', rows: 2, spellcheck: 'false' })
  );
  const predict = el(
    'details',
    { class: 'lab-predict', open: !embed },
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
      expectSeconds,
      el(
        'label',
        { for: 'lab-expect-order' },
        'Printed lines, in order (words separated by spaces or new lines)',
      ),
      expectOrder,
    ),
  );

  const runButton = /** @type {HTMLButtonElement} */ (
    el('button', { type: 'button', class: 'run', id: 'lab-run', onclick: () => runProgram() }, 'Run')
  );
  const stopButton = /** @type {HTMLButtonElement} */ (
    el(
      'button',
      { type: 'button', class: 'cancel', id: 'lab-stop', disabled: true, onclick: () => control.abort() },
      'Stop (Esc)',
    )
  );

  const share = shareControl({
    label: 'Share',
    description: 'Share: a link that opens the Lab with this program',
    link: () => codeLink(location.href, editor.text(), { argv: currentArgs() }),
    className: 'lab-share',
  });

  // Embed: the snippet follows the program and the read-only choice.
  const embedReadonly = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'checkbox',
      id: 'lab-embed-readonly',
      checked: true,
      onchange: () => embedding.refresh(),
    })
  );
  const embedding = embedCodePanel({
    summary: 'Embed this program',
    intro:
      'Paste one of these into a course page: the frame shows this program, titled by its docstring or first comment, ready to run, with a link back to Juggle.',
    id: 'lab-embed',
    choices: [
      el(
        'label',
        {},
        embedReadonly,
        ' Read-only (learners can run it but not edit it, and see no arguments box)',
      ),
    ],
    parts: async () => ({
      src: await codeLink(location.href, editor.text(), {
        argv: currentArgs(),
        readonly: embedReadonly.checked,
        embed: true,
      }),
      title: `Juggle Lab: ${titleOf(editor.text())}`,
      height: '44rem',
    }),
  });
  const embedPanel = embedding.element;
  embedPanel.classList.add('lab-embed');

  const limits = el(
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

  const clearError = () => {
    traceback.hidden = true;
    traceback.textContent = '';
    tracebackNote.hidden = true;
    editor.mark(null);
  };

  /** The link carrying the run `trace` in its fragment, opening in the Lab (refused when too large). */
  const runLink = async (/** @type {any} */ trace) => {
    const base = new URL(location.href);
    base.search = '?lab=1';
    base.hash = '';
    return traceLink(base.href, await juggle.exportTrace(trace, 'json'));
  };

  /**
   * Draws a run (complete or up to an exception) in the See step; `from` says where a recorded run came
   * from (a file or a link), null for a run made here.
   * @param {any} trace
   * @param {'file' | 'link' | null} [from]
   */
  const draw = async (trace, from = null) => {
    // Charts need Observable Plot, loaded on demand (www/views/plot.js).
    try {
      await loadPlot();
    } catch (failure) {
      results.replaceChildren(
        el('p', { class: 'error', role: 'alert' }, String(/** @type {Error} */ (failure).message)),
      );
      return;
    }
    const width = Math.min(1100, Math.max(340, results.clientWidth || 900));
    const xMax = Math.max(1, trace.total_ms) * 1.02;
    const figure = runFigure({ id: FILENAME, title: 'Your program' }, trace, {
      xMax,
      width,
      exportTrace: juggle.exportTrace,
      extras: {
        note: from
          ? recordedNote(
              trace,
              from,
              'A trace holds the run, not the program: Run runs the program in the editor.',
            )
          : null,
        share: embed
          ? null
          : el(
              'p',
              { class: 'share-row' },
              shareControl({
                label: 'Share this run',
                description:
                  'Share this run of your program in a link (the recorded run travels in the link)',
                link: () => runLink(trace),
              }).element,
            ),
        recorded: from,
        engine: 'python',
      },
    });
    results.replaceChildren(
      el('p', { class: 'hint heartbeat-definition' }, heartbeatDefinition(trace.heartbeat)),
      figure.figure,
    );
    replaySlot.replaceChildren(
      replayControls({
        xMax,
        runs: [{ plot: figure.plot, readout: figure.readout, trace }],
        momentOf: (/** @type {any} */ t, /** @type {number} */ at) => juggle.traceAt(t, at),
      }),
    );
    const truncated = trace.result?.truncated;
    truncatedNote.hidden = !truncated;
    truncatedNote.textContent = truncated
      ? `Cut short: ${truncated}. The timeline shows the run up to there.`
      : '';
    // A prediction is about the program in the editor, not about a recorded run.
    predictionSlot.replaceChildren(
      (!from && predictionBeside({ seconds: expectSeconds.value, order: expectOrder.value }, trace)) || '',
    );
  };

  const runProgram = () => {
    if (control.busy) return Promise.resolve();
    const code = editor.text();
    let args;
    try {
      checkSource(code);
      args = parseArgs(argsField.value);
    } catch (failure) {
      status.textContent = `Not run: ${/** @type {any} */ (failure)?.message ?? failure}.`;
      return Promise.resolve();
    }
    return control.busyWith(async (signal) => {
      runButton.disabled = true;
      stopButton.disabled = false;
      clearError();
      truncatedNote.hidden = true;
      replaySlot.replaceChildren(el('p', { class: 'hint' }, 'Replay comes back when the run ends.'));
      const command = `python ${FILENAME}${args.length ? ` ${args.join(' ')}` : ''}`;
      status.textContent = `Running ${command}${juggle.pythonLoaded() ? '' : ' (loading Python first: about 7 MB, once)'}…`;
      try {
        const trace = await juggle.runPython(code, { argv: args, signal, filename: FILENAME });
        // A live run that ended: an embed hands its trace to the embedding page (a notebook widget's trace).
        postTrace(trace);
        await draw(trace);
        if (embed) bringIntoFrame(results.querySelector('figure') ?? results);
        status.textContent = `${command} ended after ${formatMs(trace.total_ms)}.${processNotes(trace, command)}`;
      } catch (failure) {
        const f = /** @type {any} */ (failure);
        if (f?.code === 'cancelled') {
          if (f.trace) await draw(f.trace);
          status.textContent = f.trace
            ? `Stopped (KeyboardInterrupt) after ${formatMs(f.trace.total_ms)}: the run up to there is drawn below.`
            : 'Stopped: the interpreter did not answer KeyboardInterrupt and was ended, so nothing of the run is kept.';
        } else if (f?.code === 'python-error') {
          traceback.textContent = f.message;
          traceback.hidden = false;
          if (typeof f.line === 'number') {
            editor.mark(f.line);
            tracebackNote.textContent = `Your program raised ${f.kind ?? 'an exception'} at line ${f.line} (marked in the editor). The run up to there is drawn below.`;
          } else {
            tracebackNote.textContent = `Your program raised ${f.kind ?? 'an exception'}. The run up to there is drawn below.`;
          }
          tracebackNote.hidden = false;
          if (f.trace) await draw(f.trace);
          if (embed) bringIntoFrame(tracebackNote);
          status.textContent = `${command} raised an exception.`;
        } else if (f?.code === 'python-crashed' && f.trace) {
          await draw(f.trace);
          status.textContent = `The program could not finish: ${f.message}. The lines it printed before are drawn below.`;
        } else {
          status.textContent = `The program could not run: ${f?.message ?? f}.`;
        }
      } finally {
        runButton.disabled = false;
        stopButton.disabled = true;
        onBatchEnd();
      }
    });
  };

  const element = el(
    'section',
    { class: `lab${embed ? ' lab-embedded' : ''}`, id: 'lab', 'aria-labelledby': 'lab-heading' },
    heading,
    embed
      ? null
      : el(
          'p',
          { class: 'lab-intro' },
          'Write or paste a Python program (asyncio welcome). It runs for real in your browser, in CPython 3.14, and every task gets a row on the timeline, with the health check under them: a timer that should beat every 10 ms while the thread is free.',
        ),
    notices.length
      ? el(
          'div',
          { class: 'error', role: 'alert', id: 'lab-notice' },
          notices.map((n) => el('p', {}, n)),
        )
      : null,
    fromLink && !embed
      ? el(
          'p',
          { class: 'hint', id: 'lab-from-link' },
          'This program came with the link you opened; it is shown as text and runs only when you press Run.',
        )
      : null,
    // An embed shows the teacher's program: no examples to replace it with ("Open in Juggle" has them).
    readonly || embed
      ? null
      : el(
          'div',
          { class: 'lab-examples' },
          el('label', { for: 'lab-example' }, 'Start from an example'),
          picker,
          loadButton,
          resetButton,
        ),
    look,
    editorHost,
    editorHint,
    // A read-only embed runs its program as the teacher gave it: no box to change the arguments, no
    // prediction form (the course page around it asks the questions); the arguments are said, if any.
    embed && readonly
      ? argv.length
        ? el('p', { class: 'hint lab-args-fixed' }, `Runs as: python ${FILENAME} ${argv.join(' ')}`)
        : null
      : el(
          'div',
          { class: 'lab-args' },
          el('label', { for: 'lab-argv' }, 'Arguments (sys.argv[1:])'),
          argsField,
          el(
            'span',
            { class: 'hint', id: 'lab-argv-hint' },
            'separated by spaces; a twin takes a variant’s name',
          ),
        ),
    embed && readonly ? null : predict,
    el('div', { class: 'actions lab-actions' }, runButton, stopButton, embed ? null : share.element),
    status,
    tracebackNote,
    traceback,
    truncatedNote,
    el('h3', {}, 'See'),
    predictionSlot,
    replaySlot,
    results,
    embed || readonly ? null : openTraceControl({ onOpenFile }),
    embed ? null : limits,
    embed ? null : embedPanel,
  );
  if (!results.childElementCount)
    results.append(
      el('p', { class: 'hint' }, 'Nothing has run yet: the timeline of your program appears here.'),
    );

  /** A new `#code=` fragment in this tab (a pasted link): the program is replaced by the link's. */
  const openHash = async () => {
    const next = codePayload(location.hash);
    if (next === null) return;
    try {
      editor.setText(await decodeCode(next));
      clearError();
      status.textContent = 'Opened the program in the link.';
    } catch (failure) {
      status.textContent = `The program in this link cannot be opened: ${/** @type {any} */ (failure)?.message ?? failure}.`;
    }
  };

  /**
   * Shows a recorded Lab run (already checked by the core) in the See step, with a note saying what it is.
   * @param {any} trace
   * @param {'file' | 'link'} from
   */
  const showRecorded = async (trace, from) => {
    clearError();
    await draw(trace, from);
    status.textContent = `Showing a recorded run (${from === 'file' ? 'from a file' : 'from a link'}); Run runs the program in the editor.`;
  };

  return {
    element,
    openHash,
    runProgram,
    showRecorded,
    destroy: () => {
      clearTimeout(keepTimer);
      stopHearingCap();
      editor.destroy();
    },
  };
}
