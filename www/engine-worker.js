// The engine worker: its own wasm instance (with its own shared memory) and the rayon pool. Each job is
// spawned onto the pool and its report comes back as a promise, so jobs posted together run together. A job
// that panicked is answered with an error whose `code` is `panicked`; the pool stays usable. A `threads` job
// of blocking waits on more threads than the pool has runs on threads of their own instead: one Web Worker
// per thread over this instance's shared memory (own-thread.js; crate/src/own_threads.rs).
import init, {
  cancelPoolJobs,
  coreModule,
  executePoolJob,
  initThreadPool,
  ownThreadsBegin,
  ownThreadsEnd,
  ownThreadsWanted,
} from './pkg/juggle.js';
import { errorMessage } from './worker-error.js';

/** The instance's exports, once loaded (for its memory's size). */
let core = null;
/** The pool's size, once started. */
let poolThreads = 0;

/**
 * Runs `job` on `count` threads of its own: registers it, starts a Web Worker per thread over this instance's
 * module and shared memory, waits for every one to be done, ends them and returns the job's report.
 */
async function onOwnThreads(job, count) {
  const id = ownThreadsBegin(job);
  const threads = [];
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
              thread.addEventListener('message', ({ data }) =>
                data.type === 'done' ? resolve() : reject(Object.assign(new Error(data.message), data)),
              );
              thread.addEventListener('error', (event) =>
                reject(new Error(`a thread's worker failed to load: ${event.message ?? 'unknown error'}`)),
              );
              thread.postMessage({
                module: coreModule(),
                memory: core.memory,
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

self.addEventListener('message', async ({ data }) => {
  if (data.type === 'start') {
    try {
      core = await init();
      const started = performance.now();
      await initThreadPool(data.threads);
      poolThreads = data.threads;
      const poolInitMs = performance.now() - started;
      self.postMessage({ type: 'ready', threads: data.threads, poolInitMs });
    } catch (error) {
      self.postMessage({ type: 'failed', message: String(error?.message ?? error) });
    }
  } else if (data.type === 'memory') {
    // How big this instance's memory has grown (juggle.diagnostics()).
    self.postMessage({
      type: 'report',
      id: data.id,
      report: { wasmBytes: core?.memory.buffer.byteLength ?? 0 },
    });
  } else if (data.type === 'cancel') {
    // The run was cancelled: its jobs stop at their next check (they run on the pool, not here).
    cancelPoolJobs();
  } else if (data.type === 'run') {
    try {
      // The core decides which jobs run on threads of their own (blocking waits on more threads than
      // the pool has; crate/src/own_threads.rs).
      const ownThreads = ownThreadsWanted(data.job, poolThreads);
      const report =
        ownThreads > 0 ? await onOwnThreads(data.job, ownThreads) : await executePoolJob(data.job);
      self.postMessage({ type: 'report', id: data.id, report });
    } catch (error) {
      self.postMessage(errorMessage(data.id, error));
    } finally {
      // A caller that waits synchronously spins on this flag.
      if (data.done) Atomics.store(data.done, 0, 1);
    }
  }
});
