// A Web Worker started for one task and ended after it (io-bound/workers: a worker per request). Loading
// its own copy of the core is its start-up cost, which the task's first span shows.
import init, { runSpawnedTask } from './pkg-st/juggle.js';

self.addEventListener(
  'message',
  async ({ data }) => {
    try {
      await init();
      self.postMessage({ type: 'spans', spans: await runSpawnedTask(data.task, data.createdMs) });
    } catch (error) {
      self.postMessage({ type: 'error', message: String(error?.message ?? error) });
    }
  },
  { once: true },
);
