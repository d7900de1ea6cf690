// The argument checks of window.juggle (www/boundary.js), as a table of odd values per check.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkFinite,
  checkFormat,
  checkId,
  checkNoArguments,
  checkOptions,
  checkWhole,
  copyParams,
  copyTrace,
  describeValue,
  signalOption,
  wholeOption,
} from '../../www/boundary.js';

const throwingGetter = Object.defineProperty({}, 'tasks', {
  enumerable: true,
  get() {
    throw new Error('getter');
  },
});
const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('get trap');
    },
    ownKeys() {
      throw new Error('ownKeys trap');
    },
    getPrototypeOf() {
      throw new Error('getPrototypeOf trap');
    },
  },
);
const revoked = Proxy.revocable({}, {});
revoked.revoke();
/** Odd values that no argument accepts. */
const ODD = {
  number: 123,
  null: null,
  'object with toString': { toString: () => 'count' },
  symbol: Symbol('count'),
  bigint: 10n,
  'throwing getter': throwingGetter,
  'throwing proxy': throwingProxy,
  'revoked proxy': revoked.proxy,
  'huge string': 'x'.repeat(1 << 20),
  array: ['count'],
  function: () => 'count',
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
};

/** Asserts that `call` throws an invalid-argument Error naming `argument`, with a short message. */
function rejects(call, argument) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.code, 'invalid-argument');
    assert.match(error.message, new RegExp(`^juggle\\.\\w+: ${argument}`));
    assert.ok(error.message.length < 600, `short message: ${error.message.length} characters`);
    return true;
  });
}

/** A trace as juggle.run returns it, small. */
const trace = () => ({
  scenario: 'count',
  variant: 'async',
  params: { tasks: 3, sleep_ms: 1000 },
  env: {
    cores: 2,
    threads: 2,
    isolated: true,
    mode: 'shared-memory',
    yield_macro: 'MessageChannel',
    pool_init_ms: null,
    hidden: false,
  },
  started_at_ms: 1_700_000_000_000,
  total_ms: 1002,
  spans: [{ lane: 'main', task: 'task 1', label: 'sleep', kind: 'wait', start_ms: 0, end_ms: 1000 }],
  output: [{ t_ms: 0.1, task: 'task 1', text: 'One' }],
  heartbeat: {
    interval_ms: 10,
    max_gap_ms: 12,
    max_gap_from_ms: 0,
    p99_late_ms: 1,
    missed: 0,
    samples: [{ due_ms: 10, ran_ms: 10.5 }],
  },
  result: { tasks: 3 },
});

describe('checkId', () => {
  test('accepts a string id', () => assert.equal(checkId('juggle.run', 'count'), 'count'));
  for (const [name, value] of Object.entries({ ...ODD, empty: '', undefined })) {
    test(`refuses ${name}`, () => rejects(() => checkId('juggle.run', value), 'id'));
  }
});

describe('copyParams', () => {
  test('copies own enumerable keys into a fresh plain object', () => {
    const given = { variant: 'async', tasks: 3, sleep_ms: '200' };
    const copy = copyParams('juggle.run', given);
    assert.deepEqual(copy, given);
    assert.notEqual(copy, given);
    assert.deepEqual(copyParams('juggle.run', Object.assign(Object.create(null), { tasks: 1 })), {
      tasks: 1,
    });
  });
  test('undefined and null are no params', () => {
    assert.deepEqual(copyParams('juggle.run', undefined), {});
    assert.deepEqual(copyParams('juggle.run', null), {});
  });
  const odd = { ...ODD };
  delete odd.null;
  for (const [name, value] of Object.entries(odd)) {
    test(`refuses ${name} as params`, () => rejects(() => copyParams('juggle.run', value), 'params'));
    if (
      typeof value === 'number' ||
      value === throwingGetter ||
      value === throwingProxy ||
      value === revoked.proxy
    )
      continue;
    test(`refuses ${name} as a parameter's value`, () =>
      rejects(() => copyParams('juggle.run', { tasks: value }), 'params\\.tasks'));
  }
  test('refuses a class instance, too many keys and a huge key', () => {
    rejects(() => copyParams('juggle.run', new Date()), 'params');
    rejects(
      () => copyParams('juggle.run', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 1]))),
      'params',
    );
    rejects(() => copyParams('juggle.run', { ['k'.repeat(1 << 20)]: 1 }), 'a params key');
  });
  test('a getter is read once, at the copy', () => {
    let reads = 0;
    const copy = copyParams('juggle.run', {
      get tasks() {
        reads += 1;
        return 3;
      },
    });
    assert.equal(reads, 1);
    assert.deepEqual(copy, { tasks: 3 });
  });
});

