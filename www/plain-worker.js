// A worker with its own copy of the core built without atomics (www/pkg-lazy) and no shared memory. Two uses:
// - a message-passing pool worker (the engine when the page is not cross-origin isolated): `start`, then
//   any number of `run` messages, each a part of a pool job, answered with its report;
// - a worker started for one task and ended after it (io-bound/workers): one `spawned` message.
// Loading the core is the worker's start-up cost, which the timelines show. A part or a task that panicked
// is answered with an error whose `code` is `panicked`; the worker stays usable.
// The core's on-demand build: it has the workers' exports and none of the page's.
import init, { executePoolJobHere, runSpawnedTask } from './pkg-lazy/juggle.js';
import { errorMessage } from './worker-error.js';

const loaded = init();

self.addEventListener('message', async ({ data }) => {
  try {
    await loaded;
    if (data.type === 'start') {
      self.postMessage({ type: 'ready' });
    } else if (data.type === 'run') {
      self.postMessage({ type: 'report', id: data.id, report: executePoolJobHere(data.job) });
    } else if (data.type === 'memory') {
      // How big this instance's memory has grown (juggle.diagnostics()).
      const { memory } = await loaded;
      self.postMessage({ type: 'report', id: data.id, report: { wasmBytes: memory.buffer.byteLength } });
    } else if (data.type === 'spawned') {
      // Its spans and its own wasm memory, measured in Rust at the end of the task.
      self.postMessage({ type: 'spawned', report: await runSpawnedTask(data.task, data.createdMs) });
    }
  } catch (error) {
    self.postMessage(errorMessage(data.id, error));
  }
});
