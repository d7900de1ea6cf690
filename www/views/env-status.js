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
  // The first line is for a learner (or a teacher looking at an embed); the technical detail is one click away.
  const plain =
    mode === 'shared-memory'
      ? `Parallel runs use ${threads} worker threads that share memory, as threads do.`
      : `Parallel runs use ${threads} separate workers that pass messages (this page cannot share memory between threads), so the few variants about shared memory cannot run here.`;
  let started = '';
  if (pool === 'failed') started = ` The worker pool failed to start: ${poolError?.message}`;
  else if (pool === 'running') started = ` Its start took ${formatMs(poolInitMs ?? 0)}.`;
  else started = ' It starts with the first parallel run, whose timeline shows the start-up.';
  const detail =
    mode === 'shared-memory'
      ? `worker pool: ${threads} threads over shared memory (rayon on Web Workers), because ${why}.`
      : `worker pool: ${threads} message-passing workers (each its own copy of the Rust core), because ${why}.`;
  element.replaceChildren(
    el('span', { class: 'env-plain' }, plain),
    ' ',
    el(
      'details',
      { class: 'env-detail' },
      el('summary', {}, 'Details'),
      `${navigator.hardwareConcurrency} logical cores (navigator.hardwareConcurrency, which counts hyper-threads too) · ${detail}${started}`,
    ),
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
