// @ts-check
/**
 * A Worker of the browser's Python (python-worker.js starts it when the page has shared memory): the switch
 * interval's clock on a thread of its own (www/python/switch-clock.js). Told the clock's and the interrupt's
 * shared words, it says it ticks, then keeps time for good.
 */
import { runClock } from './switch-clock.js';

self.onmessage = ({ data }) => {
  self.postMessage('ticking');
  runClock(new Int32Array(data.clock), new Int32Array(data.interrupt));
};
