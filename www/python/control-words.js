// @ts-check
/**
 * The control words the page shares with an interpreter's worker: an Int32Array on a SharedArrayBuffer of
 * `CONTROL_BYTES`, one per interpreter (python.js makes it; python-worker.js, thread-host.js and the switch
 * clock use it). None without shared memory. Each word's index is named here, once.
 */

/** Pyodide's interrupt word: `SIGINT` asks for KeyboardInterrupt; the switch clock writes its own signal. */
export const INTERRUPT = 0;
/** The value of the interrupt word that asks for KeyboardInterrupt (Stop). */
export const SIGINT = 2;
/** What a blocking `time.sleep` waits on: Stop sets it to 1 and notifies it. */
export const SLEEP = 1;
/** The doorbell: the pool's processes ring it when a result is in, Stop rings it; the event loop's wait listens. */
export const DOORBELL = 2;
/** 1 once the program has been given Stop's KeyboardInterrupt (or a wait has taken it to raise it). */
export const STOP_GIVEN = 3;
/** How many bytes the words take. */
export const CONTROL_BYTES = 4 * 4;
/** How often the page looks, after Stop, whether the interpreter took the request without raising it. */
export const STOP_CHECK_MS = 100;

/**
 * Stop, as the page asks it: KeyboardInterrupt, a blocking sleep woken, the doorbell rung.
 * @param {Int32Array} control
 */
export function askToStop(control) {
  Atomics.store(control, STOP_GIVEN, 0);
  Atomics.store(control, INTERRUPT, SIGINT);
  Atomics.store(control, SLEEP, 1);
  Atomics.notify(control, SLEEP);
  Atomics.add(control, DOORBELL, 1);
  Atomics.notify(control, DOORBELL);
}

/**
 * Looks after a Stop until its KeyboardInterrupt is given: CPython's read of Pyodide's interrupt word can
 * take a request without calling the SIGINT handler (measured here: 1 stop in 30 to 40 of a spinning
 * `while True: pass`, under load; the run then waited for the hard stop). A request taken (the word back
 * at 0) and not given for a whole check is asked again. Returns the function that stops looking.
 * @param {Int32Array} control
 * @returns {() => void}
 */
export function keepAskingToStop(control) {
  let takenUnseen = false;
  const timer = setInterval(() => {
    if (Atomics.load(control, STOP_GIVEN) !== 0) {
      clearInterval(timer);
      return;
    }
    const taken = Atomics.load(control, INTERRUPT) !== SIGINT;
    if (taken && takenUnseen) Atomics.compareExchange(control, INTERRUPT, 0, SIGINT);
    takenUnseen = taken && !takenUnseen;
  }, STOP_CHECK_MS);
  return () => clearInterval(timer);
}
