// The Lab's action row (www/views/lab-actions.js): Run and Stop, which of them can be pressed, and Share.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { el } = await import('../../www/dom.js');
const { runActions } = await import('../../www/views/lab-actions.js');

test('Run can be pressed and Stop not until a run goes on, then the other way round', () => {
  const pressed = [];
  const actions = runActions({
    onRun: () => pressed.push('run'),
    onStop: () => pressed.push('stop'),
    share: el('span', { class: 'share-control' }),
  });
  const run = actions.element.byId('lab-run');
  const stop = actions.element.byId('lab-stop');
  assert.equal(actions.element.className, 'actions lab-actions');
  assert.deepEqual([run.textContent, stop.textContent], ['Run', 'Stop (Esc)']);
  assert.deepEqual([run.disabled, stop.disabled], [false, true]);
  actions.update({ running: true });
  assert.deepEqual([run.disabled, stop.disabled], [true, false]);
  actions.update({ running: false });
  assert.deepEqual([run.disabled, stop.disabled], [false, true]);
  run.listeners.click();
  stop.listeners.click();
  assert.deepEqual(pressed, ['run', 'stop']);
  assert.equal(actions.element.byClass('share-control').length, 1);
  assert.equal(runActions({ onRun() {}, onStop() {}, share: null }).element.children.length, 2);
});
