// @ts-check
/**
 * The `window.juggle` API, the same one the page uses. Learners can call it from the DevTools console:
 *
 *   juggle.scenarios()                                  // ids, variants, parameters with ranges
 *   await juggle.run('count', { variant: 'async' })     // a trace (see README, "Trace format")
 *   await juggle.runPython('print("hi")')               // a Python program, traced task by task
 *
 * Every argument of every export is checked (www/boundary.js) before anything reaches the wasm core: a bad
 * one is an Error with the code `invalid-argument` naming it; async exports then reject, never throw.
 */

/** Most threads `startPool` accepts, and the largest `benchmarks.cooperative` count. */
const MAX_THREADS = 64;
const MAX_BENCH_COUNT = 1_000_000;

import { threads as wasmThreads } from 'wasm-feature-detect';
import {
  argvOption,
  booleanOption,
  checkCode,
  checkFinite,
  checkFormat,
  checkId,
  checkNoArguments,
  checkOptions,
  checkWhole,
  copyParams,
  copyPlain,
  copyTrace,
  filenameOption,
  parseRecordedTrace,
  signalOption,
  wholeOption,
} from './boundary.js';
import { MessagePassingEngine, SharedMemoryEngine } from './engine.js';
// The main thread loads the core built without atomics: its futures wake through the microtask queue, as an
// event loop's coroutines do. The threaded build, with the pool, lives in the engine worker. What the page
// needs only now and then (exports, Python traces, the bench) is a core of its own, `onDemandCore`.
import init, {
  scenarios as coreScenarios,
  estimateRun,
  run as runCore,
  TraceReplay,
  traceAt,
  traceLimits,
} from './pkg-st/juggle.js';

/** @type {Promise<typeof import('./pkg-lazy/juggle.js')> | null} */
let onDemand = null;
/**
 * The core's on-demand half (www/pkg-lazy: `exportTrace`, `reviewTrace`, `pythonTrace`, `benchCooperative`), loaded
 * and instantiated the first time one of them is wanted, then kept. A failed load is forgotten, so the
 * next call tries again.
 */
function onDemandCore() {
  onDemand ??= (async () => {
    try {
      const core = await import('./pkg-lazy/juggle.js');
      await core.default();
      return core;
    } catch (failure) {
      onDemand = null;
      throw Object.assign(
        new Error(
          `the core's on-demand part did not load: ${failure instanceof Error ? failure.message : failure}`,
        ),
        {
          code: 'load-failed',
        },
      );
    }
  })();
  return onDemand;
}

/** @typedef {import('./pkg-st/juggle.js').Trace} Trace */

/**
 * What a Python run recorded (python-worker.js), read by the core's `pythonTrace` (`PythonRecord` in
 * crate/src/python.rs): this module reads only `error`, the exception that ended the program, if any.
 * @typedef {{ error?: { message: string, kind: string, line: number | null } | null }
 *   & Record<string, unknown>} PythonRecord
 */
/**
 * The options of one Python run (see `runPython`).
 * @typedef {{ argv: string[], filename: string, heartbeatMs: number, signal?: AbortSignal,
 *   tracer: boolean }} PythonRunOptions
 */
/**
 * What this module asks of the browser's Python: `PythonRunner` in www/python/python.js. Its `run`
 * resolves to the run's record, or rejects with a coded Error; one stopped by KeyboardInterrupt carries
 * the record up to the stop as `record`; its `start` resolves once the next run's interpreter is ready.
 * @typedef {{ loadMs: number | null, run(code: string, options: PythonRunOptions): Promise<PythonRecord>,
 *   start(): Promise<unknown> }} PythonRunner
 */
/**
 * Loads the browser's Python module (www/python/python.js), the first time a program runs: the page passes
 * `() => import('./python/python.js')`, so that the bundler splits it off and this module's types stop at
 * `PythonRunner` (python.js itself is type-checked on its own, tsconfig.strict.json).
 * @typedef {() => Promise<{ PythonRunner: new () => PythonRunner }>} LoadPython
 */

