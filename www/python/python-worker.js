// @ts-check
/**
 * The Python worker: one Pyodide interpreter (CPython 3.14 in WebAssembly) in a module Worker, so a Python
 * program can hold this thread (a busy loop, a blocking `time.sleep`) while the page stays free. The page
 * talks to it through Comlink (`www/python/python.js`); stopping a run goes through shared memory instead,
 * because a message cannot reach a thread that Python is holding.
 *
 * CPython's semantics, not Pyodide's defaults: `time.sleep` blocks this thread (`Atomics.wait`, no CPU
 * burnt) where Pyodide would have turned it into an await; asyncio runs on CPython's own event loop
 * (`www/python/juggle_loop.py`), whose wait for the next timer or event parks this thread on a promise of
 * `loopWait` below; `print` is recorded per line with the task that printed it. The Python side of this
 * worker is `www/python/juggle_worker.py`; `www/python/juggle_trace.py` says what a run records.
 */
import { expose, transfer } from 'comlink';
import { DOORBELL, INTERRUPT, SIGINT, SLEEP, STOP_GIVEN } from './control-words.js';
import { loadInterpreter } from './interpreter.js';
import gilSource from './juggle_gil.py?raw';
import loopSource from './juggle_loop.py?raw';
import threadsSource from './juggle_threads.py?raw';
import tracerSource from './juggle_trace.py?raw';
import workerSource from './juggle_worker.py?raw';
import { MP_MODULES } from './mp-modules.js';
import { newHeap, sharedMemoryHost } from './shared-memory.js';
import { CLOCK_WORDS } from './switch-clock.js';
import { threadHost as makeThreadHost } from './thread-host.js';
import { closeNetwork } from './worker-sandbox.js';

/** @typedef {import('pyodide/ffi').PyProxy} PyProxy */
/** @typedef {import('../types/python.js').PoolRequest} PoolRequest */
/** @typedef {import('../types/python.js').WorkerLife} WorkerLife */
/** @typedef {{ codes: Int32Array, times: Float64Array }} SpanBatch a batch of told spans (`spansSoFar`) */
/** @typedef {[task: string, kind: string, label: string, lane: string | null]} SpanKind what told spans share */
/** @typedef {import('../types/python.js').WorkerRecords} WorkerRecords */
/** @typedef {import('../types/python.js').JuggleWorkerModule} JuggleWorkerModule */
/**
 * Whatever was thrown or rejected: a JS Error, Pyodide's PythonError (`type`: the Python exception's class),
 * Emscripten's ExitStatus, or any value a program threw. Read only through `?.`, so a field is read only if
 * it is there (a primitive has none of them).
 * @typedef {{ name?: unknown, message?: unknown, type?: string } | null | undefined} Thrown
 */

/**
 * The control words shared with the page (control-words.js names each). Null without shared memory.
 * @type {Int32Array<SharedArrayBuffer> | null}
 */
let control = null;
/**
 * The switch interval's clock's words (switch-clock.js; its thread is a Worker this one starts). Null
 * without shared memory.
 * @type {Int32Array | null}
 */
let clock = null;
/** @type {import('../types/python.js').Pyodide | null} */
let pyodide = null;
/** The interpreter's version, `3.14.2` (once loaded). */
/** @type {string | null} */
let python = null;
/** juggle_worker.py, the Python side of this worker (a PyProxy of the module). */
/** @type {JuggleWorkerModule | null} */
let worker = null;
/** Whether WebAssembly can switch stacks here (JSPI): the event loop's wait then parks on a promise. */
const JSPI = typeof (/** @type {any} */ (WebAssembly).Suspending) === 'function';
/** The Python modules this worker writes into its interpreter's /juggle folder. */
const MODULES = {
  ...MP_MODULES,
  juggle_gil: gilSource,
  juggle_loop: loopSource,
  juggle_threads: threadsSource,
  juggle_trace: tracerSource,
  juggle_worker: workerSource,
};

const now = () => performance.now();

/** Shared memory for multiprocessing's Value, Array and locks: a heap per run, sent to every process. */
const shm = sharedMemoryHost({
  owner: 1,
  interrupted: () => control !== null && Atomics.load(control, INTERRUPT) === SIGINT,
});

/**
 * A blocking sleep: holds this thread as CPython's `time.sleep` holds its own, woken early by Stop.
 * @param {number} ms
 */
