/**
 * The page's handle on the engine: a dedicated Worker that owns its own instance of the wasm module and
 * the rayon pool (wasm-bindgen-rayon). The page's main thread never calls into rayon, so it never waits on
 * the pool's locks; it posts a job and awaits the report. The Rust side sees this object as `JsEngine`.
 */
export class Engine {
  /** Threads in the pool. */
  threads = 0;
  /** How long `initThreadPool` took, in ms (measured inside the worker). */
  poolInitMs = Number.NaN;
  #worker;
  #pending = new Map();
  #nextId = 1;

  constructor(worker) {
    this.#worker = worker;
  }

  /**
   * Starts the engine worker and its pool of `threads` threads.
   * @param {number} threads
   * @returns {Promise<Engine>} resolves once the pool runs
   */
  static start(threads) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./engine-worker.js', import.meta.url), {
        type: 'module',
        name: 'juggle-engine',
      });
      const engine = new Engine(worker);
      worker.addEventListener('message', ({ data }) => {
        if (data.type === 'ready') {
          engine.threads = data.threads;
          engine.poolInitMs = data.poolInitMs;
          resolve(engine);
        } else if (data.type === 'failed') {
          reject(new Error(`the worker pool did not start: ${data.message}`));
        } else {
          engine.#settle(data);
        }
      });
      worker.addEventListener('error', (event) => {
        reject(new Error(`the engine worker failed to load: ${event.message ?? 'unknown error'}`));
      });
      worker.postMessage({ type: 'start', threads });
    });
  }

  /**
   * Runs a pool job (see `PoolJob` in crate/src/pool.rs).
   * @param {object} job
   * @returns {Promise<object>} the job's report
   */
  run(job) {
    return this.#post(job, null);
  }

  /**
   * Runs a pool job while the calling thread waits synchronously: it spins on a shared flag that the
   * engine sets when the job is done (the main thread may not `Atomics.wait`). This blocks the page on
   * purpose; only the variant that teaches blocking calls it.
   * @param {object} job
   * @returns {Promise<object>} the job's report, delivered once the page's event loop runs again
   */
  runBlocking(job) {
    const done = new Int32Array(new SharedArrayBuffer(4));
    const report = this.#post(job, done);
    while (Atomics.load(done, 0) === 0) {
      // Busy-wait: the event loop is frozen here, as it is under a synchronous pool.map.
    }
    return report;
  }

  #post(job, done) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'run', id, job, done });
    });
  }

  #settle({ type, id, report, message }) {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (type === 'report') pending.resolve(report);
    else pending.reject(new Error(message));
  }
}
