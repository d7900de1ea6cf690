// The browser's Python seen from JavaScript (www/python/): the Pyodide handle its workers hold, what they
// call of Juggle's Python modules, what those modules hand back, and the messages that start and feed the
// process pool's processes. Pyodide's own types (node_modules/pyodide) know its API, not a module's
// functions: those are written out here, Python's values as Pyodide converts them (str: string, int and
// float: number, None: undefined, a dict or tuple: a PyProxy, what Python passed to `to_js`: the JS value).
import type { PyodideInterface } from 'pyodide';
import type { PyDict, PyProxy } from 'pyodide/ffi';
import type { Beat } from '../pkg-lazy/juggle.js';
import type { Boot } from '../python/interpreter.js';

/**
 * An interpreter, as `loadPyodide` resolves to it. `_module` (Emscripten's module) is Pyodide's private part,
 * outside its types: read only for the size of the interpreter's memory (`HEAP8`, its whole heap).
 */
export type Pyodide = PyodideInterface & { _module?: { HEAP8?: Int8Array } };

/** juggle_worker.run: called plainly, or, with JSPI, promising (its waits can then park on a promise). */
export interface RunFunction {
  /** The program's exception as JSON `{ kind, message }`, or undefined (None) when it did not raise. */
  (code: string, filename: string, globals: PyDict): string | undefined;
  callPromising(code: string, filename: string, globals: PyDict): Promise<string | undefined>;
}

/** juggle_worker.py, the Python side of python-worker.js (a PyProxy of the module). */
export interface JuggleWorkerModule extends PyProxy {
  /** Its hosts are JS objects (`registerJsModule`), handed back as themselves by `pyimport`. */
  setup(host: object, poolHost: object, shmHost: object, threadHost: object): void;
  /** A run starts; returns the program's globals (`__main__.__dict__`). */
  begin(argv: PyProxy, filename: string, traced: boolean, heartbeatMs: number, t0: number): PyDict;
  run: RunFunction;
  /** A run ends; returns what it recorded, as JSON (`WorkerRecords`). */
  end(): string;
}

/** juggle_pool.child_run: runs one task; returns the process's message (pickled, through `to_js`). */
export interface ChildRun extends PyProxy {
  (taskId: number, payload: Uint8Array | null, name: string): Uint8Array | PyProxy;
}

/** juggle_pool.py as a process of the pool (pool-worker.js) calls it. */
export interface JugglePoolModule extends PyProxy {
  /** The program run as `__mp_main__`, then the initializer: a tuple `(ok, message)` (a PyProxy). */
  child_start(
    code: string,
    filename: string,
    argv: PyProxy,
    pid: number,
    name: string,
    spawnedAt: number,
    initializer: Uint8Array | undefined,
    loadedFrom: string,
  ): PyProxy;
  child_run: ChildRun;
}

/**
 * One span as juggle_trace.py records it (`RawSpan` in crate/src/python.rs): ms on the worker's `now()`,
 * made the run's by python-worker.js.
 */
export interface RawSpan {
  lane?: string;
  task: string;
  kind: string;
  label: string;
  start_ms: number;
  end_ms: number;
}

/** One printed line as juggle_trace.py records it (`RawLine` in crate/src/python.rs). */
export interface RawLine {
  t_ms: number;
  task: string;
  text: string;
  stream: string;
}

/** One process of a pool, as the run saw it (`ProcessInfo` in crate/src/python.rs). */
export interface ProcessInfo {
  lane: string;
  memory_bytes: number;
}

/**
 * What juggle_worker.end() returns, parsed: the tracer's records (juggle_trace.py), the beats
 * (juggle_loop.py) and what the processes recorded (juggle_pool.py's `_events`), theirs on the axis shared
 * by the workers (`performance.timeOrigin + now()`, the `_abs` times).
 */
export interface WorkerRecords {
  spans: RawSpan[];
  /** The spans were told in batches as they were recorded (python-worker.js's `spansSoFar`), not here. */
  spans_told: boolean;
  output: RawLine[];
  truncated: string | null;
  beats: Beat[];
  processes: {
    spans: (Omit<RawSpan, 'start_ms' | 'end_ms'> & { start_abs: number; end_abs: number })[];
    output: (Omit<RawLine, 't_ms'> & { t_abs: number })[];
    processes: ProcessInfo[];
  };
}

/** What loads a process's interpreter (interpreter.js's `Boot`, from where, on how many cores). */
export interface ProcessBoot extends Boot {
  indexURL: string;
  cores: number;
}

/** The page to a process started ahead: load the interpreter, close the sandbox, run nothing yet. */
export interface ProcessPrepare extends ProcessBoot {
  type: 'prepare';
}

/**
 * A process's start (python-worker.js's `poolHost.spawn`): the program and its run, the mailbox its
 * results go to, the parent's control words (whose [2] is the doorbell), the run's shared heap. Loaded
 * the long way (no `prepare` before it), `Boot`'s fields come with it (python.js adds them).
 */
export interface ProcessStart extends ProcessBoot {
  type: 'start';
  code: string;
  filename: string;
  argv: string[];
  spawnedAt: number;
  mailbox: SharedArrayBuffer;
  doorbell: SharedArrayBuffer;
  heap: SharedArrayBuffer | null;
  owner: number;
  name: string;
  initializer: Uint8Array | null;
}

/** One task for a process (a pickled `(fn, args, kwargs)`); the process runs one at a time. */
export interface ProcessTask {
  type: 'task';
  id: number;
  payload: Uint8Array | null;
  name: string;
}

/** What the page sends a process's Worker (pool-worker.js). */
export type ProcessMessage = ProcessPrepare | ProcessStart | ProcessTask;

/**
 * What a process's Worker tells the page: the memory snapshot it was asked to take (`bytes`, or why there
 * is none), or that it is prepared (or why it could not be).
 */
export type ProcessReport =
  | { type: 'snapshot'; bytes: Uint8Array | null; reason?: string }
  | { type: 'prepared'; error?: string };

/**
 * What an interpreter's worker says of its life, on the private channel it opens before any program runs
 * (python-worker.js's `lifePort`, heard by python.js's `onLife`): it holds the Web Lock `lock` for its life,
 * or its interpreter died, with the run so far (a record the core checks as any record).
 */
export type WorkerLife =
  | { type: 'juggle-alive'; lock: string }
  | { type: 'juggle-crashed'; reason: string; record: Record<string, unknown> | null };

/**
 * What the interpreter's worker asks of the page for its process pool (python-worker.js's `poolHost`,
 * served by python.js's `servePool`): start a process, feed it a task, end one, end them all.
 */
export type PoolRequest =
  | { type: 'spawn'; id: number; lane: string; start: ProcessStart }
  | { type: 'task'; id: number; task: ProcessTask }
  | { type: 'end'; id: number }
  | { type: 'end-all' };