describe('checkOptions', () => {
  test('accepts undefined, an empty object and a signal', () => {
    assert.deepEqual(checkOptions('juggle.run', undefined, { signal: signalOption }), {});
    assert.deepEqual(checkOptions('juggle.run', {}, { signal: signalOption }), {});
    const { signal } = new AbortController();
    assert.equal(checkOptions('juggle.run', { signal }, { signal: signalOption }).signal, signal);
  });
  test('refuses unknown keys and a fake signal', () => {
    rejects(() => checkOptions('juggle.run', { sigal: 1 }, { signal: signalOption }), 'options');
    rejects(
      () => checkOptions('juggle.run', { signal: { aborted: false } }, { signal: signalOption }),
      'options\\.signal',
    );
  });
  for (const [name, value] of Object.entries(ODD)) {
    test(`refuses ${name} as options`, () =>
      rejects(() => checkOptions('juggle.run', value, { signal: signalOption }), 'options'));
    test(`refuses ${name} as threads`, () =>
      rejects(
        () => checkOptions('juggle.startPool', { threads: value }, { threads: wholeOption(1, 64) }),
        'options',
      ));
  }
});

describe('numbers and formats', () => {
  test('checkWhole and checkFinite', () => {
    assert.equal(checkWhole('juggle.benchmarks', 'count', 10, 1, 100), 10);
    rejects(() => checkWhole('juggle.benchmarks', 'count', 1.5, 1, 100), 'count');
    rejects(() => checkWhole('juggle.benchmarks', 'count', 0, 1, 100), 'count');
    assert.equal(checkFinite('juggle.traceAt', 'tMs', -3.5), -3.5);
    for (const value of Object.values(ODD))
      if (value !== ODD.number) rejects(() => checkFinite('juggle.traceAt', 'tMs', value), 'tMs');
  });
  test('checkFormat', () => {
    for (const format of ['json', 'csv', 'chrome'])
      assert.equal(checkFormat('juggle.exportTrace', format), format);
    for (const value of [...Object.values(ODD), 'JSON', 'xml'])
      rejects(() => checkFormat('juggle.exportTrace', value), 'format');
  });
  test('checkNoArguments', () => {
    checkNoArguments('juggle.status', []);
    checkNoArguments('juggle.status', [undefined]);
    rejects(() => checkNoArguments('juggle.status', [1]), 'argument 1');
    rejects(() => checkNoArguments('juggle.status', [undefined, null]), 'argument 2');
  });
});

describe('copyTrace', () => {
  test('a trace is copied whole, as fresh plain data', () => {
    const given = trace();
    const copy = copyTrace('juggle.traceAt', given);
    assert.deepEqual(copy, given);
    assert.notEqual(copy.spans, given.spans);
  });
  for (const [name, value] of Object.entries({ ...ODD, undefined })) {
    test(`refuses ${name}`, () => rejects(() => copyTrace('juggle.traceAt', value), 'trace'));
  }
  test('names the field that does not fit', () => {
    const missing = trace();
    delete missing.heartbeat;
    rejects(() => copyTrace('juggle.traceAt', missing), 'trace\\.heartbeat');
    const wrong = trace();
    wrong.spans[0].start_ms = '0';
    rejects(() => copyTrace('juggle.exportTrace', wrong), 'trace\\.spans\\[0\\]\\.start_ms');
    const nan = trace();
    nan.total_ms = Number.NaN;
    rejects(() => copyTrace('juggle.exportTrace', nan), 'trace\\.total_ms');
  });
  test('refuses getters that throw, Proxies, cycles and functions inside', () => {
    const getter = trace();
    Object.defineProperty(getter.spans, 0, {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    rejects(() => copyTrace('juggle.traceAt', getter), 'trace');
    const proxied = trace();
    proxied.heartbeat = throwingProxy;
    rejects(() => copyTrace('juggle.traceAt', proxied), 'trace');
    const cyclic = trace();
    cyclic.result.self = cyclic.result;
    rejects(() => copyTrace('juggle.traceAt', cyclic), 'trace');
    const fn = trace();
    fn.result.f = () => 1;
    rejects(() => copyTrace('juggle.traceAt', fn), 'trace\\.result\\.f');
  });
});

describe('describeValue', () => {
  test('shortens and escapes, and never runs the value', () => {
    assert.equal(describeValue('a"b\n'), 'the string "a\\"b\\n"');
    assert.match(describeValue('x'.repeat(1 << 20)), /\(1048576 characters\)$/);
    assert.ok(describeValue('x'.repeat(1 << 20)).length < 100);
    assert.equal(describeValue({ toString: () => 'count' }), 'an object');
    assert.equal(describeValue(throwingProxy), 'an object');
    assert.equal(describeValue(revoked.proxy), 'an object that cannot be read (a revoked Proxy)');
    assert.equal(describeValue(Symbol('s')), 'a Symbol ("s")');
    assert.equal(describeValue(12n), 'the BigInt 12n');
    assert.equal(describeValue([1, 2]), 'an array of 2 items');
  });
});
