// Whole scenario folders: CONTRIBUTING.md's table of a folder's files is what every folder holds and what
// the build requires, and the shared files name no scenario's figures, parameters or pool work.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { scenarioParts } from '../../scripts/content-plugin.js';

const root = new URL('../../', import.meta.url).pathname;
const read = (/** @type {string} */ path) => readFileSync(`${root}${path}`, 'utf8');
const SCENARIOS = 'crate/src/scenarios';
const ids = readdirSync(`${root}${SCENARIOS}`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * CONTRIBUTING.md's table of a scenario folder's files, in the section "Adding a variant to a scenario":
 * each row's file and whether it is needed `always` or `optional`.
 * @param {string} text CONTRIBUTING.md
 */
export function folderTable(text) {
  const section = text.split('## Adding a variant to a scenario')[1]?.split('\n## ')[0] ?? '';
  const rows = [...section.matchAll(/^\| `([^`]+)` \| (always|optional) \|/gm)];
  return {
    always: rows.filter((row) => row[2] === 'always').map((row) => row[1]),
    optional: rows.filter((row) => row[2] === 'optional').map((row) => row[1]),
  };
}

test("CONTRIBUTING.md's table of a folder's files is read", () => {
  const { always, optional } = folderTable(read('CONTRIBUTING.md'));
  for (const file of ['mod.rs', 'lesson.md', 'predict.json', 'twin.py', 'labels.json', 'test.json'])
    assert.ok(always.includes(file), `${file} is listed as always needed`);
  for (const file of ['pool_job.rs', 'view.js']) assert.ok(optional.includes(file), file);
  // The reader fails on a table that lost its rows.
  assert.deepEqual(folderTable('## Adding a variant to a scenario\n\nno table\n## Style'), {
    always: [],
    optional: [],
  });
});

test('every scenario folder holds exactly the files CONTRIBUTING.md lists', () => {
  const { always, optional } = folderTable(read('CONTRIBUTING.md'));
  assert.ok(ids.length >= 9, `scenario folders found: ${ids}`);
  for (const id of ids) {
    const files = readdirSync(`${root}${SCENARIOS}/${id}`);
    for (const file of always) assert.ok(files.includes(file), `${SCENARIOS}/${id} lacks ${file}`);
    for (const file of files)
      assert.ok(
        always.includes(file) || optional.includes(file),
        `${SCENARIOS}/${id}/${file} is not in CONTRIBUTING.md's table of a folder's files`,
      );
  }
});

test("each folder's test.json gives the end-to-end tests its quick parameters", () => {
  const params = (/** @type {string} */ query) => [...new URLSearchParams(query).keys()];
  for (const id of ids) {
    const { quick } = JSON.parse(read(`${SCENARIOS}/${id}/test.json`));
    assert.equal(typeof quick, 'string', `${id}/test.json: "quick"`);
    const names = [...read(`${SCENARIOS}/${id}/mod.rs`).matchAll(/name: "([a-z_]+)"/g)].map((m) => m[1]);
    for (const name of params(quick))
      assert.ok(names.includes(name), `${id}/test.json: no parameter ${name}`);
  }
});

test("each folder's optional files are wired into the build", () => {
  const pool = read('crate/src/pool.rs');
  const lib = read('crate/src/lib.rs');
  const { views } = scenarioParts(root);
  for (const id of ids) {
    const has = (/** @type {string} */ file) => existsSync(`${root}${SCENARIOS}/${id}/${file}`);
    assert.equal(
      pool.includes(`#[path = "scenarios/${id}/pool_job.rs"]`),
      has('pool_job.rs'),
      `${id}: crate/src/pool.rs includes scenarios/${id}/pool_job.rs exactly when it exists`,
    );
    assert.equal(
      lib.includes(`#[path = "scenarios/${id}/kernel.rs"]`),
      has('kernel.rs'),
      `${id}: crate/src/lib.rs names scenarios/${id}/kernel.rs exactly when it exists`,
    );
    assert.equal(
      views.some((view) => view.id === id),
      has('view.js'),
      `${id}: the content plugin finds its view.js`,
    );
  }
});

test('the pool names only shared jobs and the folders own the rest', () => {
  // The pool's own: the job several scenarios share (Spin), the GIL model's (Threads, read by
  // own_threads.rs) and the test fault. See docs/decisions/2026-12-04-scenario-folders.md.
  const shared = new Set(['Spin', 'Threads', 'Panicking']);
  const pool = read('crate/src/pool.rs').split('#[cfg(test)]')[0];
  const body = pool.match(/pub enum PoolJob \{([\s\S]*?)\n\}/)[1];
  const arms = [...body.matchAll(/^ {4}([A-Z]\w*)(\(([A-Za-z]+)\)| \{|,)/gm)];
  assert.ok(arms.length >= 5, `PoolJob's arms: ${arms.map((a) => a[1])}`);
  const owned = ids.flatMap((id) =>
    existsSync(`${root}${SCENARIOS}/${id}/pool_job.rs`)
      ? [...read(`${SCENARIOS}/${id}/pool_job.rs`).matchAll(/^pub struct (\w+)/gm)].map((m) => m[1])
      : [],
  );
  for (const [, arm, , wrapped] of arms) {
    if (shared.has(arm)) continue;
    assert.ok(
      wrapped && owned.includes(wrapped),
      `PoolJob::${arm} should wrap a job type of a scenario folder's pool_job.rs (has: ${owned})`,
    );
  }
  // No scenario's pool code left behind: the functions of the folders' pool jobs are defined there only.
  const functions = ids.flatMap((id) =>
    existsSync(`${root}${SCENARIOS}/${id}/pool_job.rs`)
      ? [...read(`${SCENARIOS}/${id}/pool_job.rs`).matchAll(/^fn (\w+)\(/gm)].map((m) => m[1])
      : [],
  );
  for (const file of ['crate/src/pool.rs', 'crate/src/gil.rs', 'crate/src/own_threads.rs'])
    for (const name of functions)
      assert.doesNotMatch(read(file), new RegExp(`^(pub )?fn ${name}\\(`, 'm'), `${file} defines ${name}`);
});

test("the shared views and test fixtures name no scenario's figures or ids", () => {
  const { labels } = scenarioParts(root);
  const shared = JSON.parse(read('www/views/result-labels.json'));
  const sharedKeys = new Set([...Object.keys(shared), ...Object.keys(shared.browser ?? {})]);
  // Figures only scenarios have (a figure also named in the shared file is the Python runs' too).
  const owned = Object.keys(labels).filter((key) => !sharedKeys.has(key));
  assert.ok(owned.includes('high_water') && owned.includes('rows_shown'), `${owned}`);
  for (const file of ['www/views/results.js', 'tests/e2e/fixtures.js']) {
    const text = read(file);
    for (const key of owned)
      assert.doesNotMatch(text, new RegExp(`[.'"]${key}\\b`), `${file} reads the figure ${key}`);
    for (const id of ids)
      assert.doesNotMatch(text, new RegExp(`^\\s*'?${id}'?:|['"]${id}['"]`, 'm'), `${file} names ${id}`);
  }
});
