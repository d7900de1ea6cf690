// The Lab's See step (www/views/lab-output.js): what shows before, during and after a run, when the
// charting library does not load, and what the Lab adds to a run's figure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { el } = await import('../../www/dom.js');
const { figureExtras, runOutput } = await import('../../www/views/lab-output.js');

const trace = {
  total_ms: 500,
  started_at_ms: Date.UTC(2026, 11, 1, 10, 0),
  env: { python: '3.14.0', hidden: false },
  heartbeat: { interval_ms: 10, frozen_threshold_ms: 250 },
};

/** An output whose drawRun records its calls and draws a figure and a replay named by the run. */
function output({ plotLoads = true } = {}) {
  const calls = [];
  const shown = runOutput({
    loadPlot: async () => {
      if (!plotLoads) throw new Error('the charting library (Observable Plot) did not load: offline');
    },
    drawRun: (t, from, layout) => {
      calls.push({ t, from, layout });
      return { figure: el('figure', { id: 'figure-main.py' }), replay: el('div', { class: 'replay' }) };
    },
  });
  return { shown, calls };
}

test('before a run: the results say nothing has run, the replay slot is empty; while running it waits', () => {
  const { shown } = output();
  assert.equal(shown.results.getAttribute('id'), 'results');
  assert.equal(shown.replaySlot.getAttribute('id'), 'replay-slot');
  assert.equal(shown.results.textContent, 'Nothing has run yet: the timeline of your program appears here.');
  assert.equal(shown.replaySlot.children.length, 0);
  shown.waiting();
  assert.equal(shown.replaySlot.textContent, 'Replay comes back when the run ends.');
});

test('a run is drawn: the health check’s definition, the figure, the replay, on an axis a little past its end', async () => {
  const { shown, calls } = output();
  assert.equal(await shown.update(trace, 'file'), true);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].from, 'file');
  assert.equal(calls[0].layout.xMax, 510);
  assert.equal(calls[0].layout.width, 900);
  const [definition, figure] = shown.results.children;
  assert.equal(definition.className, 'hint heartbeat-definition');
  assert.match(definition.textContent, /10 ms/);
  assert.equal(figure.getAttribute('id'), 'figure-main.py');
  assert.equal(shown.replaySlot.children[0].className, 'replay');
  await shown.update({ ...trace, total_ms: 0 });
  assert.equal(calls[1].from, null);
  assert.equal(calls[1].layout.xMax, 1.02, 'an empty run still has an axis');
});

test('when the charting library does not load, the results say so and nothing is drawn', async () => {
  const { shown, calls } = output({ plotLoads: false });
  assert.equal(await shown.update(trace), false);
  assert.equal(calls.length, 0);
  const [alert] = shown.results.children;
  assert.equal(alert.getAttribute('role'), 'alert');
  assert.match(alert.textContent, /did not load: offline/);
});

test('a figure’s extras: a recorded run’s note, and Share this run outside an embed', () => {
  const runLink = async () => 'https://x.test/?lab=1#trace=abc';
  const live = figureExtras({ trace, from: null, embed: false, runLink });
  assert.equal(live.note, null);
  assert.equal(live.recorded, null);
  assert.equal(live.engine, 'python');
  assert.match(live.share.textContent, /^Share this run/);
  const recorded = figureExtras({ trace, from: 'link', embed: true, runLink });
  assert.equal(recorded.share, null);
  assert.equal(recorded.recorded, 'link');
  assert.match(recorded.note.textContent, /^Recorded run \(from a link\)/);
  assert.match(
    recorded.note.textContent,
    /A trace holds the run, not the program: Run runs the program in the editor\.$/,
  );
});
