// @ts-check
/**
 * The Lab's kept program: the learner's last program, its arguments and the example it came from, kept in
 * localStorage (`STORAGE_KEY`) a moment after each change, read back when the Lab opens with no other
 * program asked for, and forgotten by "Reset to example". Storage that is full or refused (private mode)
 * keeps nothing, silently, and so does a frame whose storage is blocked altogether (reading localStorage
 * throws there).
 */
import { DEFAULT_EXAMPLE } from './lab-examples.js';
import { checkSource } from './lab-link.js';

/** Where the learner's last program is kept. */
export const STORAGE_KEY = 'juggle.lab.v1';

/** How long after the last change the program is kept, in ms. */
const KEEP_AFTER_MS = 300;

/** @typedef {{ source: string, argv: string[], example: string }} KeptProgram */
/** @typedef {Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>} ProgramStorage */

/**
 * `storage`, or the page's localStorage, looked up only when used: in a frame on another origin whose
 * storage the browser blocks, even reading `localStorage` throws.
 * @param {ProgramStorage | undefined} storage
 * @returns {ProgramStorage}
 */
const storageOr = (storage) => storage ?? globalThis.localStorage;

/**
 * The learner's kept program, or null (nothing kept, or what is kept is not a program the Lab opens).
 * @param {ProgramStorage} [storage]
 * @returns {KeptProgram | null}
 */
export function loadKept(storage) {
  try {
    const kept = JSON.parse(storageOr(storage).getItem(STORAGE_KEY) ?? 'null');
    if (!kept || typeof kept.source !== 'string') return null;
    checkSource(kept.source);
    return {
      source: kept.source,
      argv: Array.isArray(kept.argv)
        ? kept.argv.filter((/** @type {unknown} */ a) => typeof a === 'string')
        : [],
      example: typeof kept.example === 'string' ? kept.example : DEFAULT_EXAMPLE,
    };
  } catch {
    return null;
  }
}

/**
 * Keeps the program `current()` returns: `keep()` now, `keepSoon(then)` once changes have stopped for
 * KEEP_AFTER_MS (one timer for every change, so a later change restarts it and only its `then` runs),
 * `forget()` drops it, `stop()` cancels a pending keep. A keeper that is not `enabled` (a read-only Lab,
 * an embed: the program is the teacher's) keeps and forgets nothing, but still runs `then`.
 * @param {{ enabled: boolean, current: () => KeptProgram, storage?: ProgramStorage }} options
 */
export function programKeeper({ enabled, current, storage }) {
  let timer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  const keep = () => {
    if (!enabled) return;
    try {
      storageOr(storage).setItem(STORAGE_KEY, JSON.stringify(current()));
    } catch {
      // Storage full or refused (private mode): the program just is not kept.
    }
  };
  return {
    keep,
    /** @param {() => void} [then] what else to do once the changes have stopped */
    keepSoon(then) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        keep();
        then?.();
      }, KEEP_AFTER_MS);
    },
    forget() {
      if (!enabled) return;
      try {
        storageOr(storage).removeItem(STORAGE_KEY);
      } catch {
        // nothing kept
      }
    },
    stop: () => clearTimeout(timer),
  };
}
