/**
 * The `window.juggle` API, the same one the page uses. Learners can call it from the DevTools console:
 *
 *   juggle.scenarios()                                  // ids, variants, parameters with ranges
 *   await juggle.run('count', { variant: 'async' })     // a trace (see README, "Trace format")
 */

import { threads as wasmThreads } from 'wasm-feature-detect';
import { MessagePassingEngine, SharedMemoryEngine } from './engine.js';
// The main thread loads the core built without atomics: its futures wake through the microtask queue, as an
// event loop's coroutines do. The threaded build, with the pool, lives in the engine worker.
import init, { scenarios as coreScenarios, run as runCore } from './pkg-st/juggle.js';

/**
 * Loads the Rust core and prepares the engine for parallel work, which starts on the first run that needs
 * it. With shared memory (a cross-origin isolated page whose browser supports wasm threads) the engine is
 * rayon on Web Workers; without, it is message-passing workers, and the variants that need shared memory
 * say so.
 * @returns {Promise<object>} the API object
 */
export async function createJuggle() {
  const [, threadsSupported] = await Promise.all([init(), wasmThreads()]);
  const catalogue = coreScenarios();
  const isolated = globalThis.crossOriginIsolated === true;
  const sharedMemory = isolated && threadsSupported;
  const size = Math.max(2, navigator.hardwareConcurrency || 2);
  const engine = sharedMemory ? new SharedMemoryEngine(size) : new MessagePassingEngine(size);
  const whyMode = sharedMemory
    ? 'the page is cross-origin isolated, so workers can share memory'
    : isolated
      ? 'this browser does not support WebAssembly threads'
      : 'the page is not cross-origin isolated (for example inside another site), so SharedArrayBuffer is unavailable';

  return {
    /** Every scenario with its variants and parameters (defaults and allowed ranges). */
    scenarios: () => structuredClone(catalogue),

    /**
     * Runs a scenario; `params.variant` picks the variant. Rejects with an Error whose `code` says why.
     * @param {string} id
     * @param {object} [params]
     */
    run: (id, params = {}) => runCore(id, params, engine),

    /**
     * Starts the worker pool now rather than on the first parallel run (for measurements that should not
     * include the start-up). Resolves once it runs; rejects if it cannot start.
     */
    async startPool() {
      await engine.start();
    },

    /**
     * Where the page runs: `isolated`, `mode` (`shared-memory` or `message-passing`) and `why`, the pool's
     * `threads`, its `state` (`not started`, `starting`, `running`, `failed`), `poolInitMs` once started
     * and `poolError` if it failed.
     */
    status: () => ({
      isolated,
      mode: engine.mode,
      why: whyMode,
      threads: engine.threads,
      state: engine.state,
      poolInitMs: engine.poolInitMs,
      poolError: engine.error,
    }),
  };
}
