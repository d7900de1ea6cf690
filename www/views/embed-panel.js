// @ts-check
/** The "Embed" disclosure under a scenario: the snippet, a copy button, and what the two lines do. */
import { el } from '../dom.js';

/**
 * @param {() => string} snippet the current embed code
 * @returns {{ element: HTMLElement, refresh: () => void }} `refresh`: the knobs changed (the code follows
 *   them and an earlier "Copied." goes)
 */
export function embedPanel(snippet) {
  const code = /** @type {HTMLTextAreaElement} */ (
    el('textarea', { readonly: true, rows: 4, spellcheck: 'false', 'aria-label': 'Embed code' })
  );
  code.value = snippet();
  const copied = el('span', { class: 'copied', role: 'status' });
  const refresh = () => {
    code.value = snippet();
    copied.textContent = '';
  };
  const element = el(
    'details',
    { class: 'embed-panel' },
    el('summary', {}, 'Embed this scenario'),
    el(
      'p',
      {},
      'Paste this into a course page (LMS, Jupyter Book, Quarto, slides). The iframe shows this scenario with these knobs; the script fits its height to its content. Inside a page that is not cross-origin isolated, parallel variants run on message-passing workers.',
    ),
    code,
    el(
      'button',
      {
        type: 'button',
        class: 'copy',
        onclick: async () => {
          code.value = snippet();
          code.select();
          try {
            await navigator.clipboard.writeText(code.value);
            copied.textContent = 'Copied.';
          } catch {
            copied.textContent = 'Select the code and copy it (the clipboard is not available here).';
          }
        },
      },
      'Copy',
    ),
    copied,
  );
  return { element, refresh };
}
