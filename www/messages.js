// @ts-check
/**
 * The messages between the page's engine (engine.js) and its workers, and the control word they share: one
 * place for every kind, so that the sending side and the handling side name the same constant and tsc checks
 * each message's fields against its kind.
 *
 * Three links, each with a frozen object of kinds for either direction:
 * - the page and the engine worker (engine-worker.js: the threaded core and its rayon pool): `ToEngineWorker`,
 *   `FromEngineWorker`;
 * - the page and a plain worker (plain-worker.js: a core without atomics, for the message-passing pool or for
 *   one task): `ToPlainWorker`, `FromPlainWorker`;
 * - the engine worker and a thread of its own (own-thread.js): `ToOwnThread`, `FromOwnThread`.
 *
 * A request (`run`, `memory`) carries an `id`; the worker answers it with a `report` or an `error` of the same
 * id. tests/unit/messages.test.js checks that every kind one side sends the other side handles.
 *
 * The browser's Python (www/python/) has its own: its control words are named in www/python/control-words.js,
 * its workers' messages (the process pool's, a worker's life) typed in www/types/python.d.ts.
 */

/** Page to engine worker. */
export const ToEngineWorker = Object.freeze({
  /** Load the threaded core and start the rayon pool with `threads` threads. */
  START: 'start',
  /** A request: run a pool job, and set the `done` flag (see `JobDone`) when it is over. */
  RUN: 'run',
  /** A request: how big this instance's wasm memory has grown (`juggle.diagnostics()`). */
  MEMORY: 'memory',
  /** The run was cancelled: the pool's jobs stop at their next check. */
  CANCEL: 'cancel',
});

/** Engine worker to page. */
export const FromEngineWorker = Object.freeze({
  /** The pool runs; how long its start took. */
  READY: 'ready',
  /** The pool did not start. */
  FAILED: 'failed',
  /** A request's answer. */
  REPORT: 'report',
  /** A request failed (its `code`, for example `panicked`, is kept). */
  ERROR: 'error',
});

/** Page to plain worker. */
export const ToPlainWorker = Object.freeze({
  /** Load the core (a message-passing pool worker); answered by `ready`, or by an `error` without id. */
  START: 'start',
  /** A request: run one part of a split pool job. */
  RUN: 'run',
  /** A request: how big this instance's wasm memory has grown. */
  MEMORY: 'memory',
  /** Run one task in this worker, started for it alone (io-bound/workers); answered by `spawned`. */
  SPAWNED: 'spawned',
});

/** Plain worker to page. */
export const FromPlainWorker = Object.freeze({
  /** The core has loaded. */
  READY: 'ready',
  /** A request's answer. */
  REPORT: 'report',
  /** The one task's report. */
  SPAWNED: 'spawned',
  /** A request failed; without an `id`, the worker's start (or its one task) failed. */
  ERROR: 'error',
});

/** Engine worker to a thread of its own. */
export const ToOwnThread = Object.freeze({
  /** Instantiate the core over the engine's module and shared memory and run thread `me` of job `id`. */
  RUN: 'run',
});

/** A thread of its own to the engine worker. */
export const FromOwnThread = Object.freeze({
  /** The thread ran to its end and freed its stack. */
  DONE: 'done',
  /** It failed. */
  ERROR: 'error',
});

/**
 * The control word of a job the page waits for synchronously (`runBlocking`): one Int32Array word over a
 * SharedArrayBuffer, `WAITING` until the engine worker stores `DONE` in it once the job is over.
 */
export const JobDone = Object.freeze({
  /** Its index in the Int32Array. */
  WORD: 0,
  /** The job has not ended. */
  WAITING: 0,
  /** The job has ended (its report is on its way). */
  DONE: 1,
});

/** A fresh `JobDone` flag, `WAITING`. */
export const newDoneFlag = () => new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

/** Whether the job of `flag` has ended. @param {Int32Array} flag */
export const isDone = (flag) => Atomics.load(flag, JobDone.WORD) === JobDone.DONE;

/** Says that the job of `flag` has ended (the side that waits spins on it). @param {Int32Array} flag */
export const markDone = (flag) => {
  Atomics.store(flag, JobDone.WORD, JobDone.DONE);
};

// ---------------------------------------------------------------------------------------------------------
// The messages' types. The core's own data cross these links as plain JSON data that only the core reads:
// a pool job (`PoolJob` in crate/src/pool.rs), its report, a task started in a worker of its own and its
// report (`SpawnedTask`, `SpawnedReport` in crate/src/spawned.rs).

/** @typedef {import('./pkg/juggle.js').Span} Span */

/**
 * A pool job or one part of one, as the core serialised it: the page only carries it to a worker.
 * @typedef {unknown} PoolJob
 */
