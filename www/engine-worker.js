// The engine worker: its own wasm instance (with its own shared memory) and the rayon pool. Each job is
// spawned onto the pool and its report comes back as a promise, so jobs posted together run together. A job
// that panicked is answered with an error whose `code` is `panicked`; the pool stays usable.
import init, { cancelPoolJobs, executePoolJob, initThreadPool } from './pkg/juggle.js';
import { errorMessage } from './worker-error.js';

/** The instance's exports, once loaded (for its memory's size). */
let core = null;

self.addEventListener('message', async ({ data }) => {
  if (data.type === 'start') {
    try {
      core = await init();
      const started = performance.now();
      await initThreadPool(data.threads);
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
      self.postMessage({ type: 'report', id: data.id, report: await executePoolJob(data.job) });
    } catch (error) {
      self.postMessage(errorMessage(data.id, error));
    } finally {
      // A caller that waits synchronously spins on this flag.
      if (data.done) Atomics.store(data.done, 0, 1);
    }
  }
});
