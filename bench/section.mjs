// `node bench/section.mjs <key>...`: runs only the named sections of bench/sections.mjs against the built page
// (dist/, as `npm run bench` serves it), so a topic can be measured without the whole bench. Prints the
// section's rows and budgets and the load average; writes nothing. BENCH_PORT as for the bench.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { sections } from './sections.mjs';

const keys = process.argv.slice(2);
const chosen = sections.filter((s) => keys.includes(s.key));
if (!chosen.length) {
  console.error(`bench/section.mjs: name one or more of: ${sections.map((s) => s.key).join(', ')}`);
  process.exit(2);
}
const run = promisify(execFile);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const log = (text) => process.stderr.write(`bench: ${text}\n`);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const repeat = async (measure) => {
  await measure();
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(await measure());
  return samples;
};
const PORT = Number(process.env.BENCH_PORT ?? 4273);
const server = await preview({
  preview: { port: PORT, host: '127.0.0.1', strictPort: true },
  logLevel: 'warn',
});
const origin = `http://127.0.0.1:${PORT}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
async function openPage(query = '') {
  const page = await browser.newPage();
  await page.goto(`${origin}/${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  if ((await page.evaluate(() => document.visibilityState)) !== 'visible')
    throw new Error('the page is hidden: timers are throttled, refusing to measure');
  return page;
}
const runTrace = (page, id, params) => page.evaluate(([i, p]) => window.juggle.run(i, p), [id, params]);
const before = loadavg();
try {
  for (const section of chosen) {
    log(section.title);
    const out = await section.measure({
      browser,
      origin,
      openPage,
      repeat,
      median,
      log,
      run,
      runTrace,
      RUNS,
    });
    console.log(
      `\n${section.title} (load average ${before.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} after)`,
    );
    for (const row of out.rows) console.log(`  ${row.join('  |  ')}`);
    for (const b of out.budgets)
      console.log(`  ${b.pass ? 'pass' : 'FAIL'}  ${b.name}: ${Number(b.value).toFixed(2)} (${b.budget})`);
    console.log(JSON.stringify(out.figures, null, 1));
  }
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
