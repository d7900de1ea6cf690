// @ts-check
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

import {
  FromEngineWorker,
  FromPlainWorker,
  isDone,
  newDoneFlag,
  postToEngineWorker,
  postToPlainWorker,
  ToEngineWorker,
  ToPlainWorker,
} from './messages.js';

/** @typedef {import('./messages.js').PoolJob} PoolJob */
/** @typedef {import('./messages.js').PoolReport} PoolReport */
/** @typedef {import('./messages.js').MemoryReport} MemoryReport */
/** @typedef {import('./messages.js').SpawnedTask} SpawnedTask */
/** @typedef {import('./messages.js').SpawnedReport} SpawnedReport */
/** @typedef {import('./messages.js').WorkerError} WorkerError */

/**
 * A request waiting for its answer.
 * @typedef {{ resolve: (report: unknown) => void, reject: (error: Error) => void }} Pending
 */

/** The clock every worker shares: ms since the epoch (each worker has its own `performance.now()` origin). */
const epochMs = () => performance.timeOrigin + performance.now();

// Each worker is created with a literal `new URL('./<name>.js', import.meta.url)`: that is the pattern Vite
// recognises to bundle the worker's script for `npm run build`.

/**
 * A worker with its own core built without atomics and no shared memory (see plain-worker.js).
 * @param {string} name
 */
const plainWorker = (name) =>
  new Worker(new URL('./plain-worker.js', import.meta.url), { type: 'module', name });

/**
 * An Error for a worker's answer `{ message, code }`: `code` (for example `panicked`) is kept.
 * @param {WorkerError} answer
 */
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
  /** Why the start failed, when it did. @type {unknown} */
  error = null;
  /** The start, once asked for. @type {Promise<{ start_ms: number, end_ms: number }> | null} */
  #started = null;
  /** Requests waiting for their answer, by id. @type {Map<number, Pending>} */
  #pending = new Map();
  #nextId = 1;
  /** Workers started for one task that have not ended yet. @type {Set<Worker>} */
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
   * @param {SpawnedTask} task
   * @returns {Promise<SpawnedReport>} its report (`SpawnedReport` in crate/src/spawned.rs): the spans it
   *   recorded, its start-up first, and its own wasm memory
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
      spawned.addEventListener('message', (event) => {
        const answer = /** @type {import('./messages.js').FromPlainWorkerMessage} */ (event.data);
        if (answer.type === FromPlainWorker.SPAWNED) resolve(answer.report);
        else if (answer.type === FromPlainWorker.ERROR) reject(workerError(answer));
        else reject(new Error(`a spawned worker answered with a "${answer.type}" message`));
        end();
      });
      spawned.addEventListener('error', (event) => {
        reject(new Error(`a spawned worker failed: ${event.message ?? 'unknown error'}`));
        end();
      });
      postToPlainWorker(spawned, { type: ToPlainWorker.SPAWNED, task, createdMs });
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
    const reports = await Promise.all(held.map((worker) => this.askMemory(worker)));
    return { workers: held.length + this.#spawned.size, wasmBytes: reports.map((r) => r.wasmBytes) };
  }

  /**
   * How big the wasm memory of `worker`'s instance has grown.
   * @abstract
   * @param {Worker} worker
   * @returns {Promise<MemoryReport>}
   */
  askMemory(worker) {
    return Promise.reject(
      new Error(`an engine must say how it asks its ${worker.constructor.name}s for their memory`),
    );
  }

  /**
   * Posts a request with a fresh id (`post(id)` posts it) and returns a promise for its answer, which
   * `answered` settles.
   * @template T what the answer's report is
   * @param {(id: number) => void} post
   * @returns {Promise<T>}
   */
  request(post) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: (report) => resolve(/** @type {T} */ (report)), reject });
      post(id);
    });
  }

  /**
   * Rejects every request still waiting for an answer (their workers are gone).
   * @param {string} reason
   */
  abandonRequests(reason) {
    for (const { reject } of this.#pending.values()) reject(new Error(reason));
    this.#pending.clear();
  }

  /**
   * Settles the request a worker answered: a `report` resolves it, an `error` rejects it.
   * @param {{ type: 'report', id: number, report: unknown } | WorkerError} answer
   */
  answered(answer) {
    if (answer.id === undefined) return;
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    if (answer.type === 'report') pending.resolve(answer.report);
    else pending.reject(workerError(answer));
  }
}

/** rayon over shared memory in a dedicated engine worker. */
export class SharedMemoryEngine extends EngineBase {
  mode = 'shared-memory';
  /** The engine worker, once launched. @type {Worker | null} */
  #worker = null;

