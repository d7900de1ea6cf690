/**
 * A Vite plugin that turns each scenario's folder (`crate/src/scenarios/<id>/`) and the start view's text
 * (`www/content/`) into page content at build time, so the page never shows text or code that drifted from
 * the crate:
 *
 * - `lesson.md` becomes HTML, one piece per `## ` section (situation, predict, what happens, the lesson);
 * - `predict.json` is the scenario's prediction questions, checked against the run by `www/views/predict.js`;
 * - the Rust code that ran (from `async fn run` to the tests module of `mod.rs`, helpers included) and
 *   `twin.py` are highlighted with Shiki, in a light and a dark theme.
 *
 * `virtual:juggle-content` exports `lessons` (scenario id to a loader of that scenario's content, so each
 * scenario's highlighted code is a chunk of its own) and `start` (the start view's HTML and the quiz).
 * A missing section, code region or malformed question fails the build with a message naming the file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Marked } from 'marked';
import { createHighlighter } from 'shiki';

const INDEX = 'virtual:juggle-content';
const LESSON = 'virtual:juggle-lesson/';
const PARTS = 'virtual:juggle-scenario-parts';
/** The words of the figures no scenario owns (those the browser's Python adds to a run). */
const SHARED_LABELS = 'www/views/result-labels.json';
const THEMES = { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' };
/** The `## ` headings every lesson.md has, and the keys the page reads them by. */
const SECTIONS = {
  'The situation': 'situation',
  Predict: 'predict',
  'What happens': 'happens',
  'The lesson': 'lesson',
};
/** The question kinds `www/views/predict.js` knows how to check against a run. */
const QUESTION_KINDS = ['time', 'fastest', 'stalls', 'output', 'lost', 'speedup', 'count'];

const markdown = new Marked({ gfm: true });

/** The HTML of each `## ` section of a lesson, keyed as in `SECTIONS`; fails on a missing section. */
export function lessonSections(text, file) {
  const sections = {};
  for (const { title, html } of markdownSections(text)) {
    const key = SECTIONS[title];
    if (!key) throw new Error(`${file}: unknown section "## ${title}"; allowed: ${Object.keys(SECTIONS)}`);
    sections[key] = html;
  }
  for (const [heading, wanted] of Object.entries(SECTIONS))
    if (!sections[wanted]) throw new Error(`${file}: the section "## ${heading}" is missing or empty`);
  return sections;
}

/**
 * The code that runs a scenario: from `async fn run` (with its doc comment) to the line before the tests
 * module, so helper functions it calls in the same file come along.
 */
export function rustRegion(source, file) {
  const lines = source.split('\n');
  let start = lines.findIndex((line) => /^(pub )?async fn run\(/.test(line));
  if (start < 0) throw new Error(`${file}: no \`async fn run(\` to show on the page`);
  while (start > 0 && lines[start - 1].startsWith('///')) start -= 1;
  let end = lines.findIndex((line, i) => i > start && line.startsWith('#[cfg(test)]'));
  if (end < 0) end = lines.length;
  return lines.slice(start, end).join('\n').trim();
}

/**
 * The code of a scenario's pool job (`pool_job.rs`, run on the worker pool's threads): the file without
 * its module comment and imports, up to its tests module. The page shows it after `async fn run`, so the
 * code that ran on the threads is the scenario's own functions, not the job's name.
 */
export function poolJobRegion(source) {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => !/^(\/\/!|use |$)/.test(line));
  let end = lines.findIndex((line, i) => i > start && line.startsWith('#[cfg(test)]'));
  if (end < 0) end = lines.length;
  return start < 0 ? '' : lines.slice(start, end).join('\n').trim();
}

export function checkQuestions(questions, variants, file) {
  if (!Array.isArray(questions) || questions.length === 0)
    throw new Error(`${file}: expected a non-empty array of questions`);
  for (const question of questions) {
    if (!QUESTION_KINDS.includes(question.kind))
      throw new Error(`${file}: unknown question kind "${question.kind}"; allowed: ${QUESTION_KINDS}`);
    if (typeof question.prompt !== 'string') throw new Error(`${file}: every question needs a "prompt"`);
    if (question.variant && !variants.includes(question.variant))
      throw new Error(`${file}: no variant "${question.variant}"; the scenario has ${variants}`);
    if (['output', 'speedup'].includes(question.kind) && !question.variant)
      throw new Error(`${file}: an "${question.kind}" question needs the "variant" it is about`);
    if (question.kind === 'output') {
      const patterns = ['alternating', 'grouped'];
      if (!Array.isArray(question.choices) || !question.choices.every((c) => patterns.includes(c.pattern)))
        throw new Error(
          `${file}: an "output" question needs "choices", each with a "pattern" of ${patterns}`,
        );
    }
  }
  return questions;
}

/**
 * The catalogue as the Rust core declares it (`cargo run --example catalog`): the one source of the
 * scenarios' variant ids, which the prediction questions are checked against.
 * @param {string} root the repository's root
 * @returns {{ id: string, variants: { id: string }[] }[]}
 */
export function rustCatalogue(root) {
  const json = execFileSync('cargo', ['run', '--quiet', '--example', 'catalog'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(json);
}

/** The variant ids the catalogue gives scenario `id`. */
export function variantIds(catalogue, id) {
  const scenario = catalogue.find((entry) => entry.id === id);
  if (!scenario)
    throw new Error(`the Rust catalogue has no scenario "${id}" (crate/src/catalog.rs lists them)`);
  return scenario.variants.map((variant) => variant.id);
}

/** What a twin's `IN_THE_BROWSER` table may say of a variant. */
export const BROWSER_FATES = ['runs', 'needs processes', 'needs free-threading', 'no Python equivalent'];

/**
 * A twin's `IN_THE_BROWSER` table (how each variant fares in the browser's Python), checked: one line
 * `"variant": "fate",` per variant of the scenario, every variant once, fates from BROWSER_FATES.
 * @param {string} source twin.py
 * @param {string[]} variants the scenario's variant ids
 * @param {string} file for messages
 * @returns {Record<string, string>}
 */
export function browserFates(source, variants, file) {
  const block = source.match(/^IN_THE_BROWSER = \{\n((?: {4}"[^"\n]+": "[^"\n]+",\n)*)\}$/m);
  if (!block) throw new Error(`${file}: no IN_THE_BROWSER table (one "variant": "fate", line per variant)`);
  const fates = Object.fromEntries([...block[1].matchAll(/"([^"]+)": "([^"]+)"/g)].map((m) => [m[1], m[2]]));
  for (const [variant, fate] of Object.entries(fates)) {
    if (!variants.includes(variant)) throw new Error(`${file}: IN_THE_BROWSER names no variant "${variant}"`);
    if (!BROWSER_FATES.includes(fate))
      throw new Error(
        `${file}: IN_THE_BROWSER["${variant}"] is "${fate}"; allowed: ${BROWSER_FATES.join(', ')}`,
      );
  }
  const missing = variants.filter((variant) => !(variant in fates));
  if (missing.length) throw new Error(`${file}: IN_THE_BROWSER lacks ${missing.join(', ')}`);
  return fates;
}

/**
 * What the scenario folders add to every run's figure: the figures' names in words (each folder's
 * `labels.json`, merged with the shared `www/views/result-labels.json` for the Python runs' figures; one
 * name given two sets of words fails the build), the figures about the browser's own machinery (those a
 * labels.json lists under `"browser"`, shown under "How the browser does it") and the folders that have a
 * `view.js`.
 * @param {string} root the repository's root
 * @returns {{ labels: Record<string, string>, browser: string[], views: { id: string, path: string }[],
 *   watch: string[] }}
 */
export function scenarioParts(root) {
  const dir = join(root, 'crate/src/scenarios');
  /** @type {Record<string, string>} */
  const labels = {};
  /** @type {Record<string, string>} */
  const from = {};
  const browser = new Set();
  const views = [];
  const watch = [];
  const add = (/** @type {string} */ file) => {
    const path = relative(root, file);
    if (!existsSync(file)) throw new Error(`${path} is missing: every scenario names its figures`);
    watch.push(file);
    const { browser: machinery = {}, ...plain } = JSON.parse(readFileSync(file, 'utf8'));
    for (const [key, words] of [...Object.entries(plain), ...Object.entries(machinery)]) {
      if (typeof words !== 'string' || !words) throw new Error(`${path}: "${key}" needs words`);
      if (key in labels && labels[key] !== words)
        throw new Error(`${path}: "${key}" is "${words}", but ${from[key]} calls it "${labels[key]}"`);
      labels[key] = words;
      from[key] = path;
    }
    for (const key of Object.keys(machinery)) browser.add(key);
  };
  add(join(root, SHARED_LABELS));
  const ids = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const sid of ids) {
    add(join(dir, sid, 'labels.json'));
    const view = join(dir, sid, 'view.js');
    if (existsSync(view)) views.push({ id: sid, path: view });
  }
  return { labels, browser: [...browser].sort(), views, watch };
}

/** The Vite plugin; `root` is the repository's root. */
export function juggleContent(root) {
  const scenariosDir = join(root, 'crate/src/scenarios');
  const contentDir = join(root, 'www/content');
  let highlighter;
  /** Read once per build, again in development when a scenario's Rust changes. */
  let catalogue = null;
  const highlight = async (code, lang) => {
    highlighter ??= await createHighlighter({ themes: Object.values(THEMES), langs: ['rust', 'python'] });
    return highlighter.codeToHtml(code, { lang, themes: THEMES, defaultColor: 'light' });
  };
  const scenarioIds = () =>
    readdirSync(scenariosDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

  return {
    name: 'juggle-content',
    resolveId(id) {
      if (id === INDEX || id === PARTS || id.startsWith(LESSON)) return `\0${id}`;
    },
    watchChange(id) {
      if (id.endsWith('.rs')) catalogue = null;
    },
    async load(id) {
      if (id === `\0${INDEX}`) {
        for (const file of readdirSync(contentDir)) this.addWatchFile(join(contentDir, file));
        const start = markdownSections(readFileSync(join(contentDir, 'start.md'), 'utf8'));
        const quiz = JSON.parse(readFileSync(join(contentDir, 'quiz.json'), 'utf8'));
        const loaders = scenarioIds()
          .map((sid) => `  ${JSON.stringify(sid)}: () => import(${JSON.stringify(LESSON + sid)}),`)
          .join('\n');
        return [
          `export const lessons = {\n${loaders}\n};`,
          `export const start = ${JSON.stringify({ sections: start, quiz })};`,
        ].join('\n');
      }
      if (id === `\0${PARTS}`) {
        const parts = scenarioParts(root);
        for (const path of parts.watch) this.addWatchFile(path);
        const imports = parts.views.map(
          ({ path }, i) => `import * as view${i} from ${JSON.stringify(path)};`,
        );
        const views = parts.views.map(({ id: sid }, i) => `  ${JSON.stringify(sid)}: view${i},`);
        return [
          ...imports,
          `export const labels = ${JSON.stringify(parts.labels)};`,
          `export const browserFigures = ${JSON.stringify(parts.browser)};`,
          `export const views = {\n${views.join('\n')}\n};`,
        ].join('\n');
      }
      if (!id.startsWith(`\0${LESSON}`)) return null;
      const sid = id.slice(LESSON.length + 1);
      const dir = join(scenariosDir, sid);
      const file = (name) => {
        const path = join(dir, name);
        this.addWatchFile(path);
        return { path: relative(root, path), text: readFileSync(path, 'utf8') };
      };
      const lesson = file('lesson.md');
      const rust = file('mod.rs');
      // A scenario whose work runs on the pool's threads keeps that code beside mod.rs (see pool.rs).
      const poolJob = existsSync(join(dir, 'pool_job.rs')) ? file('pool_job.rs') : null;
      const shown = [rustRegion(rust.text, rust.path)];
      if (poolJob)
        shown.push(`// On the worker pool's threads (${poolJob.path}):\n\n${poolJobRegion(poolJob.text)}`);
      catalogue ??= rustCatalogue(root);
      const twin = file('twin.py');
      const predict = file('predict.json');
      const variants = variantIds(catalogue, sid);
      const content = {
        ...lessonSections(lesson.text, lesson.path),
        questions: checkQuestions(JSON.parse(predict.text), variants, predict.path),
        rust: { path: rust.path, html: await highlight(shown.join('\n\n'), 'rust') },
        python: {
          path: twin.path,
          html: await highlight(twin.text.trim(), 'python'),
          // The very file shown, run by the browser's Python when the learner asks (www/views/python-twin.js).
          source: twin.text,
          browser: browserFates(twin.text, variants, twin.path),
        },
      };
      return `export default ${JSON.stringify(content)};`;
    },
  };
}

/**
 * Markdown cut at its `## ` headings: one `{ id, title, html }` per section (the id is the title in kebab
 * case); anything before the first such heading (a `# ` title, a comment) is left out.
 */
export function markdownSections(text) {
  const sections = [];
  for (const token of markdown.lexer(text)) {
    if (token.type === 'heading' && token.depth === 2) {
      const id = token.text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      sections.push({ id, title: token.text, html: '' });
    } else if (sections.length) sections.at(-1).html += markdown.parser([token]);
  }
  return sections;
}
