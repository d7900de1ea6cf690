// The host's word on how tall an embed's frame may grow (www/views/frame-cap.js): only a plain number of
// pixels in a message of its type counts; 0 and huge numbers mean no cap; anything else is not a cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { capOf, FRAME_CAP_MESSAGE } = await import('../../www/views/frame-cap.js');

test('a cap is a number of pixels, 0 or huge for none', () => {
  assert.equal(capOf({ type: FRAME_CAP_MESSAGE, height: 600 }), 600);
  assert.equal(capOf({ type: FRAME_CAP_MESSAGE, height: 0 }), Number.POSITIVE_INFINITY);
  assert.equal(capOf({ type: FRAME_CAP_MESSAGE, height: 1e9 }), Number.POSITIVE_INFINITY);
});

test('anything else from a page is not a cap', () => {
  for (const data of [
    null,
    'juggle:frame-cap',
    600,
    { type: 'juggle:trace', height: 600 },
    { type: FRAME_CAP_MESSAGE },
    { type: FRAME_CAP_MESSAGE, height: '600' },
    { type: FRAME_CAP_MESSAGE, height: -1 },
    { type: FRAME_CAP_MESSAGE, height: Number.NaN },
    { type: FRAME_CAP_MESSAGE, height: Number.POSITIVE_INFINITY },
    { type: FRAME_CAP_MESSAGE, height: { valueOf: () => 600 } },
  ]) {
    assert.equal(capOf(data), null, JSON.stringify(data));
  }
});