  /** @returns {Promise<void>} once the engine worker's pool runs */
  launch() {
    return new Promise((resolve, reject) => {
      const engine = engineWorker();
      engine.addEventListener('message', (event) => {
        const answer = /** @type {import('./messages.js').FromEngineWorkerMessage} */ (event.data);
        if (answer.type === FromEngineWorker.READY) {
          this.poolInitMs = answer.poolInitMs;
          resolve();
        } else if (answer.type === FromEngineWorker.FAILED) {
          reject(new Error(`the worker pool did not start: ${answer.message}`));
        } else if (answer.type === FromEngineWorker.REPORT || answer.type === FromEngineWorker.ERROR) {
          this.answered(answer);
        }
      });
      engine.addEventListener('error', (event) => {
        reject(new Error(`the engine worker failed to load: ${event.message ?? 'unknown error'}`));
      });
      postToEngineWorker(engine, { type: ToEngineWorker.START, threads: this.threads });
      this.#worker = engine;
    });
  }

  /**
   * Runs a pool job (see `PoolJob` in crate/src/pool.rs). Jobs posted together run at the same time.
   * @param {PoolJob} job
   * @returns {Promise<PoolReport>} the job's report
   */
  run(job) {
    return this.#post(job, null);
  }

  /**
   * Runs a pool job while the calling thread waits synchronously: it spins on a shared flag that the
   * engine sets when the job is done (the main thread may not `Atomics.wait`). This blocks the page on
   * purpose; only the variant that teaches blocking calls it.
   * @param {PoolJob} job
   * @returns {Promise<PoolReport>} the job's report, delivered once the page's event loop runs again
   */
  runBlocking(job) {
    const done = newDoneFlag();
    const report = this.#post(job, done);
    while (!isDone(done)) {
      // Busy-wait: the event loop is frozen here, as it is under a synchronous pool.map.
    }
    return report;
  }

  /** Stops the jobs of a cancelled run: the engine worker flags them, they stop at their next check. */
  cancel() {
    if (this.#worker) postToEngineWorker(this.#worker, { type: ToEngineWorker.CANCEL });
  }

  /**
   * Posts a `run` request for `job` to the engine worker.
   * @param {PoolJob} job
   * @param {Int32Array | null} done the flag a synchronous caller spins on
   * @returns {Promise<PoolReport>}
   */
  #post(job, done) {
    const worker = this.#worker;
    if (!worker) return Promise.reject(new Error('the worker pool has not been started'));
    return this.request((id) => postToEngineWorker(worker, { type: ToEngineWorker.RUN, id, job, done }));
  }

  /**
   * @param {Worker} worker
   * @returns {Promise<MemoryReport>}
   */
  askMemory(worker) {
    return this.request((id) => postToEngineWorker(worker, { type: ToEngineWorker.MEMORY, id }));
  }

  /** The long-lived workers: the engine worker once its pool runs. */
  heldWorkers() {
    return this.#worker && this.state === 'running' ? [this.#worker] : [];
  }
}

/** Workers that only pass messages: the fallback without cross-origin isolation. */
export class MessagePassingEngine extends EngineBase {
  mode = 'message-passing';
  /** The workers, once launched. @type {Worker[]} */
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
              plain.addEventListener('message', (event) => {
                const answer = /** @type {import('./messages.js').FromPlainWorkerMessage} */ (event.data);
                if (answer.type === FromPlainWorker.READY) resolve();
                // An error that answers no request is the worker's own start failing.
                else if (answer.type === FromPlainWorker.ERROR && answer.id === undefined) {
                  reject(new Error(`a worker failed to start: ${answer.message}`));
                } else if (answer.type === FromPlainWorker.REPORT || answer.type === FromPlainWorker.ERROR) {
                  this.answered(answer);
                }
              });
              plain.addEventListener('error', (event) => {
                reject(new Error(`a worker failed to load: ${event.message ?? 'unknown error'}`));
              });
              postToPlainWorker(plain, { type: ToPlainWorker.START });
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
   * @param {PoolJob} job
   * @returns {Promise<PoolReport>} its report
   */
  runOn(index, job) {
    const target = this.#workers[index];
    if (!target) return Promise.reject(new Error(`there is no worker ${index}`));
    return this.request((id) => postToPlainWorker(target, { type: ToPlainWorker.RUN, id, job }));
  }

  /**
   * @param {Worker} worker
   * @returns {Promise<MemoryReport>}
   */
  askMemory(worker) {
    return this.request((id) => postToPlainWorker(worker, { type: ToPlainWorker.MEMORY, id }));
  }

  /** The long-lived workers: the message-passing workers once they run. */
  heldWorkers() {
    return this.state === 'running' ? [...this.#workers] : [];
  }
}
