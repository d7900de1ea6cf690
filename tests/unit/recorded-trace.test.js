// A recorded trace from a file or a link is a stranger's data: parseRecordedTrace and checkRecordedTrace
// (www/boundary.js) refuse each way it can be wrong with an `invalid-trace` Error naming the field.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkRecordedTrace,
  INVALID_TRACE,
  jsonDepth,
  parseRecordedTrace,
  TRACE_LIMITS,
} from '../../www/boundary.js';

const CATALOGUE = [
  {
    id: 'count',
    variants: [{ id: 'sync' }, { id: 'async' }],
    params: [
      { name: 'tasks', min: 1, max: 100 },
      { name: 'sleep_ms', min: 0, max: 10_000 },
    ],
  },
  { id: 'speedup', variants: [{ id: 'scaling' }], params: [] },
];

/** A valid count/async trace, as juggle.run returns it. */
const good = () => ({
  scenario: 'count',
  variant: 'async',
  params: { tasks: 3, sleep_ms: 200 },
  env: {
    cores: 2,
    threads: 2,
    isolated: true,
    mode: 'shared-memory',
    yield_macro: 'MessageChannel',
    pool_init_ms: null,
    hidden: false,
  },
  started_at_ms: 1_790_000_000_000,
  total_ms: 202,
  spans: [
    { lane: 'main', task: 'task 1', label: 'sleep', kind: 'wait', start_ms: 0.1, end_ms: 201 },
    { lane: 'worker-0', task: 'task 2', label: 'parse', kind: 'cpu', start_ms: 3, end_ms: 4 },
  ],
  output: [
    { t_ms: 0.05, task: 'task 1', text: 'One' },
    { t_ms: 201.5, task: 'task 1', text: 'Two' },
  ],
  heartbeat: {
    interval_ms: 10,
    max_gap_ms: 12,
    max_gap_from_ms: 40,
    p99_late_ms: 1.5,
    missed: 0,
    samples: [{ due_ms: 10, ran_ms: 10.4 }],
  },
  result: { ideal_ms: 200 },
});

/** `good()` changed by `change`. */
const bad = (change) => {
  const trace = good();
  change(trace);
  return trace;
};

/** Asserts that checking `trace` (an object, or JSON text) fails naming `path`, with `pattern` in its message. */
function refused(trace, path, pattern) {
  const check =
    typeof trace === 'string'
      ? () => parseRecordedTrace(trace, CATALOGUE)
      : () => checkRecordedTrace(trace, CATALOGUE);
  assert.throws(check, (error) => {
    assert.equal(error.code, INVALID_TRACE);
    if (path) assert.ok(error.message.startsWith(path), `${error.message} names ${path}`);
    assert.match(error.message, pattern);
    assert.ok(error.message.length < 600, 'the message is short');
    return true;
  });
}

describe('a good trace', () => {
  test('passes, as a copy', () => {
    const trace = good();
    const copy = checkRecordedTrace(trace, CATALOGUE);
    assert.deepEqual(copy, trace);
    assert.notEqual(copy, trace);
    assert.notEqual(copy.spans, trace.spans);
  });
  test('passes as JSON text; optional env fields may be absent; result may be null', () => {
    const trace = bad((t) => {
      delete t.env.pool_init_ms;
      delete t.env.hidden;
      t.result = null;
      t.heartbeat.p99_late_ms = null;
    });
    assert.deepEqual(parseRecordedTrace(JSON.stringify(trace), CATALOGUE), trace);
  });
  test('strings are data: markup in them passes untouched (the page shows it as text)', () => {
    const trap = '<img src=x onerror="window.__pwned=1"><script>alert(1)</script>';
    const trace = bad((t) => {
      t.output[0].text = trap;
      t.spans[0].label = trap;
    });
    assert.equal(checkRecordedTrace(trace, CATALOGUE).output[0].text, trap);
  });
});

