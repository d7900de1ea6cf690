// @ts-check
/**
 * The page's handle on the browser's Python: one interpreter in a module Worker (`python-worker.js`) per
 * run. The first is started the first time a program runs (nothing of Pyodide loads before) and takes the
 * page's memory snapshot of a fresh interpreter; as each run ends its interpreter is ended and the next
 * run's starts at once, in the background, from that snapshot (about 0.7 s), so that nothing a program
 * leaves behind (patched builtins, tasks, timers, listeners, changed limits) reaches the next run, and a
 * warm run still starts at once.
 *
 * Stop: the signal first raises KeyboardInterrupt in the program (through Pyodide's interrupt buffer, and by
 * waking a blocking `time.sleep`); a program that does not end within `STOP_GRACE_MS` has its worker
 * terminated, and the next run starts a new interpreter.
 */
import { transfer, wrap } from 'comlink';
import { askToStop, CONTROL_BYTES, keepAskingToStop, SLEEP } from './control-words.js';

/** @typedef {import('../types/python.js').PoolRequest} PoolRequest */
/** @typedef {import('../types/python.js').ProcessMessage} ProcessMessage */
/** @typedef {import('../types/python.js').ProcessReport} ProcessReport */
/** The interpreter's worker, through Comlink: its `api`, each call answered by a promise. */
/** @typedef {import('comlink').Remote<import('./python-worker.js').PythonWorkerApi>} PythonWorker */

/** How long loading the interpreter may take before it is given up (a CSP without 'wasm-unsafe-eval' makes
 * `loadPyodide` hang forever, for one). */
export const LOAD_TIMEOUT_MS = 45_000;
/** How long a stopped program has to end by KeyboardInterrupt before its worker is terminated. */
export const STOP_GRACE_MS = 1_000;
/** The wall-clock cap on one program, as for scenarios. */
export const RUN_CAP_MS = 60_000;
/** How long a worker has to answer after its run before it is taken as dead (a program closed it). */
export const ALIVE_WAIT_MS = 5_000;

/** The most interpreters the page keeps started ahead for its process pool (each about 30 MB). */
export const AHEAD_MAX = 4;
/** The longest a run waits for interpreters being started ahead to be ready (see `aheadSettled`). */
export const AHEAD_WAIT_MS = 3_000;

/** A Worker for one process of the pool (pool-worker.js). */
const poolWorker = (/** @type {string} */ name) => {
  const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module', name });
  // A process that fails reports it in its mailbox; the page gets no uncaught error from it.
  worker.addEventListener('error', (event) => event.preventDefault());
  return worker;
};

/**
 * Pyodide's WebAssembly module, compiled once: every process instantiates it, which saves each a compile;
 * and two processes streaming the same file at once had one of them aborted (Chromium 156), where Pyodide's
 * loader then never settles.
 */
const compileInterpreter = () => WebAssembly.compileStreaming(fetch(`${indexURL()}pyodide.asm.wasm`));

/**
 * An Error with a stable `code`, as every Juggle API error has.
 * @param {string} code
 * @param {string} message
 * @param {Record<string, unknown>} [extra] more fields (a stopped run's `record`)
 */
const failure = (code, message, extra = {}) => Object.assign(new Error(message), { code, ...extra });

/**
 * A crash's reason, with what it means where a learner can act on it: the browser's stack ran out (deep
 * recursion after `sys.setrecursionlimit`, or freeing a traceback that deep, where CPython goes on;
 * Pyodide dies instead, the kind of fatal overflow pyodide/pyodide#5959 reports).
 * @param {string} reason
 */
export const crashWords = (reason) =>
  /Maximum call stack size exceeded|too much recursion/.test(reason)
    ? `${reason}: the browser's stack ran out. It is smaller than CPython's: recursion thousands of frames ` +
      'deep (after sys.setrecursionlimit was raised), or freeing what it left (a traceback that deep), ' +
      'runs out of it where CPython goes on. Keep the limit near its default (1000) in the browser, or run ' +
      'the program with python3'
    : reason;

