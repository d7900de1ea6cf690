// @ts-check
/**
 * The Lab's action row: Run, Stop (Esc) and, outside an embed, Share. While a run goes on, Run is disabled
 * and Stop enabled; otherwise the other way round.
 */
import { el } from '../dom.js';

/**
 * @param {{ onRun: () => void, onStop: () => void, share: HTMLElement | null }} options `share`: the Share
 *   control, or null (an embed)
 * @returns {{ element: HTMLElement, update: (now: { running: boolean }) => void }}
 */
export function runActions({ onRun, onStop, share }) {
  const run = el('button', { type: 'button', class: 'run', id: 'lab-run', onclick: () => onRun() }, 'Run');
  const stop = el(
    'button',
    { type: 'button', class: 'cancel', id: 'lab-stop', disabled: true, onclick: () => onStop() },
    'Stop (Esc)',
  );
  return {
    element: el('div', { class: 'actions lab-actions' }, run, stop, share),
    update({ running }) {
      run.disabled = running;
      stop.disabled = !running;
    },
  };
}
