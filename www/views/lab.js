// @ts-check
/**
 * The Lab (`?lab=1`): the learner's own Python program, run by the browser's Python (juggle.runPython:
 * CPython 3.14 in WebAssembly, in a worker) and drawn as a scenario's run is (results.js's runFigure and
 * the replay control). `labView` puts together an editor (lab-editor.js, CodeMirror, loaded with this
 * module only), the program it opens with (lab-opening.js), the examples (lab-picker.js), the arguments
 * (lab-arguments.js), a prediction before Run set beside what happened after it (lab-prediction.js), Run
 * and Stop (lab-actions.js), tracebacks with their line marked (lab-problem.js), the See step
 * (lab-output.js, drawn by lab-figure.js), Share (the program in the `#code=` fragment, lab-link.js) and
 * an embed snippet (lab-share.js), and the last program kept in localStorage (lab-kept.js); this module
 * runs the program and says how the run went.
 */
import { el, formatMs } from '../dom.js';
import { bringIntoFrame, programTitle } from './embed-panel.js';
import { postTrace } from './embed-trace.js';
import { onFrameCap } from './frame-cap.js';
import { runActions } from './lab-actions.js';
import { argumentsRow, commandLine, FILENAME } from './lab-arguments.js';
import { createEditor } from './lab-editor.js';
import { CLASSICS } from './lab-examples.js';
import { programRunDrawer } from './lab-figure.js';
import { labHeading } from './lab-heading.js';
import { loadKept, programKeeper } from './lab-kept.js';
import { checkSource, codeLink, codePayload, decodeCode, labUrl, readLabQuery } from './lab-link.js';
import { fromLinkNote, labIntro, labLimits, lookNote, noticesBox } from './lab-notes.js';
import { exampleFinder, openingProgram } from './lab-opening.js';
import { runOutput } from './lab-output.js';
import { examplePicker } from './lab-picker.js';
import { predictionForm, predictionSlot } from './lab-prediction.js';
import { failureStatus, problemPanel } from './lab-problem.js';
import { programEmbedPanel } from './lab-share.js';
import { loadPlot } from './plot.js';
import { processNotes } from './python-twin.js';
import { openTraceControl } from './recorded.js';
import { shareControl } from './share.js';

/** @typedef {import('./lab-examples.js').LabExample} LabExample */

/** A failure's message, in a sentence. @param {unknown} failure */
const reason = (failure) => /** @type {any} */ (failure)?.message ?? failure;

/**
 * In an embed, the editor's height leaves room for Run in the frame's first screen: the room the frame
 * has less room for the title, the hint and Run (13rem; 450 px frames show about eleven lines of a
 * read-only program), between 6rem and 22rem. The room is the frame's height at load, or, where the
 * host's embed.js fits the frame to its content, the height it lets the frame grow to (frame-cap.js):
 * such a frame is only as tall as its content, so its height at load would shrink the editor for good.
 * @param {HTMLElement} host the editor's element
 * @param {boolean} readonly
 * @returns {() => void} stops following the frame's cap
 */
