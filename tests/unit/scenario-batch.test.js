// A scenario's batches of runs (www/views/scenario-batch.js): settings the core refuses run nothing and
// say why; a batch locks the controls, runs its variants in order, and ends (unlocked, drawn) however it
// ended; one batch at a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
// runBatch waits for a paint before each run.
globalThis.requestAnimationFrame ??= (callback) => setTimeout(callback, 0);
const { batchRunner } = await import('../../www/views/scenario-batch.js');
const { createRunControl } = await import('../../www/views/run-control.js');

/** A batch runner over a fake core and run line; `log` has what happened, in order. */
const setup = ({ refuse = null, fail = null } = {}) => {
  const log = [];
  const control = createRunControl();
  const panel = {
    status: (words) => log.push(`status: ${words}`),
    showError: (message) => message !== null && log.push(`error: ${message}`),
    progress: () => ({ stop: () => {} }),
    hideCancel: () => {},
  };
  const juggle = {
    estimate: (scenario, params) => {
      assert.equal(scenario, 'count');
      if (params.variant === refuse) throw new Error(`tasks must be at most 50, not ${params.tasks}.`);
      return 10;
    },
    run: async (scenario, params) => {
      log.push(`run ${scenario}/${params.variant} with ${params.tasks} tasks`);
      if (params.variant === fail) throw new Error('the worker stopped');
      return { variant: params.variant };
    },
  };
  const run = batchRunner({
    scenarioId: 'count',
    params: { tasks: '5' },
    juggle,
    control,
    panel,
    titleOf: (id) => id,
    lock: (locked) => log.push(locked ? 'lock' : 'unlock'),
    prepare: async () => log.push('prepare'),
    onTrace: (id, trace) => log.push(`trace ${id}=${trace.variant}`),
    redraw: async () => log.push('redraw'),
    onBatchEnd: () => log.push('end'),
  });
  return { run, log, control };
};

test('a batch locks, prepares, runs each variant in order with the knobs, then unlocks, draws and ends', async () => {
  const { run, log } = setup();
  await run(['sync', 'async']);
  assert.deepEqual(log, [
    'lock',
    'prepare',
    'status: Running sync…',
    'run count/sync with 5 tasks',
    'trace sync=sync',
    'status: Running async…',
    'run count/async with 5 tasks',
    'trace async=async',
    'status: Done: 2 variants ran.',
    'unlock',
    'redraw',
    'end',
  ]);
});

test('settings the core refuses run nothing: its message, and the batch ends at once', async () => {
  const { run, log } = setup({ refuse: 'async' });
  await run(['sync', 'async']);
  assert.deepEqual(log, [
    'error: tasks must be at most 50, not 5. Nothing ran; the runs shown keep the settings they ran with.',
    'end',
  ]);
});

test('a run that fails still ends the batch: unlocked, the runs so far drawn', async () => {
  const { run, log } = setup({ fail: 'async' });
  await run(['sync', 'async', 'pool']);
  assert.ok(log.includes('trace sync=sync'));
  assert.ok(!log.some((line) => line.includes('pool')));
  assert.ok(log.includes('error: the worker stopped'));
  assert.deepEqual(log.slice(-3), ['unlock', 'redraw', 'end']);
});

test('while a batch runs, another does nothing', async () => {
  const { run, log } = setup();
  const first = run(['sync']);
  await run(['async']);
  await first;
  assert.ok(!log.some((line) => line.includes('async')));
  assert.equal(log.filter((line) => line === 'end').length, 1);
});
