// Bench section: big traces. A real run with many spans (the `race` scenario's "Read, await, write" variant,
// four tasks: two spans per increment), made by pressing the page's Run button, then
// - drawn: from the results view starting to draw (User Timing mark `juggle-draw`) to the next frame after
//   it, at 50,000 spans;
// - the replay cursor: one move (its input event, then style and layout forced), at 10,000 spans.
// Part of `npm run bench` (bench/sections.mjs); on its own, after a build:
//   node bench/big-traces.mjs        (serves dist/ with tests/e2e/static-host.js on BENCH_PORT + 2)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';

/** `race` parameters giving about `spans` spans (two per increment, four tasks). */
const raceFor = (spans) => `?scenario=race&tasks=4&increments=${Math.round(spans / 8)}`;

/** Presses Run for `await-race` and resolves once its figure is drawn and painted: the figures measured. */
const runAndTime = (page) =>
  page.evaluate(async () => {
    const before = Number(document.body.dataset.runs ?? 0);
    /** @type {HTMLButtonElement} */ (document.getElementById('run-await-race')).click();
    await new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        if (Number(document.body.dataset.runs ?? 0) <= before) return;
        watch.disconnect();
        resolve(undefined);
      });
      watch.observe(document.body, { attributes: true, attributeFilter: ['data-runs'] });
    });
    // The frame after the figures went in: style, layout and paint of the drawing are done by then.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    const drawn = performance.now() - performance.getEntriesByName('juggle-draw').at(-1).startTime;
    const summary = document.querySelector('#figure-await-race .data-table summary')?.textContent ?? '';
    return { drawn_ms: drawn, spans: Number(summary.match(/\((\d+) spans\)/)?.[1] ?? 0) };
  });

/** Moves the replay cursor `moves` times across the run; the time of each move, in ms. */
const moveCursor = (page, moves) =>
  page.evaluate((n) => {
    const slider = /** @type {HTMLInputElement} */ (document.getElementById('replay-cursor'));
    const times = [];
    for (let i = 1; i <= n; i++) {
      const from = performance.now();
      slider.value = String(Math.round((Number(slider.max) * i) / (n + 1)));
      slider.dispatchEvent(new Event('input'));
      document.body.getBoundingClientRect();
      times.push(performance.now() - from);
    }
    return times;
  }, moves);

/**
 * @param {{ openPage: (query?: string) => Promise<any>, median: (v: number[]) => number, RUNS: number,
 *   log: (text: string) => void }} ctx
 */
async function measure({ openPage, median, RUNS, log }) {
  const load = loadavg()[0];
  log('big traces: 50,000 spans drawn');
  const page = await openPage(raceFor(50_000));
  await runAndTime(page); // warm-up
  const draws = [];
  for (let i = 0; i < RUNS; i++) draws.push(await runAndTime(page));
  await page.close();
  log('big traces: the replay cursor at 10,000 spans');
  const replayPage = await openPage(raceFor(10_000));
  const small = await runAndTime(replayPage);
  await moveCursor(replayPage, 5); // warm-up
  const moves = await moveCursor(replayPage, 50);
  await replayPage.close();
  const figures = {
    load,
    draw_spans: draws[0].spans,
    draw_50k_ms: median(draws.map((d) => d.drawn_ms)),
    draw_50k_max_ms: Math.max(...draws.map((d) => d.drawn_ms)),
    replay_spans: small.spans,
    replay_move_median_ms: median(moves),
    replay_move_max_ms: Math.max(...moves),
  };
  const f1 = (ms) => `${ms.toFixed(1)} ms`;
  return {
    figures,
    rows: [
      [
        `timeline drawn, ${figures.draw_spans} spans`,
        f1(figures.draw_50k_ms),
        `median of ${RUNS}, max ${f1(figures.draw_50k_max_ms)}; canvas bars past 2,000 spans (load ${load.toFixed(2)})`,
      ],
      [
        `replay cursor move, ${figures.replay_spans} spans`,
        f1(figures.replay_move_median_ms),
        `median of 50 moves, max ${f1(figures.replay_move_max_ms)}`,
      ],
    ],
    budgets: [
      {
        name: 'timeline of 50,000 spans drawn (ms)',
        value: Math.round(figures.draw_50k_ms),
        budget: '<= 1000',
        pass: figures.draw_50k_ms <= 1000 && figures.draw_spans >= 50_000,
      },
      {
        name: 'replay cursor move at 10,000 spans (ms, median)',
        value: Math.round(figures.replay_move_median_ms * 10) / 10,
        budget: '<= 16',
        pass: figures.replay_move_median_ms <= 16 && figures.replay_spans >= 10_000,
      },
    ],
  };
}

/** The bench section (see bench/sections.mjs). */
export const bigTracesSection = {
  key: 'big_traces',
  title: 'Big traces: 50,000 spans drawn, the replay cursor at 10,000',
  measure,
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.BENCH_PORT ?? 4273) + 2;
  const server = spawn(
    process.execPath,
    ['tests/e2e/static-host.js', '--root', 'dist', '--port', String(port), '--headers', 'dist/_headers'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const openPage = async (query = '') => {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/${query}`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      return page;
    };
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const log = (text) => process.stderr.write(`bench: ${text}\n`);
    const out = await measure({ openPage, median, RUNS: 5, log });
    console.log(JSON.stringify(out.figures, null, 2));
    for (const row of out.rows) console.log(row.join(' | '));
    for (const b of out.budgets)
      console.log(`${b.pass ? 'pass' : 'FAIL'}  ${b.name}: ${b.value} (budget ${b.budget})`);
  } finally {
    await browser.close();
    server.kill();
  }
}
