/**
 * The page's handles on parallel work; the Rust side sees either as `JsEngine` (crate/src/web/engine.rs).
 *
 * - `SharedMemoryEngine`: a dedicated Worker that owns its own instance of the threaded core and the rayon
 *   pool (wasm-bindgen-rayon). The page's main thread never calls into rayon, so it never waits on the
 *   pool's locks; it posts a job and awaits the report. Needs a cross-origin isolated page.
 * - `MessagePassingEngine`: the fallback on pages that are not isolated. Plain workers, each with its own
 *   core built without atomics (www/pkg-lazy); Rust splits each job into one part per worker and merges
 *   their reports.
 *
 * Either starts on the first run that needs it (that run shows the start-up); later runs find it running.
 */

/** The clock every worker shares: ms since the epoch (each worker has its own `performance.now()` origin). */
const epochMs = () => performance.timeOrigin + performance.now();

// Each worker is created with a literal `new URL('./<name>.js', import.meta.url)`: that is the pattern Vite
// recognises to bundle the worker's script for `npm run build`.

/** A worker with its own core built without atomics and no shared memory (see plain-worker.js). */
const plainWorker = (name) =>
  new Worker(new URL('./plain-worker.js', import.meta.url), { type: 'module', name });

/** An Error for a worker's answer `{ message, code }`: `code` (for example `panicked`) is kept. */
const workerError = ({ message, code }) => Object.assign(new Error(message), code ? { code } : {});

/** The engine worker, which owns the rayon pool (see engine-worker.js). */
const engineWorker = () =>
  new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module', name: 'juggle-engine' });

/** What both engines share: the start-up bookkeeping, workers started for one task, request ids. */
class EngineBase {
  /** Threads in the pool (once started; the number it will start with before). */
  threads;
  /** How long the pool's own start took, in ms; NaN until started. */
  poolInitMs = Number.NaN;
  /** `not started`, `starting`, `running` or `failed`. */
  state = 'not started';
  /** Why the start failed, when it did. */
  error = null;
  #started = null;
  #pending = new Map();
  #nextId = 1;
  /** Workers started for one task that have not ended yet. */
  #spawned = new Set();

  /** @param {number} threads the pool's size */
  constructor(threads) {
    this.threads = threads;
  }

  /**
   * Starts the workers (each engine kind has its own way).
   * @abstract
   * @returns {Promise<void>}
   */
  launch() {
    return Promise.reject(new Error('an engine must say how it launches'));
  }

  /**
   * The long-lived workers the engine holds (for leak checks).
   * @abstract
   * @returns {Worker[]}
   */
  heldWorkers() {
    return [];
  }

  /**
   * Starts the engine unless already started or starting.
   * @returns {Promise<{ start_ms: number, end_ms: number } | null>} for the call that started it, when
   *   the start began and ended (epoch ms); `null` for every later call
   */
  start() {
    if (this.#started) return this.#started.then(() => null);
    const startMs = epochMs();
    this.state = 'starting';
    this.#started = this.launch().then(
      () => {
        this.state = 'running';
        return { start_ms: startMs, end_ms: epochMs() };
      },
      (error) => {
        this.state = 'failed';
        this.error = error;
        throw error;
      },
    );
    return this.#started;
  }

  /** Forgets the start, so that the next `start()` launches the engine again. */
  restart() {
    this.#started = null;
    this.state = 'not started';
    this.poolInitMs = Number.NaN;
  }

  /**
   * Starts a Web Worker for one task (see `SpawnedTask` in crate/src/spawned.rs); it loads its own copy of
   * the core, runs the task and ends. Needs no shared memory.
   * @param {{ lane: string }} task
   * @returns {Promise<{ spans: object[], memory_bytes: number | null }>} its report (`SpawnedReport` in
   *   crate/src/spawned.rs): the spans it recorded, its start-up first, and its own wasm memory
   */
  spawnWorker(task) {
    const createdMs = epochMs();
    const spawned = plainWorker(`juggle-${task.lane}`);
    this.#spawned.add(spawned);
    const end = () => {
      spawned.terminate();
      this.#spawned.delete(spawned);
    };
    return new Promise((resolve, reject) => {
      spawned.addEventListener('message', ({ data }) => {
        if (data.type === 'spawned') resolve(data.report);
        else reject(workerError(data));
        end();
      });
      spawned.addEventListener('error', (event) => {
        reject(new Error(`a spawned worker failed: ${event.message ?? 'unknown error'}`));
        end();
      });
      spawned.postMessage({ type: 'spawned', task, createdMs });
    });
  }

