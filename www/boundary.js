// @ts-check
/**
 * The checks `window.juggle` makes on every argument before anything reaches the wasm core. Pure functions
 * with no DOM and no wasm, so `node --test` covers them (tests/unit/boundary.test.js).
 *
 * Every failure is an `Error` with the stable code `invalid-argument` and a message that names the argument,
 * what was given (shortened and escaped) and what is allowed. Reading a caller's object (a getter that
 * throws, a Proxy whose traps throw) happens here, inside try/catch, once: the core only ever sees fresh
 * plain copies.
 */

/** The code of every error raised here. */
export const INVALID_ARGUMENT = 'invalid-argument';
/** Longest scenario id accepted (the catalogue's ids are far shorter). */
export const MAX_ID_LENGTH = 100;
/** Most keys a params object may have, and the longest key. */
export const MAX_PARAMS = 64;
export const MAX_KEY_LENGTH = 100;
/** Longest string value a parameter may have (the URL's values are strings). */
export const MAX_VALUE_LENGTH = 1000;
/** How deep and how large a trace may be when it is copied (a real one is a few levels deep). */
const MAX_DEPTH = 32;
const MAX_NODES = 5_000_000;
/** Export formats `juggle.exportTrace` knows. */
export const EXPORT_FORMATS = ['json', 'csv', 'chrome'];

/**
 * An `Error` with the code `invalid-argument`, for argument `name` of `where`.
 * @param {string} where the export, for example `juggle.run`
 * @param {string} name the argument, for example `id`
 * @param {unknown} given the value that was passed
 * @param {string} allowed what would have been accepted
 * @returns {Error & { code: string, argument: string }}
 */
export function invalidArgument(where, name, given, allowed) {
  // A name may carry a caller's key (`params.<key>`): escaped and cut like any given value.
  const named = shorten(JSON.stringify(name).slice(1, -1), 80);
  const error = new Error(`${where}: ${named} must be ${allowed}; got ${describeValue(given)}`);
  return Object.assign(error, { code: INVALID_ARGUMENT, argument: name });
}

/**
 * A string cut to `max` characters, saying how long it was when cut.
 * @param {string} text
 * @param {number} max
 */
function shorten(text, max) {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/**
 * A string cut to `max` characters (with how long it was) and escaped as a JSON string literal.
 * @param {string} text
 * @param {number} [max]
 */
function quote(text, max = 40) {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  const more = text.length > max ? ` (${text.length} characters)` : '';
  return `${JSON.stringify(cut)}${more}`;
}

/**
 * What a value is, in a few words, without running any of its code (no `toString`, no getters): safe on
 * Proxies, revoked Proxies and objects whose methods throw.
 * @param {unknown} value
 * @returns {string}
 */
export function describeValue(value) {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `the string ${quote(value)}`;
    case 'number':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'bigint':
      return `the BigInt ${shorten(`${String(value)}n`, 30)}`;
    case 'symbol':
      return `a Symbol (${quote(value.description ?? '', 20)})`;
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      try {
        if (Array.isArray(value)) return `an array of ${value.length} items`;
      } catch {
        return 'an object that cannot be read (a revoked Proxy)';
      }
      return 'an object';
  }
}

/**
 * A scenario id: a string of 1 to MAX_ID_LENGTH characters. Whether such a scenario exists is the core's to
 * say (code `unknown-scenario`).
 * @param {string} where
 * @param {unknown} id
 * @returns {string}
 */
export function checkId(where, id) {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)
    throw invalidArgument(where, 'id', id, `a scenario id: a string of 1 to ${MAX_ID_LENGTH} characters`);
  return id;
}

/**
 * Whether `value` is a plain object: made by `{}` or `Object.create(null)` (no class, no array).
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isPlainObject(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A params object copied into a fresh plain object: own enumerable string keys, each with a string,
 * number or boolean value (the core validates names, ranges and types of those). `undefined` and `null`
 * mean no params. Reads the caller's object once, inside try/catch.
 * @param {string} where
 * @param {unknown} params
 * @returns {Record<string, string | number | boolean>}
 */
