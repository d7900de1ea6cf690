/**
 * The `window.juggle` API, the same one the page uses. Learners can call it from the DevTools console:
 *
 *   juggle.scenarios()                                  // ids, variants, parameters with ranges
 *   await juggle.run('count', { variant: 'async' })     // a trace (see README, "Trace format")
 */

import { Engine } from './engine.js';
// The main thread loads the core built without atomics: its futures wake through the microtask queue, as an
// event loop's coroutines do. The threaded build, with the pool, lives in the engine worker.
import init, { scenarios as coreScenarios, run as runCore } from './pkg-st/juggle.js';

/**
 * Loads the Rust core and starts the worker pool in the background (when the page is cross-origin
 * isolated, so that shared memory exists).
 * @returns {Promise<object>} the API object
 */
export async function createJuggle() {
  await init();
  const catalogue = coreScenarios();
  const isolated = globalThis.crossOriginIsolated === true;
  const threads = Math.max(2, navigator.hardwareConcurrency || 2);
  const enginePromise = isolated ? Engine.start(threads) : Promise.resolve(null);
  let engine = null;
  let engineError = null;
  enginePromise.then(
    (started) => {
      engine = started;
    },
    (error) => {
      engineError = error;
    },
  );

  /** The variant a request will run (the first one when none is named), from the catalogue. */
  const variantOf = (id, params) => {
    const scenario = catalogue.find((s) => s.id === id);
    const name = params?.variant ?? scenario?.variants[0].id;
    return scenario?.variants.find((v) => v.id === name);
  };

  return {
    /** Every scenario with its variants and parameters (defaults and allowed ranges). */
    scenarios: () => structuredClone(catalogue),

    /**
     * Runs a scenario; `params.variant` picks the variant. Rejects with an Error whose `code` says why.
     * @param {string} id
     * @param {object} [params]
     */
    async run(id, params = {}) {
      if (variantOf(id, params)?.placement === 'pool' && !engine) {
        // Wait for the pool if it is still starting; Rust explains if there is none.
        await enginePromise.catch(() => null);
      }
      return runCore(id, params, engine ?? undefined);
    },

    /** Where the page runs: isolation, and the pool once it has started (or why it did not). */
    status: () => ({ isolated, threads: engine?.threads ?? 0, poolInitMs: engine?.poolInitMs, engineError }),

    /** Resolves when the pool has started (or with null when there is none). */
    poolReady: enginePromise.catch(() => null),
  };
}
