// What went wrong with a Lab run (www/views/lab-problem.js): the exception's sentence and its line marked
// in the editor, the traceback, a run cut short, and the status line's words for each failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { failureStatus, problemPanel } = await import('../../www/views/lab-problem.js');

const panel = () => {
  const marked = [];
  const shown = problemPanel({ mark: (line) => marked.push(line) });
  const part = (id) => shown.element.byId(id);
  return {
    shown,
    marked,
    note: part('lab-error-line'),
    traceback: part('lab-traceback'),
    cut: part('lab-truncated'),
  };
};

test('all hidden at first', () => {
  const { note, traceback, cut, marked } = panel();
  assert.deepEqual([note.hidden, traceback.hidden, cut.hidden], [true, true, true]);
  assert.equal(note.getAttribute('role'), 'alert');
  assert.deepEqual(marked, []);
});

test('an exception at a line: the line is marked, the sentence names it, the traceback is shown', () => {
  const { shown, marked, note, traceback } = panel();
  const message =
    'Traceback (most recent call last):\n  File "main.py", line 3\nZeroDivisionError: division by zero';
  shown.showException({ message, kind: 'ZeroDivisionError', line: 3 });
  assert.deepEqual(marked, [3]);
  assert.equal(
    note.textContent,
    'Your program raised ZeroDivisionError at line 3 (marked in the editor). The run up to there is drawn below.',
  );
  assert.equal(traceback.textContent, message);
  assert.deepEqual([note.hidden, traceback.hidden], [false, false]);
  assert.equal(shown.note, note);
});

test('an exception with no line marks none; clearing hides it and unmarks the editor', () => {
  const { shown, marked, note, traceback } = panel();
  shown.showException({ message: 'boom', kind: null, line: null });
  assert.deepEqual(marked, []);
  assert.equal(note.textContent, 'Your program raised an exception. The run up to there is drawn below.');
  shown.showException(null);
  assert.deepEqual(marked, [null]);
  assert.deepEqual([note.hidden, traceback.hidden, traceback.textContent], [true, true, '']);
});

test('a run cut short says why, and the note goes with null', () => {
  const { shown, cut } = panel();
  shown.showCut('recording stopped after 5,000 printed lines');
  assert.equal(cut.hidden, false);
  assert.equal(
    cut.textContent,
    'Cut short: recording stopped after 5,000 printed lines. The timeline shows the run up to there.',
  );
  shown.showCut(undefined);
  assert.deepEqual([cut.hidden, cut.textContent], [true, '']);
});

test('the status line says how a run that did not end ended', () => {
  const command = 'python main.py 3';
  const trace = { total_ms: 1500 };
  assert.equal(
    failureStatus({ code: 'cancelled', trace }, command),
    'Stopped (KeyboardInterrupt) after 1.50 s: the run up to there is drawn below.',
  );
  assert.match(failureStatus({ code: 'cancelled' }, command), /^Stopped: the interpreter did not answer/);
  assert.equal(
    failureStatus({ code: 'python-error', message: 'x' }, command),
    'python main.py 3 raised an exception.',
  );
  assert.equal(
    failureStatus({ code: 'python-crashed', message: 'it ran out of stack', trace }, command),
    'The program could not finish: it ran out of stack. What it printed and did before is drawn below.',
  );
  assert.equal(
    failureStatus({ code: 'python-crashed', message: 'it ran out of stack' }, command),
    'The program could not run: it ran out of stack.',
  );
  assert.equal(failureStatus({ message: 'no worker' }, command), 'The program could not run: no worker.');
});
