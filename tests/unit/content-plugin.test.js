// The content plugin (scripts/content-plugin.js): lesson sections, the code region, predict.json checks.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import {
  browserFates,
  checkQuestions,
  lessonSections,
  markdownSections,
  rustCatalogue,
  rustRegion,
  variantIds,
} from '../../scripts/content-plugin.js';

const lesson = `# Title\n\nintro left out\n\n## The situation\n\nA **scraper**.\n\n## Predict\n\nGuess.\n\n## What happens\n\nIt blocks.\n\n## The lesson\n\nOffload.\n`;

test('markdown is cut at its ## headings; what comes before is left out', () => {
  const sections = markdownSections(lesson);
  assert.deepEqual(
    sections.map((s) => [s.id, s.title]),
    [
      ['the-situation', 'The situation'],
      ['predict', 'Predict'],
      ['what-happens', 'What happens'],
      ['the-lesson', 'The lesson'],
    ],
  );
  assert.equal(sections[0].html, '<p>A <strong>scraper</strong>.</p>\n');
  assert.ok(!sections.some((s) => s.html.includes('intro')));
});

test('a lesson has its four sections, no more, none empty', () => {
  assert.deepEqual(Object.keys(lessonSections(lesson, 'l.md')), [
    'situation',
    'predict',
    'happens',
    'lesson',
  ]);
  assert.throws(
    () => lessonSections(lesson.replace('## Predict\n\nGuess.\n\n', ''), 'l.md'),
    /l\.md: the section "## Predict" is missing/,
  );
  assert.throws(() => lessonSections(`${lesson}\n## Extra\n\nx\n`, 'l.md'), /unknown section "## Extra"/);
});

test('the code region runs from async fn run (with its docs) to the tests module', () => {
  const source =
    'use x;\n\n/// Runs it.\npub async fn run(ctx: RunContext) {}\n\nfn helper() {}\n\n#[cfg(test)]\nmod tests {}\n';
  assert.equal(
    rustRegion(source, 'mod.rs'),
    '/// Runs it.\npub async fn run(ctx: RunContext) {}\n\nfn helper() {}',
  );
  assert.throws(() => rustRegion('fn main() {}', 'mod.rs'), /no `async fn run\(`/);
});

test('variant ids come from the Rust catalogue, and every scenario folder is in it', () => {
  const catalogue = [{ id: 'count', variants: [{ id: 'sync' }, { id: 'async' }] }];
  assert.deepEqual(variantIds(catalogue, 'count'), ['sync', 'async']);
  assert.throws(() => variantIds(catalogue, 'nope'), /no scenario "nope"/);
  // The real one, from `cargo run --example catalog`.
  const root = new URL('../..', import.meta.url).pathname;
  const real = rustCatalogue(root);
  const folders = readdirSync(new URL('../../crate/src/scenarios', import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  assert.deepEqual(real.map((s) => s.id).sort(), folders.sort());
  assert.ok(real.every((s) => s.variants.length >= 2));
});

test('predict.json: known kinds, a prompt, a declared variant, output choices', () => {
  const ok = [
    { kind: 'fastest', prompt: '?' },
    { kind: 'output', prompt: '?', variant: 'async', choices: [{ pattern: 'grouped', text: 'x' }] },
  ];
  assert.equal(checkQuestions(ok, ['sync', 'async'], 'p.json'), ok);
  const bad = [
    [[], /non-empty array/],
    [[{ kind: 'guess', prompt: '?' }], /unknown question kind "guess"/],
    [[{ kind: 'time' }], /needs a "prompt"/],
    [[{ kind: 'speedup', prompt: '?', variant: 'nope' }], /no variant "nope"/],
    [[{ kind: 'speedup', prompt: '?' }], /needs the "variant"/],
    [[{ kind: 'output', prompt: '?', variant: 'sync', choices: [{ pattern: 'random' }] }], /"choices"/],
  ];
  for (const [questions, message] of bad)
    assert.throws(() => checkQuestions(questions, ['sync', 'async'], 'p.json'), message);
});

test("a twin's IN_THE_BROWSER table: every variant once, known fates", () => {
  const twin = (lines) =>
    `import asyncio\n\nIN_THE_BROWSER = {\n${lines}}\n\nif __name__ == "__main__":\n    pass\n`;
  assert.deepEqual(
    browserFates(
      twin('    "sync": "runs",\n    "async": "needs free-threading",\n'),
      ['sync', 'async'],
      't.py',
    ),
    {
      sync: 'runs',
      async: 'needs free-threading',
    },
  );
  assert.throws(() => browserFates('print(1)\n', ['sync'], 't.py'), /no IN_THE_BROWSER table/);
  assert.throws(() => browserFates(twin('    "sync": "runs",\n'), ['sync', 'async'], 't.py'), /lacks async/);
  assert.throws(() => browserFates(twin('    "nope": "runs",\n'), ['sync'], 't.py'), /no variant "nope"/);
  assert.throws(() => browserFates(twin('    "sync": "maybe",\n'), ['sync'], 't.py'), /allowed: runs/);
});