describe('JSON and sizes', () => {
  test('not JSON', () => refused('{"scenario": ', 'the trace is not valid JSON', /not valid JSON/));
  test('not text', () => {
    assert.throws(() => parseRecordedTrace(undefined, CATALOGUE), {
      code: INVALID_TRACE,
      message: /the trace must be JSON text/,
    });
    refused({}, 'trace.scenario', /present/);
  });
  test('a file over 5 MB', () =>
    refused(' '.repeat(TRACE_LIMITS.fileBytes + 1), 'the trace', /at most 5 MB/));
  test('nesting deeper than 32 levels, refused before parsing', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.equal(jsonDepth(deep, 32), 33);
    refused(deep, 'the trace nests', /more than 32 levels/);
    refused(
      bad((t) => (t.result = { a: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) })),
      'trace.result',
      /at most 32 levels deep/,
    );
  });
  test('jsonDepth skips brackets inside strings', () => {
    assert.equal(jsonDepth('{"a": "[[[[\\"[[[", "b": [1]}'), 2);
  });
  test('too many spans, lines, beats', () => {
    const span = good().spans[0];
    refused(
      bad((t) => (t.spans = Array(TRACE_LIMITS.spans + 1).fill(span))),
      'trace.spans',
      /at most 50000 items/,
    );
    refused(
      bad((t) => (t.output = Array(TRACE_LIMITS.output + 1).fill(t.output[0]))),
      'trace.output',
      /at most 10000 items/,
    );
    refused(
      bad((t) => (t.heartbeat.samples = Array(TRACE_LIMITS.beats + 1).fill(t.heartbeat.samples[0]))),
      'trace.heartbeat.samples',
      /at most 100000 items/,
    );
  });
  test('strings too long', () => {
    refused(
      bad((t) => (t.spans[0].label = 'x'.repeat(201))),
      'trace.spans[0].label',
      /at most 200 characters/,
    );
    refused(
      bad((t) => (t.output[1].text = 'x'.repeat(1001))),
      'trace.output[1].text',
      /at most 1000 characters/,
    );
    refused(
      bad((t) => (t.spans[1].task = 'x'.repeat(101))),
      'trace.spans[1].task',
      /at most 100 characters/,
    );
    refused(
      bad((t) => (t.env.mode = 'x'.repeat(101))),
      'trace.env.mode',
      /at most 100 characters/,
    );
    refused(
      bad((t) => (t.result.note = 'x'.repeat(1001))),
      'trace.result.note',
      /at most 1000 characters/,
    );
  });
  test('a result with too many values', () => {
    refused(
      bad((t) => (t.result.many = Array(TRACE_LIMITS.resultItems + 1).fill(0))),
      'trace.result',
      /at most 10000 values/,
    );
  });
});

