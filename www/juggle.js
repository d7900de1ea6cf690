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
 * Loads the Rust core. When the page is cross-origin isolated (so shared memory exists), it prepares the
 * engine, which starts its worker pool on the first run that needs it.
 * @returns {Promise<object>} the API object
 */
export async function createJuggle() {
  await init();
  const catalogue = coreScenarios();
  const isolated = globalThis.crossOriginIsolated === true;
  const engine = isolated ? new Engine(Math.max(2, navigator.hardwareConcurrency || 2)) : null;

  return {
    /** Every scenario with its variants and parameters (defaults and allowed ranges). */
    scenarios: () => structuredClone(catalogue),

    /**
     * Runs a scenario; `params.variant` picks the variant. Rejects with an Error whose `code` says why.
     * @param {string} id
     * @param {object} [params]
     */
    run: (id, params = {}) => runCore(id, params, engine ?? undefined),

    /**
     * Starts the worker pool now rather than on the first parallel run (for measurements that should not
     * include the start-up). Resolves once it runs; rejects if it cannot start.
     */
    async startPool() {
      if (!engine) throw new Error('the worker pool needs a cross-origin isolated page');
      await engine.start();
    },

    /**
     * Where the page runs: `isolated`, the pool's `threads`, its `state` (`unavailable`, `not started`,
     * `running`, `failed`), `poolInitMs` once started and `poolError` if it failed.
     */
    status: () => ({
      isolated,
      threads: engine?.threads ?? 0,
      state: engine?.state ?? 'unavailable',
      poolInitMs: engine?.poolInitMs,
      poolError: engine?.error ?? null,
    }),
  };
}
