// A scenario page's links out (www/views/scenario-links.js): to the settings as they are when asked (and
// one variant), to a run at its own settings with the run in the fragment, and an embed's Open in Juggle.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { scenarioLinks } = await import('../../www/views/scenario-links.js');
const { decodeTrace, tracePayload } = await import('../../www/views/trace-link.js');

const scenario = {
  id: 'count',
  params: [
    { name: 'tasks', default: 3 },
    { name: 'rounds', default: 10 },
  ],
};
const page = 'https://j.test/app/?scenario=count&embed=1&variant=sync';
const links = (params, only = null) =>
  scenarioLinks({
    scenario,
    params,
    only,
    exportTrace: (trace, format) => JSON.stringify({ format, variant: trace.variant }),
    href: () => page,
  });

test('the settings link carries the knobs as they are when asked, outside any iframe', () => {
  const params = { tasks: '3' };
  const made = links(params);
  assert.equal(made.settings(null), 'https://j.test/app/?scenario=count');
  params.tasks = '8';
  assert.equal(made.settings('async'), 'https://j.test/app/?scenario=count&tasks=8&variant=async');
});

test('Open in Juggle keeps an embed’s one variant', () => {
  assert.equal(
    links({ rounds: 20 }, { id: 'sync' }).open(),
    'https://j.test/app/?scenario=count&rounds=20&variant=sync',
  );
  assert.equal(links({}).open(), 'https://j.test/app/?scenario=count');
});

test('a run’s link is at the run’s own settings and variant, the run in its fragment', async () => {
  const href = await links({ tasks: '5' }).run({ variant: 'async', params: { tasks: 7, rounds: 10 } });
  const url = new URL(href);
  assert.equal(
    `${url.origin}${url.pathname}${url.search}`,
    'https://j.test/app/?scenario=count&tasks=7&variant=async',
  );
  const text = await decodeTrace(/** @type {string} */ (tracePayload(url.hash)), 1 << 20);
  assert.deepEqual(JSON.parse(text), { format: 'json', variant: 'async' });
});
