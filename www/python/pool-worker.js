// @ts-check
/**
 * One process of the browser's process pool (www/python/juggle_pool.py): a separate Pyodide interpreter in a
 * Web Worker of its own, started by the page's Python worker (python-worker.js) when a pool needs one more
 * process. Like CPython's "spawn" start method, it runs the program as `__mp_main__` first, then the pool's
 * initializer, then the tasks it is sent, one at a time: `pickle.dumps((fn, args, kwargs))` in, the pickled
 * result (or exception) out.
 *
 * Tasks come in as messages (this worker is idle between tasks); results go out through shared memory, a
 * mailbox of this process's own (`[0]` full flag, `[1]` length, the bytes from offset 8; the buffer grows
 * when a result is bigger), then a ring of the parent's doorbell (`Atomics.add` + `Atomics.notify`): the
 * parent may be holding its thread in `future.result()`, where no message could reach it.
 *
 * The page may start one ahead (`prepare`: its interpreter loaded from the page's memory snapshot and its
 * sandbox closed, no program run) and hand it a request later (`start`), as CPython's forkserver keeps a
 * server ready; the program still runs in it for the first time then.
 *
 * Times are `performance.timeOrigin + performance.now()`: one axis across workers.
 */

import { DOORBELL } from './control-words.js';
import { loadInterpreter } from './interpreter.js';
import { MP_MODULES } from './mp-modules.js';
import { sharedMemoryHost } from './shared-memory.js';
import { closeNetwork } from './worker-sandbox.js';

/** @typedef {import('pyodide/ffi').PyProxy} PyProxy */
/** @typedef {import('../types/python.js').Pyodide} Pyodide */
/** @typedef {import('../types/python.js').JugglePoolModule} JugglePoolModule */
/** @typedef {import('../types/python.js').ProcessBoot} ProcessBoot */
/** @typedef {import('../types/python.js').ProcessMessage} ProcessMessage */
/** @typedef {import('../types/python.js').ProcessReport} ProcessReport */
/** @typedef {import('../types/python.js').ProcessStart} ProcessStart */
/** @typedef {import('../types/python.js').ProcessTask} ProcessTask */

const MAILBOX_HEADER = 8;
const now = () => performance.timeOrigin + performance.now();
const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** multiprocessing's shared memory: the run's heap (from the parent) and this process's own. */
const shm = sharedMemoryHost({ owner: 0 });

/** @type {Pyodide | null} */
let pyodide = null;
/** @type {SharedArrayBuffer | null} */
let mailbox = null;
/** @type {Int32Array | null} */
let doorbell = null;
/** @type {ProcessTask[]} */
const queued = [];
let ready = false;

const SETUP = `
import os, sys, time
sys.path.insert(0, "/juggle")
import juggle_child_host as host, juggle_pool, juggle_sandbox
juggle_sandbox.install()
juggle_pool.child_install(host.now, host.memory)
import juggle_mp, juggle_shm_host
juggle_mp.install(juggle_shm_host)
_cores = int(host.cores) or 1
os.cpu_count = lambda: _cores
os.process_cpu_count = lambda: _cores

def _blocking_sleep(seconds):
    """time.sleep as CPython has it: this process's thread is held."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    if seconds != seconds or seconds < 0:
        raise ValueError("sleep length must be non-negative")
    start = host.now()
    host.sleep(float(seconds) * 1000)
    juggle_pool.child_blocked(f"time.sleep({seconds:g})", start, host.now())

_blocking_sleep.__module__, _blocking_sleep.__name__, _blocking_sleep.__qualname__ = "time", "sleep", "sleep"
time.sleep = _blocking_sleep
`;

/**
 * Writes one message into the mailbox (after the parent has emptied it) and rings the doorbell.
 * @param {Uint8Array} bytes
 */
function post(bytes) {
  if (!mailbox || !doorbell) return;
  const header = new Int32Array(mailbox, 0, 2);
  while (Atomics.load(header, 0) === 1) Atomics.wait(header, 0, 1, 1000);
  const needed = MAILBOX_HEADER + bytes.length;
  if (needed > mailbox.byteLength) {
    const max = /** @type {any} */ (mailbox).maxByteLength;
    if (needed > max)
      throw new Error(`a result of ${bytes.length} bytes is more than the pool's ${max} bytes`);
    /** @type {any} */ (mailbox).grow(Math.min(max, Math.max(needed, 2 * mailbox.byteLength)));
  }
  new Uint8Array(mailbox, MAILBOX_HEADER, bytes.length).set(bytes);
  Atomics.store(header, 1, bytes.length);
  Atomics.store(header, 0, 1);
  Atomics.add(doorbell, DOORBELL, 1);
  Atomics.notify(doorbell, DOORBELL);
}

/**
 * A Python bytes object (a PyProxy) as a Uint8Array, the proxy released.
 * @param {Uint8Array | PyProxy} proxy
 * @returns {Uint8Array}
 */
