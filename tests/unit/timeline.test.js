// The timeline's data shaping (www/views/timeline.js): rows, where printed lines go, which get labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  barText,
  HOLDER_COLOURS,
  holderColour,
  labelled,
  laneRank,
  oneAtATime,
  outputRow,
  ownAxes,
  rowLabels,
  rowOf,
  rows,
} from '../../www/views/timeline.js';

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

test('labels only where they fit, close lines grouped under one; late ones to the left of their dot', () => {
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
      [0, 'start', true],
      [1, 'start', false],
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

test('printed lines close together share one label in printed order, never one hidden under another (#29)', () => {
  // The count twin's blocking run on one row: One, then Two and the next One at the same instant.
  const texts = ['One', 'Two', 'One', 'Two', 'One', 'Two'];
  const times = [0, 1000, 1000.2, 2000, 2000.3, 3000];
  const lines = texts.map((text, i) => ({ row: 'r', t_ms: times[i], text }));
  for (const axisPx of [280, 1000]) {
    const msPerPx = 3060 / axisPx;
    const placed = labelled(lines, msPerPx, 3060);
    const drawn = placed.filter((l) => l.labelled).map((l) => l.label);
    // Every line is drawn, in the order printed: the chart reads One · Two One · Two One · Two.
    assert.equal(drawn.join(' · '), texts.join(' · '), `${axisPx} px: ${drawn}`);
    // No two labels on one level overlap.
    for (const level of [0, 1]) {
      const boxes = placed
        .filter((l) => l.labelled && l.level === level)
        .map((l) => {
          const width = (l.label.length * 7 + 10) * msPerPx;
          return l.anchor === 'start' ? [l.t_ms, l.t_ms + width] : [l.t_ms - width, l.t_ms];
        })
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < boxes.length; i += 1) assert.ok(boxes[i][0] >= boxes[i - 1][1], `${axisPx} px`);
    }
  }
});

test('thin slices on one thread: one row per pixel column, so tasks never look busy at once (#29)', () => {
  // A race on one thread: four tasks taking turns in 0.05 ms slices, drawn at 1 ms a pixel.
  const spans = [];
  for (let i = 0; i < 400; i += 1)
    spans.push({
      lane: 'python',
      task: `task ${i % 4}`,
      label: 'running',
      kind: 'cpu',
      start_ms: i * 0.05,
      end_ms: i * 0.05 + 0.05,
    });
  spans.push({ lane: 'python', task: 'task 0', label: 'running', kind: 'cpu', start_ms: 30, end_ms: 40 });
  spans.push({ lane: 'python', task: 'task 1', label: 'await', kind: 'wait', start_ms: 0, end_ms: 40 });
  const drawn = oneAtATime(spans, 1);
  const executing = drawn.filter((s) => s.kind === 'cpu').sort((a, b) => a.start_ms - b.start_ms);
  for (let i = 1; i < executing.length; i += 1)
    assert.ok(executing[i].start_ms >= executing[i - 1].end_ms - 1e-9, 'two executing bars overlap');
  assert.ok(executing.length < 40, `${executing.length} bars`);
  assert.ok(
    drawn.some((s) => s.start_ms === 30 && s.end_ms === 40),
    'a wide span is kept as it is',
  );
  assert.ok(
    drawn.some((s) => s.kind === 'wait'),
    'waits are kept',
  );
  // Sharing the first 20 px equally, each task gets about a quarter of them: their turns show.
  for (const task of ['task 0', 'task 1', 'task 2', 'task 3']) {
    const px = executing
      .filter((s) => s.task === task && s.end_ms <= 20)
      .reduce((n, s) => n + s.end_ms - s.start_ms, 0);
    assert.ok(px >= 4 && px <= 6, `${task}: ${px} px`);
  }
  // Wide enough spans are not touched.
  assert.deepEqual(oneAtATime(spans, 0.001), spans);
});

test('the GIL row is coloured by holder; runs more than tenfold apart get axes of their own (#29)', () => {
  // The browser's Python says why each hold ended; the holder is the span's task.
  const holds = [
    ['thread 2', 'thread 2 holds it; then: switch interval'],
    ['thread 1', 'thread 1 holds it; then: time.sleep'],
    ['thread 2', 'thread 2 holds it; then: thread end'],
  ].map(([task, label]) => ({ lane: 'gil', task, label }));
  const colour = holderColour(holds);
  assert.notEqual(colour(holds[0]), colour(holds[1]));
  assert.equal(colour(holds[0]), colour(holds[2]));
  assert.equal(colour(holds[1]), HOLDER_COLOURS[0]);
  // A thread's own spans that hold the GIL take its holder's colour; its other spans keep their kind's.
  const run = [
    { lane: 'gil', task: 'thread 1', label: 'thread 1 holds it', start_ms: 0 },
    { lane: 'gil', task: 'thread 2', label: 'thread 2 holds it', start_ms: 5 },
    { lane: 'worker-0', task: 'thread 1', label: 'task 0 (holds the GIL)', start_ms: 0 },
    { lane: 'worker-1', task: 'thread 2', label: 'task 1 (holds the GIL)', start_ms: 5 },
    { lane: 'worker-1', task: 'thread 2', label: 'waiting', start_ms: 0 },
  ];
  const colours = run.map(holderColour(run));
  assert.deepEqual(colours, [
    HOLDER_COLOURS[0],
    HOLDER_COLOURS[1],
    HOLDER_COLOURS[0],
    HOLDER_COLOURS[1],
    undefined,
  ]);
  assert.equal(ownAxes([418, 20_000]), true);
  assert.equal(ownAxes([1000, 3000]), false);
  assert.equal(ownAxes([1000]), false);
});
