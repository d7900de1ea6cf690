// The timeline's data shaping (www/views/timeline.js): rows, where printed lines go, which get labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barText, labelled, laneRank, outputRow, rowLabels, rowOf, rows } from '../../www/views/timeline.js';

const span = (lane, task, label = 'work') => ({ lane, task, label, kind: 'cpu', start_ms: 0, end_ms: 1 });

test('the main thread has a row per task; any other lane is one row', () => {
  assert.equal(rowOf('main', 'A'), 'main · A');
  assert.equal(rowOf('worker-1', 'A'), 'worker-1');
});

test('lanes: main, then workers by number, then spawned workers', () => {
  const lanes = ['spawned-2', 'worker-10', 'main', 'worker-2', 'spawned-1'];
  assert.deepEqual(
    lanes.sort((a, b) => laneRank(a) - laneRank(b)),
    ['main', 'worker-2', 'worker-10', 'spawned-1', 'spawned-2'],
  );
});

test('rows in display order, tasks in numeric order, the health check last', () => {
  const trace = {
    spans: [
      span('worker-1', 'job'),
      span('main', 'task 10'),
      span('main', 'task 2'),
      span('spawned-0', 'req'),
    ],
    output: [{ t_ms: 1, task: 'task 1', text: 'One' }],
  };
  assert.deepEqual(rows(trace), [
    'main · task 1',
    'main · task 2',
    'main · task 10',
    'worker-1',
    'spawned-0',
    'health check',
  ]);
});

test('a printed line goes on its task main-thread row, or on the lane its task ran on', () => {
  const trace = { spans: [span('main', 'A'), span('spawned-3', 'R')], output: [] };
  const row = outputRow(trace);
  assert.equal(row({ task: 'A' }), 'main · A');
  assert.equal(row({ task: 'R' }), 'spawned-3');
  assert.equal(row({ task: 'never ran' }), 'main · never ran');
});

test('a bar on a lane shared by several tasks says the task', () => {
  const trace = { spans: [span('worker-1', 'a', 'x'), span('worker-1', 'b', 'y'), span('main', 'm', 'z')] };
  const text = barText(trace);
  assert.equal(text(trace.spans[0]), 'a');
  assert.equal(text(trace.spans[2]), 'z');
});

test('labels only where they fit; late ones to the left of their dot', () => {
  const lines = [
    { row: 'r', t_ms: 0, text: 'One' },
    { row: 'r', t_ms: 1, text: 'One' },
    { row: 'r', t_ms: 500, text: 'Two' },
    { row: 'r', t_ms: 950, text: 'End' },
  ];
  const placed = labelled(lines, 1, 1000);
  assert.deepEqual(
    placed.map((l) => [l.t_ms, l.anchor, l.labelled]),
    [
      [0, 'start', false],
      [1, 'start', true],
      [500, 'start', true],
      [950, 'end', true],
    ],
  );
});

test('row labels: short ones keep 130 px; long ones widen the margin, up to 30% of the width, then keep both ends', () => {
  const short = rowLabels(['main · page 1', 'main · worker pool', 'health check'], 900);
  assert.equal(short.marginLeft, 130);
  assert.equal(short.rowLabel('main · worker pool'), 'main · worker pool');
  // A margin just past 130 px still holds the name it was widened for.
  const edge = 'main · a worker pool';
  assert.equal(rowLabels([edge], 900).rowLabel(edge), edge);
  const python = 'python · increment_many (Task-3)';
  const wide = rowLabels([python], 900);
  assert.ok(wide.marginLeft > 130 && wide.marginLeft <= 270, `${wide.marginLeft}`);
  assert.equal(wide.rowLabel(python), python);
  const narrow = rowLabels([python], 560);
  assert.equal(narrow.marginLeft, 168);
  assert.ok(narrow.rowLabel(python).length <= Math.floor((168 - 16) / 6));
  const shown = narrow.rowLabel(python);
  assert.ok(shown.length < python.length && shown.includes('…'), shown);
  assert.ok(shown.startsWith('python') && shown.endsWith('(Task-3)'), shown);
});
