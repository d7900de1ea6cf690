// A recorded run in a link (www/views/trace-link.js): deflate-raw + base64url round trip, and every way a
// fragment can be broken.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeTrace,
  encodeTrace,
  INVALID_LINK,
  MAX_FRAGMENT_CHARS,
  TOO_LARGE,
  traceLink,
  tracePayload,
} from '../../www/views/trace-link.js';

/** The core's limit on a trace's text (`juggle.traceLimits().file_bytes`, crate/src/recorded.rs). */
const LIMIT = 5 * 1024 * 1024;
const JSON_TEXT = JSON.stringify({
  scenario: 'count',
  text: 'One “Two” ✓ <b>',
  spans: Array(200).fill({ a: 1 }),
});

/** Asserts that `promise` rejects with an invalid-link Error whose message matches `pattern`. */
async function refused(promise, pattern, code = INVALID_LINK) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('encode and decode', () => {
  test('round trip, including non-ASCII text', async () => {
    const payload = await encodeTrace(JSON_TEXT);
    assert.match(payload, /^[A-Za-z0-9_-]+$/);
    assert.ok(payload.length < JSON_TEXT.length / 4, 'it is compressed');
    assert.equal(await decodeTrace(payload, LIMIT), JSON_TEXT);
  });
  test('a link carries the payload in its fragment only', async () => {
    const href = await traceLink('https://juggle.example/?scenario=count&variant=async', JSON_TEXT);
    const url = new URL(href);
    assert.equal(url.search, '?scenario=count&variant=async');
    const payload = tracePayload(url.hash);
    assert.ok(payload);
    assert.equal(await decodeTrace(payload, LIMIT), JSON_TEXT);
  });
  test('other fragments carry no run', () => {
    assert.equal(tracePayload(''), null);
    assert.equal(tracePayload('#results'), null);
    assert.equal(tracePayload('#trace='), '');
  });
  test('a run whose compressed form is over the limit gets no link', async () => {
    const noise = Array.from({ length: 40_000 }, () => Math.random().toString(36).slice(2)).join('');
    await refused(
      traceLink('https://juggle.example/', noise),
      /too large for a link.*Download it as JSON/,
      TOO_LARGE,
    );
  });
});

describe('broken fragments', () => {
  test('not base64url', async () => {
    await refused(decodeTrace('abc+def/', LIMIT), /not valid base64url/);
    await refused(decodeTrace('a b', LIMIT), /not valid base64url/);
    await refused(decodeTrace('<script>', LIMIT), /not valid base64url/);
    await refused(decodeTrace('abcde', LIMIT), /not valid base64url/); // a length no base64 has
  });
  test('not deflate-raw data', async () => {
    await refused(decodeTrace('AAAAAAAAAAAA', LIMIT), /not a compressed trace/);
    await refused(decodeTrace('SGVsbG8gd29ybGQ', LIMIT), /not a compressed trace/);
  });
  test('cut short', async () => {
    const payload = await encodeTrace(JSON_TEXT);
    await refused(decodeTrace(payload.slice(0, (payload.length >> 3) * 4), LIMIT), /not a compressed trace/);
  });
  test('too long', async () => {
    await refused(decodeTrace('A'.repeat(MAX_FRAGMENT_CHARS + 1), LIMIT), /at most 32768/);
  });
  test('a small link that inflates past the file limit (a zip bomb)', async () => {
    const bomb = await encodeTrace(' '.repeat(6 * 1024 * 1024));
    assert.ok(bomb.length < MAX_FRAGMENT_CHARS);
    await refused(decodeTrace(bomb, LIMIT), /decompresses to more than 5 MB/);
  });
  test('not UTF-8', async () => {
    const stream = new CompressionStream('deflate-raw');
    const compressed = await new Response(
      new Blob([new Uint8Array([0xff, 0xfe, 0xc3])]).stream().pipeThrough(stream),
    ).arrayBuffer();
    const payload = Buffer.from(compressed).toString('base64url');
    await refused(decodeTrace(payload, LIMIT), /not UTF-8/);
  });
});