describe('schema', () => {
  test('not an object', () => {
    refused([], 'trace', /an object/);
    refused(null, 'trace', /an object/);
  });
  test('a missing field', () =>
    refused(
      bad((t) => delete t.heartbeat),
      'trace.heartbeat',
      /present/,
    ));
  test('an unknown field', () => {
    refused(
      bad((t) => (t.extra = 1)),
      'trace.extra',
      /absent: trace holds only scenario, variant/,
    );
    refused(
      bad((t) => (t.spans[0].html = '<b>')),
      'trace.spans[0].html',
      /absent/,
    );
  });
  test('wrong types, field by field', () => {
    refused(
      bad((t) => (t.scenario = 7)),
      'trace.scenario',
      /a string/,
    );
    refused(
      bad((t) => (t.params = [])),
      'trace.params',
      /an object/,
    );
    refused(
      bad((t) => (t.env.cores = '2')),
      'trace.env.cores',
      /a whole number/,
    );
    refused(
      bad((t) => (t.env.isolated = 'yes')),
      'trace.env.isolated',
      /true or false/,
    );
    refused(
      bad((t) => (t.env.hidden = 1)),
      'trace.env.hidden',
      /true or false/,
    );
    refused(
      bad((t) => (t.started_at_ms = '2026')),
      'trace.started_at_ms',
      /a time in ms since 1970/,
    );
    refused(
      bad((t) => (t.spans = {})),
      'trace.spans',
      /an array/,
    );
    refused(
      bad((t) => (t.spans[1] = 'span')),
      'trace.spans[1]',
      /an object with lane/,
    );
    refused(
      bad((t) => (t.spans[0].start_ms = '0')),
      'trace.spans[0].start_ms',
      /a finite number/,
    );
    refused(
      bad((t) => (t.output[0].text = 1)),
      'trace.output[0].text',
      /a string/,
    );
    refused(
      bad((t) => (t.heartbeat.missed = 1.5)),
      'trace.heartbeat.missed',
      /a whole number/,
    );
    refused(
      bad((t) => (t.heartbeat.p99_late_ms = 'x')),
      'trace.heartbeat.p99_late_ms',
      /null or a finite number/,
    );
    refused(
      bad((t) => (t.result = [])),
      'trace.result',
      /null or an object/,
    );
  });
  test('speedup figures the page draws are typed', () => {
    const speedup = (result) =>
      bad((t) => {
        t.scenario = 'speedup';
        t.variant = 'scaling';
        t.params = {};
        t.result = result;
      });
    const run = { threads: 1, ms: 10, speedup: 1, efficiency: 1, lanes_used: 1, samples_ms: [10] };
    assert.ok(
      checkRecordedTrace(
        speedup({ runs: [run], parallel_fraction: null, amdahl: null, identical: true }),
        CATALOGUE,
      ),
    );
    refused(speedup({ runs: [] }), 'trace.result.runs', /non-empty/);
    refused(
      speedup({ runs: [{ ...run, speedup: 'fast' }] }),
      'trace.result.runs[0].speedup',
      /finite number/,
    );
    refused(
      speedup({ runs: [{ ...run, samples_ms: [1, null] }] }),
      'trace.result.runs[0].samples_ms[1]',
      /finite number/,
    );
    refused(
      speedup({ runs: [run], amdahl: [{ threads: 1, speedup: 1 }], parallel_fraction: null }),
      'trace.result.parallel_fraction',
      /when amdahl is given/,
    );
    refused(speedup({ runs: [run], identical: 'yes' }), 'trace.result.identical', /true or false/);
  });
  test('queue figures the page draws are typed, and the workers sentence is text', () => {
    const withResult = (result) => bad((t) => (t.result = result));
    const queue = {
      high_water: 2,
      high_water_at_ms: 20,
      maxsize: null,
      consumers: 1,
      producer_waited_ms: 0,
      consumers_waited_ms: 5,
      lengths: [
        { t_ms: 0, length: 0 },
        { t_ms: 20, length: 2 },
      ],
    };
    assert.ok(checkRecordedTrace(withResult(queue), CATALOGUE));
    assert.ok(checkRecordedTrace(withResult({ ...queue, maxsize: 3 }), CATALOGUE));
    refused(
      withResult({ ...queue, lengths: [{ t_ms: 0, length: -1 }] }),
      'trace.result.lengths[0].length',
      /whole number/,
    );
    refused(
      withResult({ ...queue, lengths: [{ t_ms: '0', length: 0 }] }),
      'trace.result.lengths[0].t_ms',
      /finite number/,
    );
    refused(withResult({ ...queue, high_water_at_ms: null }), 'trace.result.high_water_at_ms', /finite/);
    refused(withResult({ ...queue, maxsize: 'three' }), 'trace.result.maxsize', /whole number/);
    refused(withResult({ ...queue, lengths: 'long' }), 'trace.result.lengths', /an array/);
    refused(withResult({ workers_cost: 7 }), 'trace.result.workers_cost', /null or a string/);
    assert.ok(checkRecordedTrace(withResult({ workers_cost: '<b>50 workers</b>' }), CATALOGUE));
  });
});

