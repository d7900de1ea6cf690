// @ts-check
/**
 * The Lab's editor: CodeMirror 6 with Python (highlighting, indentation, brackets, undo, search), the
 * page's colour scheme (One Dark when it prefers dark), a screen-reader label, Ctrl/Cmd+Enter to run, and
 * a line decoration for the line a traceback points at. Loaded only with the Lab (lab.js is a dynamic
 * import of the router), so the first page load does not carry it.
 *
 * Tab indents (indentWithTab); as CodeMirror documents, Escape then Tab moves the focus on, so the editor
 * never traps the keyboard (Ctrl+M, or Shift+Alt+M on macOS, toggles that "tab moves focus" mode too).
 */
import { indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { Compartment, EditorState, StateEffect, StateField } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { Decoration, EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';

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

const lightTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel)' },
  '.cm-error-line': { backgroundColor: '#fde2e1' },
});
const darkExtras = EditorView.theme({ '.cm-error-line': { backgroundColor: '#5a1f22' } }, { dark: true });
const sizing = EditorView.theme({
  '&': { fontSize: '0.95rem', border: '1px solid var(--border, #888)', borderRadius: '4px' },
  '.cm-scroller': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    minHeight: '14rem',
    maxHeight: '32rem',
  },
  '&.cm-focused': { outline: '3px solid var(--focus, #1a5fb4)', outlineOffset: '1px' },
});

/**
 * @param {{ parent: HTMLElement, doc: string, readonly: boolean, label: string, describedBy: string,
 *   onChange: (text: string) => void, onRun: () => void }} options
 */
export function createEditor({ parent, doc, readonly, label, describedBy, onChange, onRun }) {
  const theme = new Compartment();
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const themeFor = () => (dark.matches ? [oneDark, darkExtras] : lightTheme);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
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
        ]),
        EditorState.tabSize.of(4),
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
  dark.addEventListener('change', follow);
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
      dark.removeEventListener('change', follow);
      view.destroy();
    },
  };
}
