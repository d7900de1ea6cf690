// @ts-check
/**
 * A recorded run in a link: `#trace=` + base64url of the trace's JSON compressed with deflate-raw (the
 * browser's CompressionStream; no library). A fragment never reaches a server. Pure functions of strings,
 * tested with node (tests/unit/trace-link.test.js); what the payload holds is checked as a file's is
 * (`parseRecordedTrace` in boundary.js, then the core's `reviewTrace`).
 */

/** The fragment's key. */
export const FRAGMENT_KEY = 'trace';
/** Longest `#trace=` payload a link may carry, in characters (32 KB: links stay pasteable everywhere). */
export const MAX_FRAGMENT_CHARS = 32 * 1024;
/** The code of errors about a link's recorded run. */
export const INVALID_LINK = 'invalid-link';
/** The code of the error for a run too large for a link. */
export const TOO_LARGE = 'too-large-for-link';

const linkError = (/** @type {string} */ message) =>
  Object.assign(new Error(message), { code: INVALID_LINK });

/**
 * Bytes through a (de)compression stream, stopping with an error past `maxBytes` of output (a small link
 * could otherwise inflate to gigabytes).
 * @param {Uint8Array} bytes
 * @param {CompressionStream | DecompressionStream} stream
 * @param {number} maxBytes
 */
export async function through(bytes, stream, maxBytes) {
  const writer = stream.writable.getWriter();
  writer.write(/** @type {Uint8Array<ArrayBuffer>} */ (bytes)).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw Object.assign(new Error('too large'), { tooLarge: true });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** @param {Uint8Array} bytes */
export function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** @param {string} text */
export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1)
    throw linkError(
      "the link's #trace= part is not valid base64url (only letters, digits, - and _ are allowed): the link may have been cut or changed",
    );
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The fragment payload for a trace's JSON text: base64url of its deflate-raw compression.
 * @param {string} json
 * @returns {Promise<string>}
 */
export async function encodeTrace(json) {
  const bytes = new TextEncoder().encode(json);
  return toBase64Url(await through(bytes, new CompressionStream('deflate-raw'), Number.POSITIVE_INFINITY));
}

/**
 * The link to `base` (the page's address with the scenario and knobs) carrying the run `json`. Throws an
 * Error with the code `too-large-for-link` when the payload would be over MAX_FRAGMENT_CHARS.
 * @param {string} base
 * @param {string} json
 * @returns {Promise<string>}
 */
export async function traceLink(base, json) {
  const payload = await encodeTrace(json);
  if (payload.length > MAX_FRAGMENT_CHARS)
    throw Object.assign(
      new Error(
        `This run is too large for a link: compressed it is ${(payload.length / 1024).toFixed(0)} KB, and a link carries at most ${MAX_FRAGMENT_CHARS / 1024} KB. Download it as JSON instead and send the file: Open a trace shows it.`,
      ),
      { code: TOO_LARGE },
    );
  const url = new URL(base);
  url.hash = `${FRAGMENT_KEY}=${payload}`;
  return url.href;
}

/**
 * The `#trace=` payload of a fragment (`location.hash`), or null when it has none.
 * @param {string} hash
 */
export function tracePayload(hash) {
  const prefix = `#${FRAGMENT_KEY}=`;
  return hash.startsWith(prefix) ? hash.slice(prefix.length) : null;
}

/**
 * A fragment's payload decoded back to the trace's JSON text. Throws an Error with the code `invalid-link`
 * naming what was wrong: too long, not base64url, not deflate-raw data, inflating past the file limit, not
 * UTF-8.
 * @param {string} payload
 * @param {number} maxBytes the most the run may decompress to: the core's limit on a trace
 *   (`juggle.traceLimits().file_bytes`)
 * @returns {Promise<string>}
 */
export async function decodeTrace(payload, maxBytes) {
  if (payload.length > MAX_FRAGMENT_CHARS)
    throw linkError(
      `the link's #trace= part is ${payload.length} characters long; a link carries at most ${MAX_FRAGMENT_CHARS} (32 KB)`,
    );
  const bytes = fromBase64Url(payload);
  let inflated;
  try {
    inflated = await through(bytes, new DecompressionStream('deflate-raw'), maxBytes);
  } catch (failure) {
    if (/** @type {any} */ (failure)?.tooLarge)
      throw linkError(
        `the link's run decompresses to more than ${maxBytes / 1024 / 1024} MB, the most a trace may be`,
      );
    throw linkError(
      "the link's #trace= part is not a compressed trace (deflate-raw): the link may have been cut or changed",
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    throw linkError("the link's run is not UTF-8 text");
  }
}
