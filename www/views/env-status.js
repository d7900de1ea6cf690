// @ts-check
/** The header's line about where the page runs: cores, the kind of worker pool and why, its start. */
import { el, formatMs } from '../dom.js';

/**
 * Fills `element` (the header's `#env-status`) from `juggle.status()`.
 * @param {HTMLElement} element
 * @param {{ mode: string, why: string, threads: number, state: string, poolInitMs?: number,
 *   poolError?: { message?: string } | null }} status
 * @param {string} standaloneHref where "open in a new tab" goes
 */
export function showEnv(element, status, standaloneHref) {
  const { mode, why, threads, state: pool, poolInitMs, poolError } = status;
  const cores = `${navigator.hardwareConcurrency} logical cores (hardwareConcurrency counts hyper-threads too)`;
  const workers =
    mode === 'shared-memory'
      ? `worker pool: ${threads} threads over shared memory (rayon), because ${why}`
      : `worker pool: ${threads} message-passing workers, because ${why}. Variants that need shared memory cannot run here`;
  let started = '';
  if (pool === 'failed') started = `. It failed to start: ${poolError?.message}`;
  else if (pool === 'running') started = ` (its start took ${formatMs(poolInitMs ?? 0)}).`;
  else started = '; it starts with the first parallel run, whose timeline shows the start-up.';
  element.replaceChildren(
    `${cores} · ${workers}${started}`,
    mode === 'shared-memory'
      ? ''
      : el(
          'a',
          { href: standaloneHref, target: '_blank', rel: 'noopener', class: 'new-tab' },
          'Open in a new tab for shared memory',
        ),
  );
  element.dataset.mode = mode;
}
