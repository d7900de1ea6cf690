// Bench section: Lighthouse (npm `lighthouse`, its default mobile run with simulated throttling) on the
// static build in dist/, served as a static host serves it: tests/e2e/static-host.js applies dist/_headers
// as Netlify does (not `vite preview`, which sends more than a host would). Audits `/` (the start view) and a
// scenario page, LIGHTHOUSE_RUNS times each (default 3), and reports the median of every figure.
//
// Part of `npm run bench` (bench/sections.mjs); on its own, after a build (`npm run build` or the e2e build):
//   node bench/lighthouse.mjs        (BENCH_PORT=N serves on N+1, as the bench does; LIGHTHOUSE_ROOT=dir
//                                     audits another build, for a before/after; LIGHTHOUSE_DUMP=dir keeps
//                                     each full report)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_SWITCHES } from './context.mjs';

/** The pages audited: the start view, and a scenario page (nothing runs there until asked). */
const PAGES = [
  { key: 'start', path: '/' },
  { key: 'scenario', path: '/?scenario=cpu-in-async' },
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

const middle = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Starts tests/e2e/static-host.js on `port` over the build (dist/, or LIGHTHOUSE_ROOT: another build to
 * compare) with its _headers; resolves once it answers.
 */
async function serveDist(port) {
  const root = process.env.LIGHTHOUSE_ROOT ?? 'dist';
  const server = spawn(
    process.execPath,
    ['tests/e2e/static-host.js', '--root', root, '--port', String(port), '--headers', `${root}/_headers`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exited = new Promise((_, reject) =>
    server.once('exit', (code) => reject(new Error(`static-host.js exited (${code}) before serving`))),
  );
  for (let i = 0; i < 100; i++) {
    const up = await Promise.race([
      fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(`static-host.js did not answer on port ${port}`);
}

/**
 * One Lighthouse run of `url` in a Chromium of its own (fresh profile): category scores out of 100 and the
 * metrics the budgets name, plus the audits that failed (to say why a score is below 100).
 * @param {string} url
 */
async function audit(url) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', ...CHROMIUM_SWITCHES],
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    // LIGHTHOUSE_DUMP=dir keeps each full report (to read which elements shifted, what blocked).
    if (process.env.LIGHTHOUSE_DUMP)
      writeFileSync(
        join(
          process.env.LIGHTHOUSE_DUMP,
          `${new URL(url).search.slice(1).replace(/\W+/g, '-') || 'start'}-${Date.now()}.json`,
        ),
        JSON.stringify(lhr),
      );
    if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
    const score = (id) => Math.round((lhr.categories[id].score ?? 0) * 100);
    const metric = (id) => lhr.audits[id].numericValue;
    const failed = Object.values(lhr.categories)
      .flatMap((c) => c.auditRefs.filter((ref) => ref.weight > 0).map((ref) => lhr.audits[ref.id]))
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative')
      .map((a) => a.id);
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      best_practices: score('best-practices'),
      seo: score('seo'),
      tbt_ms: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
      lcp_ms: metric('largest-contentful-paint'),
      fcp_ms: metric('first-contentful-paint'),
      failed,
    };
  } finally {
    await chrome.kill();
  }
}

/**
 * `audit`, run again (twice at most) when Lighthouse itself fails to record the page (its NO_NAVSTART and
 * the like happen now and then on a loaded machine); any other failure is thrown at once.
 * @param {string} url
 * @param {(text: string) => void} log
 */
async function auditRetrying(url, log) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await audit(url);
    } catch (failure) {
      if (attempt >= 3 || !String(failure?.message).includes('Lighthouse on')) throw failure;
      log(`${failure.message}: again`);
    }
  }
}

/**
 * Audits each page `runs` times; figures are medians, `failed` the audits that failed in any run.
 * @param {{ port: number, runs: number, log: (text: string) => void }} options
 */
export async function measureLighthouse({ port, runs, log }) {
  const server = await serveDist(port);
  const figures = { runs, load_before: loadavg()[0] };
  try {
    for (const { key, path } of PAGES) {
      const samples = [];
      for (let i = 0; i < runs; i++) {
        log(`lighthouse ${path} (${i + 1} of ${runs})`);
        samples.push(await auditRetrying(`http://127.0.0.1:${port}${path}`, log));
      }
      const med = (name) => middle(samples.map((s) => s[name]));
      figures[key] = {
        path,
        performance: med('performance'),
        performance_range: [
          Math.min(...samples.map((s) => s.performance)),
          Math.max(...samples.map((s) => s.performance)),
        ],
        accessibility: med('accessibility'),
        best_practices: med('best_practices'),
        seo: med('seo'),
        tbt_ms: Math.round(med('tbt_ms')),
        cls: Math.round(med('cls') * 1000) / 1000,
        lcp_ms: Math.round(med('lcp_ms')),
        fcp_ms: Math.round(med('fcp_ms')),
        failed: [...new Set(samples.flatMap((s) => s.failed))],
      };
    }
  } finally {
    server.kill();
  }
  figures.load_after = loadavg()[0];
  return figures;
}

/** The rows and budgets of the section, from `measureLighthouse`'s figures. */
export function lighthouseReport(figures) {
  const rows = [];
  const budgets = [];
  for (const { key } of PAGES) {
    const f = figures[key];
    const [low, high] = f.performance_range;
    rows.push([
      `Lighthouse ${f.path}: scores`,
      `perf ${f.performance} (${low}-${high}), a11y ${f.accessibility}, best practices ${f.best_practices}, SEO ${f.seo}`,
      f.failed.length ? `failing audits: ${f.failed.join(', ')}` : 'no failing audit',
    ]);
    rows.push([
      `Lighthouse ${f.path}: metrics`,
      `TBT ${f.tbt_ms} ms, CLS ${f.cls}, LCP ${f.lcp_ms} ms, FCP ${f.fcp_ms} ms`,
      `median of ${figures.runs} runs (load ${figures.load_before.toFixed(2)})`,
    ]);
    const at = (name, value, budget, pass) =>
      budgets.push({ name: `${f.path} ${name}`, value, budget, pass });
    at('Lighthouse performance', f.performance, '>= 90', f.performance >= 90);
    at('Lighthouse accessibility', f.accessibility, '100', f.accessibility === 100);
    at('Lighthouse best practices', f.best_practices, '100', f.best_practices === 100);
    at('Lighthouse SEO', f.seo, '100', f.seo === 100);
    at('total blocking time (ms)', f.tbt_ms, '< 200', f.tbt_ms < 200);
    at('cumulative layout shift', f.cls, '< 0.02', f.cls < 0.02);
  }
  return { rows, budgets };
}

const port = () => Number(process.env.BENCH_PORT ?? 4273) + 1;
const runs = () => Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));

/** The bench section (see bench/sections.mjs). */
export const lighthouseSection = {
  key: 'lighthouse',
  title: 'Lighthouse on the static build (/ and a scenario page)',
  measure: async ({ log }) => {
    const figures = await measureLighthouse({ port: port(), runs: runs(), log });
    return { figures, ...lighthouseReport(figures) };
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const log = (text) => process.stderr.write(`bench: ${text}\n`);
  const figures = await measureLighthouse({ port: port(), runs: runs(), log });
  const { rows, budgets } = lighthouseReport(figures);
  console.log(JSON.stringify(figures, null, 2));
  for (const row of rows) console.log(row.join(' | '));
  for (const b of budgets)
    console.log(`${b.pass ? 'pass' : 'FAIL'}  ${b.name}: ${b.value} (budget ${b.budget})`);
}
