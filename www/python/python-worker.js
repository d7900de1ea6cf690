// @ts-check
/**
 * The Python worker: one Pyodide interpreter (CPython 3.14 in WebAssembly) in a module Worker, so a Python
 * program can hold this thread (a busy loop, a blocking `time.sleep`) while the page stays free. The page
 * talks to it through Comlink (`www/python/python.js`); stopping a run goes through shared memory instead,
 * because a message cannot reach a thread that Python is holding.
 *
 * CPython's semantics, not Pyodide's defaults: `time.sleep` blocks this thread (`Atomics.wait`, no CPU
 * burnt) where Pyodide would have turned it into an await; `asyncio.run(main())` runs on Pyodide's WebLoop
 * (through JSPI); `print` is recorded per line with the task that printed it. See
 * `www/python/juggle_trace.py` for what a run records, and the heartbeat below for the health check.
 */
import { expose } from 'comlink';
import mpSource from './juggle_mp.py?raw';
import poolSource from './juggle_pool.py?raw';
import sandboxSource from './juggle_sandbox.py?raw';
import tracerSource from './juggle_trace.py?raw';
import { newHeap, sharedMemoryHost } from './shared-memory.js';
import { closeNetwork } from './worker-sandbox.js';

/**
 * The control words shared with the page: [0] Pyodide's interrupt flag (2 = KeyboardInterrupt), [1] the
 * word a blocking sleep waits on (the page notifies it on Stop), [2] the process pool's doorbell (its
 * processes ring it when a result is in; the page rings it on Stop). Null without shared memory.
 * @type {Int32Array | null}
 */
let control = null;
/** @type {any} */
let pyodide = null;
/** @type {any} */
let python = null;

const now = () => performance.now();

/** Shared memory for multiprocessing's Value, Array and locks: a heap per run, sent to every process. */
const shm = sharedMemoryHost({
  owner: 1,
  interrupted: () => control !== null && Atomics.load(control, 0) === 2,
});

