// @ts-check
/**
 * A scenario's knobs (its settings): a number box per parameter with its range beside it, flagged at once
 * when the browser's own check of min, max and step fails. The form says what changed; the view decides
 * what follows (the URL, the runs shown). The counts the prose names follow the knobs (`followKnobs`).
 */
import { el } from '../dom.js';

/**
 * @typedef {{ name: string, label: string, unit?: string, min: number, max: number, default: number }} Knob
 */

/**
 * The knobs' form. `values` are the knobs as the URL set them; `poolThreads` the worker pool's threads,
 * which bound `max_threads` (the range shown is the range enforced). `onKnob` hears each edit: the knob,
 * its text, and whether it is a setting that can run.
 * @param {{ params: Knob[], values: Record<string, unknown>, poolThreads?: number,
 *   onKnob: (knob: Knob, value: string, valid: boolean) => void }} options
 * @returns {{ element: HTMLFormElement, update: (values: Record<string, unknown>) => void,
 *   setDisabled: (disabled: boolean) => void }}
 *   `update` shows other values (a recorded run's), all valid; `setDisabled` locks them during a batch
 */
export function knobsForm({ params, values, poolThreads, onKnob }) {
  /** @type {{ name: string, input: HTMLInputElement, showValid: (valid: boolean) => void }[]} */
  const boxes = [];
  const element = el(
    'form',
    {
      class: 'knobs',
      'aria-label': 'Settings',
      onsubmit: (/** @type {Event} */ event) => event.preventDefault(),
    },
    params.map((param) => {
      const bound = param.name === 'max_threads' ? poolThreads : undefined;
      const max = bound ? Math.min(param.max, bound) : param.max;
      const rangeText = `${param.min}–${max}${bound ? ` (the pool has ${bound} threads)` : ''}`;
      const range = el('span', { class: 'knob-range', id: `range-${param.name}` }, rangeText);
      const showValid = (/** @type {boolean} */ valid) => {
        input.setAttribute('aria-invalid', String(!valid));
        range.textContent = valid ? rangeText : `a whole number from ${param.min} to ${max}`;
      };
      const input = /** @type {HTMLInputElement} */ (
        el('input', {
          type: 'number',
          name: param.name,
          min: param.min,
          max,
          step: 1,
          value: /** @type {string | number} */ (values[param.name] ?? param.default),
          'aria-describedby': `range-${param.name}`,
          oninput: () => {
            // The browser's own check of min, max and step flags the box at once; the run is still
            // refused by the core's validation, with its message, if it is started anyway.
            const valid = input.validity.valid && input.value !== '';
            showValid(valid);
            onKnob(param, input.value, valid);
          },
        })
      );
      boxes.push({ name: param.name, input, showValid });
      return el(
        'label',
        {},
        el('span', { class: 'knob-label' }, `${param.label}${param.unit ? ` (${param.unit})` : ''}`),
        input,
        range,
      );
    }),
  );
  return {
    element,
    update: (shown) => {
      for (const { name, input, showValid } of boxes) {
        input.value = String(shown[name]);
        showValid(true);
      }
    },
    setDisabled: (disabled) => {
      for (const { input } of boxes) input.disabled = disabled;
    },
  };
}

/**
 * Every count the prose under `root` names (`<span data-param="tasks">`) shows the knob's current value,
 * when it is one the knob can take (a box being typed in keeps the last such value).
 * @param {ParentNode} root
 * @param {Knob[]} params
 * @param {Record<string, unknown>} values
 */
export function followKnobs(root, params, values) {
  for (const node of root.querySelectorAll('[data-param]')) {
    const param = params.find((p) => p.name === node.getAttribute('data-param'));
    if (!param) continue;
    const value = Number(values[param.name] ?? param.default);
    if (Number.isInteger(value) && value >= param.min && value <= param.max)
      node.textContent = value.toLocaleString('en-GB');
  }
}
