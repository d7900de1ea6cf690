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
    /** `bytes` zeroed bytes (8-aligned) in heap `name` (made for `own` when first needed); their offset. */
    alloc(/** @type {string} */ name, /** @type {number} */ bytes) {
      if (name === 'own' && !heaps.own && typeof SharedArrayBuffer === 'function') heaps.own = newHeap();
      const buffer = heap(name);
      const key = /** @type {'run' | 'own'} */ (name);
      const at = Math.ceil(tops[key] / 8) * 8;
      const end = at + Math.max(bytes, 1);
      const max = /** @type {any} */ (buffer).maxByteLength;
      if (end > max)
        throw new Error(
          `multiprocessing: the run's shared memory is full (${max} bytes): ${bytes} more do not fit`,
        );
      if (end > buffer.byteLength)
        /** @type {any} */ (buffer).grow(Math.min(max, Math.max(end, 2 * buffer.byteLength)));
      tops[key] = end;
      return at;
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
      };
    },
  };
}
