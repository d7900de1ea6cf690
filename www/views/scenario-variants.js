// @ts-check
/**
 * A scenario's variants: their list (title, id, summary), their Run buttons (one per variant, and "Run all"
 * unless one variant is shown alone), and the note naming those this page cannot run (they need shared
 * memory, which a page that is not cross-origin isolated does not have).
 */
import { el, inSentence, withCode } from '../dom.js';
import { canRun } from './trace-facts.js';

/**
 * @typedef {{ id: string, title: string, summary: string, available: boolean }} Variant
 */

/**
 * The list of variants: each one's title, id and summary (its `backticked` names as code).
 * @param {Variant[]} variants
 * @returns {HTMLElement}
 */
export const variantList = (variants) =>
  el(
    'dl',
    { class: 'variants' },
    variants.map((v) => [
      el('dt', {}, v.title, ' ', el('code', {}, v.id)),
      el('dd', {}, withCode(v.summary)),
    ]),
  );

/**
 * The Run buttons: "Run all" (the variants that can run here; left out when `alone`), then one per variant,
 * disabled for a variant this page cannot run. `onRun` gets the ids to run; `update` locks them all while a
 * batch runs, and unlocks those that can run.
 * @param {{ variants: Variant[], alone: boolean, onRun: (ids: string[]) => void }} options
 * @returns {{ element: HTMLElement, update: (state: { running: boolean }) => void }}
 */
export function runButtons({ variants, alone, onRun }) {
  const runnable = variants.filter(canRun).map((v) => v.id);
  /** @type {{ button: HTMLButtonElement, runs: boolean }[]} */
  const buttons = [];
  if (!alone)
    buttons.push({
      button: el(
        'button',
        { type: 'button', class: 'run run-all', id: 'run-all', onclick: () => onRun(runnable) },
        runnable.length === variants.length ? 'Run all variants' : 'Run all variants that can run here',
      ),
      runs: true,
    });
  for (const variant of variants) {
    const runs = canRun(variant);
    buttons.push({
      button: el(
        'button',
        {
          type: 'button',
          class: 'run',
          id: `run-${variant.id}`,
          'data-variant': variant.id,
          disabled: !runs,
          'data-unavailable': !runs,
          title: runs ? null : 'Needs shared memory, which this page does not have',
          onclick: () => onRun([variant.id]),
        },
        `Run ${inSentence(variant.title)}`,
      ),
      runs,
    });
  }
  return {
    element: el(
      'div',
      { class: 'actions' },
      buttons.map(({ button }) => button),
    ),
    update: ({ running }) => {
      for (const { button, runs } of buttons) button.disabled = running || !runs;
    },
  };
}

/**
 * The note naming the variants this page cannot run, with a link to Juggle in a new tab (`href`), or null
 * when every variant can run.
 * @param {Variant[]} variants
 * @param {string} href
 * @returns {HTMLElement | null}
 */
export function unavailableNote(variants, href) {
  const unavailable = variants.filter((v) => !canRun(v));
  if (!unavailable.length) return null;
  return el(
    'p',
    { class: 'unavailable-note' },
    `${unavailable.map((v) => v.title).join(', ')}: needs threads that share memory, which this page cannot have (it is not cross-origin isolated). `,
    el('a', { href, target: '_blank', rel: 'noopener' }, 'Open Juggle in a new tab'),
    ' to run it.',
  );
}
