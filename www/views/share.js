// @ts-check
/**
 * Share controls: a button that makes a link (the knobs, or a recorded run in the fragment), copies it,
 * says "Copied", and shows the link as text to select where the clipboard is not available. `reset` clears
 * both once what the link stood for has changed (the knobs moved).
 */
import { el } from '../dom.js';

/**
 * @param {{ label: string, description: string, link: () => string | Promise<string>, className?: string }} options
 *   `label` the button's text; `description` its accessible name; `link` makes the link (may throw an Error
 *   whose message is shown)
 * @returns {{ element: HTMLElement, reset: () => void }}
 */
export function shareControl({ label, description, link, className = '' }) {
  const status = el('span', { class: 'copied', role: 'status' });
  const field = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'text',
      readonly: true,
      class: 'share-link',
      'aria-label': `${description}: the link`,
      hidden: true,
      onfocus: () => field.select(),
    })
  );
  const reset = () => {
    status.textContent = '';
    status.classList.remove('error');
    field.value = '';
    field.hidden = true;
  };
  const button = el(
    'button',
    {
      type: 'button',
      class: `share ${className}`.trim(),
      'aria-label': description,
      onclick: async () => {
        reset();
        let href;
        try {
          href = await link();
        } catch (failure) {
          status.classList.add('error');
          status.textContent = String(/** @type {any} */ (failure)?.message ?? failure);
          return;
        }
        field.value = href;
        field.hidden = false;
        try {
          await navigator.clipboard.writeText(href);
          status.textContent = 'Copied';
        } catch {
          status.textContent = 'Select the link and copy it (the clipboard is not available here).';
        }
      },
    },
    label,
  );
  return { element: el('span', { class: 'share-control' }, button, status, field), reset };
}