/**
 * What a pool job's run reported, for the core to read.
 * @typedef {unknown} PoolReport
 */
/**
 * A task to run in a Web Worker started for it (`SpawnedTask`): the page reads its lane, to name the worker.
 * @typedef {{ lane: string }} SpawnedTask
 */
/**
 * What a task started in a worker of its own reported (`SpawnedReport`): its spans, start-up first, and its
 * wasm memory.
 * @typedef {{ spans: Span[], memory_bytes: number | null }} SpawnedReport
 */
/**
 * The answer to a `memory` request.
 * @typedef {{ wasmBytes: number }} MemoryReport
 */

/**
 * What a worker posts when a request (or its start) failed. `id` is absent when no request failed.
 * @typedef {{ type: 'error', id: number | undefined, message: string, code: string | undefined }} WorkerError
 */

/**
 * A message from the page to the engine worker.
 * @typedef {{ type: 'start', threads: number }
 *   | { type: 'run', id: number, job: PoolJob, done: Int32Array | null }
 *   | { type: 'memory', id: number }
 *   | { type: 'cancel' }} ToEngineWorkerMessage
 */
/**
 * A message from the engine worker to the page.
 * @typedef {{ type: 'ready', threads: number, poolInitMs: number }
 *   | { type: 'failed', message: string }
 *   | { type: 'report', id: number, report: PoolReport | MemoryReport }
 *   | WorkerError} FromEngineWorkerMessage
 */
/**
 * A message from the page to a plain worker.
 * @typedef {{ type: 'start' }
 *   | { type: 'run', id: number, job: PoolJob }
 *   | { type: 'memory', id: number }
 *   | { type: 'spawned', task: SpawnedTask, createdMs: number }} ToPlainWorkerMessage
 */
/**
 * A message from a plain worker to the page.
 * @typedef {{ type: 'ready' }
 *   | { type: 'report', id: number, report: PoolReport | MemoryReport }
 *   | { type: 'spawned', report: SpawnedReport }
 *   | WorkerError} FromPlainWorkerMessage
 */
/**
 * The message from the engine worker to a thread of its own: the core's compiled module and the engine's
 * shared memory, the job's number, which thread (`me`, from 0) and when the engine asked for it (epoch ms).
 * @typedef {{ type: 'run', module: WebAssembly.Module, memory: WebAssembly.Memory, id: number, me: number,
 *   createdMs: number }} ToOwnThreadMessage
 */
/**
 * A message from a thread of its own to the engine worker.
 * @typedef {{ type: 'done' } | WorkerError} FromOwnThreadMessage
 */

/**
 * A handler for each kind of message `M`, given the message of that kind: a worker's whole inbox, so that
 * tsc says which kind is left unhandled.
 * @template {{ type: string }} M
 * @typedef {{ [K in M['type']]: (message: Extract<M, { type: K }>) => void | Promise<void> }} Handlers
 */

/**
 * Calls the handler of `message`'s kind. A kind with no handler is a bug of this module's users: it throws.
 * @template {{ type: string }} M
 * @param {Handlers<M>} handlers
 * @param {M} message
 * @returns {void | Promise<void>}
 */
export function dispatch(handlers, message) {
  const handle = /** @type {((message: M) => void | Promise<void>) | undefined} */ (
    handlers[/** @type {M['type']} */ (message.type)]
  );
  if (!handle) throw new Error(`no handler for a message of kind ${JSON.stringify(message.type)}`);
  return handle(message);
}

/**
 * Posts a message to the engine worker.
 * @param {Worker} worker
 * @param {ToEngineWorkerMessage} message
 */
export const postToEngineWorker = (worker, message) => worker.postMessage(message);

/**
 * Posts a message to a plain worker.
 * @param {Worker} worker
 * @param {ToPlainWorkerMessage} message
 */
export const postToPlainWorker = (worker, message) => worker.postMessage(message);

/**
 * Posts a message to a thread of the engine worker's own.
 * @param {Worker} thread
 * @param {ToOwnThreadMessage} message
 */
export const postToOwnThread = (thread, message) => thread.postMessage(message);

/**
 * Inside the engine worker: posts a message to the page.
 * @param {FromEngineWorkerMessage} message
 */
export const postFromEngineWorker = (message) => self.postMessage(message);

/**
 * Inside a plain worker: posts a message to the page.
 * @param {FromPlainWorkerMessage} message
 */
export const postFromPlainWorker = (message) => self.postMessage(message);

/**
 * Inside a thread of its own: posts a message to the engine worker.
 * @param {FromOwnThreadMessage} message
 */
export const postFromOwnThread = (message) => self.postMessage(message);
