// The wasm boundary: every export of window.juggle, every argument, odd values of every type. Each call
// throws (a sync export) or rejects (an async one, never throwing) an Error with a code, within a few
// seconds, with no page error; and the next run works. See www/boundary.js.
import { expect, open, test } from './fixtures.js';

test('every argument of every export is checked: a coded error, always settled, and the next run works', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  const outcomes = await page.evaluate(async () => {
    const juggle = window.juggle;
    const trace = await juggle.run('count', { variant: 'async', sleep_ms: 10 });
    const replay = juggle.replayOf(trace);
    const throwing = () => {
      throw new Error('trap');
    };
    /** Odd values by name, made afresh for each call (a Proxy or getter may count its reads). */
    const odd = {
      number: () => 123,
      NaN: () => Number.NaN,
      null: () => null,
      undefined: () => undefined,
      'object with toString': () => ({ toString: () => 'count' }),
      symbol: () => Symbol('count'),
      bigint: () => 10n,
      'throwing getter': () => Object.defineProperty({}, 'variant', { enumerable: true, get: throwing }),
      'throwing proxy': () =>
        new Proxy({}, { get: throwing, ownKeys: throwing, getPrototypeOf: throwing, has: throwing }),
      'huge string': () => 'x'.repeat(1 << 20),
      array: () => ['count'],
      function: () => () => 'count',
      'object with a Symbol value': () => ({ variant: Symbol('async') }),
      'object with a fake signal': () => ({ signal: { aborted: false } }),
      'trace with a proxy inside': () => ({
        ...trace,
        heartbeat: new Proxy({}, { get: throwing, ownKeys: throwing }),
      }),
    };
    const params = { variant: 'async', sleep_ms: 10 };
    /** [export, argument, call with the odd value, async?, odd values it accepts]. */
    const table = [
      ['scenarios', 'argument 1', (v) => juggle.scenarios(v), false, ['undefined']],
      ['run', 'id', (v) => juggle.run(v, params), true, []],
      ['run', 'params', (v) => juggle.run('count', v), true, ['undefined', 'null']],
      ['run', 'options', (v) => juggle.run('count', params, v), true, ['undefined']],
      ['exportTrace', 'trace', (v) => juggle.exportTrace(v, 'json'), true, []],
      ['exportTrace', 'format', (v) => juggle.exportTrace(trace, v), true, []],
      ['traceAt', 'trace', (v) => juggle.traceAt(v, 0), false, []],
      ['traceAt', 'tMs', (v) => juggle.traceAt(trace, v), false, ['number']],
      ['replayOf', 'trace', (v) => juggle.replayOf(v), false, []],
      ['replayOf.at', 'tMs', (v) => replay.at(v), false, ['number']],
      ['estimate', 'id', (v) => juggle.estimate(v, params), false, []],
      ['estimate', 'params', (v) => juggle.estimate('count', v), false, ['undefined', 'null']],
      ['startPool', 'options', (v) => juggle.startPool(v), true, ['undefined']],
      ['status', 'argument 1', (v) => juggle.status(v), false, ['undefined']],
      ['diagnostics', 'argument 1', (v) => juggle.diagnostics(v), true, ['undefined']],
      // A string is a trace's JSON text: the core's `invalid-trace` refuses bad text (checked below).
      ['reviewTrace', 'trace', (v) => juggle.reviewTrace(v), true, ['huge string']],
      ['runPython', 'code', (v) => juggle.runPython(v), true, []],
      ['runPython', 'options', (v) => juggle.runPython('pass', v), true, ['undefined']],
      ['pythonLoaded', 'argument 1', (v) => juggle.pythonLoaded(v), false, ['undefined']],
      ['startPython', 'argument 1', (v) => juggle.startPython(v), true, ['undefined']],
      [
        'benchmarks.cooperative',
        'count',
        (v) => juggle.benchmarks.cooperative(v),
        true,
        ['undefined', 'number'],
      ],
    ];
    const outcomes = [];
    for (const [name, argument, call, isAsync, accepted] of table) {
      for (const [value, make] of Object.entries(odd)) {
        if (accepted.includes(value)) continue;
        const outcome = { call: `${name}(${argument} = ${value})`, code: null, message: '', how: '' };
        try {
          const result = call(make());
          if (isAsync) {
            const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
            const settled = await Promise.race([
              Promise.resolve(result).then(
                () => 'resolved',
                (error) => {
                  outcome.code = error?.code ?? null;
                  outcome.message = String(error?.message);
                  return 'rejected';
                },
              ),
              timeout,
            ]);
            outcome.how = settled;
          } else outcome.how = 'returned';
        } catch (error) {
          outcome.how = isAsync ? 'threw synchronously' : 'threw';
          outcome.code = error?.code ?? null;
          outcome.message = String(error?.message);
        }
        outcomes.push(outcome);
      }
    }
    return outcomes;
  });
  expect(outcomes.length).toBeGreaterThan(150);
  const text = await page.evaluate(() =>
    window.juggle.reviewTrace('x'.repeat(1 << 20)).then(
      () => null,
      (error) => ({ code: error.code, message: error.message }),
    ),
  );
  expect(text?.code).toBe('invalid-trace');
  expect(text?.message).toMatch(/^the trace is not valid JSON/);
  for (const outcome of outcomes) {
    expect(['rejected', 'threw'], outcome.call).toContain(outcome.how);
    expect(outcome.message.length, outcome.call).toBeLessThan(600);
    // reviewTrace's job is judging a stranger's trace: plain data that is no trace is the core's
    // `invalid-trace`, naming the field; anything that is not plain data is refused before it.
    if (outcome.call.startsWith('reviewTrace(') && outcome.code === 'invalid-trace') {
      expect(outcome.message, outcome.call).toMatch(/^trace\.\w+ must be /);
      continue;
    }
    expect(outcome.code, `${outcome.call}: ${outcome.message}`).toBe('invalid-argument');
    expect(outcome.message, outcome.call).toMatch(/^juggle\.[\w.]+: /);
  }
  // The messages name the argument, what was given and what is allowed.
  const byCall = Object.fromEntries(outcomes.map((o) => [o.call, o.message]));
  expect(byCall['run(id = number)']).toBe(
    'juggle.run: id must be a scenario id: a string of 1 to 100 characters; got the number 123',
  );
  expect(byCall['run(id = object with toString)']).toContain('got an object');
  expect(byCall['run(params = throwing getter)']).toContain('params.variant');
  expect(byCall['run(id = huge string)']).toContain('(1048576 characters)');

  // The next run works, the page's own way too.
  const after = await page.evaluate(async () => {
    const trace = await window.juggle.run('count', { variant: 'async', sleep_ms: 20 });
    return { texts: trace.output.map((l) => l.text), estimate: window.juggle.estimate('count', {}) };
  });
  expect(after.texts).toEqual(['One', 'One', 'One', 'Two', 'Two', 'Two']);
  expect(after.estimate).toBeGreaterThan(0);
  await page.locator('#run-async').click();
  await expect(page.locator('figure.run-figure[data-variant="async"]')).toBeVisible();
});
