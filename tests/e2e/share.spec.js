// Sharing (#18): a Share button copies a link to the knobs; "Share this run" puts a recorded run in the
// link's fragment; "Open a trace" (file picker or drop) shows a JSON download as a recorded run. A trace
// from a file or a link is a stranger's data: hostile ones get a clear error, run no script, and the page
// keeps working.
import { readFile } from 'node:fs/promises';
import { expect, open, QUICK, runsDone, test } from './fixtures.js';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const RUN = '?scenario=count&variant=async&sleep_ms=200&autorun=1';

/** What a figure shows of its run, to compare two pages. */
async function shown(page, variant = 'async') {
  const figure = page.locator(`figure.run-figure[data-variant="${variant}"]`);
  await expect(figure).toBeVisible();
  return {
    total: await figure.getAttribute('data-total-ms'),
    summary: await figure.locator('.run-summary').first().textContent(),
    output: await figure.locator('ol.output li').allTextContents(),
    spans: await figure.locator('.data-table tbody tr').count(),
    // The verdicts set beside the run (the nudge to predict first is only for the page the run was made on).
    verdicts: await page.locator('#prediction-slot section.prediction-results').allTextContents(),
  };
}

/** Runs count/async and returns its JSON download's text. */
async function recordRun(page) {
  await open(page, RUN);
  await runsDone(page);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('figure[data-variant="async"] button.download', { hasText: /^JSON$/ }).click(),
  ]);
  return (await readFile(await file.path())).toString();
}

/** Opens `contents` (text or bytes) with the file picker. */
async function pick(page, contents, name = 'run.json') {
  await page.locator('#open-trace').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.isBuffer(contents) ? contents : Buffer.from(contents),
  });
}

test('Share this run: the link opens the same timeline and verdicts in a new page, marked recorded', async ({
  page,
  context,
}) => {
  await open(page, RUN);
  await runsDone(page);
  const before = await shown(page);
  const figure = page.locator('figure[data-variant="async"]');
  await figure.getByRole('button', { name: /Share this run/ }).click();
  await expect(figure.locator('.copied').last()).toHaveText('Copied');
  const link = await figure.locator('.share-link').last().inputValue();
  expect(link).toMatch(/\?scenario=count&sleep_ms=200&variant=async#trace=[A-Za-z0-9_-]+$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const other = await context.newPage();
  await other.goto(link);
  await other.waitForFunction(() => document.body?.dataset.ready === 'true');
  const recorded = other.locator('figure[data-variant="async"][data-recorded="link"]');
  await expect(recorded.locator('.recorded-note')).toContainText('Recorded run (from a link)');
  await expect(recorded.locator('.recorded-note')).toContainText(/Recorded .* on \d+ cores?/);
  expect(await shown(other)).toEqual(before);
  // Nobody ran it on the new page, so nobody is told they ran it without predicting.
  await expect(page.locator('#prediction-slot')).toContainText('You ran it without predicting');
  await expect(other.locator('#prediction-slot')).toHaveText('');
  // Nothing ran on the new page, and the knobs are the run's.
  expect(await other.evaluate(() => document.body.dataset.runs)).toBeUndefined();
  await expect(other.locator('input[name="sleep_ms"]')).toHaveValue('200');
  // The replay works on it.
  await expect(other.locator('#replay-slot input[type="range"]')).toBeVisible();
  // Run measures it afresh: the figure is no longer marked recorded.
  await recorded.getByRole('button', { name: /^Run .* here$/ }).click();
  await runsDone(other);
  await expect(other.locator('figure[data-variant="async"]')).not.toHaveAttribute('data-recorded', /.+/);
  await other.close();
});

test('a JSON download opens with the file picker and by drag and drop, as the same run', async ({ page }) => {
  const json = await recordRun(page);
  const before = await shown(page);
  await open(page, '?scenario=timelines');
  await pick(page, json);
  // The trace's scenario opens, with its knobs.
  const figure = page.locator('figure[data-variant="async"][data-recorded="file"]');
  await expect(figure.locator('.recorded-note')).toContainText('Recorded run (from a file)');
  await expect(page.locator('.scenario')).toHaveAttribute('data-scenario', 'count');
  expect(await shown(page)).toEqual(before);
  // Its downloads work: the JSON written again is the file that was opened.
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    figure.locator('button.download', { hasText: /^JSON$/ }).click(),
  ]);
  expect((await readFile(await file.path())).toString()).toBe(json);

  await open(page, '?scenario=race');
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return transfer;
  }, json);
  await page.dispatchEvent('main, #app', 'dragover', { dataTransfer });
  await page.dispatchEvent('main, #app', 'drop', { dataTransfer });
  await expect(page.locator('figure[data-variant="async"][data-recorded="file"]')).toBeVisible();
  expect(await shown(page)).toEqual(before);
});

