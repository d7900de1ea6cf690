// Exports: a run downloads as JSON (the trace format), CSV, Chrome trace, SVG and PNG, and its spans are
// marked with performance.measure for the DevTools Performance panel.
import { readFile } from 'node:fs/promises';
import { allowConsoleError, expect, open, runsDone, test } from './fixtures.js';

/** Clicks a download button of the `async` run and returns the file's bytes. */
async function download(page, label) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page
      .locator('figure[data-variant="async"] button.download', { hasText: new RegExp(`^${label}$`) })
      .click(),
  ]);
  return readFile(await file.path());
}

test('a run exports as JSON that round-trips, and as a Chrome trace with an event per span', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=async&sleep_ms=200&autorun=1');
  await runsDone(page);
  const json = (await download(page, 'JSON')).toString();
  const trace = JSON.parse(json);
  expect(trace).toMatchObject({ scenario: 'count', variant: 'async', params: { sleep_ms: 200 } });
  expect(trace.output.map((line) => line.text)).toEqual(['One', 'One', 'One', 'Two', 'Two', 'Two']);
  // Read back and written again, it is the same file.
  expect(await page.evaluate((t) => window.juggle.exportTrace(t, 'json'), trace)).toBe(json);

  const chrome = JSON.parse((await download(page, 'Chrome trace')).toString());
  const complete = chrome.traceEvents.filter((e) => e.ph === 'X');
  expect(complete).toHaveLength(trace.spans.length);
  expect(complete.every((e) => Number.isFinite(e.ts) && e.dur >= 0 && e.pid === 1)).toBe(true);
  const threads = chrome.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  expect(threads.map((e) => e.args.name)).toContain('main');

  const csv = (await download(page, 'CSV')).toString().trim().split('\n');
  expect(csv[0]).toBe('record,lane,task,kind,label,start_ms,end_ms');
  expect(csv.filter((row) => row.startsWith('span,'))).toHaveLength(trace.spans.length);
});

test('the timeline downloads as SVG and PNG', async ({ page }) => {
  await open(page, '?scenario=count&variant=async&sleep_ms=100&autorun=1');
  await runsDone(page);
  const svg = (await download(page, 'SVG')).toString();
  expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toContain('One');
  const png = await download(page, 'PNG');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.length).toBeGreaterThan(5_000);
});

test('spans are marked with performance.measure, the latest run only', async ({ page }) => {
  await open(page);
  const counts = await page.evaluate(async () => {
    const measures = () =>
      performance.getEntriesByType('measure').filter((m) => m.name.startsWith('juggle '));
    const first = await window.juggle.run('count', { variant: 'async', sleep_ms: 50 });
    const afterFirst = measures().length;
    const second = await window.juggle.run('count', { variant: 'sync', sleep_ms: 20 });
    const durations = measures().map((m) => m.duration);
    return { first: first.spans.length, afterFirst, second: second.spans.length, durations };
  });
  expect(counts.afterFirst).toBe(counts.first);
  expect(counts.durations).toHaveLength(counts.second);
  expect(counts.durations.every((d) => d >= 19)).toBe(true);
});

test('the core part that exports is not in the first load; the first download fetches it', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=async&sleep_ms=200&autorun=1');
  await runsDone(page);
  // The build's name, then Vite's hash (which may hold a dash: core-pkg-st-D-h4xMFt.wasm).
  const cores = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name).pathname.match(/\/core-(pkg(?:-st|-lazy)?)-[\w-]+\.wasm$/)?.[1])
        .filter((build, i, all) => build && all.indexOf(build) === i),
    );
  // A run and its chart need only the page's core.
  expect(await cores()).toEqual(['pkg-st']);
  const trace = JSON.parse((await download(page, 'JSON')).toString());
  expect(trace.scenario).toBe('count');
  expect(await cores()).toEqual(['pkg-st', 'pkg-lazy']);
});

test('a download whose core part cannot be fetched says why, and the next click fetches it', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=async&sleep_ms=200&autorun=1');
  await runsDone(page);
  const lazyCore = /\/core-pkg-lazy-[\w-]+\.wasm$/;
  // The browser logs the refused fetch; that is the fault this test makes.
  allowConsoleError(page, /Failed to load resource: net::ERR_FAILED/);
  await page.route(lazyCore, (route) => route.abort());
  await page.locator('figure[data-variant="async"] button.download', { hasText: /^CSV$/ }).click();
  await expect(page.locator('figure[data-variant="async"] .download-status')).toHaveText(
    /^CSV download failed: the core's on-demand part did not load: /,
  );
  await page.unroute(lazyCore);
  const csv = (await download(page, 'CSV')).toString();
  expect(csv.split('\n')[0]).toContain('start_ms');
  await expect(page.locator('figure[data-variant="async"] .download-status')).toHaveText('');
});
