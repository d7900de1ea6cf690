// @ts-check
/**
 * The Lab's example row: a picker of the short programs (lab-examples.js's classics) and of every
 * scenario's twin.py, "Open example" (which loads the picked one) and "Reset to example" (which brings back
 * the example the editor's program came from). What loading and resetting do is the caller's.
 */
import { el } from '../dom.js';

/**
 * @param {{ classics: { id: string, title: string }[], catalogue: { id: string, title: string }[],
 *   chosen: string, onOpen: (id: string) => void, onReset: () => void }} options `chosen`: the id picked
 *   at first (a classic's, or `twin:<scenario>`); `onOpen`: "Open example" was pressed with `id` picked
 * @returns {HTMLElement}
 */
export function examplePicker({ classics, catalogue, chosen, onOpen, onReset }) {
  const picker = /** @type {HTMLSelectElement} */ (
    el(
      'select',
      { id: 'lab-example', class: 'lab-example' },
      el(
        'optgroup',
        { label: 'Short programs' },
        classics.map((c) => el('option', { value: c.id }, c.title)),
      ),
      el(
        'optgroup',
        { label: 'The scenarios’ Python twins' },
        catalogue.map((s) => el('option', { value: `twin:${s.id}` }, `twin.py of “${s.title}”`)),
      ),
    )
  );
  picker.value = chosen;
  return el(
    'div',
    { class: 'lab-examples' },
    el('label', { for: 'lab-example' }, 'Start from an example'),
    picker,
    el('button', { type: 'button', id: 'lab-load', onclick: () => onOpen(picker.value) }, 'Open example'),
    el('button', { type: 'button', id: 'lab-reset', onclick: onReset }, 'Reset to example'),
  );
}
