/**
 * The page's handle on the engine: a dedicated Worker that owns its own instance of the wasm module and
 * the rayon pool (wasm-bindgen-rayon). The page's main thread never calls into rayon, so it never waits on
 * the pool's locks; it posts a job and awaits the report. The Rust side sees this object as `JsEngine`.
 *
 * The engine starts on the first run that needs it, so that run can show the start-up; later runs find
 * it running.
 */

/** The clock every worker shares: ms since the epoch (each worker has its own `performance.now()` origin). */
const epochMs = () => performance.timeOrigin + performance.now();

export class Engine {
  /** Threads in the pool (once started; the number it will start with before). */
  threads;
  /** How long `initThreadPool` took, in ms (measured inside the worker); NaN until started. */
  poolInitMs = Number.NaN;
  /** `not started`, `starting`, `running` or `failed`. */
  state = 'not started';
  /** Why the start failed, when it did. */
  error = null;
  #worker = null;
  #started = null;
  #pending = new Map();
  #nextId = 1;

  /** @param {number} threads the pool's size */
  constructor(threads) {
    this.threads = threads;
  }

  /**
   * Starts the engine worker and its pool unless already started or starting.
   * @returns {Promise<{ start_ms: number, end_ms: number } | null>} for the call that started it, when
   *   the start began and ended (epoch ms); `null` for every later call
   */
  start() {
    if (this.#started) return this.#started.then(() => null);
    const startMs = epochMs();
    this.state = 'starting';
    this.#started = new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./engine-worker.js', import.meta.url), {
        type: 'module',
        name: 'juggle-engine',
      });
      worker.addEventListener('message', ({ data }) => {
        if (data.type === 'ready') {
          this.poolInitMs = data.poolInitMs;
          resolve({ start_ms: startMs, end_ms: epochMs() });
        } else if (data.type === 'failed') {
          reject(new Error(`the worker pool did not start: ${data.message}`));
        } else {
          this.#settle(data);
        }
      });
      worker.addEventListener('error', (event) => {
        reject(new Error(`the engine worker failed to load: ${event.message ?? 'unknown error'}`));
      });
      worker.postMessage({ type: 'start', threads: this.threads });
      this.#worker = worker;
    }).then(
      (started) => {
        this.state = 'running';
        return started;
      },
      (error) => {
        this.state = 'failed';
        this.error = error;
        throw error;
      },
    );
    return this.#started;
  }

  /**
   * Runs a pool job (see `PoolJob` in crate/src/pool.rs). Jobs posted together run at the same time.
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

  /**
   * Starts a Web Worker for one task (see `SpawnedTask` in crate/src/spawned.rs); it loads its own copy of
   * the core, runs the task and ends.
   * @param {object} task
   * @returns {Promise<object[]>} the spans it recorded, its start-up first
   */
  spawnWorker(task) {
    const createdMs = epochMs();
    const worker = new Worker(new URL('./spawned-worker.js', import.meta.url), {
      type: 'module',
      name: `juggle-${task.lane}`,
    });
    return new Promise((resolve, reject) => {
      worker.addEventListener('message', ({ data }) => {
        if (data.type === 'spans') resolve(data.spans);
        else reject(new Error(data.message));
        worker.terminate();
      });
      worker.addEventListener('error', (event) => {
        reject(new Error(`a spawned worker failed: ${event.message ?? 'unknown error'}`));
        worker.terminate();
      });
      worker.postMessage({ task, createdMs });
    });
  }

  #post(job, done) {
    if (!this.#worker) return Promise.reject(new Error('the worker pool has not been started'));
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
