// The Lab's program links (www/views/lab-link.js): `#code=` round trips exactly, hand-written `?code=`
// links, and every way a link can be broken or too large.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkSource,
  codeLink,
  codePayload,
  decodeCode,
  encodeCode,
  INVALID_CODE_LINK,
  MAX_CODE_FRAGMENT_CHARS,
  MAX_SOURCE_BYTES,
  parseArgs,
  readLabQuery,
} from '../../www/views/lab-link.js';

const PROGRAM = 'print("héllo, 世界, مرحبا, 🧵")\nif True:\n\tprint("tab")   \r\n# end\n';

/** Bytes to base64url, as a link would carry them. */
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const deflate = async (bytes) =>
  new Uint8Array(
    await new Response(
      new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw')),
    ).arrayBuffer(),
  );

describe('#code= links', () => {
  test('round-trip a program exactly: unicode, tabs, CR, trailing spaces', async () => {
    assert.equal(await decodeCode(await encodeCode(PROGRAM)), PROGRAM);
  });

  test('round-trip 10 KB and 100 KB programs', async () => {
    for (const size of [10_000, MAX_SOURCE_BYTES]) {
      const line = 'x = 1  # ✓\n';
      let text = line.repeat(Math.floor(size / new TextEncoder().encode(line).length));
      text = text.slice(0, size - 10);
      assert.equal(await decodeCode(await encodeCode(text)), text);
    }
  });

  test('a link reopens the Lab with the program in the fragment only', async () => {
    const link = new URL(
      await codeLink('https://juggle.example/?scenario=count#trace=x', PROGRAM, { argv: ['async'] }),
    );
    assert.equal(link.search, '?lab=1&argv=async');
    assert.equal(await decodeCode(/** @type {string} */ (codePayload(link.hash))), PROGRAM);
  });

  test('a program over 100 KB is refused, coming and going', async () => {
    const big = 'x'.repeat(MAX_SOURCE_BYTES + 1);
    await assert.rejects(encodeCode(big), { code: INVALID_CODE_LINK, message: /at most 100 KB/ });
    const payload = b64url(await deflate(new TextEncoder().encode(big)));
    await assert.rejects(decodeCode(payload), { code: INVALID_CODE_LINK, message: /larger than 100 KB/ });
  });

  test('broken payloads say what is wrong', async () => {
    await assert.rejects(decodeCode('not*base64'), { code: INVALID_CODE_LINK, message: /base64url/ });
    await assert.rejects(decodeCode(b64url(new Uint8Array([255, 1, 2, 3]))), {
      message: /not a compressed program/,
    });
    await assert.rejects(decodeCode('A'.repeat(MAX_CODE_FRAGMENT_CHARS + 1)), { message: /characters long/ });
    const latin1 = b64url(await deflate(new Uint8Array([0x70, 0xe9, 0x0a])));
    await assert.rejects(decodeCode(latin1), { message: /not UTF-8/ });
    const nul = b64url(await deflate(new TextEncoder().encode('print(1)\0')));
    await assert.rejects(decodeCode(nul), { message: /NUL/ });
  });

  test('codePayload reads only #code=', () => {
    assert.equal(codePayload('#code=abc'), 'abc');
    assert.equal(codePayload('#trace=abc'), null);
    assert.equal(codePayload(''), null);
  });
});

describe('the Lab query', () => {
  test('hand-written ?code= is URI-decoded text', () => {
    const q = readLabQuery(`?lab=1&code=${encodeURIComponent(PROGRAM)}&readonly=1&embed=1&argv=a%20b`);
    assert.deepEqual(q, {
      lab: true,
      code: PROGRAM,
      argv: 'a b',
      example: null,
      twin: null,
      readonly: true,
      embed: true,
    });
    assert.equal(checkSource(/** @type {string} */ (q.code)), PROGRAM);
    assert.equal(readLabQuery('?scenario=count').lab, false);
  });

  test('arguments are split on white space and capped', () => {
    assert.deepEqual(parseArgs('  async   sync '), ['async', 'sync']);
    assert.deepEqual(parseArgs(''), []);
    assert.throws(() => parseArgs('a '.repeat(9)), /at most 8/);
    assert.throws(() => parseArgs('x'.repeat(65)), /at most 64/);
  });
});
