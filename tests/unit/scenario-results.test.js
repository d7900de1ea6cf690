// The See step's own parts (www/views/scenario-results.js): the runs shown and their drawing (Plot loaded
// first, a failure said where the charts go), what a figure adds (Share, and the note on a recorded run
// with its Run-here button), the time axis choice and the trace error line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { axisChoice, runExtras, runsShown, traceErrorLine } = await import(
  '../../www/views/scenario-results.js'
);

/** A resultsView standing in: it records what it was asked to draw, and draws one figure per run. */
const fakeView = () => {
  const drawn = [];
  return {
    drawn,
    results: document.createElement('div'),
    show: (traces, axis, pythonTraces) => {
      drawn.push({ runs: [...traces.keys()], axis, python: [...pythonTraces.keys()] });
      return traces.size + pythonTraces.size;
    },
  };
};
/** Observable Plot standing in: not loaded until `load` resolves (or fails). */
const fakePlot = (fails = false) => {
  const plot = { loaded: false, loads: 0 };
  return Object.assign(plot, {
    api: {
      loaded: () => plot.loaded,
      load: async () => {
        plot.loads += 1;
        if (fails) throw new Error('the charting library (Observable Plot) did not load: offline');
        plot.loaded = true;
      },
    },
  });
};

test('nothing shown draws at once; a run waits for Plot, then is drawn on the session’s axis', async () => {
  const view = fakeView();
  const plot = fakePlot();
  const counts = [];
  let axis = 'shared';
  const runs = runsShown({ view, axis: () => axis, onDrawn: (n) => counts.push(n), plot: plot.api });
  await runs.draw();
  assert.equal(plot.loads, 0);
  assert.deepEqual(view.drawn, [{ runs: [], axis: 'shared', python: [] }]);
  runs.addRun('sync', { variant: 'sync' });
  runs.addPython('sync', { variant: 'sync' });
  axis = 'fitted';
  await runs.draw();
  assert.equal(plot.loads, 1);
  assert.deepEqual(view.drawn.at(-1), { runs: ['sync'], axis: 'fitted', python: ['sync'] });
  assert.deepEqual(counts, [0, 2]);
});

test('Plot failing to load is said where the charts go, and nothing is drawn', async () => {
  const view = fakeView();
  const runs = runsShown({ view, axis: () => 'shared', onDrawn: () => {}, plot: fakePlot(true).api });
  runs.addRun('sync', {});
  await runs.draw();
  assert.equal(view.drawn.length, 0);
  const [alert] = view.results.children;
  assert.equal(alert.getAttribute('role'), 'alert');
  assert.match(alert.textContent, /did not load: offline/);
});

test('a recorded run knows where it came from until a run here replaces it; clear forgets all', () => {
  const runs = runsShown({ view: fakeView(), axis: () => 'shared', onDrawn: () => {}, plot: fakePlot().api });
  assert.equal(runs.any(), false);
  runs.addPython('sync', {});
  assert.equal(runs.any(), true);
  assert.equal(runs.any({ rust: true }), false);
  runs.addRecorded('sync', {}, 'link');
  assert.equal(runs.from('sync'), 'link');
  assert.equal(runs.any({ rust: true }), true);
  runs.addRun('sync', {});
  assert.equal(runs.from('sync'), null);
  runs.addRecorded('async', {}, 'file');
  runs.clear();
  assert.equal(runs.from('async'), null);
  assert.equal(runs.any(), false);
});

const recordedTrace = {
  started_at_ms: Date.UTC(2026, 0, 2, 3, 4),
  total_ms: 1234,
  env: { cores: 8, threads: 4, mode: 'shared-memory' },
};
const extras = (from, runAfresh) =>
  runExtras({
    variant: { id: 'sync', title: 'Blocking wait' },
    trace: recordedTrace,
    from,
    runAfresh,
    settingsLink: () => 'https://j.test/?scenario=x',
    runLink: async () => 'https://j.test/#trace=abc',
  });

test('a run made here gets its two Share buttons and no note', () => {
  const { note, share, recorded } = extras(null, () => {});
  assert.equal(note, null);
  assert.equal(recorded, null);
  assert.deepEqual(
    share.byTag('button').map((b) => b.getAttribute('aria-label')),
    [
      'Share a link to these settings (Blocking wait)',
      'Share this run of Blocking wait in a link (the recorded run travels in the link)',
    ],
  );
});

test('a recorded run’s note says so, where it ran, and its button runs the variant here', () => {
  let asked = 0;
  const { note, recorded } = extras('link', () => {
    asked += 1;
  });
  assert.equal(recorded, 'link');
  assert.match(note.textContent, /^Recorded run \(from a link\) Recorded .* on 8 cores, a pool of 4 threads/);
  assert.match(note.textContent, /total 1\.23 s\); nothing ran here\./);
  const [button] = note.byTag('button');
  assert.equal(button.textContent, 'Run blocking wait here');
  button.listeners.click();
  assert.equal(asked, 1);
  const cannot = extras('file', null).note;
  assert.equal(cannot.byTag('button').length, 0);
  assert.match(cannot.textContent, /This page cannot run this variant \(it needs shared memory\)\.$/);
});

test('the axis choice checks the session’s axis and calls back with the one picked', () => {
  const picked = [];
  const choice = axisChoice({ axis: 'fitted', onAxis: (axis) => picked.push(axis) });
  const radios = choice.byTag('input');
  assert.deepEqual(
    radios.map((r) => [r.getAttribute('value'), r.getAttribute('checked')]),
    [
      ['shared', null],
      ['fitted', ''],
    ],
  );
  radios[1].listeners.change();
  radios[0].listeners.change();
  assert.deepEqual(picked, ['fitted', 'shared']);
});

test('the trace error line is hidden until it has something to say, and hides again', () => {
  const line = traceErrorLine();
  assert.equal(line.element.getAttribute('id'), 'trace-error');
  assert.equal(line.element.getAttribute('role'), 'alert');
  assert.equal(line.element.getAttribute('hidden'), '');
  line.update('The file “x.json” cannot be shown: bad.');
  assert.equal(line.element.hidden, false);
  assert.equal(line.element.textContent, 'The file “x.json” cannot be shown: bad.');
  line.update(null);
  assert.equal(line.element.hidden, true);
  assert.equal(line.element.textContent, '');
});
