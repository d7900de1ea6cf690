// The Lab's arguments (www/views/lab-arguments.js): the box, the command line a read-only embed says
// instead, and the arguments read from the box, right or wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { argumentsRow, commandLine } = await import('../../www/views/lab-arguments.js');

test('the command line names main.py and its arguments', () => {
  assert.equal(commandLine([]), 'python main.py');
  assert.equal(commandLine(['threads', '4']), 'python main.py threads 4');
});

test('the box holds the arguments; update() replaces them; a change is handed on', () => {
  let changes = 0;
  const row = argumentsRow({ argv: ['a', 'b'], readonly: false, fixed: false, onInput: () => changes++ });
  const field = row.element.byId('lab-argv');
  assert.equal(field.value, 'a b');
  assert.equal(field.hasAttribute('readonly'), false);
  assert.equal(field.getAttribute('aria-describedby'), 'lab-argv-hint');
  assert.equal(
    row.element.byId('lab-argv-hint').textContent,
    'separated by spaces; a twin takes a variant’s name',
  );
  assert.deepEqual(row.args(), ['a', 'b']);
  row.update(['sync']);
  assert.equal(field.value, 'sync');
  field.value = '  x   y ';
  field.listeners.input();
  assert.equal(changes, 1);
  assert.deepEqual(row.parsed(), ['x', 'y']);
});

test('wrong arguments: parsed() says why, args() gives none', () => {
  const row = argumentsRow({ argv: [], readonly: false, fixed: false, onInput: () => {} });
  row.element.byId('lab-argv').value = 'a b c d e f g h i';
  assert.throws(() => row.parsed(), /at most 8 arguments/);
  assert.deepEqual(row.args(), []);
});

test('read-only: the box cannot be changed; fixed: the command line is said instead, if there are arguments', () => {
  const readonly = argumentsRow({ argv: [], readonly: true, fixed: false, onInput: () => {} });
  assert.equal(readonly.element.byId('lab-argv').hasAttribute('readonly'), true);
  const fixed = argumentsRow({ argv: ['racy'], readonly: true, fixed: true, onInput: () => {} });
  assert.equal(fixed.element.className, 'hint lab-args-fixed');
  assert.equal(fixed.element.textContent, 'Runs as: python main.py racy');
  assert.deepEqual(fixed.args(), ['racy'], 'the arguments run are still there');
  assert.equal(argumentsRow({ argv: [], readonly: true, fixed: true, onInput: () => {} }).element, null);
});
