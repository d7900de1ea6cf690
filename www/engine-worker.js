// @ts-check
// The engine worker: its own wasm instance (with its own shared memory) and the rayon pool. Each job is
// spawned onto the pool and its report comes back as a promise, so jobs posted together run together. A job
// that panicked is answered with an error whose `code` is `panicked`; the pool stays usable. A `threads` job
// of blocking waits on more threads than the pool has runs on threads of their own instead: one Web Worker
// per thread over this instance's shared memory (own-thread.js; crate/src/own_threads.rs). Its messages are
// in www/messages.js (`ToEngineWorker`, `FromEngineWorker`, `ToOwnThread`, `FromOwnThread`).
import {
  dispatch,
  FromEngineWorker,
  FromOwnThread,
  markDone,
  postFromEngineWorker,
  postToOwnThread,
  ToEngineWorker,
  ToOwnThread,
} from './messages.js';
import init, {
  cancelPoolJobs,
  coreModule,
  executePoolJob,
  initThreadPool,
  ownThreadsBegin,
  ownThreadsEnd,
  ownThreadsWanted,
} from './pkg/juggle.js';
import { errorMessage, errorText } from './worker-error.js';

/** @typedef {import('./messages.js').PoolJob} PoolJob */
/** @typedef {import('./messages.js').PoolReport} PoolReport */

/** The instance's exports, once loaded (for its memory's size). @type {import('./pkg/juggle.js').InitOutput | null} */
let core = null;
/** The pool's size, once started. */
let poolThreads = 0;

/**
 * Runs `job` on `count` threads of its own: registers it, starts a Web Worker per thread over this instance's
 * module and shared memory, waits for every one to be done, ends them and returns the job's report.
 * @param {PoolJob} job
 * @param {number} count
 * @param {WebAssembly.Memory} memory this instance's shared memory
 * @returns {Promise<PoolReport>}
 */
async function onOwnThreads(job, count, memory) {
  const id = ownThreadsBegin(job);
  /** @type {Worker[]} */
  const threads = [];
  /** @type {PoolReport} */
  let report = null;
  try {
    await Promise.all(
      Array.from(
        { length: count },
        (_, me) =>
          /** @type {Promise<void>} */ (
            new Promise((resolve, reject) => {
              const thread = new Worker(new URL('./own-thread.js', import.meta.url), {
                type: 'module',
                name: `juggle-thread-${me + 1}`,
              });
              threads.push(thread);
              thread.addEventListener('message', (event) => {
                const answer = /** @type {import('./messages.js').FromOwnThreadMessage} */ (event.data);
                if (answer.type === FromOwnThread.DONE) resolve();
                else if (answer.type === FromOwnThread.ERROR)
                  reject(Object.assign(new Error(answer.message), answer));
              });
              thread.addEventListener('error', (event) =>
                reject(new Error(`a thread's worker failed to load: ${event.message ?? 'unknown error'}`)),
              );
              postToOwnThread(thread, {
                type: ToOwnThread.RUN,
                module: coreModule(),
                memory,
                id,
                me,
                createdMs: performance.timeOrigin + performance.now(),
              });
            })
          ),
      ),
    );
  } catch (error) {
    // A thread that failed leaves the others waiting for it at the start: the run is cancelled for them.
    cancelPoolJobs();
    throw error;
  } finally {
    for (const thread of threads) thread.terminate();
    report = ownThreadsEnd(id);
  }
  return report;
}

/** @type {import('./messages.js').Handlers<import('./messages.js').ToEngineWorkerMessage>} */
const handlers = {
  [ToEngineWorker.START]: async ({ threads }) => {
    try {
      core = await init();
      const started = performance.now();
      await initThreadPool(threads);
      poolThreads = threads;
      const poolInitMs = performance.now() - started;
      postFromEngineWorker({ type: FromEngineWorker.READY, threads, poolInitMs });
    } catch (error) {
      postFromEngineWorker({ type: FromEngineWorker.FAILED, message: errorText(error) });
    }
  },
  // How big this instance's memory has grown (juggle.diagnostics()).
  [ToEngineWorker.MEMORY]: ({ id }) => {
    const report = { wasmBytes: core?.memory.buffer.byteLength ?? 0 };
    postFromEngineWorker({ type: FromEngineWorker.REPORT, id, report });
  },
  // The run was cancelled: its jobs stop at their next check (they run on the pool, not here).
  [ToEngineWorker.CANCEL]: () => cancelPoolJobs(),
  [ToEngineWorker.RUN]: async ({ id, job, done }) => {
    try {
      if (!core) throw new Error('the engine worker was asked to run a job before it started');
      // The core decides which jobs run on threads of their own (blocking waits on more threads than
      // the pool has; crate/src/own_threads.rs).
      const ownThreads = ownThreadsWanted(job, poolThreads);
      const report =
        ownThreads > 0 ? await onOwnThreads(job, ownThreads, core.memory) : await executePoolJob(job);
      postFromEngineWorker({ type: FromEngineWorker.REPORT, id, report });
    } catch (error) {
      postFromEngineWorker(errorMessage(FromEngineWorker.ERROR, id, error));
    } finally {
      // A caller that waits synchronously spins on this flag.
      if (done) markDone(done);
    }
  },
};

self.addEventListener('message', (event) => {
  dispatch(handlers, /** @type {import('./messages.js').ToEngineWorkerMessage} */ (event.data));
});
