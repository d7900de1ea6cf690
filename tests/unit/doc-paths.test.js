// Every repository path the docs and the source comments name exists (issue #25): a map that names a file
// which has moved sends a newcomer nowhere. Docs: README.md, ARCHITECTURE.md, CONTRIBUTING.md and
// docs/**/*.md, read whole. Sources: the comments (and Python docstrings) of the code under crate/, wasm/,
// www/, scripts/, tests/ and bench/.
//
// A path counts when it has a slash and either starts at a top-level entry of the repository (`crate/...`,
// `www/views/...`), starts with ./ or ../ (taken from the naming file's folder), or ends in a file name with
// an extension this repository uses (`views/router.js`, `src/lib.rs`: it must be the end of some file's path,
// or be found from the naming file's folder). URLs, absolute paths (`/pyodide/...`, `/proc/self/stat`),
// placeholders (`<id>`, `*`, `{a,b}`) and what .gitignore says is generated (dist/, www/pkg*/, target/) are
// not checked. A decision named by its file name alone (`2026-11-25-panic-unwind.md`) must be in
// docs/decisions/.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

/** Folders never walked: generated output, installed tools, git's own. */
const UNWALKED = new Set([
  '.git',
  'node_modules',
  'target',
  'dist',
  'test-results',
  'playwright-report',
  '.tools',
]);

/** Every file of the working tree, as a path from the root with forward slashes. */
function walk(dir = '', out = []) {
  for (const name of readdirSync(join(root, dir))) {
    const rel = dir ? `${dir}/${name}` : name;
    if (UNWALKED.has(name) || isGenerated(rel)) continue;
    if (statSync(join(root, rel)).isDirectory()) walk(rel, out);
    else out.push(rel);
  }
  return out;
}

