// The Lab's prediction (www/views/lab-prediction.js): the table setting the learner's answers beside a run,
// its verdict words, and what the form and the slot show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { predictionBeside, predictionForm, predictionSlot } = await import(
  '../../www/views/lab-prediction.js'
);

const run = (total_ms, lines) => ({
  total_ms,
  output: lines.map(([text, stream = 'stdout']) => ({ text, stream })),
});
/** Each body row as its cells' text. */
const rows = (table) =>
  table
    .byTag('tbody')[0]
    .byTag('tr')
    .map((tr) => tr.children.map((cell) => cell.textContent));

test('no answer, no table', () => {
  assert.equal(predictionBeside({ seconds: '', order: '  ' }, run(1000, [['a']])), null);
  assert.equal(predictionBeside({ seconds: 'soon', order: '' }, run(1000, [['a']])), null);
});

test('the total time: what was expected, what it took, how far off', () => {
  const table = predictionBeside({ seconds: '1.5', order: '' }, run(2000, []));
  assert.equal(table.getAttribute('id'), 'lab-prediction-result');
  assert.deepEqual(rows(table), [['Total time', '1.5 s', '2.00 s', 'off by 0.50 s']]);
  const early = predictionBeside({ seconds: '3', order: '' }, run(250, []));
  assert.deepEqual(rows(early), [['Total time', '3 s', '250 ms', 'off by 2.75 s']]);
});

test('the printed words are compared word by word, on stdout only', () => {
  const same = predictionBeside({ seconds: '', order: 'A B\nA, B' }, run(10, [['A B'], ['A'], ['B']]));
  assert.deepEqual(rows(same), [['Output order', 'A B A B', 'A B A B', 'the same, word for word']]);
  const other = predictionBeside(
    { seconds: '', order: 'A A B B' },
    run(10, [['A'], ['B'], ['WARNING: x', 'stderr'], ['A'], ['B']]),
  );
  assert.deepEqual(rows(other), [
    [
      'Output order',
      'A A B B',
      'A B A B',
      'different (compared word by word) (stdout only: 1 line on stderr not compared)',
    ],
  ]);
  const silent = predictionBeside(
    { seconds: '0', order: 'A' },
    run(10, [
      ['oops', 'stderr'],
      ['oops', 'stderr'],
    ]),
  );
  assert.deepEqual(rows(silent)[1], [
    'Output order',
    'A',
    '(nothing printed)',
    'different (compared word by word) (stdout only: 2 lines on stderr not compared)',
  ]);
});

test('the form reads what is typed, and opens unfolded only when asked', () => {
  const form = predictionForm({ open: true });
  assert.equal(form.element.hasAttribute('open'), true);
  assert.equal(predictionForm({ open: false }).element.hasAttribute('open'), false);
  form.element.byId('lab-expect-seconds').value = '3';
  form.element.byId('lab-expect-order').value = 'x y';
  assert.deepEqual(form.expected(), { seconds: '3', order: 'x y' });
});

test('the slot shows the table for a run, and nothing for a recorded run or no answer', () => {
  const slot = predictionSlot();
  assert.equal(slot.element.getAttribute('id'), 'prediction-slot');
  slot.update({ seconds: '1', order: '' }, run(1000, []));
  assert.equal(
    slot.element.byId('lab-prediction-result').byTag('caption')[0].textContent,
    'Your prediction beside this run',
  );
  slot.update(null, run(1000, []));
  assert.equal(slot.element.children.length, 0);
  slot.update({ seconds: '1', order: '' }, run(1000, []));
  slot.update({ seconds: '', order: '' }, run(1000, []));
  assert.equal(slot.element.children.length, 0);
});
