// A scenario's knobs (www/views/scenario-knobs.js): a box per setting with its range, flagged at once when
// the browser's check fails, each edit called back with whether it can run; `update` shows a recorded
// run's settings, `setDisabled` locks them during a batch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { followKnobs, knobsForm } = await import('../../www/views/scenario-knobs.js');

const params = [
  { name: 'tasks', label: 'Tasks', min: 1, max: 50, default: 3 },
  { name: 'max_threads', label: 'Threads', unit: 'at most', min: 1, max: 16, default: 2 },
];
/** The form, the edits it called back with, and its boxes and range texts by name. */
const form = (values = {}, poolThreads = 4) => {
  const edits = [];
  const knobs = knobsForm({
    params,
    values,
    poolThreads,
    onKnob: (knob, value, valid) => edits.push([knob.name, value, valid]),
  });
  const input = (name) => knobs.element.byTag('input').find((i) => i.getAttribute('name') === name);
  const range = (name) =>
    knobs.element.byClass('knob-range').find((r) => r.getAttribute('id') === `range-${name}`);
  return { knobs, edits, input, range };
};
/** Types `value` into `box`, which the browser judges `valid` or not. */
const type = (box, value, valid) => {
  box.value = value;
  box.validity = { valid };
  box.listeners.input();
};

test('each knob is a number box with its label, its value from the URL or its default, and its range', () => {
  const { knobs, input, range } = form({ tasks: '7' });
  assert.equal(knobs.element.tagName, 'FORM');
  assert.equal(knobs.element.getAttribute('aria-label'), 'Settings');
  assert.equal(input('tasks').getAttribute('value'), '7');
  assert.equal(input('max_threads').getAttribute('value'), '2');
  assert.equal(input('tasks').getAttribute('aria-describedby'), 'range-tasks');
  assert.equal(range('tasks').textContent, '1–50');
  assert.deepEqual(
    knobs.element.byClass('knob-label').map((l) => l.textContent),
    ['Tasks', 'Threads (at most)'],
  );
});

test('the thread count cannot pass the pool: its range and max say the pool’s threads', () => {
  const { input, range } = form({}, 4);
  assert.equal(input('max_threads').getAttribute('max'), '4');
  assert.equal(range('max_threads').textContent, '1–4 (the pool has 4 threads)');
  // Another knob is not bound by the pool, and a pool larger than the knob's range does not widen it.
  assert.equal(input('tasks').getAttribute('max'), '50');
  assert.equal(form({}, 64).input('max_threads').getAttribute('max'), '16');
});

test('an edit is called back with its text and validity, and an invalid one is flagged at once', () => {
  const { edits, input, range } = form({}, 4);
  type(input('max_threads'), '9', false);
  assert.deepEqual(edits, [['max_threads', '9', false]]);
  assert.equal(input('max_threads').getAttribute('aria-invalid'), 'true');
  assert.equal(range('max_threads').textContent, 'a whole number from 1 to 4');
  type(input('max_threads'), '3', true);
  assert.deepEqual(edits.at(-1), ['max_threads', '3', true]);
  assert.equal(input('max_threads').getAttribute('aria-invalid'), 'false');
  assert.equal(range('max_threads').textContent, '1–4 (the pool has 4 threads)');
  // An empty box is not a setting, whatever the browser says of it.
  type(input('tasks'), '', true);
  assert.deepEqual(edits.at(-1), ['tasks', '', false]);
});

test('update shows other settings as valid, without calling back; setDisabled locks every box', () => {
  const { knobs, edits, input, range } = form({}, 4);
  type(input('tasks'), '0', false);
  knobs.update({ tasks: '12', max_threads: '1' });
  assert.equal(input('tasks').value, '12');
  assert.equal(input('max_threads').value, '1');
  assert.equal(input('tasks').getAttribute('aria-invalid'), 'false');
  assert.equal(range('tasks').textContent, '1–50');
  assert.equal(edits.length, 1);
  knobs.setDisabled(true);
  assert.deepEqual(
    knobs.element.byTag('input').map((i) => i.disabled),
    [true, true],
  );
  knobs.setDisabled(false);
  assert.deepEqual(
    knobs.element.byTag('input').map((i) => i.disabled),
    [false, false],
  );
});

test('the counts the prose names follow the knobs, unless the value is not one the knob takes', () => {
  const span = (name) => {
    const node = document.createElement('span');
    node.setAttribute('data-param', name);
    node.textContent = 'old';
    return node;
  };
  const spans = [span('tasks'), span('max_threads'), span('unknown')];
  const root = { querySelectorAll: (selector) => (selector === '[data-param]' ? spans : []) };
  followKnobs(root, params, { tasks: '1200' });
  assert.deepEqual(
    spans.map((s) => s.textContent),
    ['old', '2', 'old'],
  );
  followKnobs(root, params, { tasks: '12', max_threads: '16' });
  assert.deepEqual(
    spans.map((s) => s.textContent),
    ['12', '16', 'old'],
  );
  params[0].max = 5000;
  followKnobs(root, params, { tasks: '1200' });
  params[0].max = 50;
  assert.equal(spans[0].textContent, '1,200');
});
