// The Lab's examples (www/views/lab-examples.js): a sane table, sentences that say what to look at without
// giving the outcome away, and twins that start with a variant the browser's Python can run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASSICS, classic, DEFAULT_EXAMPLE, twinExample } from '../../www/views/lab-examples.js';
import { checkSource } from '../../www/views/lab-link.js';

test('the classics have unique ids, a title, one sentence each, and valid sources', () => {
  const ids = CLASSICS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(classic(DEFAULT_EXAMPLE));
  for (const c of CLASSICS) {
    assert.match(c.id, /^[a-z-]+$/);
    assert.ok(c.title.length > 5, c.id);
    assert.match(c.look, /^(Look|This)\b[\s\S]*\.$/, `${c.id}: a sentence`);
    assert.equal(c.look.split(/\.\s/).length, 1, `${c.id}: one sentence`);
    assert.ok(c.source.endsWith('\n'), c.id);
    assert.equal(checkSource(c.source), c.source);
    assert.ok(!c.source.includes('\t'), `${c.id}: spaces, not tabs`);
    assert.equal(typeof c.runs, 'boolean');
  }
});

test('no sentence gives the outcome away before Run', () => {
  const giveaways =
    /\b(froze|frozen|freez|staircase|one after another|lost|wrong|faster|slower|\d+(\.\d+)? ?s\b)/i;
  for (const c of CLASSICS.filter((c) => c.runs)) assert.doesNotMatch(c.look, giveaways, c.id);
});

test('the process-pool example runs in the browser, its pool under the __main__ guard as spawn needs', () => {
  const pool = /** @type {any} */ (classic('process-pool'));
  assert.equal(pool.runs, true);
  assert.match(pool.look, /process/);
  assert.match(pool.source, /ProcessPoolExecutor/);
  assert.match(pool.source, /run_in_executor/);
  assert.match(pool.source, /if __name__ == "__main__":/);
});

test('a twin starts with the first variant its IN_THE_BROWSER table runs, and says so when none does', () => {
  const scenario = {
    id: 'x',
    title: 'X',
    variants: [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
    ],
  };
  const runs = twinExample(scenario, {
    source: 'pass\n',
    browser: { a: 'needs processes', b: 'runs', c: 'runs' },
  });
  assert.deepEqual(runs.argv, ['b']);
  assert.equal(runs.runs, true);
  assert.match(runs.look, /python twin\.py b/);
  assert.match(runs.look, /\bc\b/);
  const none = twinExample(scenario, {
    source: 'pass\n',
    browser: { a: 'needs processes', b: 'needs free-threading' },
  });
  assert.equal(none.runs, false);
  assert.deepEqual(none.argv, ['a']);
  assert.match(none.look, /needs processes/);
});
