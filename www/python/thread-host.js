// @ts-check
/**
 * Threads' side in JavaScript (www/python/juggle_threads.py calls it as `juggle_thread_host`): each Python
 * thread a stack of its own, started by a promising call and parked on a waiter's promise
 * (`pyodide.ffi.run_sync`). Which thread runs next is decided in Python; this only parks and wakes stacks,
 * keeps their time-outs, listens for Stop and raises the switch-interval signal.
 *
 * The signal: CPython's emscripten_signal.c reads `Module.Py_EmscriptenSignalBuffer[0]` at its eval-breaker
 * checks (where CPython drops the GIL) and writes 0 back. With shared memory the buffer stays the plain
 * control words, and the switch interval's clock is another thread (www/python/switch-clock.js) that
 * stores the signal there once the interval has passed without a re-arm: the computing thread pays nothing
 * between switches. Without shared memory, while several threads live, the buffer is an object whose `[0]`
 * gives the signal once its deadline has passed (a JavaScript call at every check: slower, but the same
 * switches). Disarmed (one thread), no signal comes, so a program without threads never meets it.
 */

import { DOORBELL, INTERRUPT, SIGINT } from './control-words.js';
import { setClock } from './switch-clock.js';

const now = () => performance.now();

/**
 * @param {{ pyodide: () => any, control: () => Int32Array | null, clock: () => Int32Array | null,
 *   loopWait: (ms: number) => Promise<void> }} where: the interpreter, the control words (python-worker.js:
 *   [0] interrupt, [2] the doorbell Stop rings), the switch interval's clock (switch-ticker.js; null without
 *   shared memory) and the event loop's wait
 */
export function threadHost({ pyodide, control, clock, loopWait }) {
  /** @type {Set<() => void>} */
  const stopListeners = new Set();
  let watchingStop = false;
  /** One listener on the doorbell for every waiter that listens for Stop. */
  const watchStop = () => {
    const words = control();
    if (!words || watchingStop) return;
    watchingStop = true;
    const waiting = /** @type {any} */ (Atomics).waitAsync(words, DOORBELL, Atomics.load(words, DOORBELL));
    const rung = () => {
      watchingStop = false;
      for (const settle of [...stopListeners]) settle();
    };
    if (waiting.async) waiting.value.then(rung);
    else rung();
  };

  const preemption = { deadline: Number.POSITIVE_INFINITY, signal: 10, gave: 0 };
  const preemptingBuffer = {
    get 0() {
      const words = control();
      if (words && Atomics.load(words, INTERRUPT) === SIGINT) {
        preemption.gave = SIGINT;
        return SIGINT;
      }
      preemption.gave = 0;
      if (now() >= preemption.deadline) {
        preemption.deadline = Number.POSITIVE_INFINITY;
        return preemption.signal;
      }
      return 0;
    },
    set 0(value) {
      const words = control();
      if (value === 0 && preemption.gave === SIGINT && words) Atomics.store(words, INTERRUPT, 0);
      preemption.gave = 0;
    },
  };

  return {
    /**
     * A waiter: its promise (`wait()`) settles on `wake()`, after `ms` (< 0: never), when the event
     * loop's wait of `loopMs` ms ends (when given), and (`listenStop`) when the page asks to stop (or
     * anything rings the doorbell). The promise is handed to Python by a call: Pyodide turns a promise a
     * call returns into a future `run_sync` can wait for.
     * @param {number} ms
     * @param {boolean} listenStop
     * @param {number | { promise: Promise<unknown> } | undefined | null} loopMs
     */
    waiter(ms, listenStop, loopMs) {
      /** @type {(value?: unknown) => void} */
      let resolve = () => {};
      const promise = new Promise((r) => {
        resolve = r;
      });
      let settled = false;
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let timer;
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListeners.delete(settle);
        resolve();
      };
      if (ms >= 0) timer = setTimeout(settle, ms);
      const words = control();
      if (listenStop && words) {
        if (Atomics.load(words, INTERRUPT) === SIGINT) settle();
        else {
          stopListeners.add(settle);
          watchStop();
        }
      }
      // What else ends the wait: the event loop's wait of `loopMs` ms, or the caller's `{ promise }` (a
      // multiprocessing object's word changing, shared-memory.js).
      if (loopMs != null)
        (typeof loopMs === 'number' ? loopWait(loopMs) : loopMs.promise).then(settle, settle);
      return { wait: () => promise, wake: settle };
    },
    /**
     * Runs `entry` (a Python function, a proxy this takes over) on a stack of its own once the current
     * stack parks.
     * @param {any} entry
     */
    spawn(entry) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => entry.callPromising())
          .catch(() => {})
          .finally(() => entry.destroy());
      });
    },
    /**
     * Arms (or disarms) the switch-interval signal (`signal`, due `intervalMs` from now).
     * @param {boolean} on
     * @param {number} intervalMs
     * @param {number} signal
     */
    preempt(on, intervalMs, signal) {
      preemption.signal = signal;
      const ticks = clock();
      const words = control();
      if (ticks && words) {
        setClock(ticks, on ? intervalMs : 0, signal);
        // A signal the clock stored as it was disarmed is not for this interpreter's next program.
        if (!on) Atomics.compareExchange(words, INTERRUPT, signal, 0);
        return;
      }
      preemption.deadline = on ? now() + intervalMs : Number.POSITIVE_INFINITY;
      if (on) pyodide().setInterruptBuffer(preemptingBuffer);
      else pyodide().setInterruptBuffer(words ?? undefined);
    },
    /**
     * The switch-interval signal comes once `ms` have passed.
     * @param {number} ms
     */
    arm(ms) {
      const ticks = clock();
      if (ticks) setClock(ticks, ms);
      else preemption.deadline = now() + ms;
    },
  };
}
