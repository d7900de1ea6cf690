// Python first, in words a Python learner knows, and nothing given away before Run (#29 items 4 and 5),
// checked on the sources the page is built from: the lessons, the twins, the start page and its quiz, the
// names of a run's figures. tests/e2e/words.spec.js checks the built page itself.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { scenarioParts } from '../../scripts/content-plugin.js';
import { BROWSER_WORDS, browserWordsIn, GIVE_AWAY, giveAwaysIn, outsideFolds } from './words.js';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const scenarios = readdirSync(new URL('crate/src/scenarios/', root), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** A lesson.md's `## ` section, from its heading to the next one. */
const section = (lesson, title) => {
  const start = lesson.indexOf(`## ${title}`);
  const end = lesson.indexOf('\n## ', start + 1);
  return lesson.slice(start, end < 0 ? undefined : end);
};

test('the word lists catch what the issue found on the page', () => {
  assert.deepEqual(browserWordsIn('the loop awaits a resolved promise (a microtask)'), ['microtask']);
  assert.deepEqual(browserWordsIn('one atomic read-modify-write (fetch_add)'), ['fetch_add', 'atomic']);
  assert.deepEqual(browserWordsIn('Rust heap per waiting request (bytes)'), ['Rust heap']);
  assert.deepEqual(browserWordsIn("the interpreter's WebAssembly memory (bytes)"), ['WebAssembly']);
  assert.deepEqual(browserWordsIn('as many threads as `navigator.hardwareConcurrency` says'), [
    'hardwareConcurrency',
  ]);
  assert.deepEqual(browserWordsIn('a task waits with asyncio.sleep, and Python has a heap'), []);
  assert.deepEqual(giveAwaysIn('burn(TASK_S)  # no await: the event loop is stuck here'), [
    'the event loop is stuck',
  ]);
  assert.deepEqual(giveAwaysIn('time.sleep(CALL_S)  # inline: the loop is held for the whole call'), [
    'the loop is held',
  ]);
  assert.deepEqual(
    giveAwaysIn('the main thread either awaits it (free meanwhile) or ... (frozen meanwhile)'),
    ['free meanwhile', 'frozen meanwhile'],
  );
  assert.equal(
    outsideFolds('a <details class="browser-fold"><summary>How</summary>microtask</details> b'),
    'a  b',
  );
  assert.ok(BROWSER_WORDS.length > 10 && GIVE_AWAY.length > 10);
});

test('each twin.py says what its code does, not what happens (its comments and docstrings)', () => {
  for (const id of scenarios) {
    const twin = read(`crate/src/scenarios/${id}/twin.py`);
    assert.deepEqual(giveAwaysIn(twin), [], `${id}/twin.py gives an outcome away before Run`);
    assert.deepEqual(browserWordsIn(twin), [], `${id}/twin.py uses a browser or Rust word`);
  }
});

test('the comments of the Rust code shown say what it does, not what happens', () => {
  for (const id of scenarios) {
    const rust = read(`crate/src/scenarios/${id}/mod.rs`);
    // The region the page shows (scripts/content-plugin.js rustRegion): from `async fn run` (with its
    // doc comment) to the tests module.
    const lines = rust.split('\n');
    let start = lines.findIndex((line) => /^(pub )?async fn run\(/.test(line));
    while (start > 0 && lines[start - 1].startsWith('///')) start -= 1;
    const end = lines.findIndex((line, i) => i > start && line.startsWith('#[cfg(test)]'));
    const comments = lines
      .slice(start, end < 0 ? undefined : end)
      .filter((line) => line.trim().startsWith('//'))
      .join('\n');
    assert.deepEqual(giveAwaysIn(comments), [], `${id}/mod.rs's shown comments give an outcome away`);
  }
});

test('each lesson: the situation gives nothing away, and browser words are in "How the browser does it" folds', () => {
  for (const id of scenarios) {
    const lesson = read(`crate/src/scenarios/${id}/lesson.md`);
    const situation = outsideFolds(section(lesson, 'The situation'));
    assert.deepEqual(giveAwaysIn(situation), [], `${id}/lesson.md's situation gives an outcome away`);
    for (const title of ['The situation', 'What happens', 'The lesson'])
      assert.deepEqual(
        browserWordsIn(outsideFolds(section(lesson, title))),
        [],
        `${id}/lesson.md's "${title}" uses a browser or Rust word outside a fold`,
      );
  }
});

test('the variants say what they do in Python words (their titles and summaries in mod.rs)', () => {
  for (const id of scenarios) {
    const rust = read(`crate/src/scenarios/${id}/mod.rs`);
    const spec = rust.slice(0, rust.search(/^(pub )?async fn run\(/m));
    const texts = [...spec.matchAll(/\b(?:title|summary): *"((?:[^"\\]|\\.)*)"/gs)].map((m) => m[1]);
    assert.ok(texts.length > 2, `${id}: no titles and summaries found`);
    for (const text of texts) {
      assert.deepEqual(browserWordsIn(text), [], `${id}: "${text}" uses a browser or Rust word`);
      assert.deepEqual(giveAwaysIn(text), [], `${id}: "${text}" gives an outcome away`);
    }
  }
});

test('the start page and its quiz are about Python; browser words only in a fold', () => {
  const start = read('www/content/start.md');
  assert.deepEqual(browserWordsIn(outsideFolds(start)), [], 'start.md outside its folds');
  const quiz = JSON.parse(read('www/content/quiz.json'));
  for (const question of quiz.questions) {
    const texts = [question.prompt, ...question.choices.flatMap((c) => [c.text, c.feedback])];
    for (const text of texts) {
      assert.deepEqual(browserWordsIn(text), [], `quiz ${question.id}: "${text}"`);
      assert.doesNotMatch(text, /\bpromise|JavaScript|\bJS\b/i, `quiz ${question.id} asks about JavaScript`);
    }
  }
});

test("a run's figures are named in plain words, except those folded under “How the browser does it”", async () => {
  // Every scenario folder's labels.json and the shared ones, as the build merges them; the figures each
  // lists under "browser" are results.js's fold.
  const { labels, browser } = scenarioParts(root.pathname);
  const folded = new Set(browser);
  assert.ok(folded.has('memory_bytes'));
  for (const [key, label] of Object.entries(labels))
    if (!folded.has(key)) assert.deepEqual(browserWordsIn(label), [], `the labels of ${key}`);
});