/**
 * Loads the Rust core and prepares the engine for parallel work, which starts on the first run that needs
 * it. With shared memory (a cross-origin isolated page whose browser supports wasm threads) the engine is
 * rayon on Web Workers; without, it is message-passing workers, and the variants that need shared memory
 * say so.
 * @param {{ loadPython: LoadPython }} parts what the page loads only when wanted: the browser's Python
 */
export async function createJuggle({ loadPython }) {
  // The core is built with panic=unwind (a panic rejects the run instead of killing the instance), which
  // needs WebAssembly exception handling and its JS tag: Chrome and Edge 115, Firefox 131 and later.
  if (!globalThis.WebAssembly?.JSTag)
    throw Object.assign(
      new Error(
        'this browser is too old for Juggle: it needs WebAssembly exception handling (WebAssembly.JSTag), found in Chrome and Edge 115, Firefox 131 and later, and in recent Safari',
      ),
      { code: 'unsupported-browser' },
    );
  const [core, threadsSupported] = await Promise.all([init(), wasmThreads()]);
  // Test switch, read once at load: only a page whose tests set it before any script ran accepts the
  // `fault` key in `run`'s params (a panic caused on purpose; see crate/src/fault.rs). Not for learners.
  const testFaults = /** @type {{ __juggleTestFaults?: unknown }} */ (globalThis).__juggleTestFaults === true;
  /**
   * The browser's Python, created on the first `runPython` (nothing of Pyodide loads before).
   * @type {Promise<PythonRunner> | null}
   */
  let python = null;
  /** @type {PythonRunner | null} once `python` has resolved */
  let pythonRunner = null;
  const isolated = globalThis.crossOriginIsolated === true;
  const sharedMemory = isolated && threadsSupported;
  // Each variant says whether it can run on this page (`available`, `unavailable_reason`), by the same
  // check the core makes before a run.
  const catalogue = coreScenarios(sharedMemory);
  const size = Math.max(2, navigator.hardwareConcurrency || 2);
  const engine = sharedMemory ? new SharedMemoryEngine(size) : new MessagePassingEngine(size);
  /** @type {import('./boundary.js').Check<string>} */
  const scenarioOption = (value) => (catalogue.some((s) => s.id === value) ? null : 'a scenario id');
  const whyMode = sharedMemory
    ? 'the page is cross-origin isolated, so workers can share memory'
    : isolated
      ? 'this browser does not support WebAssembly threads'
      : 'the page is not cross-origin isolated (for example inside another site), so SharedArrayBuffer is unavailable';

  return {
    /** Every scenario with its variants and parameters (defaults and allowed ranges). */
    scenarios: (/** @type {unknown[]} */ ...args) => {
      checkNoArguments('juggle.scenarios', args);
      return structuredClone(catalogue);
    },

    /**
     * Runs a scenario; `params.variant` picks the variant. Rejects with an Error whose `code` says why;
     * aborting `options.signal` cancels the run (code `cancelled`); a panic in Rust rejects it with the code
     * `panicked` and the panic's message, and the next run works.
     * @param {string} id
     * @param {Record<string, string | number | boolean>} [params] checked (www/boundary.js), then by the core
     * @param {{ signal?: AbortSignal }} [options]
     */
    async run(id, params, options) {
      checkId('juggle.run', id);
      let plain = copyParams('juggle.run', params);
      const { signal } = checkOptions('juggle.run', options, { signal: signalOption });
      let fault;
      if (testFaults && 'fault' in plain) {
        ({ fault, ...plain } = plain);
        if (typeof fault !== 'string') fault = String(fault);
      }
      let cancelled;
      if (signal) {
        if (signal.aborted)
          throw Object.assign(new Error(`${id} was cancelled before it started`), { code: 'cancelled' });
        cancelled = new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve(undefined), { once: true }),
        );
      }
      const trace = await runCore(id, plain, engine, cancelled, fault);
      markSpans(trace);
      return trace;
    },

    /**
     * Runs a Python program in the browser's Python (Pyodide: CPython 3.14 in WebAssembly, in a worker of its
     * own, loaded the first time) and resolves to its trace: lane `python`, one row per asyncio task, spans
     * `cpu` / `blocked` / `wait` / `ready`, printed lines with the task that printed them, the health check of
     * the interpreter's thread. `argv` becomes `sys.argv[1:]`; aborting `signal` raises KeyboardInterrupt in
     * the program, and ends its interpreter if it has not stopped within a second (code `cancelled`). A
     * Python exception rejects with the code `python-error`, the traceback as `message`, the program's line
     * as `line` and the trace up to the exception as `trace`. A `concurrent.futures.ProcessPoolExecutor` runs
     * each process as a separate interpreter in a Worker of its own, drawn on lanes `process-N` (start-up as
     * a `startup` span); `trace.result.processes` gives each one's memory. `tracer: false` turns the
     * tracer's sys.monitoring off (the bench measures its overhead so; task spans are then missing).
     * @param {string} code
     * @param {{ argv?: string[], signal?: AbortSignal, filename?: string, heartbeatMs?: number,
     *   scenario?: string, tracer?: boolean }} [options] `scenario`: the scenario whose twin this is
     */
    async runPython(code, options) {
      checkCode('juggle.runPython', code);
      const {
        argv = [],
        signal,
        filename = 'main.py',
        heartbeatMs = 10,
        scenario,
        tracer = true,
      } = checkOptions('juggle.runPython', options, {
        argv: argvOption,
        signal: signalOption,
        filename: filenameOption,
        heartbeatMs: wholeOption(1, 1000),
        scenario: scenarioOption,
        tracer: booleanOption,
      });
      python ??= loadPython().then(({ PythonRunner }) => new PythonRunner());
      const core = onDemandCore();
      const runner = await python;
      pythonRunner = runner;
      const { pythonTrace } = await core;
      const assemble = (/** @type {PythonRecord} */ raw) =>
        pythonTrace({
          ...raw,
          // A twin runs as `python twin.py VARIANT`; a Lab program is the Lab's one variant, whatever its argv.
          scenario: scenario ?? 'lab',
          variant: scenario ? (argv[0] ?? 'program') : 'program',
          isolated,
        });
      let raw;
      try {
        raw = await runner.run(code, { argv: [...argv], filename, heartbeatMs, signal, tracer });
      } catch (failure) {
        // A program stopped by KeyboardInterrupt keeps its trace up to the stop; one whose interpreter
        // crashed, the lines it printed and the spans that had ended before.
        if (typeof failure === 'object' && failure !== null && 'record' in failure) {
          const stopped = /** @type {{ record?: PythonRecord, trace?: Trace }} */ (failure);
          try {
            if (stopped.record) stopped.trace = assemble(stopped.record);
          } catch {
            // Dropped: the coded error is what the page is told.
          }
          delete stopped.record;
        }
        throw failure;
      }
      const trace = assemble(raw);
      if (raw.error) {
        throw Object.assign(new Error(raw.error.message), {
          code: 'python-error',
          kind: raw.error.kind,
          line: raw.error.line,
          trace,
        });
      }
      markSpans(trace);
      return trace;
    },

    /**
     * Starts the browser's Python now rather than on the first run (the first start loads about 7 MB):
     * resolves once the next run's interpreter is ready, so that the run starts at once; rejects with
     * `python-load-failed`. Each run has an interpreter of its own, started as the last run ends.
     */
    async startPython(/** @type {unknown[]} */ ...args) {
      checkNoArguments('juggle.startPython', args);
      python ??= loadPython().then(({ PythonRunner }) => new PythonRunner());
      const runner = await python;
      pythonRunner = runner;
      await runner.start();
    },

    /** Whether the browser's Python is loaded (a run then starts at once; the first one loads about 7 MB). */
    pythonLoaded: (/** @type {unknown[]} */ ...args) => {
      checkNoArguments('juggle.pythonLoaded', args);
      // The runner's own state: its interpreter has loaded (and was not ended since).
      return pythonRunner?.loadMs != null;
    },

    /**
     * A trace as text: `json` (the trace format), `csv` (a row per span, printed line and beat) or
     * `chrome` (Chrome's Trace Event Format, for Perfetto UI and chrome://tracing). Resolves once the
     * core's on-demand part has loaded (the first call loads it).
     * @param {Trace} trace checked (www/boundary.js), then by the core
     * @param {'json' | 'csv' | 'chrome'} format
     * @returns {Promise<string>}
     */
    async exportTrace(trace, format) {
      const plain = copyTrace('juggle.exportTrace', trace);
      const checked = checkFormat('juggle.exportTrace', format);
      const { exportTrace } = await onDemandCore();
      return exportTrace(plain, checked);
    },

    /**
     * A recorded trace (from a file, a link or an embed: its JSON text, or the value parsed from it)
     * checked field by field by the core and judged again from its samples (frozen, missed deadlines), so
     * that what the page says follows its beats, not what the file claims. Rejects with an `invalid-trace`
     * Error naming the field, what is allowed and what was given. The checks live in the core's on-demand
     * part, loaded the first time a trace is opened.
     * @param {unknown} trace its JSON text, or the value parsed from it: a stranger's data
     * @returns {Promise<Trace>}
     */
    async reviewTrace(trace) {
      const plain =
        typeof trace === 'string'
          ? parseRecordedTrace(trace, traceLimits())
          : copyPlain('juggle.reviewTrace', trace);
      const { reviewTrace } = await onDemandCore();
      return reviewTrace(plain);
    },

    /**
     * The limits on a recorded trace (its size in bytes, how deeply it nests, its spans, lines and beats,
     * the length of its texts): the core's, the same for a file, a link and an embed.
     * @returns {import('./pkg-st/juggle.js').TraceLimits}
     */
    traceLimits: (/** @type {unknown[]} */ ...args) => {
      checkNoArguments('juggle.traceLimits', args);
      return traceLimits();
    },

    /**
     * The run as it stood `tMs` after its start: `{ t_ms, active, printed, beats, since_beat_ms, gil }` (the
     * spans in progress, the lines printed so far, the heartbeats that ran). The page's replay cursor uses it.
     * @param {Trace} trace checked (www/boundary.js), then by the core
     * @param {number} tMs
     */
    traceAt: (trace, tMs) => {
      const plain = copyTrace('juggle.traceAt', trace);
      return traceAt(plain, checkFinite('juggle.traceAt', 'tMs', tMs));
    },

    /**
     * A replay of one run: the trace is checked and read into the core once, then `at(tMs)` answers as
     * `traceAt(trace, tMs)` does, fast enough for a cursor dragged over 10,000 spans. Call `free()` when done
     * with it (the core holds the trace until then).
     * @param {Trace} trace checked (www/boundary.js), then by the core
     * @returns {{ at: (tMs: number) => import('./pkg-st/juggle.js').Moment, free: () => void }}
     */
    replayOf: (trace) => {
      const replay = new TraceReplay(copyTrace('juggle.replayOf', trace));
      return {
        at: (tMs) => replay.at(checkFinite('juggle.replayOf.at', 'tMs', tMs)),
        free: () => replay.free(),
      };
    },

    /**
     * About how long a run with these parameters takes at most, in ms (the scenario's own estimate, the
     * one the 60 s cap is checked against). Throws on bad input as `run` rejects.
     * @param {string} id
     * @param {Record<string, string | number | boolean>} [params] checked (www/boundary.js), then by the core
     */
    estimate: (id, params) =>
      estimateRun(checkId('juggle.estimate', id), copyParams('juggle.estimate', params), engine.threads),

    /**
     * Starts the worker pool now rather than on the first parallel run (for measurements that should not
     * include the start-up), with `threads` threads if given and it has not started yet. Resolves once it
     * runs; rejects if it cannot start.
     * @param {{ threads?: number }} [options]
     */
    async startPool(options) {
      const { threads } = checkOptions('juggle.startPool', options, {
        threads: wholeOption(1, MAX_THREADS),
      });
      if (threads !== undefined && engine.state === 'not started') engine.threads = threads;
      await engine.start();
    },

    /** Micro-benchmarks for `npm run bench` (see crate/src/bench.rs). */
    benchmarks: {
      /** Cooperative overhead on this page's event loop, over `count` tasks, yields and hops. */
      cooperative: async (count = 10_000) => {
        const checked = checkWhole('juggle.benchmarks.cooperative', 'count', count, 1, MAX_BENCH_COUNT);
        const { benchCooperative } = await onDemandCore();
        return benchCooperative(checked);
      },
    },

    /**
     * Where the page runs: `isolated`, `mode` (`shared-memory` or `message-passing`) and `why`, the pool's
     * `threads`, its `state` (`not started`, `starting`, `running`, `failed`), `poolInitMs` once started
     * and `poolError` if it failed.
     */
    status: (/** @type {unknown[]} */ ...args) => {
      checkNoArguments('juggle.status', args);
      return {
        isolated,
        mode: engine.mode,
        why: whyMode,
        threads: engine.threads,
        state: engine.state,
        poolInitMs: engine.poolInitMs,
        poolError: engine.error,
      };
    },

    /**
     * For leak checks: `wasmBytes`, the size of this page's wasm memory; `engineWasmBytes`, that of each
     * instance in the engine's long-lived workers (none before the pool starts); `workers`, the Web Workers
     * the engine holds (rayon's threads inside the engine worker not counted).
     * @returns {Promise<{ wasmBytes: number, engineWasmBytes: number[], workers: number }>}
     */
    async diagnostics(/** @type {unknown[]} */ ...args) {
      checkNoArguments('juggle.diagnostics', args);
      const held = await engine.diagnostics();
      return {
        wasmBytes: core.memory.buffer.byteLength,
        engineWasmBytes: held.wasmBytes,
        workers: held.workers,
      };
    },
  };
}

