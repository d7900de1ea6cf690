// @ts-check
/**
 * Shared memory for the browser's multiprocessing (www/python/juggle_mp.py): `Value`, `Array` and the locks
 * live in a run's heap, a growable SharedArrayBuffer that the page's interpreter (python-worker.js) makes
 * for each run and sends to every process it starts (pool-worker.js), so all of them read and write the same
 * bytes. A process's own `Value` (one it made itself, which CPython could not share either) lives in a heap
 * of its own.
 *
 * A lock is two Int32 words: [0] 0 free / 1 held, [1] the holder (an interpreter's number; an RLock's
 * holder counts its own nested takes in Python). Taking it is `Atomics.compareExchange(0 -> 1)`; a process that finds
 * it held sleeps in `Atomics.wait` on word 0 until the holder's release `Atomics.notify`s it: a real
 * cross-process lock, as CPython's semaphore.
 */

/** The typecodes of multiprocessing.Value / Array (as the array module's), with their views. */
const VIEWS = {
  b: Int8Array,
  B: Uint8Array,
  h: Int16Array,
  H: Uint16Array,
  i: Int32Array,
  I: Uint32Array,
  l: BigInt64Array,
  L: BigUint64Array,
  q: BigInt64Array,
  Q: BigUint64Array,
  f: Float32Array,
  d: Float64Array,
};
const BIG = new Set(['l', 'L', 'q', 'Q']);
/** How long one wait for a held lock lasts before it looks at Stop again (ms). */
const WAIT_SLICE_MS = 50;

/** A growable SharedArrayBuffer (the lib types here predate the option). */
const growable = (/** @type {number} */ bytes, /** @type {number} */ max) =>
  /** @type {SharedArrayBuffer} */ (
    new /** @type {any} */ (SharedArrayBuffer)(bytes, { maxByteLength: max })
  );

/** A run's heap: 64 KiB to start, up to 64 MiB (an Array of a million doubles fits). */
export const newHeap = () =>
  typeof SharedArrayBuffer === 'function' ? growable(64 * 1024, 64 * 1024 * 1024) : null;

/**
 * `{ promise }` that settles once `w[index]` is no longer `value`, or it is notified, or `timeoutMs` pass
 * (< 0: no limit), without holding the thread (`Atomics.waitAsync`). Wrapped, so that Pyodide hands Python
 * no promise to schedule on an event loop.
 * @param {Int32Array} w
 * @param {number} index
 * @param {number} value
 * @param {number} timeoutMs
 */
function whenChanged(w, index, value, timeoutMs) {
  const limit = timeoutMs < 0 ? Number.POSITIVE_INFINITY : timeoutMs;
  const waiting = /** @type {any} */ (Atomics).waitAsync(w, index, value, limit);
  return { promise: waiting.async ? waiting.value.then(() => {}) : Promise.resolve() };
}

/**
 * The host module juggle_mp.py calls (`juggle_shm_host`). `owner`: this interpreter's number (the page's
 * interpreter 1, a process 1000 + its id: `set_owner` when it is known); `interrupted()`: true when Stop was
 * asked (a wait for a lock then gives up, and Python raises KeyboardInterrupt).
 * @param {{ owner: number, interrupted?: () => boolean }} options
 */
