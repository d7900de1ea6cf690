// A recorded trace from a file or a link is a stranger's data. The core checks it field by field
// (crate/src/recorded.rs, native tests there; `juggle.reviewTrace`); the page only runs the guards that
// must come before parsing (parseRecordedTrace in www/boundary.js): these tests are about those.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { copyPlain, INVALID_TRACE, jsonDepth, parseRecordedTrace } from '../../www/boundary.js';

/** The core's limits as `juggle.traceLimits()` returns them (crate/src/recorded.rs, `LIMITS`). */
const LIMITS = { file_bytes: 5 * 1024 * 1024, depth: 32 };

/** Asserts that `text` is refused before the core sees it, with `pattern` in the message. */
function refused(text, pattern) {
  assert.throws(
    () => parseRecordedTrace(text, LIMITS),
    (error) => {
      assert.equal(error.code, INVALID_TRACE);
      assert.match(error.message, pattern);
      assert.ok(error.message.length < 600, 'the message is short');
      return true;
    },
  );
}

describe('before parsing', () => {
  test('JSON text is parsed into fresh data for the core', () => {
    const text = JSON.stringify({ scenario: 'count', output: [{ text: '<b>x</b>' }] });
    assert.deepEqual(parseRecordedTrace(text, LIMITS), JSON.parse(text));
  });
  test('not text', () => {
    assert.throws(() => parseRecordedTrace(undefined, LIMITS), {
      code: INVALID_TRACE,
      message: /the trace must be JSON text/,
    });
  });
  test('not JSON', () => refused('{"scenario": ', /the trace is not valid JSON/));
  test('more text than the core allows', () => refused(' '.repeat(LIMITS.file_bytes + 1), /at most 5 MB/));
  test('nesting deeper than the core allows, refused by a count before JSON.parse', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.equal(jsonDepth(deep, 32), 33);
    refused(deep, /the trace nests more than 32 levels/);
    assert.doesNotThrow(() => parseRecordedTrace(`${'['.repeat(32)}${']'.repeat(32)}`, LIMITS));
  });
  test('jsonDepth skips brackets inside strings', () => {
    assert.equal(jsonDepth('{"a": "[[[[\\"[[[", "b": [1]}'), 2);
  });
});

describe('a trace passed as an object', () => {
  test('is copied as plain data, never run past one read', () => {
    const given = { scenario: 'count', spans: [{ lane: 'main' }] };
    const copy = /** @type {any} */ (copyPlain('juggle.reviewTrace', given));
    assert.deepEqual(copy, given);
    assert.notEqual(copy.spans, given.spans);
    let reads = 0;
    const getter = Object.defineProperty({}, 'scenario', {
      enumerable: true,
      get() {
        reads++;
        throw new Error('no');
      },
    });
    assert.throws(() => copyPlain('juggle.reviewTrace', getter), { code: 'invalid-argument' });
    assert.equal(reads, 1);
    const cyclic = { a: {} };
    cyclic.a.self = cyclic;
    assert.throws(() => copyPlain('juggle.reviewTrace', cyclic), { code: 'invalid-argument' });
    assert.throws(() => copyPlain('juggle.reviewTrace', { f: () => 1 }), /trace\.f/);
  });
});