const MEASURE_PREFIX = 'juggle ';
/**
 * The DevTools track colour of each kind of span.
 * @type {Partial<Record<import('./pkg-st/juggle.js').SpanKind, string>>}
 */
const COLORS = { cpu: 'primary', blocked: 'error', wait: 'tertiary', startup: 'secondary-dark' };

/**
 * Marks every span of a run with `performance.measure`, so a run recorded in the DevTools Performance
 * panel shows up there too, one custom track per lane (Chrome's extensibility API; other browsers show
 * plain measures). Only the latest run's measures are kept, so the buffer does not grow run after run.
 * @param {Trace} trace
 */
function markSpans(trace) {
  for (const entry of performance.getEntriesByType('measure')) {
    if (entry.name.startsWith(MEASURE_PREFIX)) performance.clearMeasures(entry.name);
  }
  const origin = trace.started_at_ms - performance.timeOrigin;
  for (const span of trace.spans) {
    performance.measure(`${MEASURE_PREFIX}${trace.scenario}/${trace.variant} ${span.task}: ${span.label}`, {
      start: origin + span.start_ms,
      end: origin + span.end_ms,
      detail: {
        devtools: {
          dataType: 'track-entry',
          trackGroup: `Juggle ${trace.scenario}/${trace.variant}`,
          track: span.lane,
          color: COLORS[span.kind] ?? 'primary',
          tooltipText: `${span.task}: ${span.label} (${span.kind})`,
        },
      },
    });
  }
}
