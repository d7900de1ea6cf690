// www/python/control-words.js: Stop as the page asks it, and asked again when the interpreter took the
// request without giving the program its KeyboardInterrupt (CPython's read of Pyodide's interrupt word can
// drop one), never once it was given, never while the request still waits to be read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  askToStop,
  CONTROL_BYTES,
  DOORBELL,
  INTERRUPT,
  keepAskingToStop,
  SIGINT,
  SLEEP,
  STOP_CHECK_MS,
  STOP_GIVEN,
} from '../../www/python/control-words.js';

const words = () => new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));

/** Fresh control words with Stop asked and looked after, on mocked timers. */
const stopAsked = (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const control = words();
  askToStop(control);
  return { control, stop: keepAskingToStop(control) };
};

test('askToStop asks for KeyboardInterrupt, wakes a blocking sleep and rings the doorbell', () => {
  const control = words();
  Atomics.store(control, STOP_GIVEN, 1); // a Stop given before: this one is not given yet
  askToStop(control);
  assert.equal(control[INTERRUPT], SIGINT);
  assert.equal(control[SLEEP], 1);
  assert.equal(control[DOORBELL], 1);
  assert.equal(control[STOP_GIVEN], 0);
});

test('a request taken and not given for a whole check is asked again; a given one is not', (t) => {
  const { control, stop } = stopAsked(t);
  // Still waiting to be read: nothing to do, however long.
  t.mock.timers.tick(STOP_CHECK_MS * 5);
  assert.equal(control[INTERRUPT], SIGINT);
  // The interpreter took it (the word back at 0) and gave nothing: asked again after two checks, not one.
  Atomics.store(control, INTERRUPT, 0);
  t.mock.timers.tick(STOP_CHECK_MS);
  assert.equal(control[INTERRUPT], 0);
  t.mock.timers.tick(STOP_CHECK_MS);
  assert.equal(control[INTERRUPT], SIGINT);
  // Taken again, and this time the program was given its KeyboardInterrupt: never asked again.
  Atomics.store(control, INTERRUPT, 0);
  Atomics.store(control, STOP_GIVEN, 1);
  t.mock.timers.tick(STOP_CHECK_MS * 10);
  assert.equal(control[INTERRUPT], 0);
  stop();
});

test('a switch-interval signal waiting in the word is not overwritten', (t) => {
  const { control, stop } = stopAsked(t);
  Atomics.store(control, INTERRUPT, 10); // taken, then the clock stored its signal
  t.mock.timers.tick(STOP_CHECK_MS * 3);
  assert.equal(control[INTERRUPT], 10);
  stop();
});

test('stopping the looking ends the asking', (t) => {
  const { control, stop } = stopAsked(t);
  stop();
  Atomics.store(control, INTERRUPT, 0);
  t.mock.timers.tick(STOP_CHECK_MS * 5);
  assert.equal(control[INTERRUPT], 0);
});