function fitEditorToFrame(host, readonly) {
  const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  // An editable embed also has its arguments box and the folded Predict above Run.
  const around = readonly ? 13 : 20;
  const fit = (/** @type {number} */ room) => {
    const height = Math.min(22 * rem, Math.max(6 * rem, room - around * rem));
    host.style.setProperty('--embed-editor-height', `${Math.round(height)}px`);
  };
  fit(innerHeight);
  return onFrameCap(fit);
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
  const exampleById = exampleFinder({ catalogue, lessons });
  const opening = await openingProgram({ query, hash: location.hash, exampleById, kept: () => loadKept() });
  /** The example the editor's program came from ("Reset to example" brings it back). */
  let example = opening.example;

  // An embed never keeps its program: it is the teacher's, and the full Lab's kept program (the same
  // storage on the same origin) is the learner's own.
  const keeper = programKeeper({
    enabled: !readonly && !embed,
    current: () => ({ source: editor.text(), argv: args.args(), example: example.id }),
  });

  // An embed is titled by its program, and links out to the full Lab with it (kept up to date as it is
  // edited, when it may be).
  const titleOf = (/** @type {string} */ text) =>
    programTitle(text, text === example.source ? example.title : 'A Python program');
  const labHome = () => labUrl(location.href).href;
  const heading = labHeading({ embed, title: titleOf(opening.source), href: labHome() });
  const followProgram = async () => {
    if (!embed) return;
    const text = editor.text();
    heading.update({ title: titleOf(text) });
    try {
      heading.update({ href: await codeLink(location.href, text, { argv: args.args() }) });
    } catch {
      // Too large or not text: the link opens the Lab without it.
      heading.update({ href: labHome() });
    }
  };

  const editorHost = el('div', { class: 'lab-editor', id: 'lab-editor' });
  const stopFitting = embed ? fitEditorToFrame(editorHost, readonly) : () => {};
  const editorHint = el(
    'p',
    { class: 'hint', id: 'lab-editor-hint' },
    readonly
      ? 'This program is read-only here. Ctrl+Enter (or ⌘+Enter) runs it.'
      : 'Tab indents. To leave the editor with the keyboard, press Esc, then Tab. Ctrl+Enter (or ⌘+Enter) runs the program.',
  );
  // A read-only embed runs its program as the teacher gave it: no box to change the arguments, no
  // prediction form (the course page around it asks the questions); the arguments are said, if any.
  const args = argumentsRow({
    argv: opening.argv,
    readonly,
    fixed: embed && readonly,
    onInput: () => keeper.keepSoon(),
  });
  const status = el('p', { class: 'run-status lab-status', id: 'lab-status', role: 'status' });
  const problem = problemPanel({ mark: (line) => editor.mark(line) });
  const prediction = predictionForm({ open: !embed });
  const predicted = predictionSlot();

  // "What to look for" is about the example: shown while the editor holds the example's program.
  const look = lookNote(example, { hidden: opening.fromLink || opening.source !== example.source });
  const editor = createEditor({
    parent: editorHost,
    doc: opening.source,
    readonly,
    label: readonly ? 'Python program (read-only)' : 'Python program',
    describedBy: 'lab-editor-hint',
    onChange: () => {
      look.element.hidden = editor.text() !== example.source;
      keeper.keepSoon(followProgram);
    },
    onRun: () => runProgram(),
  });
  followProgram();
  // An embed's editor is short, so its code scrolls: the scrolled region is reached with the keyboard
  // through the code itself (axe: scrollable-region-focusable).
  if (embed) editorHost.querySelector('.cm-content')?.setAttribute('tabindex', '0');
  // The tests (and the curious) reach the editor through its element: text(), setText(), mark().
  Object.defineProperty(editorHost, 'labEditor', { value: editor });

  /** Puts `chosen`'s program and arguments in the editor, and says so with `words`. */
  const showExample = (/** @type {LabExample} */ chosen, /** @type {string} */ words) => {
    editor.setText(chosen.source);
    args.update(chosen.argv);
    problem.showException(null);
    status.textContent = words;
  };
  // Examples: the classics, then every scenario's twin (loaded when picked).
  const picker = examplePicker({
    classics: CLASSICS,
    catalogue,
    chosen: example.id,
    onOpen: async (id) => {
      const chosen = await exampleById(id);
      if (!chosen) {
        status.textContent = 'That example could not be loaded (reload the page to try again).';
        return;
      }
      example = chosen;
      look.update(chosen);
      showExample(chosen, `Loaded “${chosen.title}”.`);
      keeper.keep();
    },
    onReset: () => {
      look.update(example);
      showExample(example, `Reset to the example “${example.title}”.`);
      keeper.forget();
    },
  });

  const share = shareControl({
    label: 'Share',
    description: 'Share: a link that opens the Lab with this program',
    link: () => codeLink(location.href, editor.text(), { argv: args.args() }),
    className: 'lab-share',
  });
  const embedding = programEmbedPanel({
    link: ({ readonly }) =>
      codeLink(location.href, editor.text(), { argv: args.args(), readonly, embed: true }),
    title: () => titleOf(editor.text()),
  });
  const actions = runActions({
    onRun: () => runProgram(),
    onStop: () => control.abort(),
    share: embed ? null : share.element,
  });

  const output = runOutput({ loadPlot, drawRun: programRunDrawer({ juggle, embed }) });

  /**
   * Draws a run (complete or up to an exception) in the See step; `from` says where a recorded run came
   * from (a file or a link), null for a run made here.
   * @param {any} trace
   * @param {'file' | 'link' | null} [from]
   */
  const draw = async (trace, from = null) => {
    if (!(await output.update(trace, from))) return;
    problem.showCut(trace.result?.truncated);
    // A prediction is about the program in the editor, not about a recorded run.
    predicted.update(from ? null : prediction.expected(), trace);
  };

  const runProgram = () => {
    if (control.busy) return Promise.resolve();
    const code = editor.text();
    /** @type {string[]} */
    let argv;
    try {
      checkSource(code);
      argv = args.parsed();
    } catch (failure) {
      status.textContent = `Not run: ${reason(failure)}.`;
      return Promise.resolve();
    }
    return control.busyWith(async (signal) => {
      actions.update({ running: true });
      problem.showException(null);
      problem.showCut(null);
      output.waiting();
      const command = commandLine(argv);
      status.textContent = `Running ${command}${juggle.pythonLoaded() ? '' : ' (loading Python first: about 7 MB, once)'}…`;
      try {
        const trace = await juggle.runPython(code, { argv, signal, filename: FILENAME });
        // A live run that ended: an embed hands its trace to the embedding page (a notebook widget's trace).
        postTrace(trace);
        await draw(trace);
        if (embed) bringIntoFrame(output.results.querySelector('figure') ?? output.results);
        status.textContent = `${command} ended after ${formatMs(trace.total_ms)}.${processNotes(trace, command)}`;
      } catch (failure) {
        const f = /** @type {import('../types/views.js').Thrown} */ (failure);
        if (f?.code === 'python-error')
          problem.showException(/** @type {import('./lab-problem.js').PythonException} */ (f));
        // Stopped, raised or crashed: the run up to there, when there is one, is drawn.
        if (f?.trace && ['cancelled', 'python-error', 'python-crashed'].includes(String(f.code)))
          await draw(f.trace);
        if (embed && f?.code === 'python-error') bringIntoFrame(problem.note);
        status.textContent = failureStatus(f, command);
      } finally {
        actions.update({ running: false });
        onBatchEnd();
      }
    });
  };

  const element = el(
    'section',
    { class: `lab${embed ? ' lab-embedded' : ''}`, id: 'lab', 'aria-labelledby': 'lab-heading' },
    heading.element,
    embed ? null : labIntro(),
    noticesBox(opening.notices),
    opening.fromLink && !embed ? fromLinkNote() : null,
    // An embed shows the teacher's program: no examples to replace it with ("Open in Juggle" has them).
    readonly || embed ? null : picker,
    look.element,
    editorHost,
    editorHint,
    args.element,
    embed && readonly ? null : prediction.element,
    actions.element,
    status,
    problem.element,
    el('h3', {}, 'See'),
    predicted.element,
    output.replaySlot,
    output.results,
    embed || readonly ? null : openTraceControl({ onOpenFile }),
    embed ? null : labLimits(),
    embed ? null : embedding.element,
  );

  /** A new `#code=` fragment in this tab (a pasted link): the program is replaced by the link's. */
  const openHash = async () => {
    const next = codePayload(location.hash);
    if (next === null) return;
    try {
      editor.setText(await decodeCode(next));
      problem.showException(null);
      status.textContent = 'Opened the program in the link.';
    } catch (failure) {
      status.textContent = `The program in this link cannot be opened: ${reason(failure)}.`;
    }
  };

  /**
   * Shows a recorded Lab run (already checked by the core) in the See step, with a note saying what it is.
   * @param {any} trace
   * @param {'file' | 'link'} from
   */
  const showRecorded = async (trace, from) => {
    problem.showException(null);
    await draw(trace, from);
    status.textContent = `Showing a recorded run (${from === 'file' ? 'from a file' : 'from a link'}); Run runs the program in the editor.`;
  };

  return {
    element,
    openHash,
    runProgram,
    showRecorded,
    destroy: () => {
      keeper.stop();
      stopFitting();
      editor.destroy();
    },
  };
}
