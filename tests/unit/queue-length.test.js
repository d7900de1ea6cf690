// The queue's length chart's words (crate/src/scenarios/queue/view.js): built from a queue run's result only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQueueResult, queueLengthWords } from '../../crate/src/scenarios/queue/view.js';

const result = (over = {}) => ({
  high_water: 16,
  high_water_at_ms: 200,
  maxsize: null,
  consumers: 1,
  producer_waited_ms: 0,
  consumers_waited_ms: 10,
  mean_queued_ms: 400,
  per_item: [],
  lengths: [{ t_ms: 0, length: 0 }],
  ...over,
});

test('the words give the high-water mark, when, the bound and the waits, from the result', () => {
  assert.equal(
    queueLengthWords(result()),
    'Queue length over time (no bound): at most 16 items, first reached at 200 ms. The producer waited 0.0 ms at put for room; the consumer waited 10 ms at get for items.',
  );
  const words = queueLengthWords(
    result({ high_water: 1, maxsize: 3, consumers: 4, producer_waited_ms: 1500, consumers_waited_ms: 620 }),
  );
  assert.match(words, /\(a bound of 3\): at most 1 item, first/);
  assert.match(words, /waited 1\.50 s at put/);
  assert.match(words, /the 4 consumers waited 620 ms at get for items, added up\./);
});

test('only a queue result is taken for one', () => {
  assert.equal(isQueueResult(result()), true);
  assert.equal(isQueueResult({ in_flight: [] }), false);
  assert.equal(isQueueResult(null), false);
  assert.equal(isQueueResult({ lengths: [], high_water: '3' }), false);
});
