// @ts-check
// A thread of its own for `threads/io-gil` beyond the pool's threads (see crate/src/own_threads.rs): the
// engine worker starts one per thread and sends it the core's compiled module and the engine's shared
// memory (`ToOwnThread.RUN`, www/messages.js). It instantiates the threaded core over that memory (a thread
// of the same program, as the pool's threads are), runs its model thread to the end (blocking waits here
// block this worker only), frees its stack and says it is done; the engine worker then ends it.
import { dispatch, FromOwnThread, postFromOwnThread, ToOwnThread } from './messages.js';
import init, { ownThreadRun } from './pkg/juggle.js';
import { errorMessage } from './worker-error.js';

/** @type {import('./messages.js').Handlers<import('./messages.js').ToOwnThreadMessage>} */
const handlers = {
  [ToOwnThread.RUN]: async ({ module, memory, id, me, createdMs }) => {
    const core = await init({ module_or_path: module, memory });
    ownThreadRun(id, me, createdMs);
    // This instance's thread stack and thread-local storage go back to the shared memory's allocator.
    core.__wbindgen_thread_destroy();
    postFromOwnThread({ type: FromOwnThread.DONE });
  },
};

self.addEventListener(
  'message',
  async (event) => {
    try {
      await dispatch(handlers, /** @type {import('./messages.js').ToOwnThreadMessage} */ (event.data));
    } catch (error) {
      postFromOwnThread(errorMessage(FromOwnThread.ERROR, undefined, error));
    }
  },
  { once: true },
);
