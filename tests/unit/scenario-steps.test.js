// The Predict and Understand steps of a scenario page (www/views/scenario-predict.js,
// scenario-understand.js): the questions folded in an embed, the explanation opening once on the first
// results (never when an embed keeps it folded), the code with the Rust folded, the code folded in an embed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { predictStep } = await import('../../www/views/scenario-predict.js');
const { codePanel, explanationFold, understandBody } = await import('../../www/views/scenario-understand.js');

const variants = [
  { id: 'sync', title: 'Sync' },
  { id: 'async', title: 'Async' },
];
const question = { kind: 'fastest', prompt: 'Which is fastest?' };

test('the questions are open on a page and folded in an embed, the summary counting them', () => {
  const open = predictStep({ questions: [question], variants, answers: {}, embed: false });
  assert.equal(open.length, 2);
  assert.equal(open[0].textContent, 'Answer before you run: the runs below will check each answer.');
  assert.match(open[1].textContent, /Which is fastest\?/);
  const [folded] = predictStep({ questions: [question], variants, answers: {}, embed: true });
  assert.equal(folded.className, 'predict-fold');
  assert.equal(folded.byTag('summary')[0].textContent, 'Predict before you run: 1 question');
  const [two] = predictStep({ questions: [question, question], variants, answers: {}, embed: true });
  assert.equal(two.byTag('summary')[0].textContent, 'Predict before you run: 2 questions');
});

test('the explanation opens on the first results drawn, once; the learner decides after that', () => {
  const explanation = explanationFold({ happens: '<p>h</p>', lesson: '<p>l</p>', keepFolded: false });
  assert.equal(explanation.element.getAttribute('id'), 'explanation');
  explanation.update({ drawn: 0 });
  assert.equal(explanation.element.open, undefined);
  explanation.update({ drawn: 2 });
  assert.equal(explanation.element.open, true);
  explanation.element.open = false;
  explanation.update({ drawn: 3 });
  assert.equal(explanation.element.open, false);
  const kept = explanationFold({ happens: '', lesson: '', keepFolded: true });
  kept.update({ drawn: 1 });
  assert.equal(kept.element.open, undefined);
});

test('the code shows the Python first and folds the Rust; an embed folds it all', () => {
  const code = codePanel({
    python: { path: 'count/twin.py', html: '<span>py</span>' },
    rust: { path: 'count/mod.rs', html: '<span>rs</span>' },
  });
  assert.deepEqual(
    code.byTag('figcaption').map((c) => c.textContent),
    ['Python: the same workload count/twin.py', 'count/mod.rs'],
  );
  assert.equal(
    code.byClass('code-rust-fold')[0].byTag('summary')[0].textContent,
    'Rust: the code that ran here',
  );
  const explanation = document.createElement('details');
  assert.deepEqual(understandBody(explanation, code, true), [explanation, code]);
  const [, folded] = understandBody(explanation, code, false);
  assert.equal(folded.className, 'code-fold');
  assert.equal(folded.children[1], code);
});
