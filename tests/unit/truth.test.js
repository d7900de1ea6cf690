// Teaching truth (#14): what the page shows before Run does not give the answer away. The Python twins are
// shown before the run, so their docstrings say how to run them, not what they print or how long they take;
// those outcomes are in each lesson's "What happens" (shown after the run).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../crate/src/scenarios/', import.meta.url);
const scenarios = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

test('no twin.py docstring states an outcome (a time, a count, a printed order, frozen or not)', () => {
  for (const id of scenarios) {
    let text;
    try {
      text = readFileSync(new URL(`${id}/twin.py`, root), 'utf8');
    } catch {
      continue;
    }
    const doc = text.slice(0, text.indexOf('"""', 3));
    for (const pattern of [
      /about \d/i,
      /\bOne Two\b|\bOne One\b/,
      /frozen|froze|keeps answering|final count/i,
      /\d+\s*of\s*\d+/,
    ]) {
      assert.doesNotMatch(doc, pattern, `${id}/twin.py's docstring gives an outcome away`);
    }
  }
});

test('the situation and the questions name counts through the knobs (<span data-param>), not fixed words', () => {
  for (const id of scenarios) {
    const lesson = readFileSync(new URL(`${id}/lesson.md`, root), 'utf8');
    const before = lesson.slice(lesson.indexOf('## The situation'), lesson.indexOf('## What happens'));
    assert.doesNotMatch(
      before,
      /\b(Three|Four|Ten|Twenty|a thousand|one million) (tasks|pages|requests|times)\b/i,
      `${id}/lesson.md names a count the knobs can change`,
    );
  }
});

test('the bullets of "What happens" lead with the variant titles, not bare ids', () => {
  for (const id of scenarios) {
    const lesson = readFileSync(new URL(`${id}/lesson.md`, root), 'utf8');
    const happens = lesson.slice(lesson.indexOf('## What happens'), lesson.indexOf('## The lesson'));
    assert.doesNotMatch(happens, /^- `[a-z-]+`/m, `${id}/lesson.md keys a bullet by a variant id`);
  }
});
