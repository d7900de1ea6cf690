// Recorded runs (www/views/recorded-view.js): a file refused unread past the size limit, a file or a
// #trace= link checked by the core and handed to the view it belongs to, and what went wrong said as text
// in the scenario's See step or on top of the view, each counted on the body.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { recordedRuns } = await import('../../www/views/recorded-view.js');
const { traceLink } = await import('../../www/views/trace-link.js');

/** Recorded runs over a fake core, a fake view, and a fake app; `seen` has what reached them. */
const setup = ({
  busy = false,
  review = async (text) => JSON.parse(text),
  errorView = true,
  placed = true,
} = {}) => {
  const seen = { reviewed: [], shown: [], errors: [], prepended: [], places: [] };
  const view = {
    showRecorded: async (trace, from) => seen.shown.push([trace.variant, from]),
    showTraceError: (message) => seen.errors.push(message),
  };
  const app = {
    querySelector: () => ({ remove: () => seen.prepended.push('removed') }),
    prepend: (node) => seen.prepended.push(node),
  };
  const body = { dataset: {} };
  const recorded = recordedRuns({
    app: /** @type {any} */ (app),
    juggle: {
      reviewTrace: async (text) => {
        seen.reviewed.push(text);
        return review(text);
      },
      traceLimits: () => ({ file_bytes: 2 * 1024 * 1024 }),
    },
    busy: () => busy,
    viewFor: async (trace) => {
      seen.places.push(trace.scenario);
      return placed ? view : null;
    },
    errorView: () => (errorView ? view : null),
    body: /** @type {any} */ (body),
  });
  return { recorded, seen, body };
};
const file = (name, text, size = text.length) => ({ name, size, text: async () => text });
const run = JSON.stringify({ scenario: 'count', variant: 'sync' });

test('a file the core accepts is shown by the view it belongs to, and counted', async () => {
  const { recorded, seen, body } = setup();
  await recorded.openFile(/** @type {any} */ (file('run.json', run)));
  assert.deepEqual(seen.reviewed, [run]);
  assert.deepEqual(seen.places, ['count']);
  assert.deepEqual(seen.shown, [['sync', 'file']]);
  assert.equal(body.dataset.recorded, '1');
  assert.equal(body.dataset.traceErrors, undefined);
});

test('a file past the limit is refused unread; its long name is cut', async () => {
  const { recorded, seen, body } = setup();
  const name = `${'n'.repeat(70)}.json`;
  await recorded.openFile(/** @type {any} */ (file(name, run, 3 * 1024 * 1024)));
  assert.deepEqual(seen.reviewed, []);
  assert.deepEqual(seen.errors, [
    `The file “${'n'.repeat(60)}…” cannot be shown: it is 3.0 MB, and a trace file may be at most 2 MB.`,
  ]);
  assert.equal(body.dataset.traceErrors, '1');
});

test('what the core refuses, and a run opened during a run, are said and not shown', async () => {
  const refused = setup({
    review: async () => {
      throw new Error('field `spans` is missing');
    },
  });
  await refused.recorded.openFile(/** @type {any} */ (file('run.json', run)));
  assert.deepEqual(refused.seen.errors, ['The file “run.json” cannot be shown: field `spans` is missing.']);
  assert.deepEqual(refused.seen.shown, []);
  const busy = setup({ busy: true });
  await busy.recorded.openFile(/** @type {any} */ (file('run.json', run)));
  assert.deepEqual(busy.seen.errors, [
    'The file “run.json” was not opened: a run is in progress. Cancel it (Esc) or wait, then open it again.',
  ]);
  assert.deepEqual(busy.seen.places, []);
});

test('without a scenario view, the error goes on top of the view, replacing an earlier one', async () => {
  const { recorded, seen, body } = setup({ errorView: false });
  await recorded.openFile(/** @type {any} */ (file('big.json', run, 9 * 1024 * 1024)));
  const [removed, line] = seen.prepended;
  assert.equal(removed, 'removed');
  assert.equal(line.getAttribute('id'), 'trace-error');
  assert.equal(line.getAttribute('role'), 'alert');
  assert.match(line.textContent, /^The file “big\.json” cannot be shown: it is 9\.0 MB/);
  assert.equal(body.dataset.traceErrors, '1');
});

test('a #trace= link is decoded and shown as from a link; other fragments are not links', async () => {
  const { recorded, seen } = setup();
  assert.equal(await recorded.openLink('#code=abc'), false);
  assert.equal(await recorded.openLink(''), false);
  const href = await traceLink('https://j.test/?scenario=count', run);
  assert.equal(await recorded.openLink(new URL(href).hash), true);
  assert.deepEqual(seen.reviewed, [run]);
  assert.deepEqual(seen.shown, [['sync', 'link']]);
});

test('a broken link says so, and counts as handled', async () => {
  const { recorded, seen } = setup();
  assert.equal(await recorded.openLink('#trace=not*base64'), true);
  assert.equal(seen.errors.length, 1);
  assert.match(seen.errors[0], /^The run in this link cannot be shown: /);
  assert.deepEqual(seen.reviewed, []);
});

test('a run with nowhere to go (the page could not be taken there) is neither shown nor counted', async () => {
  const { recorded, seen, body } = setup({ placed: false });
  await recorded.openFile(/** @type {any} */ (file('run.json', run)));
  assert.deepEqual(seen.places, ['count']);
  assert.deepEqual(seen.shown, []);
  assert.equal(body.dataset.recorded, undefined);
});