  /**
   * What the engine holds, for leak checks (`juggle.diagnostics()`): `workers`, the Web Workers it has
   * running (the engine worker or the message-passing workers, and workers started for one task that have
   * not ended; rayon's threads inside the engine worker are not counted), and `wasmBytes`, the memory of
   * each wasm instance in those long-lived workers.
   * @returns {Promise<{ workers: number, wasmBytes: number[] }>}
   */
  async diagnostics() {
    const held = this.heldWorkers();
    const reports = await Promise.all(held.map((worker) => this.request(worker, { type: 'memory' })));
    return { workers: held.length + this.#spawned.size, wasmBytes: reports.map((r) => r.wasmBytes) };
  }

  /** Posts a request to `target` and returns a promise for its answer (see `settle`). */
  request(target, message) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      target.postMessage({ ...message, id });
    });
  }

  /** Rejects every request still waiting for an answer (their workers are gone). */
  abandonRequests(reason) {
    for (const { reject } of this.#pending.values()) reject(new Error(reason));
    this.#pending.clear();
  }

  /** Settles the request a worker answered: `report` resolves it, anything else rejects it. */
  settle({ type, id, report, message, code }) {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (type === 'report') pending.resolve(report);
    else pending.reject(workerError({ message, code }));
  }
}

/** rayon over shared memory in a dedicated engine worker. */
export class SharedMemoryEngine extends EngineBase {
  mode = 'shared-memory';
  #worker = null;

  /** @returns {Promise<void>} once the engine worker's pool runs */
  launch() {
    return new Promise((resolve, reject) => {
      const engine = engineWorker();
      engine.addEventListener('message', ({ data }) => {
        if (data.type === 'ready') {
          this.poolInitMs = data.poolInitMs;
          resolve();
        } else if (data.type === 'failed') {
          reject(new Error(`the worker pool did not start: ${data.message}`));
        } else {
          this.settle(data);
        }
      });
      engine.addEventListener('error', (event) => {
        reject(new Error(`the engine worker failed to load: ${event.message ?? 'unknown error'}`));
      });
      engine.postMessage({ type: 'start', threads: this.threads });
      this.#worker = engine;
    });
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

  /** Stops the jobs of a cancelled run: the engine worker flags them, they stop at their next check. */
  cancel() {
    this.#worker?.postMessage({ type: 'cancel' });
  }

  #post(job, done) {
    if (!this.#worker) return Promise.reject(new Error('the worker pool has not been started'));
    return this.request(this.#worker, { type: 'run', job, done });
  }

  /** The long-lived workers: the engine worker once its pool runs. */
  heldWorkers() {
    return this.#worker && this.state === 'running' ? [this.#worker] : [];
  }
}

/** Workers that only pass messages: the fallback without cross-origin isolation. */
export class MessagePassingEngine extends EngineBase {
  mode = 'message-passing';
  #workers = [];

  /** @returns {Promise<void>} once every worker has loaded its core */
  launch() {
    const started = performance.now();
    this.#workers = Array.from({ length: this.threads }, (_, i) => plainWorker(`juggle-worker-${i}`));
    return Promise.all(
      this.#workers.map(
        (plain) =>
          /** @type {Promise<void>} */ (
            new Promise((resolve, reject) => {
              plain.addEventListener('message', ({ data }) => {
                if (data.type === 'ready') resolve();
                // An error that answers no request is the worker's own start failing.
                else if (data.type === 'error' && data.id === undefined) {
                  reject(new Error(`a worker failed to start: ${data.message}`));
                } else this.settle(data);
              });
              plain.addEventListener('error', (event) => {
                reject(new Error(`a worker failed to load: ${event.message ?? 'unknown error'}`));
              });
              plain.postMessage({ type: 'start' });
            })
          ),
      ),
    ).then(() => {
      this.poolInitMs = performance.now() - started;
    });
  }

  /**
   * Stops the jobs of a cancelled run. A message-passing worker is busy until its part is done and cannot
   * be told to stop, so the workers are ended; the next parallel run starts new ones.
   */
  cancel() {
    for (const plain of this.#workers) plain.terminate();
    this.#workers = [];
    this.abandonRequests('the run was cancelled');
    this.restart();
  }

  /**
   * Runs a job (one part of a split pool job) on worker `index`.
   * @param {number} index
   * @param {object} job
   * @returns {Promise<object>} its report
   */
  runOn(index, job) {
    const target = this.#workers[index];
    if (!target) return Promise.reject(new Error(`there is no worker ${index}`));
    return this.request(target, { type: 'run', job });
  }

  /** The long-lived workers: the message-passing workers once they run. */
  heldWorkers() {
    return this.state === 'running' ? [...this.#workers] : [];
  }
}