export function copyParams(where, params) {
  const allowed = `a plain object of at most ${MAX_PARAMS} parameters, each a number or a string of at most ${MAX_VALUE_LENGTH} characters, such as { variant: "async", tasks: 3 }`;
  if (params === undefined || params === null) return {};
  /** @type {Record<string, string | number | boolean>} */
  const copy = {};
  let keys;
  try {
    if (!isPlainObject(params)) throw invalidArgument(where, 'params', params, allowed);
    keys = Object.keys(params);
  } catch (failure) {
    if (codeOf(failure) === INVALID_ARGUMENT) throw failure;
    throw invalidArgument(where, 'params', params, `${allowed} (reading it threw)`);
  }
  if (keys.length > MAX_PARAMS) throw invalidArgument(where, 'params', params, allowed);
  for (const key of keys) {
    if (key.length > MAX_KEY_LENGTH)
      throw invalidArgument(where, 'a params key', key, `at most ${MAX_KEY_LENGTH} characters long`);
    let value;
    try {
      value = params[key];
    } catch {
      throw invalidArgument(where, `params.${key}`, params, 'readable (its getter threw)');
    }
    const ok =
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      (typeof value === 'string' && value.length <= MAX_VALUE_LENGTH);
    if (!ok)
      throw invalidArgument(
        where,
        `params.${quote(key, 30).slice(1, -1)}`,
        value,
        `a number or a string of at most ${MAX_VALUE_LENGTH} characters`,
      );
    copy[key] = /** @type {string | number | boolean} */ (value);
  }
  return copy;
}

/**
 * Whether `value` is an AbortSignal (of this realm or another: checked by its brand, not `instanceof`).
 * @param {unknown} value
 * @returns {value is AbortSignal}
 */