function blockingSleep(ms) {
  if (control) {
    Atomics.wait(control, SLEEP, 0, ms);
  } else {
    // Without shared memory there is nothing to wait on: hold the thread by spinning, as Pyodide's own
    // fallback does. The thread is just as unavailable; only the CPU use differs.
    const end = now() + ms;
    while (now() < end) {
      // spin
    }
  }
}

/**
 * The event loop's wait (juggle_loop.py's selector, through juggle_worker.py): a promise settled when
 * `ms` pass (`ms` < 0: no limit), when the doorbell rings (a process's result, or Stop), or when `loopWake`
 * is called. Python parks on it with `pyodide.ffi.run_sync`, so this worker's own event loop runs
 * meanwhile. The time-out is `Atomics.waitAsync`'s own, not a `setTimeout` (a timer set from a timer's
 * callback is clamped to 4 ms after five levels; a loop of `asyncio.sleep(0.001)` would pay it).
 * @param {number} ms
 * @returns {Promise<void>}
 */
function loopWait(ms) {
  const limit = ms < 0 ? Number.POSITIVE_INFINITY : ms;
  if (control) {
    // The doorbell's count is read before the mailboxes are looked at: a ring in between then ends the
    // wait at once, where reading it after could wait past a result that had just arrived.
    const seen = Atomics.load(control, DOORBELL);
    if (Atomics.load(control, INTERRUPT) === SIGINT || [...children.values()].some(full))
      return Promise.resolve();
    const waiting = /** @type {any} */ (Atomics).waitAsync(control, DOORBELL, seen, limit);
    return waiting.async ? waiting.value.then(() => {}) : Promise.resolve();
  }
  // Without shared memory nothing can ring: the time-out, or a wake. A message hop after the timer keeps
  // the next timer from being clamped as nested.
  return new Promise((resolve) => {
    const hop = () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    };
    const timer = Number.isFinite(limit) ? setTimeout(hop, limit) : 0;
    wakeParked = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/**
 * The event loop's wait when promises cannot be waited for (no JSPI): the same events, holding the thread.
 * @param {number} ms
 */
function loopWaitBlocking(ms) {
  const limit = ms < 0 ? Number.POSITIVE_INFINITY : ms;
  if (control) {
    const seen = Atomics.load(control, DOORBELL); // before the mailboxes, as in loopWait
    if (Atomics.load(control, INTERRUPT) === SIGINT || [...children.values()].some(full)) return;
    Atomics.wait(control, DOORBELL, seen, limit);
  } else if (Number.isFinite(limit)) blockingSleep(limit);
}

/**
 * Starts the switch interval's clock on a thread of its own (before the sandbox closes: a program cannot
 * start workers) and resolves to its words once it ticks, or to null if it cannot start (threads then
 * fall back to the slower signal, thread-host.js).
 * @param {SharedArrayBuffer} interrupt the control words, whose [0] the clock signals
 * @returns {Promise<Int32Array | null>}
 */
function startSwitchClock(interrupt) {
  const words = new Int32Array(new SharedArrayBuffer(CLOCK_WORDS * 4));
  const ticker = new Worker(new URL('./switch-ticker.js', import.meta.url), {
    type: 'module',
    name: 'juggle-switch-clock',
  });
  return new Promise((resolve) => {
    ticker.onmessage = () => resolve(words);
    ticker.onerror = () => {
      ticker.terminate();
      resolve(null);
    };
    ticker.postMessage({ clock: words.buffer, interrupt });
  });
}

/** Threads' side in JavaScript (juggle_threads.py calls it as `juggle_thread_host`). */
const threadHost = makeThreadHost({
  pyodide: () => pyodide,
  control: () => control,
  clock: () => clock,
  loopWait,
});

/** Without shared memory: ends the loop's current wait (with it, `loopWake` rings the doorbell). */
let wakeParked = () => {};

/** Ends the event loop's wait early (`call_soon_threadsafe`, as CPython writes to its self-pipe). */
function loopWake() {
  if (control) Atomics.notify(control, DOORBELL);
  else wakeParked();
}

/** True (once) when the page asked to stop: the sleep then raises KeyboardInterrupt in Python. */
function takeInterrupt() {
  if (!control || Atomics.load(control, INTERRUPT) !== SIGINT) return false;
  Atomics.store(control, INTERRUPT, 0);
  stopGiven();
  return true;
}

/** Stop's interrupt, noticed where it could not be raised: raised at the interpreter's next check. */
function interruptAgain() {
  if (control) Atomics.store(control, INTERRUPT, SIGINT);
}

/** The program has been given Stop's KeyboardInterrupt: the page stops asking again (`keepAskingToStop`). */
function stopGiven() {
  if (control) Atomics.store(control, STOP_GIVEN, 1);
}

/** An interpreter's WebAssembly memory in bytes (Pyodide's heap: its own, one per interpreter). */
const memoryBytes = () => pyodide?._module?.HEAP8?.buffer?.byteLength ?? 0;

/**
 * The process pool's side in JavaScript (juggle_pool.py calls it as `juggle_pool_host`): each process a
 * Worker running its own interpreter (pool-worker.js), its results written into a mailbox of its own in
 * shared memory and announced by a ring of the doorbell, `control[2]`. A blocking wait holds this thread
 * on the doorbell (`Atomics.wait`; Stop rings it too); a free event loop listens with `Atomics.waitAsync`.
 * The page starts and ends the Workers (`poolPort`, python.js).
 */
const MAILBOX_HEADER = 8;
/** @typedef {{ mailbox: SharedArrayBuffer, lane: string }} Child */
/** @type {Map<number, Child>} */
const children = new Map();
let nextChild = 1;
/** @type {{ code: string, filename: string, argv: string[] } | null} */
let currentRun = null;

/**
 * The current run so far: its printed lines (juggle_trace's `mirror` calls `printed` with each as it is
 * recorded) and its spans (told in packed batches, `spansSoFar`):
 * what a crash still has of the run. Null outside a run.
 * @type {{ t0: number, startedAtMs: number, heartbeatMs: number,
 *   output: { t_ms: number, task: string, text: string, stream: string }[],
 *   spanKinds: SpanKind[], spanBatches: SpanBatch[], spanCount: number,
 *   beats: { due_ms: number, ran_ms: number }[] } | null}
 */
let soFar = null;
/** The most lines a crash keeps (juggle_trace's Limits.lines). */
const MOST_LINES_SO_FAR = 5000;
/** The most spans a crash keeps (juggle_trace's Limits.spans). */
const MOST_SPANS_SO_FAR = 50_000;
/** The most health-check beats a crash keeps (a beat every 10 ms for the run's 60 s cap). */
const MOST_BEATS_SO_FAR = 6_000;

/**
 * A printed line of the current run, told as it is recorded.
 * @param {number} t ms on the worker's clock
 * @param {string} task
 * @param {string} text
 * @param {string} stream
 */
function printed(t, task, text, stream) {
  if (soFar && soFar.output.length < MOST_LINES_SO_FAR)
    soFar.output.push({ t_ms: Math.max(0, t - soFar.t0), task, text, stream });
}

/**
 * A health-check beat of the current run, told as it is recorded (ms from the run's start).
 * @param {number} due
 * @param {number} ran
 */
function beatSoFar(due, ran) {
  if (soFar && soFar.beats.length < MOST_BEATS_SO_FAR) soFar.beats.push({ due_ms: due, ran_ms: ran });
}

/**
 * Spans of the current run, told as the tracer records them (juggle_trace's `tell_spans`, packed): the
 * kinds of span not told before (`[task, kind, label, lane]`), then a kind code a span and two times a
 * span on the worker's clock.
 * @param {string} newKinds a JSON list of `[task, kind, label, lane]`
 * @param {Int32Array} codes
 * @param {Float64Array} times
 * @param {number} count how many spans the batch holds
 */
function spansSoFar(newKinds, codes, times, count) {
  if (!soFar) return;
  // The kinds first, kept even when the batch is not: later batches' codes count them.
  soFar.spanKinds.push(...JSON.parse(String(newKinds)));
  if (soFar.spanCount + count > MOST_SPANS_SO_FAR) return;
  soFar.spanBatches.push({ codes, times });
  soFar.spanCount += count;
}
let poolIndexURL = '';
/** The page's end of the pool: it starts, feeds and ends the processes' Workers (python.js). */
/** @type {MessagePort | null} */
let poolPort = null;
/**
 * Python bytes (already a Uint8Array through to_js, or a proxy) as a Uint8Array.
 * @param {Uint8Array | PyProxy | null | undefined} bytes (None arrives as undefined)
 * @returns {Uint8Array | null}
 */
const u8 = (bytes) => (bytes == null ? null : bytes instanceof Uint8Array ? bytes : bytes.toJs());
const full = (/** @type {Child} */ child) => Atomics.load(new Int32Array(child.mailbox, 0, 2), 0) === 1;

const poolHost = {
  available: () => control !== null,
  cores: navigator.hardwareConcurrency || 1,
  now,
  take_interrupt: takeInterrupt,
  /**
   * Starts one process: a Worker that loads its interpreter and runs the program as `__mp_main__`. The page
   * creates it (through `poolPort`): a worker that this thread created would not start while this thread
   * is held in a wait (Chromium starts a nested worker from its parent's event loop).
   * @param {string} lane
   * @param {Uint8Array | PyProxy | undefined} initializer the pool's pickled initializer (None: undefined)
   * @param {string} name
   */
  spawn(lane, initializer, name) {
    if (!control || !currentRun || !poolPort)
      throw new Error('a process pool needs a running program and shared memory');
    const id = nextChild++;
    // Growable (the lib types here predate the option): a result bigger than 64 KiB grows it.
    /** @type {SharedArrayBuffer} */
    const mailbox = new /** @type {any} */ (SharedArrayBuffer)(64 * 1024, {
      maxByteLength: 256 * 1024 * 1024,
    });
    children.set(id, { mailbox, lane });
    poolPort.postMessage(
      /** @satisfies {PoolRequest} */ ({
        type: 'spawn',
        id,
        lane,
        start: {
          type: 'start',
          indexURL: poolIndexURL,
          code: currentRun.code,
          filename: currentRun.filename,
          argv: currentRun.argv,
          spawnedAt: performance.timeOrigin + now(),
          mailbox,
          doorbell: control.buffer,
          heap: shm.heap_of('run'),
          owner: 1000 + id,
          name,
          initializer: u8(initializer),
          cores: navigator.hardwareConcurrency || 1,
        },
      }),
    );
    return id;
  },
  /**
   * Sends a process one task (it is idle: the pool gives each process one task at a time).
   * @param {number} id
   * @param {number} taskId
   * @param {Uint8Array | PyProxy} payload
   * @param {string} name
   */
  send(id, taskId, payload, name) {
    poolPort?.postMessage(
      /** @satisfies {PoolRequest} */ ({
        type: 'task',
        id,
        task: { type: 'task', id: taskId, payload: u8(payload), name },
      }),
    );
  },
  /** Every message the processes have written since the last poll, `[child, bytes]`; empties mailboxes. */
  poll() {
    /** @type {[number, Uint8Array][]} */
    const messages = [];
    for (const [id, child] of children) {
      const header = new Int32Array(child.mailbox, 0, 2);
      if (Atomics.load(header, 0) !== 1) continue;
      const length = Atomics.load(header, 1);
      messages.push([id, new Uint8Array(child.mailbox, MAILBOX_HEADER, length).slice()]);
      Atomics.store(header, 0, 0);
      Atomics.notify(header, 0);
    }
    return messages;
  },
  /**
   * Holds this thread until a process rings (or Stop, or `ms` pass; `ms` < 0: no limit).
   * @param {number} ms
   */
  wait(ms) {
    if (!control) return;
    const seen = Atomics.load(control, DOORBELL);
    if ([...children.values()].some(full)) return;
    Atomics.wait(control, DOORBELL, seen, ms < 0 ? Number.POSITIVE_INFINITY : ms);
  },
  /** Nothing to do: the event loop's wait (`loopWait`) listens to the doorbell while results are due. */
  arm() {},
  /**
   * Ends one process (its Worker terminated: its interpreter and memory go).
   * @param {number} id
   */
  end(id) {
    poolPort?.postMessage(/** @satisfies {PoolRequest} */ ({ type: 'end', id }));
    children.delete(id);
  },
  /** Ends every process (a run ended or was stopped). */
  end_all() {
    poolPort?.postMessage(/** @satisfies {PoolRequest} */ ({ type: 'end-all' }));
    children.clear();
  },
};

/** Where the page reaches the interpreter (through Comlink). */
const api = {
  /**
   * Loads the interpreter from `indexURL` (the page's own origin) and installs Juggle's tracer and sleep.
   * This worker runs one program: the page starts a new one for the next run, from the page's memory
   * snapshot (`boot`, see interpreter.js), which the first of them takes and hands back (`snapshot`).
   * @param {string} indexURL
   * @param {SharedArrayBuffer | null} shared the control words, when the page has shared memory
   * @param {MessagePort} [port] where the page starts the process pool's Workers for this interpreter
   * @param {import('./interpreter.js').Boot} [boot]
   * @returns {Promise<{ python: string, loadMs: number, snapshot: Uint8Array | null }>}
   */
  async load(indexURL, shared, port, boot = {}) {
    const started = now();
    poolPort = port ?? null;
    control = shared ? new Int32Array(shared) : null;
    const loaded = await loadInterpreter(indexURL, boot);
    // interpreter.js hands it over untyped (`Loaded`): it is what `loadPyodide` resolved to.
    pyodide = /** @type {import('../types/python.js').Pyodide} */ (loaded.pyodide);
    if (shared) {
      pyodide.setInterruptBuffer(/** @type {Int32Array} */ (control)); // made from `shared` above
      clock = await startSwitchClock(shared);
    }
    pyodide.registerJsModule('juggle_host', {
      now,
      sleep: blockingSleep,
      wait: loopWait,
      wait_blocking: loopWaitBlocking,
      wake: loopWake,
      take_interrupt: takeInterrupt,
      interrupt_again: interruptAgain,
      stop_given: stopGiven,
      printed,
      spans_so_far: spansSoFar,
      beat_so_far: beatSoFar,
    });
    pyodide.FS.mkdirTree('/juggle');
    for (const [name, source] of Object.entries(MODULES)) pyodide.FS.writeFile(`/juggle/${name}.py`, source);
    pyodide.registerJsModule('juggle_pool_host', poolHost);
    pyodide.registerJsModule('juggle_thread_host', threadHost);
    pyodide.registerJsModule('juggle_shm_host', shm);
    poolIndexURL = indexURL;
    const sys = pyodide.pyimport('sys');
    sys.path.insert(0, '/juggle');
    sys.destroy();
    // `pyimport` returns `any`: a Python module's functions are not in Pyodide's types.
    worker = /** @type {JuggleWorkerModule} */ (pyodide.pyimport('juggle_worker'));
    worker.setup(
      pyodide.pyimport('juggle_host'),
      pyodide.pyimport('juggle_pool_host'),
      pyodide.pyimport('juggle_shm_host'),
      pyodide.pyimport('juggle_thread_host'),
    );
    closeNetwork();
    python = /** @type {string} */ (pyodide.runPython('import sys; sys.version.split()[0]')); // a str
    const answer = { python, loadMs: now() - started, snapshot: loaded.made };
    return loaded.made ? transfer(answer, [loaded.made.buffer]) : answer;
  },

  /**
   * Answers while this worker still takes messages: one a program closed (js.self.close()) never answers,
   * since a closing worker drops what is queued for it.
   */
  alive() {
    return true;
  },

  /**
   * Runs a program and resolves to what it recorded; a Python exception resolves too, with `error` set
   * (the traceback as text, and the line it points at), so the spans up to it are kept.
   * @param {string} code
   * @param {{ argv: string[], filename: string, heartbeatMs: number, traced?: boolean }} options `traced`:
   *   false runs without the tracer's sys.monitoring (the bench measures its overhead so)
   */
  async run(code, { argv, filename, heartbeatMs, traced = true }) {
    if (!pyodide) throw new Error('the interpreter is not loaded');
    // A Stop that came before this call (the page asked while the run's message was on its way) is kept
    // for the program (juggle_worker.py raises it once the program runs): each run has its own control
    // words, so nothing older is there. (Clearing it here lost it: the run waited for the hard stop.)
    currentRun = { code, filename, argv };
    shm.set_heap('run', control ? newHeap() : null);
    const t0 = now();
    const startedAtMs = performance.timeOrigin + t0;
    soFar = {
      t0,
      startedAtMs,
      heartbeatMs,
      output: [],
      spanKinds: [],
      spanBatches: [],
      spanCount: 0,
      beats: [],
    };
    let error = null;
    let globals = null;
    // `load`, which the page awaits before any run, has set `worker`: the casts below drop its `| null`.
    try {
      globals = /** @type {JuggleWorkerModule} */ (worker).begin(
        pyodide.toPy(argv),
        filename,
        traced,
        heartbeatMs,
        t0,
      );
      // A promising call: the event loop's wait can park this thread with run_sync (JSPI). Without JSPI
      // the call is a plain one and the wait holds the thread instead (loopWaitBlocking).
      const failed = JSPI
        ? await /** @type {JuggleWorkerModule} */ (worker).run.callPromising(code, filename, globals)
        : /** @type {JuggleWorkerModule} */ (worker).run(code, filename, globals);
      if (failed) error = pythonError(JSON.parse(failed), filename);
    } catch (failure) {
      const thrown = /** @type {Thrown} */ (failure);
      // os._exit and fatal errors end the interpreter: said as a crash (before this run's reply, so the
      // page sees python-crashed), never as the program's own Python error.
      if (dead(thrown)) {
        crashed(thrown);
        throw failure;
      }
      error = pythonError({ kind: thrown?.type, message: String(thrown?.message ?? thrown) }, filename);
    }
    /** @type {WorkerRecords} */
    const records = JSON.parse(/** @type {JuggleWorkerModule} */ (worker).end());
    // Without threads the spans were told as they were recorded, the last of them by `end` (each written
    // once, juggle_trace's `records`): those batches are the run's spans.
    const told = records.spans_told && soFar ? soFar : null;
    currentRun = null;
    soFar = null;
    const totalMs = now() - t0;
    const beats = records.beats.map((beat) => ({ due_ms: beat.due_ms, ran_ms: beat.ran_ms }));
    globals?.destroy();
    const shift = (/** @type {number} */ ms) => ms - t0;
    // The pool's processes: their times are on the shared axis (timeOrigin + now), made this run's.
    const fromAbs = (/** @type {number} */ ms) =>
      Math.min(totalMs, Math.max(0, ms - performance.timeOrigin - t0));
    const { spans: processSpans, output: processOutput, processes } = records.processes;
    const output = [
      ...records.output.map((line) => ({ ...line, t_ms: shift(line.t_ms) })),
      ...processOutput.map(({ t_abs, ...line }) => ({ ...line, t_ms: fromAbs(t_abs) })),
    ].sort((a, b) => a.t_ms - b.t_ms);
    return {
      python,
      started_at_ms: startedAtMs,
      total_ms: totalMs,
      interval_ms: heartbeatMs,
      spans: [
        ...records.spans.map((s) => ({ ...s, start_ms: shift(s.start_ms), end_ms: shift(s.end_ms) })),
        ...(told ? toldSpans(told, shift) : []),
        ...processSpans.map(({ start_abs, end_abs, ...s }) => ({
          ...s,
          start_ms: fromAbs(start_abs),
          end_ms: fromAbs(end_abs),
        })),
      ],
      output,
      beats,
      truncated: records.truncated,
      error,
      memory_bytes: memoryBytes(),
      processes,
    };
  },

  /** This interpreter's WebAssembly memory, in bytes (what one more interpreter costs at least). */
  memory: () => memoryBytes(),
};
/** What the page calls through Comlink (python.js wraps this worker as a `Remote` of it). */
/** @typedef {typeof api} PythonWorkerApi */

/**
 * A failure as `{ kind, message, line }`: the Python traceback, and the program's line it points at.
 * @param {{ kind?: string, message: string }} failure what juggle_worker.run returned, or a JS failure
 * @param {string} filename
 */
function pythonError(failure, filename) {
  const message = String(failure.message);
  const type = failure.kind ?? 'Error';
  const lines = [
    ...message.matchAll(
      new RegExp(`File "${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}", line (\\d+)`, 'g'),
    ),
  ];
  // `at(-1)` of a non-empty list is its last match.
  const line = lines.length > 0 ? Number(/** @type {RegExpExecArray} */ (lines.at(-1))[1]) : null;
  return { kind: type, message: trimTraceback(message), line };
}

/**
 * Drops the frames of Pyodide's, the standard library's and Juggle's machinery (files under /lib/ and
 * /juggle/: a KeyboardInterrupt raised where a thread parks) from a traceback,
 * keeping the learner's own frames and the exception line: what CPython would show for the same program.
 * @param {string} message
 */
export function trimTraceback(message) {
  const lines = message.split('\n');
  const kept = [];
  let dropping = false;
  for (const line of lines) {
    const frame = line.match(/^ {2}File "([^"]*)"/);
    if (frame) dropping = frame[1].startsWith('/lib/') || frame[1].startsWith('/juggle/');
    else if (!line.startsWith('    ')) dropping = false;
    if (!dropping) kept.push(line);
  }
  return kept.join('\n').trimEnd();
}

// A program stopped by KeyboardInterrupt can leave the exception to Pyodide's loop, which rethrows it from
// a timer callback: that is the stop the page asked for, not a crash, so it is not reported as one.
const isInterrupt = (/** @type {Thrown} */ error) =>
  String(error?.message ?? error).includes('KeyboardInterrupt');
// A dead interpreter is said at once (python.js ends the run with python-crashed, issue #28): an uncaught
// error after which Python no longer runs (os._exit, a fatal error), and, held for this worker's life, a Web
// Lock the browser releases when the worker ends in any way (a program's js.self.close()).
const dead = (/** @type {Thrown} */ error) => {
  if (error?.name === 'ExitStatus') return true;
  try {
    pyodide?.runPython('0');
    return false;
  } catch {
    return true;
  }
};
/**
 * The page's private line to this worker's life (it is alive, it crashed): the port is sent before any
 * program runs, and no program can reach this end (a binding of this module, not of `self`). The page hears
 * nothing else about a worker's life: a program posting `{type: 'juggle-crashed'}` on `self` is not heard.
 */
const life = new MessageChannel();
self.postMessage({ type: 'juggle-life', port: life.port2 }, { transfer: [life.port2] });
const lifePort = life.port1;
const crashed = (/** @type {Thrown} */ error) =>
  lifePort.postMessage(
    /** @satisfies {WorkerLife} */ ({
      type: 'juggle-crashed',
      reason: String(error?.message ?? error),
      record: crashRecord(),
    }),
  );

/**
 * The spans told in batches (`spansSoFar`) as a record's spans, their times made the run's by `shift`. A
 * span whose code names no kind told is left out (the core checks what is kept as any record).
 * @param {{ spanKinds: SpanKind[], spanBatches: SpanBatch[] }} run
 * @param {(ms: number) => number} shift
 */
function toldSpans({ spanKinds: kinds, spanBatches: batches }, shift) {
  const spans = [];
  for (const { codes, times } of batches) {
    for (let i = 0; i < codes.length && 2 * i + 1 < times.length; i++) {
      const kind = kinds[codes[i]];
      if (!Array.isArray(kind)) continue;
      const [task, what, label, lane] = kind;
      spans.push({
        task,
        kind: what,
        label,
        start_ms: shift(times[2 * i]),
        end_ms: shift(times[2 * i + 1]),
        ...(lane == null ? {} : { lane }),
      });
    }
  }
  return spans;
}

/**
 * The run so far, as a record, when the interpreter died under it: the lines it printed, the spans that had
 * ended and the health check's beats (told as they were recorded: `printed`, `spansSoFar`, `beatSoFar`),
 * since Python's own record died with it.
 * Null outside a run.
 * @returns {Record<string, unknown> | null} what `run` resolves to, its fields those of a run's record
 */
function crashRecord() {
  if (!soFar) return null;
  const run = soFar;
  soFar = null;
  const spans = toldSpans(run, (ms) => Math.max(0, ms - run.t0));
  return {
    python,
    started_at_ms: run.startedAtMs,
    total_ms: now() - run.t0,
    interval_ms: run.heartbeatMs,
    spans,
    output: run.output,
    beats: run.beats,
    truncated: 'the interpreter crashed: what it printed and recorded up to then is kept',
    error: null,
    memory_bytes: null,
    processes: [],
  };
}
self.addEventListener('error', (event) => {
  if (isInterrupt(event.error ?? event.message)) event.preventDefault();
  else if (dead(event.error)) {
    event.preventDefault();
    crashed(event.error ?? event.message);
  }
});
self.addEventListener('unhandledrejection', (event) => {
  if (isInterrupt(event.reason)) event.preventDefault();
  else if (dead(event.reason)) {
    event.preventDefault();
    crashed(event.reason);
  }
});
const lifeLock = `juggle-python-${performance.timeOrigin}-${Math.random().toString(36).slice(2)}`;
// Some frames deny Web Locks (a SecurityError, "The request was denied."); python.js then sees a closed
// worker by its silence after the run instead (`alive`).
navigator.locks
  ?.request(lifeLock, () => {
    lifePort.postMessage(/** @satisfies {WorkerLife} */ ({ type: 'juggle-alive', lock: lifeLock }));
    return new Promise(() => {});
  })
  .catch(() => {});

expose(api);
