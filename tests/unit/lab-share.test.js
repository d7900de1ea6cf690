// "Embed this program" (www/views/lab-share.js): the shared Embed panel, whose snippet follows the
// read-only choice and the program's title.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { programEmbedPanel } = await import('../../www/views/lab-share.js');

test('the snippet is made for the program as it is, read-only or not as ticked', async () => {
  const asked = [];
  let title = 'Three tasks';
  const panel = programEmbedPanel({
    link: async ({ readonly }) => {
      asked.push(readonly);
      return `https://juggle.example.org/?lab=1${readonly ? '&readonly=1' : ''}&embed=1#code=abc`;
    },
    title: () => title,
  });
  assert.equal(panel.element.getAttribute('id'), 'lab-embed');
  assert.ok(panel.element.classList.contains('embed-panel'));
  assert.ok(panel.element.classList.contains('lab-embed'));
  const box = panel.element.byId('lab-embed-readonly');
  assert.equal(box.hasAttribute('checked'), true, 'read-only at first');
  box.checked = false;
  title = 'A race';
  box.listeners.change();
  await panel.refresh();
  assert.equal(asked.at(-1), false);
  const url = panel.element.byId('lab-embed-url').value;
  assert.equal(url, 'https://juggle.example.org/?lab=1&embed=1#code=abc');
  const html = panel.element.byId('lab-embed-html').value;
  assert.ok(html.includes(`src="${url}"`));
  assert.ok(html.includes('title="Juggle Lab: A race"'));
  assert.ok(html.includes('height: 44rem'));
  box.checked = true;
  box.listeners.change();
  await panel.refresh();
  assert.equal(asked.at(-1), true);
  assert.match(panel.element.byId('lab-embed-url').value, /&readonly=1&/);
});