/** A blocking sleep: holds this thread as CPython's `time.sleep` holds its own, woken early by Stop. */
function blockingSleep(ms) {
  if (control) {
    Atomics.wait(control, 1, 0, ms);
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
 * How Pyodide's event loop (WebLoop) runs its callbacks: as CPython's loop does (`BaseEventLoop._run_once`),
 * one iteration at a time. An iteration first moves the timers that are due to the end of the ready queue,
 * then runs the callbacks that were ready when it began, in order; a callback scheduled meanwhile
 * (`call_soon`, so every `await asyncio.sleep(0)`) waits for the next iteration, after the timers due by
 * then. Timers (`call_later`, and the health check below) are kept here, not left to the browser: a stream
 * of MessageChannel tasks keeps Chromium's own timers from running (an asyncio task yielding every 5 ms
 * starved a health check for a whole second, measured: 958 ms), and browser timers would also run between
 * two ready callbacks, where CPython's loop never looks at its timers. An iteration is a MessageChannel hop
 * (about 10 us) while callbacks are ready, and a `setTimeout` to the earliest timer when none is.
 */
const channel = new MessageChannel();
/** The loop's ready callbacks, first in first out (asyncio runs `call_soon` callbacks in order). */
/** @type {(() => void)[]} */
const ready = [];
/** The loop's timers, earliest first (equal times in the order they were set). */
/** @type {{ due: number, seq: number, callback: () => void, cancelled?: boolean }[]} */
const timers = [];
let timerSeq = 0;
let hopScheduled = false;
/** The pending `setTimeout` for the earliest timer, and the time it is for. */
let wakeTimer = 0;
let wakeAt = Number.POSITIVE_INFINITY;

/** One iteration of the loop, as CPython's `_run_once`: due timers join the ready queue, then one batch. */
function iteration() {
  hopScheduled = false;
  const t = now();
  while (timers.length && timers[0].due <= t) {
    const timer = /** @type {(typeof timers)[number]} */ (timers.shift());
    if (!timer.cancelled) ready.push(timer.callback);
  }
  const batch = ready.splice(0, ready.length);
  let done = 0;
  try {
    while (done < batch.length) batch[done++]();
  } finally {
    // A callback that raised (KeyboardInterrupt out of a handle) leaves the rest of the batch ready, as
    // CPython's loop leaves them in its ready queue.
    ready.unshift(...batch.slice(done));
    wake();
  }
}
channel.port1.onmessage = iteration;

/** Schedules the next iteration: at once while callbacks are ready, else when the earliest timer is due. */
function wake() {
  if (ready.length) {
    if (!hopScheduled) {
      hopScheduled = true;
      channel.port2.postMessage(null);
    }
    return;
  }
  const next = timers.find((timer) => !timer.cancelled);
  if (!next || next.due === wakeAt) return;
  clearTimeout(wakeTimer);
  wakeAt = next.due;
  wakeTimer = setTimeout(
    () => {
      wakeAt = Number.POSITIVE_INFINITY;
      iteration();
    },
    Math.max(0, next.due - now()),
  );
}

/**
 * A timer of the loop's own, due in `delayMs`; returns a function that cancels it.
 * @param {() => void} callback
 * @param {number} delayMs
 */
function addTimer(callback, delayMs) {
  const timer = { due: now() + Math.max(0, delayMs), seq: timerSeq++, callback };
  let at = timers.length;
  while (at > 0 && timers[at - 1].due > timer.due) at -= 1;
  timers.splice(at, 0, timer);
  wake();
  return () => {
    timer.cancelled = true;
  };
}

/** Pyodide's WebLoop hook: `call_soon` (no delay) and `call_later` both come here. */
function scheduleCallback(callback, delayMs) {
  if (delayMs > 0) addTimer(callback, delayMs);
  else {
    ready.push(callback);
    wake();
  }
}

/** True (once) when the page asked to stop: the sleep then raises KeyboardInterrupt in Python. */
function takeInterrupt() {
  if (!control || Atomics.load(control, 0) !== 2) return false;
  Atomics.store(control, 0, 0);
  return true;
}

const SETUP = `
import json, sys, time
sys.path.insert(0, "/juggle")
import juggle_host, juggle_trace, juggle_pool
import pyodide.webloop
from pyodide.webloop import WebLoop

# Fair scheduling of the loop's callbacks (see scheduleCallback in python-worker.js).
pyodide.webloop.scheduleCallback = juggle_host.schedule_callback

_tracer = None
juggle_trace.patch_loop_class(WebLoop, lambda: _tracer)

def _blocking_sleep(seconds):
    """time.sleep as CPython has it: the thread is held, nothing else runs on it meanwhile."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    if seconds != seconds or seconds < 0:
        raise ValueError("sleep length must be non-negative")
    start = juggle_host.now()
    juggle_host.sleep(float(seconds) * 1000)
    end = juggle_host.now()
    if _tracer is not None:
        _tracer.blocked(f"time.sleep({seconds:g})", start, end)
    if juggle_host.take_interrupt():
        raise KeyboardInterrupt

time.sleep = _blocking_sleep

_saved_main = None

def _juggle_begin(argv, filename, traced):
    """A run starts: its own __main__ module (so that pickle finds the program's functions by reference, as
    the pool's processes need), sys.argv, the tracer (sys.monitoring only when traced)."""
    global _tracer, _saved_main
    import builtins, types
    juggle_pool.begin_run()
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__builtins__ = builtins
    _saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    sys.argv = [filename, *argv]
    _tracer = juggle_trace.Tracer(juggle_host.now)
    sys.stdout = juggle_trace.LineWriter(_tracer)
    if traced:
        _tracer.start()
    return main.__dict__

def _juggle_end():
    global _tracer
    tracer, _tracer = _tracer, None
    processes = juggle_pool.end_run()
    if _saved_main is not None:
        sys.modules["__main__"] = _saved_main
    if tracer is None:
        return json.dumps({"spans": [], "output": [], "truncated": None, "processes": processes})
    sys.stdout.flush()
    sys.stdout = sys.__stdout__
    tracer.stop()
    return json.dumps({**tracer.records(), "processes": processes})
`;

/**
 * The health check on this thread: a timer due every `intervalMs`, as on the page (crate/src/heartbeat.rs
 * beats the same way), one of the loop's own timers, so it runs when asyncio's timers can (between two
 * iterations, never while a callback runs): each beat records when it was due and when it ran; deadlines
 * that passed while the thread was held are skipped, as a periodic timer coalesces them. Rust summarises
 * the beats.
 */
function startHeartbeat(intervalMs, t0) {
  const beats = [];
  let due = intervalMs;
  let cancel = () => {};
  const tick = () => {
    const ran = now() - t0;
    beats.push({ due_ms: due, ran_ms: ran });
    due += intervalMs;
    if (due <= ran) due += (Math.floor((ran - due) / intervalMs) + 1) * intervalMs;
    cancel = addTimer(tick, Math.max(0, due - (now() - t0)));
  };
  cancel = addTimer(tick, intervalMs);
  return () => {
    cancel();
    return beats;
  };
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
/** @type {Map<number, { mailbox: SharedArrayBuffer, lane: string }>} */
const children = new Map();
let nextChild = 1;
/** @type {{ code: string, filename: string, argv: string[] } | null} */
let currentRun = null;
let poolIndexURL = '';
/** The page's end of the pool: it starts, feeds and ends the processes' Workers (python.js). */
/** @type {MessagePort | null} */
let poolPort = null;
let armed = false;
/** @type {(() => void) | null} */
let onDoorbell = null;
/** Python bytes (already a Uint8Array through to_js, or a proxy) as a Uint8Array. */
const u8 = (bytes) => (bytes == null ? null : bytes instanceof Uint8Array ? bytes : bytes.toJs());
const full = (child) => Atomics.load(new Int32Array(child.mailbox, 0, 2), 0) === 1;

const poolHost = {
  available: () => control !== null,
  cores: navigator.hardwareConcurrency || 1,
  now,
  take_interrupt: takeInterrupt,
  set_on_doorbell(callback) {
    onDoorbell = callback;
  },
  /**
   * Starts one process: a Worker that loads its interpreter and runs the program as `__mp_main__`. The page
   * creates it (through `poolPort`): a worker that this thread created would not start while this thread
   * is held in a wait (Chromium starts a nested worker from its parent's event loop).
   */
  spawn(lane, initializer) {
    if (!control || !currentRun || !poolPort)
      throw new Error('a process pool needs a running program and shared memory');
    const id = nextChild++;
    // Growable (the lib types here predate the option): a result bigger than 64 KiB grows it.
    const mailbox = new /** @type {any} */ (SharedArrayBuffer)(64 * 1024, {
      maxByteLength: 256 * 1024 * 1024,
    });
    children.set(id, { mailbox, lane });
    poolPort.postMessage({
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
        initializer: u8(initializer),
        cores: navigator.hardwareConcurrency || 1,
      },
    });
    return id;
  },
  /** Sends a process one task (it is idle: the pool gives each process one task at a time). */
  send(id, taskId, payload, name) {
    poolPort?.postMessage({
      type: 'task',
      id,
      task: { type: 'task', id: taskId, payload: u8(payload), name },
    });
  },
  /** Every message the processes have written since the last poll, `[child, bytes]`; empties mailboxes. */
  poll() {
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
  /** Holds this thread until a process rings (or Stop, or `ms` pass; `ms` < 0: no limit). */
  wait(ms) {
    if (!control) return;
    const seen = Atomics.load(control, 2);
    if ([...children.values()].some(full)) return;
    Atomics.wait(control, 2, seen, ms < 0 ? Number.POSITIVE_INFINITY : ms);
  },
  /** Listens for the next ring without holding the thread (the event loop goes on). */
  arm() {
    if (armed || !control) return;
    armed = true;
    const fire = () => {
      armed = false;
      onDoorbell?.();
    };
    const seen = Atomics.load(control, 2);
    if ([...children.values()].some(full)) {
      setTimeout(fire, 0);
      return;
    }
    const waiting = /** @type {any} */ (Atomics).waitAsync(control, 2, seen);
    if (waiting.async) waiting.value.then(fire);
    else setTimeout(fire, 0);
  },
  /** Ends one process (its Worker terminated: its interpreter and memory go). */
  end(id) {
    poolPort?.postMessage({ type: 'end', id });
    children.delete(id);
  },
  /** Ends every process (a run ended or was stopped). */
  end_all() {
    poolPort?.postMessage({ type: 'end-all' });
    children.clear();
  },
};

/** Where the page reaches the interpreter (through Comlink). */
const api = {
  /**
   * Loads the interpreter from `indexURL` (the page's own origin) and installs Juggle's tracer and sleep.
   * @param {string} indexURL
   * @param {SharedArrayBuffer | null} shared the control words, when the page has shared memory
   * @param {MessagePort} [port] where the page starts the process pool's Workers for this interpreter
   * @returns {Promise<{ python: string, loadMs: number }>}
   */
  async load(indexURL, shared, port) {
    const started = now();
    poolPort = port ?? null;
    control = shared ? new Int32Array(shared) : null;
    // Pyodide's own loader, served beside its runtime files (not bundled: it would drag in its Node paths).
    /** @type {{ loadPyodide: typeof import('pyodide').loadPyodide }} */
    const { loadPyodide } = await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`);
    pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
    if (shared) pyodide.setInterruptBuffer(control);
    pyodide.registerJsModule('juggle_host', {
      now,
      sleep: blockingSleep,
      take_interrupt: takeInterrupt,
      schedule_callback: scheduleCallback,
    });
    pyodide.FS.mkdirTree('/juggle');
    pyodide.FS.writeFile('/juggle/juggle_trace.py', tracerSource);
    pyodide.FS.writeFile('/juggle/juggle_sandbox.py', sandboxSource);
    pyodide.FS.writeFile('/juggle/juggle_pool.py', poolSource);
    pyodide.FS.writeFile('/juggle/juggle_mp.py', mpSource);
    pyodide.registerJsModule('juggle_pool_host', poolHost);
    pyodide.registerJsModule('juggle_shm_host', shm);
    poolIndexURL = indexURL;
    pyodide.runPython(SETUP);
    pyodide.runPython(`
import juggle_sandbox; juggle_sandbox.install()
from pyodide.ffi import create_proxy
import juggle_pool_host
juggle_pool.install_parent(juggle_pool_host, lambda: _tracer, WebLoop)
import juggle_mp, juggle_shm_host
juggle_mp.install(juggle_shm_host)
juggle_pool_host.set_on_doorbell(create_proxy(juggle_pool._on_doorbell))
`);
    closeNetwork();
    python = pyodide.runPython('import sys; sys.version.split()[0]');
    return { python, loadMs: now() - started };
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
    if (control) Atomics.store(control, 0, 0);
    const begin = pyodide.globals.get('_juggle_begin');
    const end = pyodide.globals.get('_juggle_end');
    currentRun = { code, filename, argv };
    shm.set_heap('run', control ? newHeap() : null);
    const t0 = now();
    const startedAtMs = performance.timeOrigin + t0;
    const stopHeartbeat = startHeartbeat(heartbeatMs, t0);
    let error = null;
    let globals = null;
    try {
      globals = begin(pyodide.toPy(argv), filename, traced);
      await pyodide.runPythonAsync(code, { globals, filename });
    } catch (failure) {
      error = pythonError(failure, filename);
    }
    const records = JSON.parse(end());
    currentRun = null;
    const totalMs = now() - t0;
    const beats = stopHeartbeat();
    globals?.destroy();
    begin.destroy();
    end.destroy();
    const shift = (ms) => ms - t0;
    // The pool's processes: their times are on the shared axis (timeOrigin + now), made this run's.
    const fromAbs = (ms) => Math.min(totalMs, Math.max(0, ms - performance.timeOrigin - t0));
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

/** A failure as `{ kind, message, line }`: the Python traceback, and the program's line it points at. */
function pythonError(failure, filename) {
  const message = String(failure?.message ?? failure);
  const type = failure?.type ?? failure?.constructor?.name ?? 'Error';
  const lines = [
    ...message.matchAll(
      new RegExp(`File "${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}", line (\\d+)`, 'g'),
    ),
  ];
  const line = lines.length > 0 ? Number(lines.at(-1)[1]) : null;
  return { kind: type, message: trimTraceback(message), line };
}

/**
 * Drops the frames of Pyodide's and the standard library's machinery (files under /lib/) from a traceback,
 * keeping the learner's own frames and the exception line: what CPython would show for the same program.
 */
export function trimTraceback(message) {
  const lines = message.split('\n');
  const kept = [];
  let dropping = false;
  for (const line of lines) {
    const frame = line.match(/^ {2}File "([^"]*)"/);
    if (frame) dropping = frame[1].startsWith('/lib/');
    else if (!line.startsWith('    ')) dropping = false;
    if (!dropping) kept.push(line);
  }
  return kept.join('\n').trimEnd();
}

// A program stopped by KeyboardInterrupt can leave the exception to Pyodide's loop, which rethrows it from
// a timer callback: that is the stop the page asked for, not a crash, so it is not reported as one.
const isInterrupt = (error) => String(error?.message ?? error).includes('KeyboardInterrupt');
// A dead interpreter is said at once (python.js ends the run with python-crashed, issue #28): an uncaught
// error after which Python no longer runs (os._exit, a fatal error), and, held for this worker's life, a Web
// Lock the browser releases when the worker ends in any way (a program's js.self.close()).
const dead = (error) => {
  if (error?.name === 'ExitStatus') return true;
  try {
    pyodide?.runPython('0');
    return false;
  } catch {
    return true;
  }
};
const crashed = (error) =>
  self.postMessage({ type: 'juggle-crashed', reason: String(error?.message ?? error) });
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
navigator.locks?.request(lifeLock, () => {
  self.postMessage({ type: 'juggle-alive', lock: lifeLock });
  return new Promise(() => {});
});

expose(api);
