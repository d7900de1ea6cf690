// The Embed panels' text (www/views/embed-panel.js): the HTML snippet whose src is the plain URL as it
// is, the warning for an address only this computer reaches, and a Lab program's title.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { embedHtml, isLocalAddress, programTitle } = await import('../../www/views/embed-panel.js');

const lab = 'https://juggle.example.org/?lab=1&readonly=1&embed=1#code=q1ZKS8svyk0tUbJSMjIwMlDSUcrJz0tXsgIA';

test('the HTML snippet’s src is the plain URL byte for byte: no &amp; to break IFrame() or a URL field', () => {
  const html = embedHtml({
    src: lab,
    title: 'Juggle Lab: "quotes" & <tags>',
    height: '44rem',
    script: 'https://juggle.example.org/embed.js',
  });
  assert.ok(html.includes(`src="${lab}"`));
  assert.ok(!html.includes('&amp;readonly'));
  // The title is text, escaped for its attribute.
  assert.ok(html.includes('title="Juggle Lab: &quot;quotes&quot; &amp; &lt;tags&gt;"'));
  assert.match(html, /<script src="https:\/\/juggle\.example\.org\/embed\.js" defer><\/script>$/);
  // A URL that URL() did not serialise (it could close the attribute) is refused.
  assert.throws(
    () =>
      embedHtml({
        src: 'https://x.test/?a="><script>',
        title: 't',
        height: '1px',
        script: 'https://x.test/e.js',
      }),
    /not serialised by URL/,
  );
});

test('what URL() serialises has no character that could end or confuse an attribute', () => {
  // Percent-encoded in a query and a fragment. (embed.spec.js parses a snippet in Chromium: its iframe's
  // src is the plain URL, `&embed=` and the like are not read as character references.)
  const url = new URL('https://x.test/?lab=1&code=a"b<c>d e&embed=1#code=x"y<z>');
  assert.ok(!/["<>\s]/.test(url.href));
});

test('addresses only this computer reaches are named, so the panel says to host Juggle first', () => {
  for (const local of [
    'http://127.0.0.1:5173/?scenario=count',
    'http://localhost:4173/',
    'http://juggle.localhost/',
    'http://[::1]:8000/',
    'http://0.0.0.0:8000/',
  ])
    assert.equal(isLocalAddress(local), true, local);
  for (const remote of ['https://juggle.example.org/', 'https://user.github.io/', 'http://10.0.0.5/'])
    assert.equal(isLocalAddress(remote), false, remote);
});

test('a program is titled by its docstring or first comment, else the fallback', () => {
  assert.equal(
    programTitle('"""Three tasks share one thread"""\nimport asyncio\n', 'x'),
    'Three tasks share one thread',
  );
  assert.equal(programTitle("'''Two lines\n\nmore'''\n", 'x'), 'Two lines');
  assert.equal(
    programTitle('#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# A race\nx = 1\n', 'x'),
    'A race',
  );
  assert.equal(programTitle('\n\n# GIL demo\n', 'x'), 'GIL demo');
  assert.equal(programTitle('import asyncio\n# late comment\n', 'An example'), 'An example');
  assert.equal(programTitle('', 'A Python program'), 'A Python program');
  assert.equal(programTitle(`# ${'y'.repeat(200)}\n`, 'x').length, 80);
});
