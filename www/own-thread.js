// A thread of its own for `threads/io-gil` beyond the pool's threads (see crate/src/own_threads.rs): the
// engine worker starts one per thread and sends it the core's compiled module and the engine's shared
// memory. It instantiates the threaded core over that memory (a thread of the same program, as the pool's
// threads are), runs its model thread to the end (blocking waits here block this worker only), frees its
// stack and says it is done; the engine worker then ends it.
import init, { ownThreadRun } from './pkg/juggle.js';
import { errorMessage } from './worker-error.js';

self.addEventListener(
  'message',
  async ({ data }) => {
    try {
      const core = await init({ module_or_path: data.module, memory: data.memory });
      ownThreadRun(data.id, data.me, data.createdMs);
      // This instance's thread stack and thread-local storage go back to the shared memory's allocator.
      core.__wbindgen_thread_destroy();
      self.postMessage({ type: 'done' });
    } catch (error) {
      self.postMessage(errorMessage(undefined, error));
    }
  },
  { once: true },
);
