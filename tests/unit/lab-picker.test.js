// The Lab's example row (www/views/lab-picker.js): the classics then the twins, the example picked at
// first, and what Open example and Reset to example hand back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { examplePicker } = await import('../../www/views/lab-picker.js');

const picked = () => {
  const opened = [];
  let resets = 0;
  const element = examplePicker({
    classics: [
      { id: 'busy-loop', title: 'A busy loop' },
      { id: 'race', title: 'A race' },
    ],
    catalogue: [{ id: 'count', title: 'Counting' }],
    chosen: 'race',
    onOpen: (id) => opened.push(id),
    onReset: () => resets++,
  });
  return { element, opened, resets: () => resets };
};

test('the short programs, then every scenario’s twin, with the chosen one picked', () => {
  const { element } = picked();
  assert.equal(element.className, 'lab-examples');
  const select = element.byId('lab-example');
  const groups = select.byTag('optgroup');
  assert.deepEqual(
    groups.map((g) => g.getAttribute('label')),
    ['Short programs', 'The scenarios’ Python twins'],
  );
  assert.deepEqual(
    groups.map((g) => g.byTag('option').map((o) => [o.getAttribute('value'), o.textContent])),
    [
      [
        ['busy-loop', 'A busy loop'],
        ['race', 'A race'],
      ],
      [['twin:count', 'twin.py of “Counting”']],
    ],
  );
  assert.equal(select.value, 'race');
  assert.equal(element.byTag('label')[0].textContent, 'Start from an example');
});

test('Open example hands back the id picked now; Reset to example just says it was pressed', () => {
  const { element, opened, resets } = picked();
  element.byId('lab-example').value = 'twin:count';
  element.byId('lab-load').listeners.click();
  assert.deepEqual(opened, ['twin:count']);
  assert.equal(element.byId('lab-reset').textContent, 'Reset to example');
  element.byId('lab-reset').listeners.click();
  assert.equal(resets(), 1);
  assert.deepEqual(opened, ['twin:count']);
});
