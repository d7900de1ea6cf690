// @ts-check
/**
 * The switch interval's clock. While several Python threads live, CPython drops the GIL once the switch
 * interval has passed since the running thread took it. The browser's interpreter cannot watch a clock while
 * it computes, so another thread does (www/python/switch-ticker.js runs `runClock`): it waits on the arm
 * word, and when the interval passes without a re-arm it stores the switch-interval signal into Pyodide's
 * interrupt word, only if that is 0 (Stop's SIGINT is never overwritten). The interpreter sees the signal at
 * its next eval-breaker check through the plain shared buffer it reads for Stop anyway, so preemption costs
 * the computing thread nothing between switches.
 *
 * The clock's words (`CLOCK_WORDS` of them, shared): [0] the arm count (every arm, re-arm or disarm adds 1
 * and notifies), [1] the interval in microseconds (0: disarmed), [2] the signal's number. The interpreter
 * writes 0 to its interrupt word after every read, so a signal it clears unseen comes again one interval
 * later, until the next arm.
 */

/** How many Int32 words the clock shares. */
export const CLOCK_WORDS = 3;

/**
 * Arms the clock to signal `signal` once `ms` have passed from now without another arm (`ms` 0: disarms),
 * waking it to start over.
 * @param {Int32Array} clock
 * @param {number} ms
 * @param {number} [signal] the signal's number (unchanged when left out)
 */
export function setClock(clock, ms, signal) {
  if (signal !== undefined) Atomics.store(clock, 2, signal);
  Atomics.store(clock, 1, ms > 0 ? Math.max(1, Math.round(ms * 1000)) : 0);
  Atomics.add(clock, 0, 1);
  Atomics.notify(clock, 0);
}

/**
 * The clock's thread: never returns (its worker ends with the interpreter's).
 * @param {Int32Array} clock
 * @param {Int32Array} interrupt Pyodide's interrupt word is `interrupt[0]`
 */
export function runClock(clock, interrupt) {
  for (;;) {
    const arms = Atomics.load(clock, 0);
    const micros = Atomics.load(clock, 1);
    if (micros <= 0) {
      Atomics.wait(clock, 0, arms);
    } else if (
      Atomics.wait(clock, 0, arms, micros / 1000) === 'timed-out' &&
      Atomics.load(clock, 0) === arms
    ) {
      Atomics.compareExchange(interrupt, 0, 0, Atomics.load(clock, 2));
    }
  }
}
