// @ts-check
/**
 * "Embed this program" (`#lab-embed`): the shared Embed panel (embed-panel.js) for the program in the
 * editor, with its one choice, read-only (checked at first), and the snippet following both.
 */
import { el } from '../dom.js';
import { embedPanel } from './embed-panel.js';

/**
 * @param {{ link: (options: { readonly: boolean }) => Promise<string>, title: () => string }} options
 *   `link`: the embed's address for the program as it is now (`readonly`: whether learners may edit it);
 *   `title`: the program's title as it is now
 * @returns {{ element: HTMLDetailsElement, refresh: () => Promise<void> }} `refresh`: the program changed
 */
export function programEmbedPanel({ link, title }) {
  const readonly = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'checkbox',
      id: 'lab-embed-readonly',
      checked: true,
      onchange: () => embedding.refresh(),
    })
  );
  const embedding = embedPanel({
    summary: 'Embed this program',
    intro:
      'Paste one of these into a course page: the frame shows this program, titled by its docstring or first comment, ready to run, with a link back to Juggle.',
    id: 'lab-embed',
    choices: [
      el('label', {}, readonly, ' Read-only (learners can run it but not edit it, and see no arguments box)'),
    ],
    parts: async () => ({
      src: await link({ readonly: readonly.checked }),
      title: `Juggle Lab: ${title()}`,
      height: '44rem',
    }),
  });
  embedding.element.classList.add('lab-embed');
  return embedding;
}
