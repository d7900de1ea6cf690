// www/python/switch-clock.js, the switch interval's clock of the browser's Python threads, run on a thread
// of its own as in the browser (a Node worker here): the signal comes once an interval passes without a
// re-arm, never while re-arms keep coming, never when disarmed, never over Stop's SIGINT, and again if the
// interpreter cleared it unseen. Orders and generous margins only: these machines are shared and noisy.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CLOCK_WORDS, setClock } from '../../www/python/switch-clock.js';

const SIGUSR1 = 10;
const SIGINT = 2;
const clock = new Int32Array(new SharedArrayBuffer(CLOCK_WORDS * 4));
const interrupt = new Int32Array(new SharedArrayBuffer(4));
const thread = new Worker(
  `const { workerData } = require('node:worker_threads');
   import(workerData.module).then(({ runClock }) =>
     runClock(new Int32Array(workerData.clock), new Int32Array(workerData.interrupt)));`,
  {
    eval: true,
    workerData: {
      module: new URL('../../www/python/switch-clock.js', import.meta.url).href,
      clock: clock.buffer,
      interrupt: interrupt.buffer,
    },
  },
);
after(() => thread.terminate());

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves to the ms until `interrupt[0]` becomes non-zero, or Infinity after `limit` ms. */
async function signalWithin(limit) {
  const start = performance.now();
  while (performance.now() - start < limit) {
    if (Atomics.load(interrupt, 0) !== 0) return performance.now() - start;
    await sleep(1);
  }
  return Number.POSITIVE_INFINITY;
}

test('armed, the clock signals once the interval has passed', async () => {
  Atomics.store(interrupt, 0, 0);
  setClock(clock, 20, SIGUSR1);
  const ms = await signalWithin(2000);
  assert.equal(Atomics.load(interrupt, 0), SIGUSR1);
  assert.ok(ms >= 15 && ms < 2000, `the signal came after ${ms} ms`);
  setClock(clock, 0);
});

test('re-armed sooner than the interval, the clock never signals; left alone, it does', async () => {
  Atomics.store(interrupt, 0, 0);
  for (let i = 0; i < 30; i += 1) {
    setClock(clock, 200, SIGUSR1);
    await sleep(5);
    assert.equal(Atomics.load(interrupt, 0), 0, `signalled after re-arm ${i}`);
  }
  assert.ok(Number.isFinite(await signalWithin(3000)));
  setClock(clock, 0);
});

test('disarmed, the clock stays quiet', async () => {
  setClock(clock, 10, SIGUSR1);
  setClock(clock, 0);
  Atomics.store(interrupt, 0, 0);
  assert.equal(await signalWithin(150), Number.POSITIVE_INFINITY);
});

test("the clock never overwrites Stop's SIGINT", async () => {
  Atomics.store(interrupt, 0, SIGINT);
  setClock(clock, 5, SIGUSR1);
  await sleep(100);
  assert.equal(Atomics.load(interrupt, 0), SIGINT);
  setClock(clock, 0);
  Atomics.store(interrupt, 0, 0);
});

test('a signal cleared unseen comes again one interval later, without a re-arm', async () => {
  Atomics.store(interrupt, 0, 0);
  setClock(clock, 10, SIGUSR1);
  assert.ok(Number.isFinite(await signalWithin(2000)));
  Atomics.store(interrupt, 0, 0); // as the interpreter does after every read
  assert.ok(Number.isFinite(await signalWithin(2000)));
  assert.equal(Atomics.load(interrupt, 0), SIGUSR1);
  setClock(clock, 0);
});