describe('numbers', () => {
  test('infinite (JSON has no NaN, but 1e999 parses to Infinity)', () => {
    const text = JSON.stringify(good()).replace('"start_ms":0.1', '"start_ms":1e999');
    refused(text, 'trace.spans[0].start_ms', /finite numbers only/);
    refused(
      bad((t) => (t.total_ms = Number.NaN)),
      'trace.total_ms',
      /finite numbers only/,
    );
    refused(
      bad((t) => (t.heartbeat.interval_ms = Number.NEGATIVE_INFINITY)),
      'trace.heartbeat.interval_ms',
      /finite/,
    );
  });
  test('a span that ends before it starts', () => {
    refused(
      bad((t) => (t.spans[1].end_ms = 2)),
      'trace.spans[1].end_ms',
      /at least its start_ms \(3\)/,
    );
  });
  test('times outside the run, past the tolerance', () => {
    refused(
      bad((t) => (t.spans[0].end_ms = 250)),
      'trace.spans[0].end_ms',
      /from 0 to the run's total_ms \(202\), give or take 3\.0 ms/,
    );
    refused(
      bad((t) => (t.spans[0].start_ms = -5)),
      'trace.spans[0].start_ms',
      /total_ms/,
    );
    refused(
      bad((t) => (t.output[1].t_ms = 1e9)),
      'trace.output[1].t_ms',
      /total_ms/,
    );
    refused(
      bad((t) => (t.heartbeat.samples[0].ran_ms = 900)),
      'trace.heartbeat.samples[0].ran_ms',
      /total_ms/,
    );
    refused(
      bad((t) => (t.heartbeat.max_gap_ms = 900)),
      'trace.heartbeat.max_gap_ms',
      /total_ms/,
    );
    // Within the tolerance passes (clocks of different workers are aligned to a few microseconds).
    assert.ok(
      checkRecordedTrace(
        bad((t) => (t.spans[0].end_ms = 203.5)),
        CATALOGUE,
      ),
    );
  });
  test('totals and dates in range', () => {
    refused(
      bad((t) => (t.total_ms = -1)),
      'trace.total_ms',
      /from 0 to 86400000/,
    );
    refused(
      bad((t) => (t.started_at_ms = 1e16)),
      'trace.started_at_ms',
      /before 2200/,
    );
    refused(
      bad((t) => (t.env.cores = 1e6)),
      'trace.env.cores',
      /from 0 to 4096/,
    );
  });
});

describe('known names', () => {
  test('span kinds', () =>
    refused(
      bad((t) => (t.spans[0].kind = 'running')),
      'trace.spans[0].kind',
      /one of "cpu", "blocked", "wait", "startup", "ready"/,
    ));
  test('lanes', () => {
    refused(
      bad((t) => (t.spans[0].lane = 'gpu')),
      'trace.spans[0].lane',
      /"main", "python", "gil", "worker-N", "spawned-N" or "process-N"/,
    );
    assert.ok(
      checkRecordedTrace(
        bad((t) => (t.spans[0].lane = 'spawned-12')),
        CATALOGUE,
      ),
    );
    // A process of the browser's Python pool.
    assert.ok(
      checkRecordedTrace(
        bad((t) => (t.spans[0].lane = 'process-2')),
        CATALOGUE,
      ),
    );
  });
  test('the scenario, with markup in it shown escaped', () => {
    refused(
      bad((t) => (t.scenario = '<script>x</script>')),
      'trace.scenario',
      /one of "count", "speedup"; got the string "<script>x<\/script>"/,
    );
  });
  test('the variant', () =>
    refused(
      bad((t) => (t.variant = 'turbo')),
      'trace.variant',
      /a variant of count: one of "sync", "async"/,
    ));
  test("the scenario's parameters: names and ranges", () => {
    refused(
      bad((t) => (t.params.speed = 1)),
      'trace.params.speed',
      /absent: trace.params holds only tasks, sleep_ms/,
    );
    refused(
      bad((t) => delete t.params.tasks),
      'trace.params.tasks',
      /present/,
    );
    refused(
      bad((t) => (t.params.tasks = 1000)),
      'trace.params.tasks',
      /whole number from 1 to 100/,
    );
    refused(
      bad((t) => (t.params.tasks = 2.5)),
      'trace.params.tasks',
      /whole number/,
    );
  });
  test('a getter or a Proxy in the value is refused, never run past one read', () => {
    const trace = good();
    Object.defineProperty(trace, 'total_ms', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    refused(trace, 'trace', /reading it threw/);
  });
});
