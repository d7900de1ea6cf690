// @ts-check
// A worker with its own copy of the core built without atomics (www/pkg-lazy) and no shared memory. Two uses:
// - a message-passing pool worker (the engine when the page is not cross-origin isolated): `start`, then
//   any number of `run` messages, each a part of a pool job, answered with its report;
// - a worker started for one task and ended after it (io-bound/workers): one `spawned` message.
// Loading the core is the worker's start-up cost, which the timelines show. A part or a task that panicked
// is answered with an error whose `code` is `panicked`; the worker stays usable. Its messages are in
// www/messages.js (`ToPlainWorker`, `FromPlainWorker`).
// The core's on-demand build: it has the workers' exports and none of the page's.
import { dispatch, FromPlainWorker, postFromPlainWorker, ToPlainWorker } from './messages.js';
import init, { executePoolJobHere, runSpawnedTask } from './pkg-lazy/juggle.js';
import { errorMessage } from './worker-error.js';

const loaded = init();

/** @type {import('./messages.js').Handlers<import('./messages.js').ToPlainWorkerMessage>} */
const handlers = {
  [ToPlainWorker.START]: () => postFromPlainWorker({ type: FromPlainWorker.READY }),
  [ToPlainWorker.RUN]: ({ id, job }) =>
    postFromPlainWorker({ type: FromPlainWorker.REPORT, id, report: executePoolJobHere(job) }),
  // How big this instance's memory has grown (juggle.diagnostics()).
  [ToPlainWorker.MEMORY]: async ({ id }) => {
    const { memory } = await loaded;
    postFromPlainWorker({
      type: FromPlainWorker.REPORT,
      id,
      report: { wasmBytes: memory.buffer.byteLength },
    });
  },
  // Its spans and its own wasm memory, measured in Rust at the end of the task.
  [ToPlainWorker.SPAWNED]: async ({ task, createdMs }) => {
    const report = /** @type {import('./messages.js').SpawnedReport} */ (
      await runSpawnedTask(task, createdMs)
    );
    postFromPlainWorker({ type: FromPlainWorker.SPAWNED, report });
  },
};

self.addEventListener('message', async (event) => {
  const message = /** @type {import('./messages.js').ToPlainWorkerMessage} */ (event.data);
  try {
    await loaded;
    await dispatch(handlers, message);
  } catch (error) {
    postFromPlainWorker(errorMessage(FromPlainWorker.ERROR, 'id' in message ? message.id : undefined, error));
  }
});
