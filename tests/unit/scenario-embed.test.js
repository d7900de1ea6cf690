// What an embedded scenario does differently (www/views/scenario-embed.js): what its URL asks, the
// questions left about one variant, its URL keeping them, the "Open in Juggle" link, and the folding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { embedOptions, foldIf, openInJuggle, questionsAbout, situationView, withEmbedOptions } = await import(
  '../../www/views/scenario-embed.js'
);

const scenario = { variants: [{ id: 'sync' }, { id: 'async' }] };

test('an embed’s URL may ask for one variant and the Understand step open; an unknown variant is none', () => {
  assert.deepEqual(embedOptions('?scenario=x&variant=async&understand=1', scenario), {
    only: { id: 'async' },
    understand: true,
  });
  assert.deepEqual(embedOptions('?variant=nope&understand=yes', scenario), { only: null, understand: false });
});

test('one variant alone keeps the questions about it and about every variant, not comparisons', () => {
  const questions = [
    { kind: 'time', prompt: 'a' },
    { kind: 'fastest', prompt: 'b' },
    { kind: 'output', prompt: 'c', variant: 'sync' },
    { kind: 'speedup', prompt: 'd', variant: 'async' },
  ];
  assert.deepEqual(
    questionsAbout(questions, 'sync').map((q) => q.prompt),
    ['a', 'c'],
  );
});

test('the knobs rewrite the query; an embed’s variant and understand are put back', () => {
  const href = 'https://j.test/?scenario=x&tasks=4&embed=1';
  assert.equal(
    withEmbedOptions(href, { only: { id: 'sync' }, understand: true }),
    'https://j.test/?scenario=x&tasks=4&embed=1&variant=sync&understand=1',
  );
  assert.equal(withEmbedOptions(href, { only: null, understand: false }), href);
});

test('Open in Juggle opens a new tab, and follows the address it is given', () => {
  const link = openInJuggle('https://j.test/?scenario=x');
  assert.equal(link.element.textContent, 'Open in Juggle ↗');
  assert.equal(link.element.getAttribute('target'), '_blank');
  link.update('https://j.test/?scenario=x&tasks=9');
  assert.equal(link.element.getAttribute('href'), 'https://j.test/?scenario=x&tasks=9');
});

test('folding puts a body under a summary only when asked; an unfolded situation is the lesson’s HTML', () => {
  const body = document.createElement('dl');
  assert.equal(foldIf(false, 'variants-fold', 'The 2 variants', body), body);
  const folded = foldIf(true, 'variants-fold', 'The 2 variants', body);
  assert.equal(folded.tagName, 'DETAILS');
  assert.equal(folded.className, 'variants-fold');
  assert.equal(folded.byTag('summary')[0].textContent, 'The 2 variants');
  assert.equal(folded.children[1], body);
  const situation = situationView('<p>Three tasks.</p>', false);
  assert.equal(situation.className, 'prose situation');
  assert.equal(situation.innerHTML, '<p>Three tasks.</p>');
});
