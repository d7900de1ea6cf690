// The Lab's heading (www/views/lab-heading.js): the full Lab's words, and an embed's program title and
// "Open in Juggle" link, which follow the program.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { labHeading } = await import('../../www/views/lab-heading.js');

test('the full Lab says what it is, and has nothing to follow', () => {
  const heading = labHeading({ embed: false, title: 'ignored', href: 'https://x.test/?lab=1' });
  assert.equal(heading.element.getAttribute('id'), 'lab-heading');
  assert.equal(heading.element.textContent, 'The Lab: your own Python program, on the timeline');
  heading.update({ title: 'Other' });
  assert.equal(heading.element.textContent, 'The Lab: your own Python program, on the timeline');
});

test('an embed is titled by its program and links out; update() follows title and link', () => {
  const heading = labHeading({ embed: true, title: 'Three tasks', href: 'https://x.test/?lab=1' });
  const title = heading.element.byId('lab-title');
  const link = heading.element.byId('lab-open-juggle');
  assert.equal(title.textContent, 'Three tasks');
  assert.equal(link.getAttribute('href'), 'https://x.test/?lab=1');
  assert.equal(link.getAttribute('target'), '_blank');
  assert.equal(link.textContent, 'Open in Juggle ↗');
  heading.update({ title: 'A race' });
  assert.equal(title.textContent, 'A race');
  assert.equal(link.getAttribute('href'), 'https://x.test/?lab=1', 'the link stays until it is given');
  heading.update({ href: 'https://x.test/?lab=1#code=abc' });
  assert.equal(link.getAttribute('href'), 'https://x.test/?lab=1#code=abc');
  assert.equal(title.textContent, 'A race');
});