function bytesOf(proxy) {
  if (proxy instanceof Uint8Array) return proxy;
  const bytes = proxy.toJs();
  proxy.destroy?.();
  return bytes;
}

/** @param {ProcessTask} task */
function runTask({ id, payload, name }) {
  // `prepare` has loaded the interpreter (a task runs once `ready`); `globals.get` is `any`: juggle_pool's
  // functions are not in Pyodide's types.
  const run = /** @type {JugglePoolModule} */ (/** @type {Pyodide} */ (pyodide).globals.get('juggle_pool'))
    .child_run;
  try {
    post(bytesOf(run(id, payload, name)));
  } finally {
    run.destroy();
  }
}

/**
 * Readies this process's interpreter: loaded, its sandbox closed, no program run yet. Resolves to how it
 * started (`fresh` or `snapshot`).
 * @param {ProcessBoot} boot
 */
async function prepare({ indexURL, cores, module, snapshot, makeSnapshot }) {
  const loaded = await loadInterpreter(indexURL, { snapshot, makeSnapshot, module });
  if (makeSnapshot) {
    // The page keeps it for the interpreters that follow (or hears why there is none).
    const { made, reason } = loaded;
    self.postMessage(
      /** @satisfies {ProcessReport} */ ({ type: 'snapshot', bytes: made, reason }),
      made ? { transfer: [made.buffer] } : {},
    );
  }
  // interpreter.js hands it over untyped (`Loaded`): it is what `loadPyodide` resolved to.
  pyodide = /** @type {Pyodide} */ (loaded.pyodide);
  pyodide.registerJsModule('juggle_child_host', {
    now,
    cores,
    memory: () => pyodide?._module?.HEAP8?.buffer?.byteLength ?? 0,
    sleep: (/** @type {number} */ ms) => Atomics.wait(sleeper, 0, 0, ms),
  });
  pyodide.FS.mkdirTree('/juggle');
  for (const [name, source] of Object.entries(MP_MODULES)) pyodide.FS.writeFile(`/juggle/${name}.py`, source);
  pyodide.registerJsModule('juggle_shm_host', shm);
  pyodide.runPython(SETUP);
  closeNetwork();
  return loaded.from;
}

/**
 * The process proper, as CPython's spawn: the program run as `__mp_main__`, the pool's initializer, then the
 * tasks. `from`: how the interpreter started (`ahead` when the page had readied it before the request).
 * @param {ProcessStart} request
 * @param {string} from
 */
function start({ code, filename, argv, spawnedAt, initializer, heap, owner, name }, from) {
  shm.set_heap('run', heap ?? null);
  shm.set_owner(owner ?? 0);
  // `prepare` has loaded the interpreter (`start` runs after it); `globals.get` is `any` (see `runTask`).
  /** @type {JugglePoolModule} */
  const pool = /** @type {Pyodide} */ (pyodide).globals.get('juggle_pool');
  /** @type {[code: string, filename: string, argv: PyProxy, pid: number, name: string, spawnedAt: number]} */
  const args = [
    code,
    filename,
    /** @type {Pyodide} */ (pyodide).toPy(argv),
    owner ?? 0,
    name ?? 'SpawnProcess',
    spawnedAt,
  ];
  const started = pool.child_start(...args, initializer ?? undefined, from);
  /** @type {[ok: boolean, message: Uint8Array]} */
  const [ok, message] = started.toJs();
  started.destroy();
  post(message);
  if (!ok) return;
  ready = true;
  while (queued.length) runTask(/** @type {ProcessTask} */ (queued.shift())); // not empty: `length`
}

/** The interpreter being readied (by `prepare`, or by `start` when the page sent no `prepare`). */
/** @type {Promise<string> | null} */
let preparing = null;

self.onmessage = (/** @type {MessageEvent<ProcessMessage>} */ { data }) => {
  if (data.type === 'prepare') {
    // Started ahead by the page: ready the interpreter, say so, and wait for a request (a `start`).
    preparing = prepare(data);
    preparing.then(
      () => self.postMessage(/** @satisfies {ProcessReport} */ ({ type: 'prepared' })),
      (failure) =>
        self.postMessage(
          /** @satisfies {ProcessReport} */ ({
            type: 'prepared',
            error: String(failure?.message ?? failure),
          }),
        ),
    );
  } else if (data.type === 'start') {
    mailbox = data.mailbox;
    doorbell = new Int32Array(data.doorbell);
    const ahead = preparing !== null;
    preparing ??= prepare(data);
    preparing
      .then((from) => start(data, ahead ? 'ahead' : from))
      .catch((failure) => {
        try {
          post(new TextEncoder().encode(`!${failure?.message ?? failure}`));
        } catch {
          // nothing more to say: the parent sees the process as broken when it is ended
        }
      });
  } else if (data.type === 'task') {
    if (ready) runTask(data);
    else queued.push(data);
  }
};
