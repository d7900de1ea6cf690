// The Lab's words around the editor (www/views/lab-notes.js): the notices, what to look for in an example
// (and when it is hidden), and the limits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { fromLinkNote, labLimits, lookNote, noticesBox } = await import('../../www/views/lab-notes.js');

const example = (id, look, runs = true) => ({ id, title: id, look, source: '', argv: [], runs });

test('notices: none, no box; else an alert with a paragraph each', () => {
  assert.equal(noticesBox([]), null);
  const box = noticesBox(['First.', 'Second.']);
  assert.equal(box.getAttribute('role'), 'alert');
  assert.equal(box.getAttribute('id'), 'lab-notice');
  assert.deepEqual(
    box.byTag('p').map((p) => p.textContent),
    ['First.', 'Second.'],
  );
});

test('what to look for: said for the example, hidden for a linked program until another example loads', () => {
  const look = lookNote(example('busy-loop', 'the health check row'), { hidden: false });
  assert.equal(look.element.textContent, 'What to look for: the health check row');
  assert.equal(look.element.dataset.runs, 'true');
  assert.equal(look.element.hidden, false);
  const linked = lookNote(example('busy-loop', 'the health check row'), { hidden: true });
  assert.equal(linked.element.hidden, true);
  linked.update(example('twin:count', 'nothing runs here', false));
  assert.equal(linked.element.hidden, false);
  assert.equal(linked.element.textContent, 'What to look for: nothing runs here');
  assert.equal(linked.element.dataset.runs, 'false');
});

test('the link note and the limits', () => {
  assert.match(fromLinkNote().textContent, /runs only when you press Run\.$/);
  const limits = labLimits();
  assert.equal(limits.byTag('summary')[0].textContent, 'What a Lab program can and cannot do');
  assert.equal(limits.byTag('li').length, 5);
  assert.match(limits.textContent, /A run may take 60 s at most/);
});
