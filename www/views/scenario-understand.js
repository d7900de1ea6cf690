// @ts-check
/**
 * The Understand step: the explanation (what happens, and why; the lesson), which opens by itself once the
 * first results are drawn unless an embed keeps it folded, and the code: the Python twin first, the Rust
 * that ran here one click away. Both are HTML the build made from the repository's own files.
 */
import { el, trustedHtml } from '../dom.js';

/**
 * One highlighted source (`{ path, html }`, built from the crate) with its caption.
 * @param {string} className
 * @param {string} title
 * @param {{ path: string, html: string }} source
 */
const codeFigure = (className, title, { path, html }) =>
  el(
    'figure',
    { class: className },
    el('figcaption', {}, title ? [el('strong', {}, title), ' '] : null, el('code', {}, path)),
    trustedHtml('div', { class: 'code-block' }, html),
  );

/**
 * The explanation, folded. `update` is told when results are drawn: the first time there are any, it
 * opens (unless `keepFolded`, an embed's folded Understand step); after that the learner decides.
 * @param {{ happens: string, lesson: string, keepFolded: boolean }} options
 * @returns {{ element: HTMLDetailsElement, update: (state: { drawn: number }) => void }}
 */
export function explanationFold({ happens, lesson, keepFolded }) {
  let opened = keepFolded;
  const element = /** @type {HTMLDetailsElement} */ (
    el(
      'details',
      { class: 'explanation', id: 'explanation' },
      el('summary', {}, 'What happens, and why'),
      el(
        'p',
        { class: 'hint happens-note' },
        'The figures in this text describe the default settings on a typical quiet machine; your runs’ own figures are in their charts and summaries above.',
      ),
      trustedHtml('div', { class: 'prose' }, happens),
      el('h4', {}, 'The lesson'),
      trustedHtml('div', { class: 'prose lesson' }, lesson),
    )
  );
  return {
    element,
    update: ({ drawn }) => {
      if (!drawn || opened) return;
      opened = true;
      element.open = true;
    },
  };
}

/**
 * The code: the Python twin (the code a learner reads), then the Rust that ran here, folded.
 * @param {{ python: { path: string, html: string }, rust: { path: string, html: string } }} sources
 * @returns {HTMLElement}
 */
export const codePanel = ({ python, rust }) =>
  el(
    'section',
    { class: 'code', 'aria-labelledby': 'code-title' },
    el('h3', { id: 'code-title' }, 'The code'),
    el(
      'div',
      { class: 'code-columns' },
      codeFigure('code-python', 'Python: the same workload', python),
      el(
        'details',
        { class: 'code-rust-fold' },
        el('summary', {}, 'Rust: the code that ran here'),
        codeFigure('code-rust', '', rust),
      ),
    ),
  );

/**
 * The Understand step's body: the explanation and the code, the code folded when the step is (an embed
 * that did not ask for `understand=1`).
 * @param {HTMLElement} explanation
 * @param {HTMLElement} code
 * @param {boolean} open
 * @returns {HTMLElement[]}
 */
export const understandBody = (explanation, code, open) => [
  explanation,
  open
    ? code
    : el(
        'details',
        { class: 'code-fold' },
        el('summary', {}, 'The code: Python, and the Rust that ran'),
        code,
      ),
];