export function sharedMemoryHost({ owner: first, interrupted = () => false }) {
  let owner = first;
  /** @type {Record<string, SharedArrayBuffer | null>} */
  const heaps = { run: null, own: null };
  /** Where the next allocation goes in each heap (the parent allocates in `run`, a process in `own`). */
  const tops = { run: 8, own: 8 };
  /** Length-tracking views of each heap, by typecode. */
  /** @type {Map<SharedArrayBuffer, Map<string, any>>} */
  const views = new Map();
  const heap = (/** @type {string} */ name) => {
    const found = heaps[name];
    if (!found)
      throw new Error(
        "multiprocessing's Value, Array and locks need shared memory, which this page does not have (it is not cross-origin isolated)",
      );
    return found;
  };
  const view = (/** @type {string} */ name, /** @type {string} */ code) => {
    const buffer = heap(name);
    let byCode = views.get(buffer);
    if (!byCode) {
      byCode = new Map();
      views.set(buffer, byCode);
    }
    let found = byCode.get(code);
    if (!found) {
      const View = /** @type {any} */ (VIEWS)[code];
      if (!View) throw new Error(`multiprocessing: unknown typecode ${code}`);
      found = new View(buffer);
      byCode.set(code, found);
    }
    return found;
  };
  const words = (/** @type {string} */ name) => /** @type {Int32Array} */ (view(name, 'i'));
  return {
    set_owner(/** @type {number} */ number) {
      owner = number;
    },
    /** Sets a heap: `run` (the run's, shared by every process), `own` (a process's own). */
    set_heap(/** @type {string} */ name, /** @type {SharedArrayBuffer | null} */ buffer) {
      heaps[name] = buffer;
      tops[/** @type {'run' | 'own'} */ (name)] = 8;
    },
    heap_of(/** @type {string} */ name) {
      return heaps[name];
    },
    has_heap(/** @type {string} */ name) {
      return heaps[name] != null;
    },
    /**
     * `bytes` zeroed bytes (8-aligned) in heap `name` (made for `own` when first needed); their offset.
     * In the run's heap the next free offset is its word 0, taken with `Atomics.add`, so that every
     * process of the run allocates there too (a Manager's objects, a queue's buffer grown by a process).
     */
    alloc(/** @type {string} */ name, /** @type {number} */ bytes) {
      if (name === 'own' && !heaps.own && typeof SharedArrayBuffer === 'function') heaps.own = newHeap();
      const buffer = heap(name);
      const key = /** @type {'run' | 'own'} */ (name);
      const size = Math.ceil(Math.max(bytes, 1) / 8) * 8;
      const max = /** @type {any} */ (buffer).maxByteLength;
      let at;
      if (key === 'run') {
        const w = new Int32Array(buffer, 0, 2);
        Atomics.compareExchange(w, 0, 0, 8);
        at = Atomics.add(w, 0, size);
      } else {
        at = Math.ceil(tops[key] / 8) * 8;
        tops[key] = at + size;
      }
      const end = at + size;
      if (end > max)
        throw new Error(
          `multiprocessing: the run's shared memory is full (${max} bytes): ${bytes} more do not fit`,
        );
      if (end > buffer.byteLength)
        /** @type {any} */ (buffer).grow(Math.min(max, Math.max(end, 2 * buffer.byteLength)));
      return at;
    },
    /**
     * Int32 words at `offset` of heap `name`, for the synchronisation objects (juggle_sync.py,
     * juggle_queues.py): `load`, `store`, `add` (returns the old value), `cas` (compare-exchange: returns
     * the old value), `wait(i, value, timeoutMs)` (holds this thread while word i is `value`: 1 woken or
     * changed, 0 timed out, -1 Stop; `timeoutMs` < 0: no limit), `changed(i, value, timeoutMs)` (`whenChanged` on
     * word i: what a thread parks on while the others run), `notify(i, count)`.
     */
    words(/** @type {string} */ name, /** @type {number} */ offset) {
      const w = words(name);
      const at = offset / 4;
      return {
        load: (/** @type {number} */ i) => Atomics.load(w, at + i),
        store: (/** @type {number} */ i, /** @type {number} */ value) => Atomics.store(w, at + i, value),
        add: (/** @type {number} */ i, /** @type {number} */ value) => Atomics.add(w, at + i, value),
        cas: (/** @type {number} */ i, /** @type {number} */ expected, /** @type {number} */ value) =>
          Atomics.compareExchange(w, at + i, expected, value),
        wait: (/** @type {number} */ i, /** @type {number} */ value, /** @type {number} */ timeoutMs) => {
          const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
          for (;;) {
            if (Atomics.load(w, at + i) !== value) return 1;
            if (interrupted()) return -1;
            const left = deadline - performance.now();
            if (left <= 0) return 0;
            if (Atomics.wait(w, at + i, value, Math.min(left, WAIT_SLICE_MS)) === 'ok') return 1;
          }
        },
        changed: (/** @type {number} */ i, /** @type {number} */ value, /** @type {number} */ timeoutMs) =>
          whenChanged(w, at + i, value, timeoutMs),
        notify: (/** @type {number} */ i, /** @type {number} */ count) =>
          Atomics.notify(w, at + i, count < 0 ? Number.POSITIVE_INFINITY : count),
      };
    },
    /** Copies `length` bytes out of heap `name` at `offset` (a queue's message). */
    read(/** @type {string} */ name, /** @type {number} */ offset, /** @type {number} */ length) {
      return new Uint8Array(heap(name), offset, length).slice();
    },
    /** Copies `bytes` into heap `name` at `offset`. */
    write(/** @type {string} */ name, /** @type {number} */ offset, /** @type {Uint8Array} */ bytes) {
      new Uint8Array(heap(name), offset, bytes.length).set(bytes);
    },
    /**
     * One Value's or Array's items: `get(i)` and `set(i, value)`, bound to its place (Python keeps the two
     * functions: a call through a kept function costs about 1 us, looking a method up on a JS object 3 us).
     */
    cell(/** @type {string} */ name, /** @type {string} */ code, /** @type {number} */ offset) {
      const v = view(name, code);
      const base = offset / v.BYTES_PER_ELEMENT;
      const big = BIG.has(code);
      return {
        get: (/** @type {number} */ index) => v[base + index],
        set: (/** @type {number} */ index, /** @type {number | bigint} */ value) => {
          v[base + index] = big ? BigInt(value) : Number(value);
        },
      };
    },
    /**
     * One lock's operations, bound to its place. `acquire(block, timeoutMs)`: 1 taken, 0 not (`block`
     * false and held, or `timeoutMs` passed; < 0: no limit), -1 Stop. `release()`: 0 done, 1 it was not
     * held. `state()`: its holder (0: free). An RLock's second take by its holder is counted in Python.
     */
    lock(/** @type {string} */ name, /** @type {number} */ offset) {
      const w = words(name);
      const at = offset / 4;
      return {
        acquire: (/** @type {boolean} */ block, /** @type {number} */ timeoutMs) => {
          const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
          for (;;) {
            if (Atomics.compareExchange(w, at, 0, 1) === 0) {
              Atomics.store(w, at + 1, owner);
              return 1;
            }
            if (!block) return 0;
            const left = deadline - performance.now();
            if (left <= 0) return 0;
            if (interrupted()) return -1;
            Atomics.wait(w, at, 1, Math.min(left, WAIT_SLICE_MS));
          }
        },
        release: () => {
          if (Atomics.load(w, at) !== 1) return 1;
          Atomics.store(w, at + 1, 0);
          Atomics.store(w, at, 0);
          Atomics.notify(w, at, 1);
          return 0;
        },
        state: () => (Atomics.load(w, at) === 1 ? Atomics.load(w, at + 1) : 0),
        /** `whenChanged` on the lock's word: settles once it is released (or `timeoutMs` pass). */
        released: (/** @type {number} */ timeoutMs) => whenChanged(w, at, 1, timeoutMs),
      };
    },
  };
}