/** Where the runtime files are served: the page's own origin (vite.config.js puts them there). */
const indexURL = () => new URL(`/pyodide/${__PYODIDE_VERSION__}/`, location.href).href;

export class PythonRunner {
  constructor() {
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {PythonWorker | null} */
    this.remote = null;
    /** @type {Promise<{ python: string, loadMs: number }> | null} */
    this.loading = null;
    /** @type {Int32Array | null} */
    this.control = null;
    this.busy = false;
    /**
     * The load time of the page's last interpreter, once one has loaded (null again after a hard stop).
     * @type {number | null}
     */
    this.loadMs = null;
    /** Pyodide's WebAssembly module, compiled once for the pool's processes. */
    /** @type {Promise<WebAssembly.Module> | null} */
    this.wasmModule = null;
    /** The process pool's Workers of the current interpreter, by the id it gave them. */
    /** @type {Map<number, Worker>} */
    this.processes = new Map();
    /**
     * The page's memory snapshot of a fresh interpreter (made by its first interpreter, or else by its first
     * pool process; kept for the page's life, about 30 MB): every later interpreter and process starts from
     * it. Null until the first interpreter starts, and again when making it failed.
     * @type {Promise<Uint8Array | null> | null}
     */
    this.snapshot = null;
    /** Interpreters started ahead, waiting for a run's request (see `startAhead`). */
    /** @type {Worker[]} */
    this.ahead = [];
    /** How many to keep started ahead: 0 until a run of this page has used the pool. */
    this.aheadWanted = 0;
    /** Interpreters started ahead that have not said they are ready yet, and who waits for them. */
    /** @type {Set<Worker>} */
    this.preparing = new Set();
    /** @type {(() => void)[]} */
    this.onPrepared = [];
    /** Interpreters to start ahead once the snapshot and the compiled module are there. */
    this.aheadStarting = 0;
    /** The most processes the current run had at once. */
    this.runPeak = 0;
    /** The process making the snapshot, while it has not sent it. */
    /** @type {{ worker: Worker, cancel: () => void } | null} */
    this.snapshotPending = null;
  }

  /**
   * The page's side of the process pool (www/python/juggle_pool.py): the interpreter's worker asks, through
   * `port`, for a process to be started (a Worker of pool-worker.js: its own interpreter), fed a task or
   * ended. The page starts them because a worker started by a thread that is held in a wait would not run.
   * @param {MessagePort} port
   */
  servePool(port) {
    port.onmessage = (/** @type {MessageEvent<PoolRequest>} */ { data }) => {
      if (data.type === 'spawn') {
        const ahead = this.ahead.shift();
        if (ahead) {
          // A fresh interpreter started ahead: it has run no code; the program runs in it for the first time.
          this.processes.set(data.id, ahead);
          this.runPeak = Math.max(this.runPeak, this.processes.size);
          ahead.postMessage(data.start);
          return;
        }
        const worker = poolWorker(data.lane);
        this.wasmModule ??= compileInterpreter();
        // The first process of the page makes the memory snapshot the others start from; they wait for it
        // (a start from it takes a fraction of a full start-up, and two full ones at once share 2 cores).
        const makeSnapshot = this.snapshot === null;
        if (makeSnapshot) this.snapshotFrom(worker);
        const snapshot = /** @type {Promise<Uint8Array | null>} */ (this.snapshot);
        Promise.all([this.wasmModule.catch(() => undefined), makeSnapshot ? null : snapshot]).then(
          ([module, bytes]) => {
            if (this.processes.get(data.id) !== worker) return; // ended meanwhile
            worker.postMessage(
              /** @satisfies {ProcessMessage} */ ({
                ...data.start,
                module,
                snapshot: bytes ?? undefined,
                makeSnapshot,
              }),
            );
          },
        );
        this.processes.set(data.id, worker);
        this.runPeak = Math.max(this.runPeak, this.processes.size);
      } else if (data.type === 'task') {
        this.processes.get(data.id)?.postMessage(data.task);
      } else if (data.type === 'end') {
        const worker = this.processes.get(data.id);
        if (this.snapshotPending?.worker === worker) this.snapshotPending?.cancel();
        if (worker) this.forget(worker);
        worker?.terminate();
        this.processes.delete(data.id);
      } else if (data.type === 'end-all') {
        this.endProcesses();
      }
    };
  }

