// @ts-check
/**
 * The Lab's editor: CodeMirror 6 with Python (highlighting, indentation, brackets, undo, folding), the
 * page's colour scheme (light or dark, as the system prefers), a screen-reader label, Ctrl/Cmd+Enter to run, and
 * a line decoration for the line a traceback points at. Loaded only with the Lab (lab.js is a dynamic
 * import of the router), so the first page load does not carry it.
 *
 * Tab indents (indentWithTab); as CodeMirror documents, Escape then Tab moves the focus on, so the editor
 * never traps the keyboard (Ctrl+M, or Shift+Alt+M on macOS, toggles that "tab moves focus" mode too).
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import { Compartment, EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** Marks one line (a traceback's), or none. */
/** @type {import("@codemirror/state").StateEffectType<number | null>} */
const markLine = StateEffect.define();
const errorLine = Decoration.line({ class: 'cm-error-line', attributes: { 'data-error-line': 'true' } });
const errorField = StateField.define({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = transaction.docChanged ? Decoration.none : marks;
    for (const effect of transaction.effects) {
      if (!effect.is(markLine)) continue;
      const line = effect.value;
      const doc = transaction.state.doc;
      next =
        line !== null && line >= 1 && line <= doc.lines
          ? Decoration.set([errorLine.range(doc.line(line).from)])
          : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * Colours for Python, chosen to keep 4.5:1 contrast on the page's panel in each scheme (axe-core checks
 * them: tests/e2e/lab.spec.js); no autocompletion pop-up, which would take Enter and Esc from a learner.
 * @param {Record<string, string>} c
 */
const pythonColours = (c) =>
  HighlightStyle.define([
    {
      tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword],
      color: c.keyword,
    },
    { tag: [tags.string, tags.special(tags.string)], color: c.string },
    { tag: tags.comment, color: c.comment, fontStyle: 'italic' },
    { tag: [tags.number, tags.bool, tags.null], color: c.number },
    {
      tag: [tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)],
      color: c.definition,
    },
    { tag: [tags.self, tags.special(tags.variableName)], color: c.number },
    { tag: tags.invalid, color: c.invalid },
  ]);
const light = [
  EditorView.theme({
    '.cm-gutters': { backgroundColor: 'var(--bg)', color: '#4b5563', borderRight: '1px solid var(--border)' },
    '.cm-activeLine': { backgroundColor: '#f1f4f9' },
    '.cm-activeLineGutter': { backgroundColor: '#e6ebf3' },
    '.cm-error-line': { backgroundColor: '#fde2e1' },
  }),
  syntaxHighlighting(
    pythonColours({
      keyword: '#7a1fa2',
      string: '#a1260d',
      comment: '#4b5563',
      number: '#0b6b3a',
      definition: '#1f4f99',
      invalid: '#b00020',
    }),
  ),
];
const dark = [
  EditorView.theme(
    {
      '&': { color: 'var(--fg)' },
      '.cm-content': { caretColor: 'var(--fg)' },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
      '.cm-gutters': {
        backgroundColor: 'var(--bg)',
        color: '#aab2c0',
        borderRight: '1px solid var(--border)',
      },
      '.cm-activeLine': { backgroundColor: '#232833' },
      '.cm-activeLineGutter': { backgroundColor: '#2a3040' },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
        backgroundColor: '#33415c',
      },
      '.cm-error-line': { backgroundColor: '#5a1f22' },
    },
    { dark: true },
  ),
  syntaxHighlighting(
    pythonColours({
      keyword: '#d8a8ff',
      string: '#ffb49a',
      comment: '#aab2c0',
      number: '#8fe3b0',
      definition: '#9cc2ff',
      invalid: '#ff9aa8',
    }),
  ),
];
const sizing = EditorView.theme({
  '&': {
    fontSize: '0.95rem',
    backgroundColor: 'var(--panel)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
  },
  '.cm-scroller': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    minHeight: '14rem',
    maxHeight: '32rem',
  },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '1px' },
});

/**
 * @param {{ parent: HTMLElement, doc: string, readonly: boolean, label: string, describedBy: string,
 *   onChange: (text: string) => void, onRun: () => void }} options
 */
export function createEditor({ parent, doc, readonly, label, describedBy, onChange, onRun }) {
  const theme = new Compartment();
  const prefersDark = matchMedia('(prefers-color-scheme: dark)');
  const themeFor = () => (prefersDark.matches ? dark : light);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        foldGutter(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        python(),
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              onRun();
              return true;
            },
          },
          indentWithTab,
          ...defaultKeymap,
          ...historyKeymap,
          ...foldKeymap,
        ]),
        EditorState.tabSize.of(4),
        // Four spaces, as PEP 8 and every example here indent (CodeMirror's default unit is two).
        indentUnit.of('    '),
        EditorState.readOnly.of(readonly),
        theme.of(themeFor()),
        sizing,
        errorField,
        EditorView.contentAttributes.of({
          'aria-label': label,
          'aria-describedby': describedBy,
          ...(readonly ? { 'aria-readonly': 'true' } : {}),
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  const follow = () => view.dispatch({ effects: theme.reconfigure(themeFor()) });
  prefersDark.addEventListener('change', follow);
  return {
    view,
    text: () => view.state.doc.toString(),
    /** Replaces the whole program (an example, a reset). @param {string} text */
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /** Marks the line a traceback points at (1-based), or clears the mark. @param {number | null} line */
    mark(line) {
      view.dispatch({ effects: markLine.of(line) });
      if (line !== null && line >= 1 && line <= view.state.doc.lines)
        view.dispatch({
          effects: EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'center' }),
        });
    },
    focus: () => view.focus(),
    destroy() {
      prefersDark.removeEventListener('change', follow);
      view.destroy();
    },
  };
}
