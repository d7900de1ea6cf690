// @ts-check
/**
 * The Lab's state in its URL, as pure functions of strings (tested with node: tests/unit/lab-link.test.js).
 * A shared program travels in the fragment, `#code=` + base64url of its UTF-8 text compressed with
 * deflate-raw, so it never reaches a server; a hand-written link may put it in the query instead,
 * `?lab=1&code=<URI-encoded text>`. Either way it is checked strictly (size, UTF-8) and only ever shown as
 * text. Other keys: `argv` (sys.argv[1:], space-separated), `example` (an example's id), `twin` (a
 * scenario id: its twin.py), `readonly=1` and `embed=1`.
 */
import { fromBase64Url, through, toBase64Url } from './trace-link.js';

/** The most source a Lab program may have, in UTF-8 bytes. */
export const MAX_SOURCE_BYTES = 100 * 1024;
/** The longest `#code=` payload accepted (100 KB that did not compress at all, in base64url). */
export const MAX_CODE_FRAGMENT_CHARS = Math.ceil((MAX_SOURCE_BYTES * 1.01 + 64) / 3) * 4;
/** The fragment's key. */
export const CODE_KEY = 'code';
/** The code of errors about a link's program. */
export const INVALID_CODE_LINK = 'invalid-code-link';
/** At most this many arguments, each at most this long (juggle.runPython's own limits are wider). */
export const MAX_ARGS = 8;
export const MAX_ARG_CHARS = 64;

const linkError = (/** @type {string} */ message) =>
  Object.assign(new Error(message), { code: INVALID_CODE_LINK });

/** UTF-8 bytes of `text`, refused past MAX_SOURCE_BYTES. @param {string} text */
function sourceBytes(text) {
  if (typeof text !== 'string') throw linkError('a program is text');
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_SOURCE_BYTES)
    throw linkError(
      `the program is ${(bytes.length / 1024).toFixed(0)} KB; a Lab program may be at most ${MAX_SOURCE_BYTES / 1024} KB`,
    );
  return bytes;
}

/**
 * Checks a program's text: at most MAX_SOURCE_BYTES of UTF-8, no NUL character (Python refuses it).
 * @param {string} text
 */
export function checkSource(text) {
  sourceBytes(text);
  if (text.includes('\0'))
    throw linkError('the program contains a NUL character, which Python source may not');
  return text;
}

/**
 * The `#code=` payload for a program: base64url of its deflate-raw compression.
 * @param {string} source
 * @returns {Promise<string>}
 */
export async function encodeCode(source) {
  const bytes = sourceBytes(checkSource(source));
  return toBase64Url(await through(bytes, new CompressionStream('deflate-raw'), Number.POSITIVE_INFINITY));
}

/**
 * A `#code=` payload back to the program's text. Throws an Error with the code `invalid-code-link` naming
 * what was wrong: too long, not base64url, not deflate-raw data, larger than MAX_SOURCE_BYTES, not UTF-8.
 * @param {string} payload
 * @returns {Promise<string>}
 */
export async function decodeCode(payload) {
  if (payload.length > MAX_CODE_FRAGMENT_CHARS)
    throw linkError(
      `the link's #code= part is ${payload.length.toLocaleString('en')} characters long; at most ${MAX_CODE_FRAGMENT_CHARS.toLocaleString('en')} are accepted`,
    );
  let bytes;
  try {
    bytes = fromBase64Url(payload);
  } catch {
    throw linkError(
      "the link's #code= part is not valid base64url (only letters, digits, - and _): the link may have been cut or changed",
    );
  }
  let inflated;
  try {
    inflated = await through(bytes, new DecompressionStream('deflate-raw'), MAX_SOURCE_BYTES);
  } catch (failure) {
    if (/** @type {any} */ (failure)?.tooLarge)
      throw linkError(
        `the link's program is larger than ${MAX_SOURCE_BYTES / 1024} KB, the most a Lab program may be`,
      );
    throw linkError(
      "the link's #code= part is not a compressed program (deflate-raw): the link may have been cut or changed",
    );
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(inflated);
  } catch {
    throw linkError("the link's program is not UTF-8 text");
  }
  return checkSource(text);
}

/**
 * The `#code=` payload of a fragment, or null when it has none.
 * @param {string} hash `location.hash`
 */
export function codePayload(hash) {
  const prefix = `#${CODE_KEY}=`;
  return hash.startsWith(prefix) ? hash.slice(prefix.length) : null;
}

/**
 * Splits an arguments field into sys.argv[1:] (on white space), refusing too many or too long.
 * @param {string} text
 * @returns {string[]}
 */
export function parseArgs(text) {
  const args = text.split(/\s+/).filter(Boolean);
  if (args.length > MAX_ARGS) throw linkError(`at most ${MAX_ARGS} arguments may be given`);
  for (const arg of args)
    if (arg.length > MAX_ARG_CHARS)
      throw linkError(`an argument may be at most ${MAX_ARG_CHARS} characters long`);
  return args;
}

/**
 * What a Lab query asks for. `code` is the query's hand-written program (URI-decoded by URLSearchParams),
 * unchecked: the view checks it with `checkSource` and says what was wrong.
 * @param {string} search `location.search`
 * @returns {{ lab: boolean, code: string | null, argv: string | null, example: string | null,
 *   twin: string | null, readonly: boolean, embed: boolean }}
 */
export function readLabQuery(search) {
  const query = new URLSearchParams(search);
  return {
    lab: query.get('lab') === '1',
    code: query.get('code'),
    argv: query.get('argv'),
    example: query.get('example'),
    twin: query.get('twin'),
    readonly: query.get('readonly') === '1',
    embed: query.get('embed') === '1',
  };
}

/**
 * The Lab's address (no program): `?lab=1`, with `argv`, `readonly` and `embed` when asked.
 * @param {string} href the page's address
 * @param {{ argv?: string[], readonly?: boolean, embed?: boolean }} [options]
 */
export function labUrl(href, { argv = [], readonly = false, embed = false } = {}) {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  url.searchParams.set('lab', '1');
  if (argv.length) url.searchParams.set('argv', argv.join(' '));
  if (readonly) url.searchParams.set('readonly', '1');
  if (embed) url.searchParams.set('embed', '1');
  return url;
}

/**
 * A link that reopens the Lab with `source` (in the fragment).
 * @param {string} href
 * @param {string} source
 * @param {{ argv?: string[], readonly?: boolean, embed?: boolean }} [options]
 * @returns {Promise<string>}
 */
export async function codeLink(href, source, options = {}) {
  const url = labUrl(href, options);
  url.hash = `${CODE_KEY}=${await encodeCode(source)}`;
  return url.href;
}
