// What the bench's entry points share (bench/run.mjs, the whole bench; bench/section.mjs, some sections):
// the runs per figure, the median, the warm-up-then-repeat loop, the log, and the page served as
// `npm run bench` serves it (vite preview of dist/) in Debian Chromium, with `openPage` and `runTrace`.
// A section's `measure(ctx)` gets these (see bench/sections.mjs).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

/** Runs per figure: BENCH_RUNS, at least 5. */
export const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
/** A command's { stdout, stderr }, promised. */
export const run = promisify(execFile);

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A progress line on stderr (stdout carries the results). */
export const log = (text) => process.stderr.write(`bench: ${text}\n`);

/** Runs `measure` once to warm up, then RUNS times; returns the samples. */
export async function repeat(measure) {
  await measure();
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(await measure());
  return samples;
}

/** The switches the bench's Chromium runs with, wherever it is launched (Playwright, Lighthouse). */
export const CHROMIUM_SWITCHES = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Serves dist/ (vite preview on BENCH_PORT, 4273 by default: two benches at once need two ports) and
 * launches Chromium with `args` added to the bench's switches. Resolves to the server's origin, the
 * browser, `openPage`, `runTrace` and `close`.
 * @param {{ args?: string[] }} [options]
 */
export async function startBench({ args = [] } = {}) {
  const port = Number(process.env.BENCH_PORT ?? 4273);
  const server = await preview({
    preview: { port, host: '127.0.0.1', strictPort: true },
    logLevel: 'warn',
  });
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...args, ...CHROMIUM_SWITCHES],
  });
  /** A fresh page with Juggle loaded; refuses to measure in a hidden tab (timers are throttled there). */
  const openPage = async (query = '') => {
    const page = await browser.newPage();
    await page.goto(`${origin}/${query}`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const visibility = await page.evaluate(() => document.visibilityState);
    if (visibility !== 'visible')
      throw new Error(`the page is ${visibility}: timers are throttled, refusing to measure`);
    return page;
  };
  /** `juggle.run(id, params)` on `page`: the trace. */
  const runTrace = (page, id, params) => page.evaluate(([i, p]) => window.juggle.run(i, p), [id, params]);
  const close = async () => {
    await browser.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
  };
  return { origin, browser, openPage, runTrace, close };
}