  /**
   * Makes `worker` (a process about to start the long way) the one that takes the page's memory snapshot of a
   * fresh interpreter: `this.snapshot` resolves to its bytes, or to null if it could not (then the next
   * process tries again).
   * @param {Worker} worker
   */
  snapshotFrom(worker) {
    /** @type {(bytes: Uint8Array | null) => void} */
    let settle = () => {};
    this.snapshot = new Promise((resolve) => {
      settle = resolve;
    });
    const done = (/** @type {Uint8Array | null} */ bytes) => {
      worker.removeEventListener('message', onMessage);
      this.snapshotPending = null;
      if (!bytes) this.snapshot = null;
      settle(bytes);
    };
    const onMessage = (/** @type {MessageEvent<ProcessReport>} */ { data }) => {
      if (data?.type === 'snapshot') done(data.bytes ?? null);
    };
    worker.addEventListener('message', onMessage);
    // Ended before it sent one (the run ended first): the waiting processes start the long way.
    this.snapshotPending = { worker, cancel: () => done(null) };
  }

  /** Ends every process of the pool (with the run, or with the interpreter), then readies the next run's. */
  endProcesses() {
    this.snapshotPending?.cancel();
    for (const worker of this.processes.values()) {
      worker.terminate();
      this.preparing.delete(worker);
    }
    this.processes.clear();
    this.settleIfIdle();
    const cores = navigator.hardwareConcurrency || 1;
    this.aheadWanted = Math.max(this.aheadWanted, Math.min(this.runPeak, cores, AHEAD_MAX));
    this.runPeak = 0;
    this.startAhead();
  }

  /**
   * Starts interpreters ahead, in the background, up to `aheadWanted` (the most processes one run of this
   * page has had at once, at most one per core and `AHEAD_MAX`): each a new Worker loaded from the page's memory
   * snapshot, its sandbox closed, no code run. A later run's request for a process takes one (its start-up
   * bar is still the real time from the request to ready); it ends with that run like any process. Nothing
   * starts ahead before a run of this page has used the pool.
   */
  startAhead() {
    if (this.aheadWanted === 0 || !this.snapshot) return;
    const snapshot = this.snapshot;
    this.wasmModule ??= compileInterpreter();
    const module = this.wasmModule;
    while (this.ahead.length + this.aheadStarting < this.aheadWanted) {
      this.aheadStarting += 1;
      // Handed to a run only once it has its `prepare` (a `start` before it would load another way).
      Promise.all([module.catch(() => undefined), snapshot]).then(([compiled, bytes]) => {
        this.aheadStarting -= 1;
        if (!bytes) {
          this.settleIfIdle();
          return;
        }
        const worker = poolWorker('process (started ahead)');
        this.preparing.add(worker);
        worker.addEventListener('message', (/** @type {MessageEvent<ProcessReport>} */ { data }) => {
          if (data?.type !== 'prepared') return;
          if (data.error) this.dropAhead(worker);
          this.forget(worker);
        });
        worker.addEventListener('error', () => this.forget(worker));
        worker.postMessage(
          /** @satisfies {ProcessMessage} */ ({
            type: 'prepare',
            indexURL: indexURL(),
            cores: navigator.hardwareConcurrency || 1,
            module: compiled,
            snapshot: bytes,
          }),
        );
        this.ahead.push(worker);
      });
    }
  }

