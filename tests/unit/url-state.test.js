// The page's state in its URL (www/views/url-state.js): reading a query, and writing one back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEmbed, readQuery, scenarioHref, scenarioQuery, standaloneUrl } from '../../www/views/url-state.js';

const count = {
  id: 'count',
  title: 'Counting',
  params: [
    { name: 'tasks', default: 3 },
    { name: 'sleep_ms', default: 1000 },
  ],
};
const catalogue = [count, { id: 'race', title: 'Race', params: [] }];

test('reads the scenario, its knobs, variant, autorun and embed', () => {
  const url = readQuery('?scenario=count&tasks=5&variant=async&autorun=1&embed=1', catalogue);
  assert.equal(url.scenario, count);
  assert.deepEqual(url.params, { tasks: '5' });
  assert.equal(url.variant, 'async');
  assert.equal(url.autorun, true);
  assert.equal(url.embed, true);
  assert.equal(url.unknownScenario, null);
});

test('no scenario is the start view; an unknown one is named', () => {
  const start = readQuery('', catalogue);
  assert.equal(start.scenario, null);
  assert.equal(start.unknownScenario, null);
  assert.equal(start.autorun, false);
  const unknown = readQuery('?scenario=%3Cscript%3E', catalogue);
  assert.equal(unknown.scenario, null);
  assert.equal(unknown.unknownScenario, '<script>');
  assert.equal(isEmbed('?embed=0'), false);
});

test('writes only the knobs that differ from their defaults', () => {
  assert.equal(String(scenarioQuery(count, { tasks: '3', sleep_ms: '200' })), 'scenario=count&sleep_ms=200');
  assert.equal(String(scenarioQuery(count, {}, { embed: true })), 'scenario=count&embed=1');
});

test('round trip: what is written reads back the same', () => {
  const params = { tasks: '7', sleep_ms: '50' };
  const url = readQuery(`?${scenarioQuery(count, params)}`, catalogue);
  assert.equal(url.scenario, count);
  assert.deepEqual(url.params, params);
});

test('links and the standalone address', () => {
  assert.equal(scenarioHref('io-bound', '/'), '?scenario=io-bound');
  assert.equal(scenarioHref(null, '/juggle/'), '/juggle/');
  assert.equal(standaloneUrl('https://x.test/?embed=1&a=b', null), 'https://x.test/?a=b');
  assert.equal(
    standaloneUrl('https://x.test/?scenario=count&embed=1', { scenario: count, params: { tasks: '4' } }),
    'https://x.test/?scenario=count&tasks=4',
  );
});