/** .gitignore's patterns as regular expressions over a path from the root. */
const IGNORED = readFileSync(join(root, '.gitignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
  .map((line) => {
    const anchored = line.startsWith('/');
    const body = line
      .replace(/^\//, '')
      .replace(/\/$/, '')
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*');
    return new RegExp(`${anchored ? '^' : '(^|/)'}${body}(/|$)`);
  });

function isGenerated(path) {
  return IGNORED.some((re) => re.test(path));
}

const FILES = walk();
const TOP = new Set(FILES.map((f) => f.split('/')[0]));
for (const generated of ['dist', 'target', 'node_modules']) TOP.add(generated);

/** Extensions of files this repository holds or builds: a name ending so is taken for a path. */
const EXTENSIONS = new Set(
  [...FILES.map((f) => posix.extname(f)), '.wasm', '.ts'].filter((ext) => ext && ext !== '.lock'),
);

/** The docs, read whole. */
const DOCS = FILES.filter(
  (f) => ['README.md', 'ARCHITECTURE.md', 'CONTRIBUTING.md'].includes(f) || /^docs\/.*\.md$/.test(f),
);

/** The sources whose comments are read, and how comments are written in each. */
const SOURCE_ROOTS = ['crate/', 'wasm/', 'www/', 'scripts/', 'tests/', 'bench/'];
const SLASH_COMMENTS = new Set(['.rs', '.js', '.mjs', '.ts', '.css']);
const HASH_COMMENTS = new Set(['.py', '.sh', '.toml']);
const SOURCES = FILES.filter(
  (f) =>
    SOURCE_ROOTS.some((r) => f.startsWith(r)) &&
    (SLASH_COMMENTS.has(posix.extname(f)) || HASH_COMMENTS.has(posix.extname(f))),
);

/**
 * The comments of a C-like source (`//` and `/* *\/`), skipping string literals so that `'//'` in code is
 * not taken for one. Good enough for this repository's code; a regular-expression literal holding a quote
 * would confuse it, and the test would then report a path that is not one, never miss a stale one.
 */
function slashComments(text) {
  const out = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g;
  for (const m of text.matchAll(re)) if (m[0].startsWith('/')) out.push(m[0]);
  return out.join('\n');
}

/** The `#` comments of a Python, shell or TOML source, and a Python file's triple-quoted strings. */
function hashComments(text) {
  const out = [];
  const re = /"""[\s\S]*?"""|'''[\s\S]*?'''|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|#[^\n]*/g;
  for (const m of text.matchAll(re)) if (/^(#|"""|''')/.test(m[0])) out.push(m[0]);
  return out.join('\n');
}

/** The path-like words of a text: two or more segments joined by slashes, not part of a URL or an absolute path. */
function pathWords(text) {
  const plain = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]'"`]*/gi, ' ');
  const words = [];
  for (const m of plain.matchAll(/(?<![\w./@~:$-])(?:\.\.?\/)*[\w.@-]+(?:\/[\w.@*<>{},-]+)+\/?/g)) {
    const word = m[0].replace(/[.,]+$/, '');
    if (/[<>*{}]|\.\.\.|\/\//.test(word)) continue;
    words.push(word);
  }
  return words;
}

/** Paths the docs name that are not this repository's, and whose they are. */
const NOT_OURS = new Map([
  ['mod/page/view.php', "Moodle's page module (README, course platforms)"],
  ['./widget.mjs', "the MyST page's copy of notebook/src/juggle/widget.mjs, made when the page is built"],
  ['./lumino.css', "a stylesheet of myst-theme's book theme (docs/platforms/jupyter)"],
  ['./nouislider.css', "a stylesheet of myst-theme's book theme (docs/platforms/jupyter)"],
]);

/** Whether `word` is a path this test checks. */
function isRepoPath(word) {
  if (NOT_OURS.has(word)) return false;
  if (/^\.\.?\//.test(word)) return true;
  if (TOP.has(word.split('/')[0])) return true;
  const last = word.replace(/\/$/, '').split('/').pop();
  return EXTENSIONS.has(posix.extname(last)) && !/^\.\w+$/.test(last);
}

/** Whether the path `word`, named in the file `from`, exists (or is generated output). */
function pathExists(word, from) {
  const path = word.replace(/\/$/, '');
  // From the root, or from the naming file's folder or one above it (cargo takes a .cargo/config.toml's
  // paths from the folder that holds .cargo/).
  const here = posix.dirname(from);
  const candidates = [path, posix.join(here, path), posix.join(posix.dirname(here), path)];
  for (const c of candidates.map((c) => posix.normalize(c))) {
    if (c.startsWith('..')) continue;
    if (isGenerated(c) || existsSync(join(root, c))) return true;
    // A JSDoc type import names `x.js` where only its declarations `x.d.ts` exist, as TypeScript resolves it.
    if (c.endsWith('.js') && existsSync(join(root, c.replace(/\.js$/, '.d.ts')))) return true;
  }
  if (/^\.\.?\//.test(word)) return false;
  return FILES.some((f) => f.endsWith(`/${path}`) || f.startsWith(`${path}/`) || f.includes(`/${path}/`));
}

/** Every path named in `file` that does not exist, as `file: path`; a decision's file name counts too. */
function missingIn(file, text) {
  const decisions = [...text.matchAll(/(?<![\w/-])\d{4}-\d{2}-\d{2}-[\w-]+\.md/g)]
    .map((m) => m[0])
    .filter((name) => !existsSync(join(root, 'docs', 'decisions', name)));
  return pathWords(text)
    .filter((word) => isRepoPath(word) && !pathExists(word, file))
    .concat(decisions)
    .map((word) => `${file}: ${word}`);
}

function read(file) {
  return readFileSync(join(root, file), 'utf8');
}

test('the docs and the source comments are found', () => {
  for (const doc of ['README.md', 'ARCHITECTURE.md', 'CONTRIBUTING.md']) assert.ok(DOCS.includes(doc), doc);
  assert.ok(
    DOCS.some((f) => f.startsWith('docs/decisions/')),
    'docs/decisions/',
  );
  assert.ok(SOURCES.includes('crate/src/lib.rs') && SOURCES.includes('www/juggle.js'));
  assert.ok(SOURCES.length > 150, `${SOURCES.length} sources`);
});

test('the path finder takes paths, and leaves URLs, absolute paths and placeholders', () => {
  assert.deepEqual(
    pathWords(
      'see crate/src/web.rs, www/views/router.js. Not https://example.org/a/b.js, /proc/self/stat, ' +
        'crate/src/scenarios/<id>/mod.rs, www/pkg*/, a/b or read/write; but views/lab.js and ./fixtures.js',
    ),
    ['crate/src/web.rs', 'www/views/router.js', 'a/b', 'read/write', 'views/lab.js', './fixtures.js'],
  );
  assert.equal(isRepoPath('read/write'), false);
  assert.equal(isRepoPath('views/lab.js'), true);
  assert.equal(isRepoPath('crate/src/web.rs'), true);
  assert.equal(pathExists('crate/src/web.rs', 'www/engine.js'), false, 'a stale path is reported');
  assert.equal(pathExists('crate/src/web/mod.rs', 'www/engine.js'), true);
  assert.equal(pathExists('views/lab.js', 'ARCHITECTURE.md'), true, 'the end of a path');
  assert.equal(pathExists('fixtures.js', 'tests/e2e/a.spec.js'), true, 'from the naming file');
  assert.equal(pathExists('www/pkg-st/juggle.js', 'README.md'), true, 'generated');
  assert.equal(pathExists('../types/python.js', 'www/python/python.js'), true, 'a .d.ts for a type import');
  assert.equal(pathExists('../types/nothing.js', 'www/python/python.js'), false);
  assert.equal(
    slashComments("const a = '//x'; // crate/a.rs\n/* www/b.js */"),
    '// crate/a.rs\n/* www/b.js */',
  );
  assert.equal(hashComments("s = '#x'  # www/a.py\n"), '# www/a.py');
  assert.deepEqual(missingIn('ARCHITECTURE.md', 'see 2026-11-25-panic-unwind.md and 2026-01-01-none.md'), [
    'ARCHITECTURE.md: 2026-01-01-none.md',
  ]);
});

test('every path the docs name exists', () => {
  const missing = DOCS.flatMap((file) => missingIn(file, read(file)));
  assert.deepEqual(missing, []);
});

test('every path a source comment names exists', () => {
  const missing = SOURCES.flatMap((file) => {
    const ext = posix.extname(file);
    const text = read(file);
    return missingIn(file, SLASH_COMMENTS.has(ext) ? slashComments(text) : hashComments(text));
  });
  assert.deepEqual(missing, []);
});

test('ARCHITECTURE.md stays a map a newcomer reads in ten minutes (at most 20 KB)', () => {
  const bytes = readFileSync(join(root, 'ARCHITECTURE.md')).length;
  assert.ok(bytes <= 20_000, `ARCHITECTURE.md is ${bytes} bytes; move detail to docs/decisions/`);
});