  /**
   * Resolves once no interpreter is being started ahead (or after `ms`): a run waits for them before it
   * starts, since on a machine with few cores their start-up would share the cores with the run and skew
   * what it measures. The wait is before the run's clock starts.
   * @param {number} ms
   */
  aheadSettled(ms) {
    if (this.preparing.size === 0 && this.aheadStarting === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.onPrepared.push(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }

  /** An interpreter started ahead is ready, failed or was ended: no run waits for it any more. */
  forget(/** @type {Worker} */ worker) {
    this.preparing.delete(worker);
    this.settleIfIdle();
  }

  settleIfIdle() {
    if (this.preparing.size === 0 && this.aheadStarting === 0)
      for (const settle of this.onPrepared.splice(0)) settle();
  }

  /**
   * Ends an interpreter started ahead that could not be readied (if no run has taken it).
   * @param {Worker} worker
   */
  dropAhead(worker) {
    const at = this.ahead.indexOf(worker);
    if (at < 0) return;
    this.ahead.splice(at, 1);
    worker.terminate();
    this.forget(worker);
  }

  /** Starts the interpreter if it is not running; resolves once it can run programs. */
  start() {
    if (this.loading) return this.loading;
    const shared = globalThis.crossOriginIsolated ? new SharedArrayBuffer(CONTROL_BYTES) : null;
    this.control = shared ? new Int32Array(shared) : null;
    const worker = new Worker(new URL('./python-worker.js', import.meta.url), {
      type: 'module',
      name: 'python',
    });
    this.worker = worker;
    this.remote = wrap(worker);
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /** @type {Promise<never>} */
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            failure(
              'python-load-failed',
              `the browser's Python did not load within ${LOAD_TIMEOUT_MS / 1000} s (it needs WebAssembly and about 7 MB from ${indexURL()})`,
            ),
          ),
        LOAD_TIMEOUT_MS,
      );
    });
    /**
     * The current run's way to fail when the worker dies under it (set by `run`), with the run so far
     * when the worker could still say it (its printed lines).
     * @type {((reason: string, soFar?: Record<string, unknown> | null) => void) | null}
     */
    this.onCrash = null;
    /** @type {Promise<never>} */
    const crashed = new Promise((_, reject) => {
      worker.addEventListener('error', (event) => {
        // A coded rejection carries it; the page gets no uncaught error.
        event.preventDefault();
        const reason = event.message || 'no reason given';
        if (this.onCrash) this.onCrash(reason);
        reject(failure('python-load-failed', `the Python worker failed to start: ${reason}`));
      });
    });
    // A dead worker is seen at once: it says so when its interpreter dies, and the browser releases the
    // lock it holds for its life when it ends in any way (python-worker.js).
    // Both come on the worker's private line (its first message, sent before any program runs): what a
    // program posts on its worker's `self` is never taken for them.
    const onLife = (/** @type {MessageEvent} */ { data }) => {
      if (data?.type === 'juggle-crashed') this.crashed(worker, data.reason, data.record);
      else if (data?.type === 'juggle-alive' && typeof data.lock === 'string')
        navigator.locks
          .request(data.lock, () =>
            this.crashed(worker, 'its worker ended (a program closed it, or the browser ended it)'),
          )
          // A frame that denies Web Locks (embedded on another site) sees a closed worker only by its
          // silence after the run (`run`: `alive`).
          .catch(() => {});
    };
    let lifeHeard = false;
    worker.addEventListener('message', ({ data }) => {
      if (lifeHeard || data?.type !== 'juggle-life' || !(data.port instanceof MessagePort)) return;
      lifeHeard = true;
      data.port.onmessage = onLife;
    });
    const pool = new MessageChannel();
    this.servePool(pool.port1);
    // The first interpreter of the page takes the snapshot the others start from. (Each of the page's
    // interpreters fetches and compiles Pyodide's wasm itself, from the browser's caches after the first.)
    const makeSnapshot = this.snapshot === null;
    /** @type {(bytes: Uint8Array | null) => void} */
    let madeSnapshot = () => {};
    const snapshot = this.snapshot;
    if (makeSnapshot)
      this.snapshot = new Promise((resolve) => {
        madeSnapshot = resolve;
      });
    const boot = Promise.resolve(snapshot).then((bytes) => ({ snapshot: bytes ?? undefined, makeSnapshot }));
    this.loading = Promise.race([
      boot.then((options) =>
        // Set above; null only if the interpreter was ended meanwhile, and then this call's TypeError
        // rejects the load.
        /** @type {PythonWorker} */ (this.remote).load(
          indexURL(),
          shared,
          transfer(pool.port2, [pool.port2]),
          options,
        ),
      ),
      timeout,
      crashed,
    ])
      .then((loaded) => {
        this.loadMs = loaded.loadMs;
        if (makeSnapshot) {
          if (!loaded.snapshot) this.snapshot = null;
          madeSnapshot(loaded.snapshot ?? null);
        }
        return loaded;
      })
      .catch((error) => {
        if (makeSnapshot) {
          this.snapshot = null;
          madeSnapshot(null);
        }
        this.end();
        throw error.code
          ? error
          : failure('python-load-failed', `the browser's Python could not load: ${error.message}`);
      })
      .finally(() => clearTimeout(timer));
    return this.loading;
  }

  /**
   * `worker`'s interpreter died (see `start`): the run it had ends with python-crashed, and the next run
   * starts a new interpreter. Nothing when it is no longer this runner's worker (the page ended it).
   * @param {Worker} worker
   * @param {string} reason
   * @param {unknown} [soFar] the run so far, as the worker recorded it (checked by the core as any record)
   */
  crashed(worker, reason, soFar) {
    if (this.worker !== worker) return;
    const record =
      typeof soFar === 'object' && soFar !== null ? /** @type {Record<string, unknown>} */ (soFar) : null;
    if (this.onCrash) this.onCrash(String(reason), record);
    else this.end();
  }

  /**
   * After a run: its interpreter ends, and the next run's starts now, in the background, from the page's
   * snapshot. Nothing of this run (its objects, tasks, timers, patched modules) can reach the next.
   */
  renew() {
    const { loadMs } = this;
    this.end();
    this.loadMs = loadMs; // the page has loaded Python: a later run does not fetch it again
    this.start().catch(() => {
      // The next run meets the same failure, coded, when it asks for its interpreter.
    });
  }

  /** Ends the interpreter at once (the hard stop); the next run starts a new one. */
  end() {
    this.endProcesses();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.loading = null;
    this.control = null;
    this.loadMs = null;
  }

  /**
   * Runs a program and resolves to what the worker recorded (spans, printed lines, heartbeat beats, the
   * Python error if it raised), or rejects with a coded Error: `busy`, `cancelled`, `too-long`,
   * `python-load-failed`, `python-crashed`.
   * @param {string} code
   * `tracer: false` runs without the tracer's sys.monitoring (the bench measures its overhead so).
   * @param {{ argv?: string[], filename?: string, heartbeatMs?: number, signal?: AbortSignal,
   *   tracer?: boolean }} [options]
   */
  async run(code, { argv = [], filename = 'main.py', heartbeatMs = 10, signal, tracer = true } = {}) {
    if (this.busy) throw failure('busy', 'a Python program is already running; stop it first');
    if (signal?.aborted) throw failure('cancelled', 'the Python run was cancelled before it started');
    this.busy = true;
    let stopTimer = 0;
    let stopAsking = () => {};
    let capTimer = 0;
    let aliveTimer = 0;
    let onAbort = () => {};
    /** The interpreter this run ran in: it ends with the run (see `renew`). */
    let ranIn = null;
    try {
      const loadStarted = performance.now();
      await this.start();
      ranIn = this.worker;
      // How long the run waited for its interpreter (a first run loads it; a later one finds it ready, or
      // still starting from the snapshot).
      const coldStartMs = performance.now() - loadStarted;
      // Stop while it waits ends the wait at once.
      await Promise.race([
        this.aheadSettled(AHEAD_WAIT_MS),
        new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true })),
      ]);
      if (signal?.aborted)
        throw failure('cancelled', 'the Python run was cancelled while the interpreter loaded');
      const control = this.control;
      /** @type {Promise<never>} */
      const stopped = new Promise((_, reject) => {
        const stop = (/** @type {string} */ code, /** @type {string} */ message) => {
          if (control) {
            askToStop(control);
            stopAsking();
            stopAsking = keepAskingToStop(control);
          }
          stopTimer = setTimeout(
            () => {
              this.end();
              reject(
                failure(
                  code,
                  `${message}; it did not end within ${STOP_GRACE_MS / 1000} s of KeyboardInterrupt, so its interpreter was ended (the next run starts a new one)`,
                ),
              );
            },
            control ? STOP_GRACE_MS : 0,
          );
        };
        onAbort = () => stop('cancelled', 'the Python program was stopped');
        signal?.addEventListener('abort', onAbort, { once: true });
        capTimer = setTimeout(
          () =>
            stop('too-long', `the Python program ran for ${RUN_CAP_MS / 1000} s, the most a run may take`),
          RUN_CAP_MS,
        );
      });
      /** @type {Promise<never>} */
      const died = new Promise((_, reject) => {
        this.onCrash = (reason, soFar) => {
          this.end();
          reject(
            failure(
              'python-crashed',
              `the Python worker crashed: ${crashWords(reason)}; the next run starts a new interpreter`,
              // What it printed and the spans that had ended, for the page to draw (juggle.js makes it a trace).
              soFar ? { record: { ...soFar, load_ms: coldStartMs } } : {},
            ),
          );
        };
      });
      // `this.remote` is set by `start`; it is null only if the interpreter was ended since (it died while
      // the run waited above, before `onCrash` was set): a crash, said with its code.
      const remote = this.remote;
      if (!remote)
        throw failure(
          'python-crashed',
          'the Python worker crashed before the run began; the next run starts a new interpreter',
        );
      const raw = await Promise.race([
        remote.run(code, { argv, filename, heartbeatMs, traced: tracer }),
        stopped,
        died,
      ]);
      // A program that closed its worker (js.self.close()) still sends this run's reply; the closed
      // worker answers nothing after it, and the browser soon ends it (the life lock: `died`).
      aliveTimer = setTimeout(
        () => this.onCrash?.(`it did not answer within ${ALIVE_WAIT_MS / 1000} s of its run`),
        ALIVE_WAIT_MS,
      );
      await Promise.race([remote.alive(), died, stopped]);
      if (control) Atomics.store(control, SLEEP, 0);
      // A program stopped by KeyboardInterrupt ends with that exception: the run was cancelled.
      // (Its record up to the stop travels with the error, so the page can draw what ran.)
      if (signal?.aborted)
        throw failure('cancelled', 'the Python program was stopped (KeyboardInterrupt)', {
          record: { ...raw, error: null, load_ms: coldStartMs },
        });
      return { ...raw, load_ms: coldStartMs };
    } finally {
      // A pool's processes live as long as the run that started them (Stop and errors included).
      this.endProcesses();
      if (ranIn !== null && this.worker === ranIn) this.renew();
      clearTimeout(stopTimer);
      stopAsking();
      clearTimeout(capTimer);
      clearTimeout(aliveTimer);
      signal?.removeEventListener('abort', onAbort);
      this.onCrash = null;
      this.busy = false;
    }
  }
}
