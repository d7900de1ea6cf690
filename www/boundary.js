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

/** A string cut to `max` characters, saying how long it was when cut. */
function shorten(text, max) {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** A string cut to `max` characters (with how long it was) and escaped as a JSON string literal. */
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

/** Whether `value` is a plain object: made by `{}` or `Object.create(null)` (no class, no array). */
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
    keys = Object.keys(/** @type {object} */ (params));
  } catch (failure) {
    if (failure?.code === INVALID_ARGUMENT) throw failure;
    throw invalidArgument(where, 'params', params, `${allowed} (reading it threw)`);
  }
  if (keys.length > MAX_PARAMS) throw invalidArgument(where, 'params', params, allowed);
  for (const key of keys) {
    if (key.length > MAX_KEY_LENGTH)
      throw invalidArgument(where, 'a params key', key, `at most ${MAX_KEY_LENGTH} characters long`);
    let value;
    try {
      value = /** @type {Record<string, unknown>} */ (params)[key];
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

/** Whether `value` is an AbortSignal (of this realm or another: checked by its brand, not `instanceof`). */
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
 * An options object: `undefined`, or a plain object with only the keys in `spec`, each passing its check
 * (`undefined` values are absent). Returns a fresh object with the values read once.
 * @template {Record<string, (value: unknown) => string | null>} S
 * @param {string} where
 * @param {unknown} options
 * @param {S} spec for each allowed key, a function that returns null for a good value or what is allowed
 * @returns {{ [K in keyof S]?: any }}
 */
export function checkOptions(where, options, spec) {
  const names = Object.keys(spec);
  const allowed = `undefined or a plain object with ${names.length > 1 ? 'the keys' : 'the key'} ${names.join(', ')}`;
  if (options === undefined) return {};
  /** @type {Record<string, unknown>} */
  const copy = {};
  try {
    if (!isPlainObject(options)) throw invalidArgument(where, 'options', options, allowed);
    for (const key of Object.keys(/** @type {object} */ (options))) {
      if (!names.includes(key))
        throw invalidArgument(where, 'options', options, `${allowed} (not ${quote(key)})`);
      copy[key] = /** @type {Record<string, unknown>} */ (options)[key];
    }
  } catch (failure) {
    if (failure?.code === INVALID_ARGUMENT) throw failure;
    throw invalidArgument(where, 'options', options, `${allowed} (reading it threw)`);
  }
  for (const [key, check] of Object.entries(spec)) {
    if (copy[key] === undefined) continue;
    const wanted = check(copy[key]);
    if (wanted !== null) throw invalidArgument(where, `options.${key}`, copy[key], wanted);
  }
  return /** @type {any} */ (copy);
}

/** For `checkOptions`: an AbortSignal. */
export const signalOption = (value) => (isAbortSignal(value) ? null : 'an AbortSignal');

/**
 * For `checkOptions`: a whole number from `min` to `max`.
 * @param {number} min
 * @param {number} max
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

/** What a trace must hold, field by field (the trace format; the core checks the rest as it reads it). */
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

/** The first place where `value` does not fit `shape`, as `[path, what was wanted]`, or null. */
function misfit(value, shape, path) {
  if (typeof shape === 'string') {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    return kind === shape ? null : [path, `${shape === 'object' ? 'an' : 'a'} ${shape}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [path, 'an array'];
    for (let i = 0; i < value.length; i++) {
      const found = misfit(value[i], shape[0], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path, 'an object'];
  for (const [key, inner] of Object.entries(shape)) {
    const found = misfit(value[key], inner, `${path}.${key}`);
    if (found) return found;
  }
  return null;
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
  if (found) {
    const [path, wanted] = found;
    const at = path
      .split(/\.|\[/)
      .reduce(
        (node, part) => (node == null ? undefined : node[part.replace(']', '')]),
        /** @type {any} */ ({ trace: copy }),
      );
    throw invalidArgument(where, path, at, `${wanted}, in ${allowed}`);
  }
  return copy;
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
// Recorded traces: a trace from a file or a link is data from a stranger. It is parsed, copied as plain
// data and checked field by field against the trace format and these limits before anything draws it.

/** The limits on a recorded trace (a real run is far inside each). */
export const TRACE_LIMITS = Object.freeze({
  /** Largest trace file, in bytes (and longest JSON text, in characters). */
  fileBytes: 5 * 1024 * 1024,
  spans: 50_000,
  output: 10_000,
  beats: 100_000,
  /** How deep the JSON may nest (a real trace is 5 levels deep). */
  depth: 32,
  /** Longest id, lane, task name or env string. */
  name: 100,
  /** Longest span label. */
  label: 200,
  /** Longest printed line. */
  text: 1000,
  /** Most keys in `result`, and most items in any of its arrays. */
  resultKeys: 100,
  resultItems: 10_000,
});

/** The code of every error about a recorded trace. */
export const INVALID_TRACE = 'invalid-trace';
/** The span kinds of the trace format. */
export const SPAN_KINDS = ['cpu', 'blocked', 'wait', 'startup', 'ready'];
/** Lanes: the page's thread, a rayon thread, a worker started for one task. */
const LANE = /^(main|python|gil|worker-\d{1,4}|spawned-\d{1,6}|process-\d{1,3})$/;
/** Latest `started_at_ms` accepted (the year 2200), so that the date shown is a real one. */
const LATEST_START_MS = 7_258_118_400_000;

/**
 * An `Error` with the code `invalid-trace`: `path` of the trace must be `allowed`, and was `given`.
 * @param {string} path
 * @param {unknown} given
 * @param {string} allowed
 * @returns {Error & { code: string, path: string }}
 */
export function invalidTrace(path, given, allowed) {
  const named = shorten(path, 120);
  const error = new Error(`${named} must be ${allowed}; got ${describeValue(given)}`);
  return Object.assign(error, { code: INVALID_TRACE, path: named });
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
 * A recorded trace's JSON text (a file's contents or a link's decompressed payload), parsed and checked:
 * see `checkRecordedTrace`. Throws an `invalid-trace` Error naming what was wrong and what is allowed.
 * @param {unknown} text
 * @param {{ id: string, variants: { id: string }[], params: { name: string, min: number, max: number }[] }[]} catalogue
 */
export function parseRecordedTrace(text, catalogue) {
  if (typeof text !== 'string') throw invalidTrace('the trace', text, 'JSON text');
  if (text.length > TRACE_LIMITS.fileBytes)
    throw invalidTrace(
      'the trace',
      text,
      `at most ${TRACE_LIMITS.fileBytes / 1024 / 1024} MB of JSON (it is ${(text.length / 1024 / 1024).toFixed(1)} MB)`,
    );
  const depth = jsonDepth(text, TRACE_LIMITS.depth);
  if (depth > TRACE_LIMITS.depth)
    throw Object.assign(
      new Error(
        `the trace nests more than ${TRACE_LIMITS.depth} levels deep; a trace is at most ${TRACE_LIMITS.depth} levels deep (a real one is 5)`,
      ),
      { code: INVALID_TRACE, path: 'trace' },
    );
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (failure) {
    throw Object.assign(
      new Error(
        `the trace is not valid JSON (${shorten(String(/** @type {any} */ (failure)?.message ?? failure), 120)}); a trace is the JSON that the JSON download writes`,
      ),
      { code: INVALID_TRACE, path: 'trace' },
    );
  }
  return checkRecordedTrace(parsed, catalogue);
}

/**
 * A recorded trace copied into fresh plain data and checked strictly: every field of the trace format with
 * its type and no other, sizes within TRACE_LIMITS, numbers finite and in order (spans start before they
 * end, all times within the run's total, with a tolerance), span kinds and lanes known, the scenario, its
 * variant and its parameters (names and ranges) known to `catalogue`. Throws an `invalid-trace` Error.
 * @param {unknown} value
 * @param {{ id: string, variants: { id: string }[], params: { name: string, min: number, max: number }[] }[]} catalogue
 * @returns {any} the copy
 */
export function checkRecordedTrace(value, catalogue) {
  let trace;
  try {
    if (!isPlainObject(value)) throw new NotPlain('trace', value, 'an object');
    trace = /** @type {any} */ (plainData(value, 'trace', 0, { nodes: 0 }, TRACE_LIMITS.depth));
  } catch (failure) {
    if (failure instanceof NotPlain) throw invalidTrace(failure.path, failure.value, failure.message);
    throw invalidTrace('trace', value, 'plain JSON data (reading it threw)');
  }
  const fail = (/** @type {string} */ path, /** @type {unknown} */ given, /** @type {string} */ allowed) => {
    throw invalidTrace(path, given, allowed);
  };
  /** An object holding exactly `required` (and maybe `optional`) keys. */
  const fields = (
    /** @type {any} */ object,
    /** @type {string} */ path,
    /** @type {string[]} */ required,
    /** @type {string[]} */ optional = [],
  ) => {
    if (typeof object !== 'object' || object === null || Array.isArray(object))
      fail(path, object, `an object with ${required.join(', ')}`);
    for (const key of required) if (!(key in object)) fail(`${path}.${key}`, undefined, 'present');
    for (const key of Object.keys(object))
      if (!required.includes(key) && !optional.includes(key))
        fail(
          `${path}.${shorten(key, 40)}`,
          object[key],
          `absent: ${path} holds only ${[...required, ...optional].join(', ')}`,
        );
  };
  const string = (/** @type {unknown} */ v, /** @type {string} */ path, /** @type {number} */ max) => {
    if (typeof v !== 'string' || v.length > max) fail(path, v, `a string of at most ${max} characters`);
  };
  const number = (
    /** @type {unknown} */ v,
    /** @type {string} */ path,
    /** @type {number} */ min = 0,
    /** @type {number} */ max = Number.MAX_VALUE,
    /** @type {string} */ what = `a finite number from ${min} to ${max}`,
  ) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(path, v, what);
  };
  const whole = (/** @type {unknown} */ v, /** @type {string} */ path, /** @type {number} */ max) => {
    if (!Number.isInteger(v) || /** @type {number} */ (v) < 0 || /** @type {number} */ (v) > max)
      fail(path, v, `a whole number from 0 to ${max}`);
  };
  const list = (/** @type {unknown} */ v, /** @type {string} */ path, /** @type {number} */ max) => {
    if (!Array.isArray(v)) fail(path, v, `an array of at most ${max} items`);
    else if (v.length > max) fail(path, v, `an array of at most ${max} items`);
  };

  fields(
    trace,
    'trace',
    [
      'scenario',
      'variant',
      'params',
      'env',
      'started_at_ms',
      'total_ms',
      'spans',
      'output',
      'heartbeat',
      'result',
    ],
    ['why'],
  );
  // `why` is written by the core from the spans and beats; a file's is type-checked here and replaced by
  // the core's own (`reviewTrace`), never shown.
  if ('why' in trace) {
    fields(trace.why, 'trace.why', ['time', 'health']);
    string(trace.why.time, 'trace.why.time', TRACE_LIMITS.text);
    string(trace.why.health, 'trace.why.health', TRACE_LIMITS.text);
  }
  string(trace.scenario, 'trace.scenario', TRACE_LIMITS.name);
  const scenario = catalogue.find((s) => s.id === trace.scenario);
  if (!scenario)
    fail('trace.scenario', trace.scenario, `one of ${catalogue.map((s) => `"${s.id}"`).join(', ')}`);
  string(trace.variant, 'trace.variant', TRACE_LIMITS.name);
  if (!scenario.variants.some((v) => v.id === trace.variant))
    fail(
      'trace.variant',
      trace.variant,
      `a variant of ${scenario.id}: one of ${scenario.variants.map((v) => `"${v.id}"`).join(', ')}`,
    );
  fields(
    trace.params,
    'trace.params',
    scenario.params.map((p) => p.name),
  );
  for (const param of scenario.params) {
    const v = trace.params[param.name];
    if (!Number.isInteger(v) || v < param.min || v > param.max)
      fail(`trace.params.${param.name}`, v, `a whole number from ${param.min} to ${param.max}`);
  }

  fields(
    trace.env,
    'trace.env',
    ['cores', 'threads', 'isolated', 'mode', 'yield_macro'],
    ['pool_init_ms', 'hidden', 'python', 'python_load_ms'],
  );
  whole(trace.env.cores, 'trace.env.cores', 4096);
  whole(trace.env.threads, 'trace.env.threads', 4096);
  if (typeof trace.env.isolated !== 'boolean')
    fail('trace.env.isolated', trace.env.isolated, 'true or false');
  string(trace.env.mode, 'trace.env.mode', TRACE_LIMITS.name);
  string(trace.env.yield_macro, 'trace.env.yield_macro', TRACE_LIMITS.name);
  if (trace.env.pool_init_ms !== undefined && trace.env.pool_init_ms !== null)
    number(trace.env.pool_init_ms, 'trace.env.pool_init_ms', 0, 3_600_000);
  if (trace.env.hidden !== undefined && typeof trace.env.hidden !== 'boolean')
    fail('trace.env.hidden', trace.env.hidden, 'true or false');
  if (trace.env.python !== undefined && trace.env.python !== null)
    string(trace.env.python, 'trace.env.python', TRACE_LIMITS.name);
  if (trace.env.python_load_ms !== undefined && trace.env.python_load_ms !== null)
    number(trace.env.python_load_ms, 'trace.env.python_load_ms', 0, 3_600_000);

  number(
    trace.started_at_ms,
    'trace.started_at_ms',
    0,
    LATEST_START_MS,
    'a time in ms since 1970, before 2200',
  );
  // The longest run the core allows is 60 s of work; a day leaves room for anything real.
  number(trace.total_ms, 'trace.total_ms', 0, 86_400_000);
  const total = trace.total_ms;
  const slack = 1 + total * 0.01;
  const within = `a finite number of ms from 0 to the run's total_ms (${total}), give or take ${slack.toFixed(1)} ms`;
  const time = (/** @type {unknown} */ v, /** @type {string} */ path) =>
    number(v, path, -slack, total + slack, within);

  list(trace.spans, 'trace.spans', TRACE_LIMITS.spans);
  trace.spans.forEach((/** @type {any} */ span, /** @type {number} */ i) => {
    const at = `trace.spans[${i}]`;
    fields(span, at, ['lane', 'task', 'label', 'kind', 'start_ms', 'end_ms'], ['simulated']);
    if (span.simulated !== undefined && typeof span.simulated !== 'boolean')
      fail(`${at}.simulated`, span.simulated, 'true or false');
    string(span.lane, `${at}.lane`, TRACE_LIMITS.name);
    if (!LANE.test(span.lane))
      fail(`${at}.lane`, span.lane, '"main", "python", "gil", "worker-N", "spawned-N" or "process-N"');
    string(span.task, `${at}.task`, TRACE_LIMITS.name);
    string(span.label, `${at}.label`, TRACE_LIMITS.label);
    if (!SPAN_KINDS.includes(span.kind))
      fail(`${at}.kind`, span.kind, `one of ${SPAN_KINDS.map((k) => `"${k}"`).join(', ')}`);
    time(span.start_ms, `${at}.start_ms`);
    time(span.end_ms, `${at}.end_ms`);
    if (span.end_ms < span.start_ms)
      fail(
        `${at}.end_ms`,
        span.end_ms,
        `at least its start_ms (${span.start_ms}): a span ends after it starts`,
      );
  });

  list(trace.output, 'trace.output', TRACE_LIMITS.output);
  trace.output.forEach((/** @type {any} */ line, /** @type {number} */ i) => {
    const at = `trace.output[${i}]`;
    fields(line, at, ['t_ms', 'task', 'text']);
    time(line.t_ms, `${at}.t_ms`);
    string(line.task, `${at}.task`, TRACE_LIMITS.name);
    string(line.text, `${at}.text`, TRACE_LIMITS.text);
  });

  const beat = trace.heartbeat;
  // The summary's judgements (frozen, its gaps and threshold, missed) are not trusted from a file: the core
  // recomputes them from the samples (`reviewTrace`), so they are only type-checked here, and optional.
  fields(
    beat,
    'trace.heartbeat',
    ['interval_ms', 'max_gap_ms', 'max_gap_from_ms', 'p99_late_ms', 'missed', 'samples'],
    ['frozen', 'frozen_gaps', 'frozen_threshold_ms'],
  );
  number(beat.interval_ms, 'trace.heartbeat.interval_ms', 0.001, 60_000);
  number(
    beat.max_gap_ms,
    'trace.heartbeat.max_gap_ms',
    0,
    total + slack,
    `a finite number of ms from 0 to the run's total_ms (${total})`,
  );
  time(beat.max_gap_from_ms, 'trace.heartbeat.max_gap_from_ms');
  if (beat.p99_late_ms !== null)
    number(
      beat.p99_late_ms,
      'trace.heartbeat.p99_late_ms',
      0,
      total + slack,
      `null or a finite number of ms from 0 to the run's total_ms (${total})`,
    );
  whole(beat.missed, 'trace.heartbeat.missed', 100_000_000);
  list(beat.samples, 'trace.heartbeat.samples', TRACE_LIMITS.beats);
  beat.samples.forEach((/** @type {any} */ sample, /** @type {number} */ i) => {
    const at = `trace.heartbeat.samples[${i}]`;
    fields(sample, at, ['due_ms', 'ran_ms']);
    time(sample.due_ms, `${at}.due_ms`);
    time(sample.ran_ms, `${at}.ran_ms`);
  });

  checkResult(trace.result, fail, number, whole, list);
  return trace;
}

/**
 * `trace.result`: an object (or null) of scenario figures; the fields the page reads are typed, the rest
 * may be any small JSON (only numbers and booleans of it are shown, as text).
 */
function checkResult(result, fail, number, whole, list) {
  if (result === null) return;
  if (typeof result !== 'object' || Array.isArray(result))
    fail('trace.result', result, "null or an object of the scenario's figures");
  const keys = Object.keys(result);
  if (keys.length > TRACE_LIMITS.resultKeys)
    fail('trace.result', result, `an object of at most ${TRACE_LIMITS.resultKeys} figures`);
  const big = Number.MAX_VALUE;
  for (const key of ['expected', 'final', 'lost', 'primes'])
    if (key in result) number(result[key], `trace.result.${key}`, -big, big, 'a finite number');
  if ('identical' in result && typeof result.identical !== 'boolean')
    fail('trace.result.identical', result.identical, 'true or false');
  if ('parallel_fraction' in result && result.parallel_fraction !== null)
    number(result.parallel_fraction, 'trace.result.parallel_fraction', -big, big, 'null or a finite number');
  if ('runs' in result) {
    list(result.runs, 'trace.result.runs', 1000);
    if (!result.runs.length) fail('trace.result.runs', result.runs, 'a non-empty array');
    result.runs.forEach((/** @type {any} */ run, /** @type {number} */ i) => {
      const at = `trace.result.runs[${i}]`;
      if (typeof run !== 'object' || run === null || Array.isArray(run)) fail(at, run, 'an object');
      whole(run.threads, `${at}.threads`, 4096);
      if (run.threads < 1) fail(`${at}.threads`, run.threads, 'a whole number from 1 to 4096');
      for (const key of ['ms', 'speedup', 'efficiency'])
        number(run[key], `${at}.${key}`, 0, big, 'a finite number from 0 up');
      whole(run.lanes_used, `${at}.lanes_used`, 4096);
      if ('samples_ms' in run) {
        list(run.samples_ms, `${at}.samples_ms`, 1000);
        for (let j = 0; j < run.samples_ms.length; j++)
          number(run.samples_ms[j], `${at}.samples_ms[${j}]`, 0, big, 'a finite number from 0 up');
      }
    });
  }
  if ('amdahl' in result && result.amdahl !== null) {
    list(result.amdahl, 'trace.result.amdahl', 1000);
    if (!result.amdahl.length) fail('trace.result.amdahl', result.amdahl, 'null or a non-empty array');
    result.amdahl.forEach((/** @type {any} */ point, /** @type {number} */ i) => {
      const at = `trace.result.amdahl[${i}]`;
      if (typeof point !== 'object' || point === null || Array.isArray(point)) fail(at, point, 'an object');
      number(point.threads, `${at}.threads`, 0, big, 'a finite number from 0 up');
      number(point.speedup, `${at}.speedup`, 0, big, 'a finite number from 0 up');
    });
    if (typeof result.parallel_fraction !== 'number')
      fail(
        'trace.result.parallel_fraction',
        result.parallel_fraction,
        'a finite number when amdahl is given',
      );
  }
  // A queue run's result (the queue-length chart and its sentence read these).
  if ('lengths' in result) {
    list(result.lengths, 'trace.result.lengths', TRACE_LIMITS.resultItems);
    result.lengths.forEach((/** @type {any} */ point, /** @type {number} */ i) => {
      const at = `trace.result.lengths[${i}]`;
      if (typeof point !== 'object' || point === null || Array.isArray(point)) fail(at, point, 'an object');
      number(point.t_ms, `${at}.t_ms`, -big, big, 'a finite number');
      whole(point.length, `${at}.length`, Number.MAX_SAFE_INTEGER);
    });
    whole(result.high_water, 'trace.result.high_water', Number.MAX_SAFE_INTEGER);
    whole(result.consumers, 'trace.result.consumers', Number.MAX_SAFE_INTEGER);
    if (result.maxsize !== null) whole(result.maxsize, 'trace.result.maxsize', Number.MAX_SAFE_INTEGER);
    for (const key of ['high_water_at_ms', 'producer_waited_ms', 'consumers_waited_ms'])
      number(result[key], `trace.result.${key}`, -big, big, 'a finite number');
  }
  if ('workers_cost' in result && result.workers_cost !== null && typeof result.workers_cost !== 'string')
    fail('trace.result.workers_cost', result.workers_cost, 'null or a string');
  // Anything else: small JSON, never drawn except numbers and booleans as text.
  const count = { items: 0 };
  const walk = (/** @type {unknown} */ v, /** @type {string} */ path) => {
    if (typeof v === 'string') {
      if (v.length > TRACE_LIMITS.text) fail(path, v, `a string of at most ${TRACE_LIMITS.text} characters`);
    } else if (typeof v === 'object' && v !== null) {
      const items = Array.isArray(v) ? v : Object.values(v);
      count.items += items.length;
      if (count.items > TRACE_LIMITS.resultItems)
        fail(path, v, `part of a result of at most ${TRACE_LIMITS.resultItems} values in all`);
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`);
      else for (const key of Object.keys(v)) walk(/** @type {any} */ (v)[key], `${path}.${key}`);
    }
  };
  walk(result, 'trace.result');
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

/** For `checkOptions`: `sys.argv[1:]`, an array of at most MAX_ARGV short strings. */
export const argvOption = (value) => {
  const wanted = `an array of at most ${MAX_ARGV} strings of at most ${MAX_ARG_LENGTH} characters`;
  if (!Array.isArray(value) || value.length > MAX_ARGV) return wanted;
  for (let i = 0; i < value.length; i += 1) {
    if (typeof value[i] !== 'string' || value[i].length > MAX_ARG_LENGTH) return wanted;
  }
  return null;
};

/** For `checkOptions`: a file name for tracebacks, such as `twin.py`. */
export const filenameOption = (value) =>
  typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}\.py$/.test(value)
    ? null
    : 'a file name ending in .py, of letters, digits, "_", "-" and "." (at most 64 characters)';
