// A scenario's variants (www/views/scenario-variants.js): their list, their Run buttons (what each runs,
// which a page without shared memory cannot, how a batch locks them) and the note naming those it cannot run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { runButtons, unavailableNote, variantList } = await import('../../www/views/scenario-variants.js');

const variants = [
  { id: 'sync', title: 'Blocking wait', summary: 'Calls `sleep` on the main thread', available: true },
  { id: 'pool', title: 'CPU work on threads', summary: 'Uses the pool', available: false },
  { id: 'async', title: 'Async', summary: 'Awaits', available: true },
];
const buttonsOf = (element) => element.byTag('button');

test('Run all runs the variants that can run here; each button runs its own variant', () => {
  const asked = [];
  const buttons = runButtons({ variants, alone: false, onRun: (ids) => asked.push(ids) });
  const [all, sync, , async] = buttonsOf(buttons.element);
  assert.equal(all.getAttribute('id'), 'run-all');
  assert.equal(all.textContent, 'Run all variants that can run here');
  all.listeners.click();
  sync.listeners.click();
  async.listeners.click();
  assert.deepEqual(asked, [['sync', 'async'], ['sync'], ['async']]);
  assert.deepEqual(
    buttonsOf(buttons.element).map((b) => b.textContent),
    ['Run all variants that can run here', 'Run blocking wait', 'Run CPU work on threads', 'Run async'],
  );
  const everyOne = runButtons({ variants: [variants[0]], alone: false, onRun: () => {} });
  assert.equal(buttonsOf(everyOne.element)[0].textContent, 'Run all variants');
});

test('a variant this page cannot run has a disabled button saying why', () => {
  const buttons = runButtons({ variants, alone: false, onRun: () => {} });
  const pool = buttonsOf(buttons.element).find((b) => b.getAttribute('data-variant') === 'pool');
  assert.equal(pool.getAttribute('disabled'), '');
  assert.equal(pool.getAttribute('data-unavailable'), '');
  assert.equal(pool.getAttribute('title'), 'Needs shared memory, which this page does not have');
  const sync = buttonsOf(buttons.element).find((b) => b.getAttribute('data-variant') === 'sync');
  assert.equal(sync.getAttribute('disabled'), null);
});

test('a batch locks every button; after it, those that can run unlock', () => {
  const buttons = runButtons({ variants, alone: false, onRun: () => {} });
  buttons.update({ running: true });
  assert.deepEqual(
    buttonsOf(buttons.element).map((b) => b.disabled),
    [true, true, true, true],
  );
  buttons.update({ running: false });
  assert.deepEqual(
    buttonsOf(buttons.element).map((b) => b.disabled),
    [false, false, true, false],
  );
});

test('one variant shown alone has its own button only', () => {
  const buttons = runButtons({ variants: [variants[2]], alone: true, onRun: () => {} });
  assert.deepEqual(
    buttonsOf(buttons.element).map((b) => b.getAttribute('id')),
    ['run-async'],
  );
});

test('the note names the variants that cannot run here and links out; none when all can', () => {
  assert.equal(unavailableNote([variants[0], variants[2]], 'https://j.test/'), null);
  const note = unavailableNote(variants, 'https://j.test/?scenario=x');
  assert.match(note.textContent, /^CPU work on threads: needs threads that share memory/);
  const [link] = note.byTag('a');
  assert.equal(link.getAttribute('href'), 'https://j.test/?scenario=x');
  assert.equal(link.getAttribute('target'), '_blank');
});

test('the list gives each variant its title, id and summary, names in backticks as code', () => {
  const list = variantList(variants);
  assert.equal(list.byTag('dt').length, 3);
  assert.equal(list.byTag('dt')[0].textContent, 'Blocking wait sync');
  const dd = list.byTag('dd')[0];
  assert.equal(dd.textContent, 'Calls sleep on the main thread');
  assert.equal(dd.byTag('code')[0].textContent, 'sleep');
});
