// The start view's three pictures (www/views/start.js's runPictures), run under the page's run control:
// nothing while another run is on; a cancelled run says so with a button that draws them again; a failure
// is said as an alert; the router's callback comes after, whatever happened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { runPictures } = await import('../../www/views/start.js');
const { createRunControl } = await import('../../www/views/run-control.js');

/** A fake core whose pool start fails with `failure`; `calls` counts the attempts. */
const coreFailing = (failure) => {
  const core = {
    calls: 0,
    startPool: async () => {
      core.calls += 1;
      throw failure;
    },
  };
  return core;
};
const pictures = () => {
  const element = document.createElement('div');
  element.isConnected = true;
  // The pictures not drawn yet: nothing to keep the place of.
  element.querySelector = () => null;
  return element;
};

test('a cancelled run says so, with a button that draws the pictures again', async () => {
  const juggle = coreFailing(Object.assign(new Error('cancelled'), { code: 'cancelled' }));
  const into = pictures();
  let done = 0;
  await runPictures(into, { juggle, control: createRunControl(), onDone: () => done++ });
  assert.match(into.textContent, /^The pictures were cancelled\. Draw them again$/);
  assert.equal(done, 1);
  const [again] = into.byTag('button');
  await again.listeners.click();
  assert.equal(juggle.calls, 2);
  assert.equal(done, 2);
});

test('a failure is said as an alert, in its own words', async () => {
  const juggle = coreFailing(Object.assign(new Error('no pool here'), { code: 'needs-shared-memory' }));
  const into = pictures();
  await runPictures(into, { juggle, control: createRunControl(), onDone: () => {} });
  const [alert] = into.byTag('p');
  assert.equal(alert.getAttribute('role'), 'alert');
  assert.equal(alert.textContent, 'The pictures could not be drawn: no pool here');
});

test('nothing runs while another run is on', async () => {
  const juggle = coreFailing(new Error('should not run'));
  const control = createRunControl();
  const into = pictures();
  let release = () => {};
  const other = control.busyWith(() => new Promise((resolve) => (release = resolve)));
  await runPictures(into, { juggle, control, onDone: () => {} });
  assert.equal(juggle.calls, 0);
  assert.equal(into.textContent, '');
  release();
  await other;
});