function isAbortSignal(value) {
  if (typeof AbortSignal === 'undefined' || typeof value !== 'object' || value === null) return false;
  try {
    // The `aborted` getter throws on anything that is not really an AbortSignal.
    Reflect.apply(
      /** @type {Function} */ (Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get),
      value,
      [],
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * A check of one option for `checkOptions`: null for a good value, else what is allowed. `T` is the type of
 * the values it lets through; `accepts` is never set, it only carries `T` for tsc.
 * @template [T=unknown]
 * @typedef {{ (value: unknown): string | null, readonly accepts?: T }} Check
 */

/**
 * An options object: `undefined`, or a plain object with only the keys in `spec`, each passing its check
 * (`undefined` values are absent). Returns a fresh object with the values read once, each of the type its
 * check lets through.
 * @template {Record<string, Check<unknown>>} S
 * @param {string} where
 * @param {unknown} options
 * @param {S} spec for each allowed key, a function that returns null for a good value or what is allowed
 * @returns {{ [K in keyof S]?: S[K] extends Check<infer T> ? T : never }}
 */
export function checkOptions(where, options, spec) {
  const names = Object.keys(spec);
  const allowed = `undefined or a plain object with ${names.length > 1 ? 'the keys' : 'the key'} ${names.join(', ')}`;
  if (options === undefined) return {};
  /** @type {Record<string, unknown>} */
  const copy = {};
  try {
    if (!isPlainObject(options)) throw invalidArgument(where, 'options', options, allowed);
    for (const key of Object.keys(options)) {
      if (!names.includes(key))
        throw invalidArgument(where, 'options', options, `${allowed} (not ${quote(key)})`);
      copy[key] = options[key];
    }
  } catch (failure) {
    if (codeOf(failure) === INVALID_ARGUMENT) throw failure;
    throw invalidArgument(where, 'options', options, `${allowed} (reading it threw)`);
  }
  for (const [key, check] of Object.entries(spec)) {
    if (copy[key] === undefined) continue;
    const wanted = check(copy[key]);
    if (wanted !== null) throw invalidArgument(where, `options.${key}`, copy[key], wanted);
  }
  // Each value passed its key's check, which is what the return type says.
  return /** @type {{ [K in keyof S]?: S[K] extends Check<infer T> ? T : never }} */ (copy);
}

/**
 * For `checkOptions`: an AbortSignal.
 * @type {Check<AbortSignal>}
 */
export const signalOption = (value) => (isAbortSignal(value) ? null : 'an AbortSignal');

/**
 * For `checkOptions`: `true` or `false`.
 * @type {Check<boolean>}
 */
export const booleanOption = (value) => (typeof value === 'boolean' ? null : 'true or false');

/**
 * For `checkOptions`: a whole number from `min` to `max`.
 * @param {number} min
 * @param {number} max
 * @returns {Check<number>}
 */
export const wholeOption = (min, max) => (value) =>
  Number.isInteger(value) && /** @type {number} */ (value) >= min && /** @type {number} */ (value) <= max
    ? null
    : `a whole number from ${min} to ${max}`;

/**
 * A whole number from `min` to `max` for argument `name`.
 * @param {string} where
 * @param {string} name
 * @param {unknown} value
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
export function checkWhole(where, name, value, min, max) {
  const wanted = wholeOption(min, max)(value);
  if (wanted !== null) throw invalidArgument(where, name, value, wanted);
  return /** @type {number} */ (value);
}

/**
 * A finite number for argument `name`.
 * @param {string} where
 * @param {string} name
 * @param {unknown} value
 * @returns {number}
 */
export function checkFinite(where, name, value) {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalidArgument(where, name, value, 'a finite number');
  return value;
}

/**
 * An export format: one of EXPORT_FORMATS.
 * @param {string} where
 * @param {unknown} format
 * @returns {'json' | 'csv' | 'chrome'}
 */
export function checkFormat(where, format) {
  if (typeof format !== 'string' || !EXPORT_FORMATS.includes(format))
    throw invalidArgument(
      where,
      'format',
      format,
      `one of ${EXPORT_FORMATS.map((f) => `"${f}"`).join(', ')}`,
    );
  return /** @type {'json' | 'csv' | 'chrome'} */ (format);
}

/**
 * The code of a thrown value, when it is an object with a string `code` (an Error of this module's).
 * @param {unknown} thrown
 * @returns {string | undefined}
 */
function codeOf(thrown) {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { code } = /** @type {{ code?: unknown }} */ (thrown);
  return typeof code === 'string' ? code : undefined;
}

/** Thrown inside `plainData` for a value that is not JSON-like; carries where in the value it was. */
class NotPlain extends Error {
  /** @param {string} path @param {unknown} value @param {string} why */
  constructor(path, value, why) {
    super(why);
    this.path = path;
    this.value = value;
  }
}

/**
 * A deep copy of JSON-like data (plain objects, arrays, strings, finite numbers, booleans, null; `undefined`
 * object values are left out, as JSON does). Throws NotPlain on anything else, on cycles and on data deeper
 * than MAX_DEPTH or larger than MAX_NODES.
 * @param {unknown} value
 * @param {string} [path] where `value` is, for the error
 * @param {number} [depth] how deep `value` is
 * @param {{ nodes: number }} [budget] values copied so far, over the whole copy
 * @param {number} [maxDepth]
 * @returns {unknown}
 */
function plainData(value, path = '', depth = 0, budget = { nodes: 0 }, maxDepth = MAX_DEPTH) {
  if (++budget.nodes > MAX_NODES) throw new NotPlain(path, value, `at most ${MAX_NODES} values in all`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotPlain(path, value, 'finite numbers only');
    return value;
  }
  if (typeof value !== 'object') throw new NotPlain(path, value, 'JSON-like data only');
  if (depth >= maxDepth) throw new NotPlain(path, value, `at most ${maxDepth} levels deep`);
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++)
      copy[i] = plainData(value[i], `${path}[${i}]`, depth + 1, budget, maxDepth);
    return copy;
  }
  if (!isPlainObject(value)) throw new NotPlain(path, value, 'plain objects only');
  /** @type {Record<string, unknown>} */
  const copy = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined) copy[key] = plainData(item, `${path}.${key}`, depth + 1, budget, maxDepth);
  }
  return copy;
}

/**
 * A shape `misfit` checks a value against: a `typeof` name (`array` and `null` counted apart), `[shape]` for
 * an array whose every item fits `shape`, or an object of shapes for an object with at least those fields.
 * @typedef {string | Shape[] | { [field: string]: Shape }} Shape
 */

/**
 * What a trace must hold, field by field (the trace format; the core checks the rest as it reads it).
 * @type {Shape}
 */