test('hostile trace files each get a clear error, run no script, and the page keeps working', async ({
  page,
}) => {
  const json = await recordRun(page);
  const good = JSON.parse(json);
  const limits = await page.evaluate(() => window.juggle.traceLimits());
  const trap = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const changed = (change) => {
    const copy = structuredClone(good);
    change(copy);
    return JSON.stringify(copy);
  };
  const span = { lane: 'main', task: 't', label: 'l', kind: 'cpu', start_ms: 0, end_ms: 0 };
  const hostile = [
    ['invalid JSON', '{"scenario": "count", ', /not valid JSON/],
    [
      'a wrong type',
      changed((t) => (t.spans[0].start_ms = '0')),
      /trace\.spans\[0\]\.start_ms must be a finite number/,
    ],
    ['a string total', changed((t) => (t.total_ms = 'soon')), /trace\.total_ms must be a finite number/],
    [
      'huge arrays',
      changed((t) => (t.spans = Array(limits.spans + 1).fill(span))),
      /trace\.spans must be an array of at most 50000 items/,
    ],
    [
      'too many lines',
      changed((t) => (t.output = Array(limits.output + 1).fill({ t_ms: 0, task: 'a', text: 'b' }))),
      /trace\.output must be an array of at most 10000/,
    ],
    [
      'an infinite time',
      json.replace(/"start_ms":\s*[0-9.e+-]+/, '"start_ms": 1e999'),
      /start_ms must be a finite number/,
    ],
    [
      'a span ending before it starts',
      changed((t) => {
        const span = t.spans.find((s) => s.end_ms > s.start_ms + 1);
        [span.start_ms, span.end_ms] = [span.end_ms, span.start_ms];
      }),
      /end_ms must be at least its start_ms/,
    ],
    [
      'a time past the total',
      changed((t) => (t.output[0].t_ms = t.total_ms * 3)),
      /trace\.output\[0\]\.t_ms must be a finite number of ms from 0 to the run's total_ms/,
    ],
    [
      'an unknown span kind',
      changed((t) => (t.spans[0].kind = trap)),
      /trace\.spans\[0\]\.kind must be one of "cpu", "blocked", "wait", "startup"/,
    ],
    [
      'script in the scenario',
      changed((t) => (t.scenario = trap)),
      /trace\.scenario must be one of "timelines"/,
    ],
    [
      'an unknown variant',
      changed((t) => (t.variant = 'turbo')),
      /trace\.variant must be a variant of count/,
    ],
    ['an extra field', changed((t) => (t.__proto_x = 1)), /must be absent/],
    ['a very long label', changed((t) => (t.spans[0].label = 'x'.repeat(5000))), /at most 200 characters/],
    [
      'deep nesting',
      changed((t) => (t.result = JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`))),
      /nests more than 32 levels/,
    ],
    [
      'a 10 MB file',
      Buffer.alloc(10 * 1024 * 1024, 32),
      /it is 10\.0 MB, and a trace file may be at most 5 MB/,
    ],
  ];
  for (const [what, contents, message] of hostile) {
    await pick(page, contents, `${what}.json`);
    await expect(page.locator('#trace-error'), what).toContainText(message);
    await expect(page.locator('#trace-error'), what).toContainText(`${what}.json`);
    expect(await page.evaluate(() => window.__pwned), what).toBeUndefined();
  }
  // The message is text: the trap in it is shown as written, no element was made from it.
  await pick(
    page,
    changed((t) => (t.scenario = trap)),
    'trap.json',
  );
  await expect(page.locator('#trace-error')).toContainText('<img src=x onerror=');
  expect(await page.locator('#trace-error img, #trace-error script').count()).toBe(0);

  // Hostile strings where strings are allowed are drawn as text.
  await pick(
    page,
    changed((t) => {
      t.output[0].text = trap;
      t.spans[0].label = trap.slice(0, 60);
    }),
    'strings.json',
  );
  const figure = page.locator('figure[data-variant="async"][data-recorded="file"]');
  await expect(figure.locator('ol.output')).toContainText('<img src=x onerror="window.__pwned=1">');
  expect(await page.locator('#results img, #results script').count()).toBe(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();

  // The page still runs.
  await page.locator('#run-sync').click();
  await runsDone(page, 2);
  await expect(page.locator('figure[data-variant="sync"]')).toBeVisible();
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
});

test('a broken #trace= link says what is wrong, and the page works', async ({ page }) => {
  await open(page, '?scenario=count#trace=not*base64');
  await expect(page.locator('#trace-error')).toContainText('not valid base64url');
  await open(page, '?scenario=count#trace=AAAAAAAAAAAA');
  await expect(page.locator('#trace-error')).toContainText('not a compressed trace (deflate-raw)');
  await open(page, `?scenario=count#trace=${'A'.repeat(40_000)}`);
  await expect(page.locator('#trace-error')).toContainText('at most 32768');
  await page.locator('#run-async').click();
  await runsDone(page);
  await expect(page.locator('figure[data-variant="async"]')).toBeVisible();
});

test('a run too large for a link is refused with a pointer to the JSON download', async ({ page }) => {
  const good = JSON.parse(await recordRun(page));
  // Random labels do not compress: 3,000 of them are far over the link's 32 KB.
  const random = () => Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 12);
  for (let i = 0; i < 3000; i++)
    good.spans.push({ lane: 'main', task: random(), label: random(), kind: 'cpu', start_ms: 1, end_ms: 2 });
  await pick(page, JSON.stringify(good), 'big.json');
  const figure = page.locator('figure[data-variant="async"][data-recorded="file"]');
  await figure.getByRole('button', { name: /Share this run/ }).click();
  await expect(figure.locator('.copied.error')).toContainText(
    /too large for a link.*at most 32 KB.*Download it as JSON/,
  );
  await expect(figure.locator('.share-link').last()).toBeHidden();
});

test('the Share button and the embed snippet follow the knobs; "Copied" goes when they change', async ({
  page,
}) => {
  await open(page, '?scenario=count');
  const share = page.getByRole('button', { name: 'Share these settings: a link to this scenario with them' });
  await share.focus();
  await page.keyboard.press('Enter');
  const row = page.locator('.step-run .share-row');
  await expect(row.locator('.copied')).toHaveText('Copied');
  expect(await row.locator('.share-link').inputValue()).toMatch(/\?scenario=count$/);
  await page.locator('details.embed-panel summary').click();
  await page.getByRole('button', { name: 'Copy HTML' }).click();
  await expect(page.locator('details.embed-panel .copied').first()).toHaveText('Copied.');

  await page.locator('input[name="tasks"]').fill('5');
  await expect(row.locator('.copied')).toHaveText('');
  await expect(row.locator('.share-link')).toBeHidden();
  await expect(page.locator('details.embed-panel .copied').first()).toHaveText('');
  await expect(page.locator('#embed-scenario-html')).toHaveValue(/tasks=5/);
  await expect(page.locator('#embed-scenario-url')).toHaveValue(/tasks=5/);
  await share.click();
  expect(await row.locator('.share-link').inputValue()).toMatch(/\?scenario=count&tasks=5$/);
});

test('an embed shows a recorded run from its link, marked recorded, with Run to measure afresh', async ({
  page,
}) => {
  await open(page, RUN);
  await runsDone(page);
  const figure = page.locator('figure[data-variant="async"]');
  await figure.getByRole('button', { name: /Share this run/ }).click();
  // The link is made once the core's on-demand part has written the trace.
  await expect(figure.locator('.share-link').last()).toHaveValue(/#trace=/);
  const link = new URL(await figure.locator('.share-link').last().inputValue());
  link.searchParams.set('embed', '1');
  await page.goto(link.href);
  await page.waitForFunction(() => document.body?.dataset.ready === 'true');
  const recorded = page.locator('figure[data-variant="async"][data-recorded="link"]');
  await expect(recorded.locator('.recorded-note')).toContainText('Recorded run (from a link)');
  await recorded.getByRole('button', { name: /^Run .* here$/ }).click();
  await runsDone(page);
  await expect(page.locator('figure[data-variant="async"]')).not.toHaveAttribute('data-recorded', /.+/);
});

test("every variant, at its knobs' extremes, opens again from its JSON download as the same run", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page);
  const results = await page.evaluate(async (quick) => {
    const juggle = window.juggle;
    // Each knob that sets how many tasks, threads or workers a run has (and so its lanes and rows) is
    // taken to its maximum in a run of its own, when the core estimates that run at 1.5 s or less.
    const counts = /^(tasks|threads|workers|requests|pages|consumers|limit|items|increments)$/;
    const out = [];
    for (const scenario of juggle.scenarios()) {
      const base = Object.fromEntries(new URLSearchParams(quick[scenario.id] ?? ''));
      for (const variant of scenario.variants) {
        if (!variant.available) continue;
        const settings = [{ ...base, variant: variant.id }];
        for (const param of scenario.params) {
          if (!counts.test(param.name)) continue;
          const extreme = { ...base, variant: variant.id, [param.name]: param.max };
          if (juggle.estimate(scenario.id, extreme) <= 1500) settings.push(extreme);
        }
        for (const params of settings) {
          const trace = await juggle.run(scenario.id, params);
          const text = await juggle.exportTrace(trace, 'json');
          let same = false;
          let error = null;
          try {
            same = JSON.stringify(await juggle.reviewTrace(text)) === JSON.stringify(JSON.parse(text));
          } catch (failure) {
            error = failure.message;
          }
          const lanes = [...new Set(trace.spans.map((s) => s.lane))];
          out.push({ run: `${scenario.id} ${JSON.stringify(params)}`, same, error, lanes });
        }
      }
    }
    return out;
  }, QUICK);
  expect(results.length).toBeGreaterThan(40);
  // The run whose download was refused before: a thread of its own per blocking call.
  expect(results.some((r) => r.lanes.includes('thread-20'))).toBe(true);
  for (const { run, same, error } of results) {
    expect(error, run).toBeNull();
    expect(same, run).toBe(true);
  }
});
