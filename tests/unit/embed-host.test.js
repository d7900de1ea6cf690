// embed.js's cap on an iframe's height (www/embed-host.js): pixels, "none", or the viewport; anything else
// (a hostile or mistyped attribute on a course page) keeps the viewport cap and says so on the console.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { maxHeightFor } = await import('../../www/embed-host.js');
const frame = (maxHeight) => ({ dataset: maxHeight === undefined ? {} : { maxHeight } });

test('data-max-height: pixels, none, or the viewport by default', () => {
  assert.equal(maxHeightFor(frame(undefined)), '100vh');
  assert.equal(maxHeightFor(frame('')), '100vh');
  assert.equal(maxHeightFor(frame('600')), '600px');
  assert.equal(maxHeightFor(frame(' 720 ')), '720px');
  assert.equal(maxHeightFor(frame('none')), 'none');
});

test('a value that is not allowed keeps the viewport cap and names what is allowed', () => {
  const warned = [];
  const warn = console.warn;
  console.warn = (text) => warned.push(text);
  try {
    for (const bad of [
      '0',
      '-5',
      '1e3',
      '50%',
      'calc(100vh)',
      '<script>',
      '9'.repeat(20),
      '100px; color: red',
    ]) {
      assert.equal(maxHeightFor(frame(bad)), '100vh', bad);
    }
  } finally {
    console.warn = warn;
  }
  assert.equal(warned.length, 8);
  assert.match(warned[0], /whole number of pixels \(for example 720\) or "none"/);
  assert.ok(
    warned.every((text) => text.length < 300),
    'the attribute is shortened in the message',
  );
});