const TRACE_SHAPE = {
  scenario: 'string',
  variant: 'string',
  params: 'object',
  env: 'object',
  started_at_ms: 'number',
  total_ms: 'number',
  spans: [
    { lane: 'string', task: 'string', label: 'string', kind: 'string', start_ms: 'number', end_ms: 'number' },
  ],
  output: [{ t_ms: 'number', task: 'string', text: 'string' }],
  heartbeat: {
    interval_ms: 'number',
    max_gap_ms: 'number',
    max_gap_from_ms: 'number',
    missed: 'number',
    samples: [{ due_ms: 'number', ran_ms: 'number' }],
  },
};

/**
 * The first place where `value` does not fit `shape`, as `[path, what was wanted]`, or null.
 * @param {unknown} value
 * @param {Shape} shape
 * @param {string} path
 * @returns {{ path: string, wanted: string, value: unknown } | null} where, what was wanted there, what
 *   was there
 */
function misfit(value, shape, path) {
  if (typeof shape === 'string') {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    return kind === shape ? null : { path, wanted: `${shape === 'object' ? 'an' : 'a'} ${shape}`, value };
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return { path, wanted: 'an array', value };
    for (let i = 0; i < value.length; i++) {
      const found = misfit(value[i], shape[0], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { path, wanted: 'an object', value };
  for (const [key, inner] of Object.entries(shape)) {
    const found = misfit(/** @type {Record<string, unknown>} */ (value)[key], inner, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/**
 * `value` copied into fresh plain JSON-like data (no getter, Proxy, function or cycle survives): what the
 * core is given of a caller's object. Throws an `invalid-argument` Error naming where it failed.
 * @param {string} where
 * @param {unknown} value
 * @returns {unknown}
 */
export function copyPlain(where, value) {
  try {
    if (!isPlainObject(value))
      throw new NotPlain('trace', value, 'a trace: its JSON text, or the object parsed from it');
    return plainData(value, 'trace');
  } catch (failure) {
    if (failure instanceof NotPlain)
      throw invalidArgument(
        where,
        failure.path,
        failure.value,
        failure.path === 'trace' ? failure.message : `plain JSON data (${failure.message})`,
      );
    throw invalidArgument(where, 'trace', value, 'plain JSON data (reading it threw)');
  }
}

/**
 * A trace (as `juggle.run` resolves to) copied into fresh plain data and checked against the trace format's
 * fields, so the core never reads a getter, a Proxy or a value of the wrong type.
 * @param {string} where
 * @param {unknown} trace
 * @returns {import('./pkg-st/juggle.js').Trace}
 */
export function copyTrace(where, trace) {
  const allowed =
    'a trace as juggle.run returns it (plain data: scenario, variant, spans, output, heartbeat, ...)';
  let copy;
  try {
    if (!isPlainObject(trace)) throw new NotPlain('trace', trace, 'plain data');
    copy = plainData(trace, 'trace');
  } catch (failure) {
    if (failure instanceof NotPlain)
      throw invalidArgument(
        where,
        failure.path,
        failure.value,
        failure.path === 'trace' ? allowed : `${failure.message}, in ${allowed}`,
      );
    throw invalidArgument(where, 'trace', trace, `${allowed} (reading it threw)`);
  }
  const found = misfit(copy, TRACE_SHAPE, 'trace');
  if (found) throw invalidArgument(where, found.path, found.value, `${found.wanted}, in ${allowed}`);
  // The fields the page reads are checked; the core checks the rest as it reads the trace.
  return /** @type {import('./pkg-st/juggle.js').Trace} */ (copy);
}

/**
 * For an export that takes no arguments: throws if any were passed.
 * @param {string} where
 * @param {ArrayLike<unknown>} args
 */
export function checkNoArguments(where, args) {
  const index = Array.prototype.findIndex.call(args, (arg) => arg !== undefined);
  if (index >= 0)
    throw invalidArgument(where, `argument ${index + 1}`, args[index], 'absent (it takes none)');
}

// ---------------------------------------------------------------------------------------------------------
// Recorded traces: a trace from a file, a link or an embed is data from a stranger. The core checks it field
// by field (`juggle.reviewTrace`, crate/src/recorded.rs, with the limits in one place there); the page only
// runs the guards that must come before parsing: the text's size and how deeply it nests.

/** The code of every error about a recorded trace (the core's `invalid-trace`). */
export const INVALID_TRACE = 'invalid-trace';

/**
 * An `Error` with the code `invalid-trace`: `path` of the trace must be `allowed`, and was `given`.
 * @param {string} path
 * @param {unknown} given
 * @param {string} allowed
 * @returns {Error & { code: string }}
 */
export function invalidTrace(path, given, allowed) {
  const error = new Error(`${shorten(path, 120)} must be ${allowed}; got ${describeValue(given)}`);
  return Object.assign(error, { code: INVALID_TRACE });
}

/**
 * How deeply `text` nests JSON arrays and objects (strings skipped), stopping once past `limit`: checked
 * before JSON.parse so that a deeply nested file is refused by a count, not by a stack overflow.
 * @param {string} text
 * @param {number} limit
 */
export function jsonDepth(text, limit = Number.POSITIVE_INFINITY) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/**
 * A recorded trace's JSON text (a file's contents or a link's decompressed payload) checked for size and
 * nesting, then parsed: the value to hand to `juggle.reviewTrace`, which checks the rest. Throws an
 * `invalid-trace` Error naming what was wrong and what is allowed.
 * @param {unknown} text
 * @param {{ file_bytes: number, depth: number }} limits the core's (`juggle.traceLimits()`)
 * @returns {unknown}
 */
export function parseRecordedTrace(text, limits) {
  if (typeof text !== 'string') throw invalidTrace('the trace', text, 'JSON text');
  if (text.length > limits.file_bytes)
    throw invalidTrace(
      'the trace',
      text,
      `at most ${limits.file_bytes / 1024 / 1024} MB of JSON (it is ${(text.length / 1024 / 1024).toFixed(1)} MB)`,
    );
  if (jsonDepth(text, limits.depth) > limits.depth)
    throw Object.assign(
      new Error(
        `the trace nests more than ${limits.depth} levels deep; a trace is at most ${limits.depth} levels deep (a real one is 5)`,
      ),
      { code: INVALID_TRACE },
    );
  try {
    return JSON.parse(text);
  } catch (failure) {
    throw Object.assign(
      new Error(
        `the trace is not valid JSON (${shorten(failure instanceof Error ? failure.message : String(failure), 120)}); a trace is the JSON that the JSON download writes`,
      ),
      { code: INVALID_TRACE },
    );
  }
}

/** The longest Python program `runPython` takes, in characters. */
export const MAX_CODE_LENGTH = 200_000;
/** The most arguments (`sys.argv[1:]`) a Python program gets, and their longest length. */
export const MAX_ARGV = 16;
export const MAX_ARG_LENGTH = 200;

/**
 * A Python program's source: a string of at most MAX_CODE_LENGTH characters.
 * @param {string} where
 * @param {unknown} code
 * @returns {string}
 */
export function checkCode(where, code) {
  if (typeof code !== 'string' || code.length > MAX_CODE_LENGTH)
    throw invalidArgument(
      where,
      'code',
      code,
      `Python source: a string of at most ${MAX_CODE_LENGTH.toLocaleString('en')} characters`,
    );
  return code;
}

/**
 * For `checkOptions`: `sys.argv[1:]`, an array of at most MAX_ARGV short strings.
 * @type {Check<string[]>}
 */
export const argvOption = (value) => {
  const wanted = `an array of at most ${MAX_ARGV} strings of at most ${MAX_ARG_LENGTH} characters`;
  if (!Array.isArray(value) || value.length > MAX_ARGV) return wanted;
  for (let i = 0; i < value.length; i += 1) {
    if (typeof value[i] !== 'string' || value[i].length > MAX_ARG_LENGTH) return wanted;
  }
  return null;
};

/**
 * For `checkOptions`: a file name for tracebacks, such as `twin.py`.
 * @type {Check<string>}
 */
export const filenameOption = (value) =>
  typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}\.py$/.test(value)
    ? null
    : 'a file name ending in .py, of letters, digits, "_", "-" and "." (at most 64 characters)';
