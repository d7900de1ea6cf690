// The catalogue's text in the page (www/dom.js): a variant's title inside a sentence keeps its acronyms
// ("Run CPU work on threads, with a GIL"), and a summary's `backticked` names become code, never HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { inSentence, withCode } = await import('../../www/dom.js');

test('a title inside a sentence: its first letter lower-cased, unless it starts an acronym', () => {
  assert.equal(inSentence('Blocking wait'), 'blocking wait');
  assert.equal(inSentence('A few at a time'), 'a few at a time');
  assert.equal(inSentence('CPU work on threads, with a GIL'), 'CPU work on threads, with a GIL');
  assert.equal(inSentence('I/O-bound: many requests'), 'I/O-bound: many requests');
  assert.equal(inSentence('Threads: load, then store'), 'threads: load, then store');
});

test('a summary’s backticked names are code elements; the rest stays text', () => {
  const parts = withCode('At most `limit` requests in flight, and <b>no</b> HTML');
  assert.equal(parts.length, 3);
  assert.equal(parts[0], 'At most ');
  assert.equal(/** @type {any} */ (parts[1]).tagName.toLowerCase(), 'code');
  assert.equal(/** @type {any} */ (parts[1]).textContent, 'limit');
  assert.equal(parts[2], ' requests in flight, and <b>no</b> HTML');
  assert.deepEqual(withCode('no names'), ['no names']);
});
