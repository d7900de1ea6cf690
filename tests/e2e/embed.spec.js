// Embedding: the compact embed mode, the snippet a teacher copies, a course page on another origin that
// embeds the iframe and fits its height, and coi-serviceworker on a host that sends no headers.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { courseOrigin, fallbackPort } from '../../playwright.config.js';
import { expect, open, runsDone, test } from './fixtures.js';

/** A Lab program for the embeds below, titled by its docstring. */
const PROGRAM = `"""Three tasks share one thread"""
import asyncio


async def task(name):
    print(name, "starts")
    await asyncio.sleep(0.2)
    print(name, "ends")


async def main():
    await asyncio.gather(task("A"), task("B"), task("C"))


asyncio.run(main())
`;

/** The program as the Lab's links carry it: `#code=` and base64url of deflate-raw. */
const PROGRAM_FRAGMENT = `#code=${deflateRawSync(Buffer.from(PROGRAM)).toString('base64url')}`;

/** The two kinds of embed a teacher pastes: a scenario limited to one variant, and a read-only program. */
const EMBEDS = {
  scenario: {
    path: '/?scenario=count&variant=async&embed=1&sleep_ms=300',
    run: (frame) => frame.getByRole('button', { name: 'Run awaited timer' }),
  },
  program: {
    path: `/?lab=1&readonly=1&embed=1${PROGRAM_FRAGMENT}`,
    run: (frame) => frame.getByRole('button', { name: 'Run', exact: true }),
  },
  'program that may be edited': {
    path: `/?lab=1&embed=1${PROGRAM_FRAGMENT}`,
    run: (frame) => frame.getByRole('button', { name: 'Run', exact: true }),
  },
};

/** Checks that `locator`'s box is wholly inside `box` (page coordinates), give or take a pixel. */
async function expectInside(locator, box, what) {
  const inner = await locator.boundingBox();
  expect(inner, `${what} is shown`).not.toBeNull();
  expect(inner.y, `${what}: top inside`).toBeGreaterThanOrEqual(box.y - 1);
  expect(inner.y + inner.height, `${what}: bottom inside`).toBeLessThanOrEqual(box.y + box.height + 1);
  expect(inner.x, `${what}: left inside`).toBeGreaterThanOrEqual(box.x - 1);
  expect(inner.x + inner.width, `${what}: right inside`).toBeLessThanOrEqual(box.x + box.width + 1);
}

/** After Run: the run's figure, its timeline (health check included) and its sentence, inside `box`. */
async function expectResultInside(frame, box) {
  const figure = frame.locator('figure.run-figure').first();
  await expectInside(figure.locator('.chart'), box, 'the timeline and its health check');
  await expectInside(figure.locator('.run-summary'), box, 'the sentence under it');
}

test('embed mode shows one scenario without the site chrome, with a way out', async ({ page }) => {
  await open(page, '?scenario=count&embed=1');
  await expect(page.locator('body')).toHaveClass(/embed/);
  await expect(page.locator('nav.scenario-nav')).toHaveCount(0);
  await expect(page.locator('.site-footer')).toBeHidden();
  expect(await page.locator('#app').evaluate((app) => app.firstChild.nodeName)).toBe('SECTION');
  const out = page.getByRole('link', { name: /Open in Juggle/ });
  await expect(out).toHaveAttribute('href', /scenario=count/);
  expect(await out.getAttribute('href')).not.toContain('embed=1');
});

test('the Embed panel gives the HTML and the plain URL side by side, for these knobs and a variant', async ({
  page,
}) => {
  await open(page, '?scenario=io-bound&requests=8');
  await page.getByText('Embed this scenario').click();
  const html = page.getByRole('textbox', { name: 'HTML', exact: true });
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  await expect(url).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/\?scenario=io-bound&requests=8&embed=1$/);
  const code = await html.inputValue();
  expect(code).toContain('<iframe class="juggle"');
  // The iframe's src is the plain URL itself (no &amp;), so the address copied from either box works in
  // IFrame(...), a MyST directive or an LMS URL field.
  expect(code).toContain(`src="${await url.inputValue()}"`);
  expect(code).toContain('title="Juggle: I/O-bound: many requests"');
  expect(code).toContain('loading="lazy"');
  expect(code).toContain('allow="cross-origin-isolated"');
  expect(code).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" defer><\/script>/);
  // Parsed as HTML, the snippet's iframe goes to the same address.
  const parsed = await page.evaluate(
    (text) => new DOMParser().parseFromString(text, 'text/html').querySelector('iframe').src,
    code,
  );
  expect(parsed).toBe(await url.inputValue());
  // One variant, the Understand step open.
  await page.locator('#embed-variant').selectOption('concurrent');
  await page.locator('#embed-understand').check();
  await expect(url).toHaveValue(/\?scenario=io-bound&requests=8&embed=1&variant=concurrent&understand=1$/);
  await expect(html).toHaveValue(/title="Juggle: I\/O-bound: many requests \(All at once\)"/);
  // The caveats are beside the code, and this page (on 127.0.0.1) says its address works only here.
  const panel = page.locator('details.embed-panel');
  await expect(panel.locator('.embed-caveats')).toContainText('Canvas and most LMS editors strip');
  await expect(panel.locator('.embed-caveats')).toContainText('keeps the keyboard');
  await expect(panel.locator('.embed-caveats')).toContainText('no height option');
  await expect(panel.locator('.embed-caveats')).toContainText('Moodle cleans HTML');
  await expect(panel.locator('.local-address')).toBeVisible();
  expect(code).not.toContain('YOUR-HOST');
});

test('variant= shows that variant alone, its questions, and keeps the Understand step folded', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=async&embed=1');
  const buttons = page.locator('.step-run button.run');
  await expect(buttons).toHaveCount(1);
  await expect(buttons).toHaveText('Run awaited timer');
  await expect(page.locator('dl.variants dt')).toHaveCount(1);
  // The question about another variant's output is not asked.
  await expect(page.getByText('What does “Blocking call inside async” print?')).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Open in Juggle/ })).toHaveAttribute(
    'href',
    /\?scenario=count&variant=async$/,
  );
  // count runs on one thread: the line about the worker pool is not shown.
  await expect(page.locator('#env-status')).toBeHidden();
  await expect(page.locator('details.code-fold')).not.toHaveAttribute('open', '');
  await expect(page.locator('figure.code-python')).toBeHidden();
  await buttons.click();
  await runsDone(page);
  await expect(page.locator('figure.run-figure')).toHaveCount(1);
  // The explanation stays folded after the run too.
  await expect(page.locator('details.explanation')).not.toHaveAttribute('open', '');
  // A knob changed keeps variant= in the URL.
  await page.locator('input[name="tasks"]').fill('4');
  await expect.poll(() => new URL(page.url()).searchParams.get('variant')).toBe('async');

  // understand=1 opens it; a scenario with a pool variant says where its parallel runs go.
  await open(page, '?scenario=cpu-in-async&embed=1&understand=1&tasks=2');
  await expect(page.locator('.step-run button.run')).toHaveCount(6);
  await expect(page.locator('details.code-fold')).toHaveCount(0);
  await expect(page.locator('figure.code-python')).toBeVisible();
  await expect(page.locator('#env-status')).toBeVisible();
  await expect(page.locator('#env-status')).toContainText('Parallel runs use');
  // understand= is not taken for a knob: the run goes (the core refuses parameters it does not know).
  await page.getByRole('button', { name: 'Run no await in the loop' }).click();
  await runsDone(page);
  await expect(page.locator('#run-error')).toBeHidden();
  await expect(page.locator('figure.run-figure')).toHaveCount(1);
});

test('the compact embeds have no WCAG A/AA violation, folded and open, before and after a run', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const violations = async () =>
    (
      await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .analyze()
    ).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  await page.setViewportSize({ width: 800, height: 450 });
  await open(page, '?scenario=count&variant=async&embed=1&sleep_ms=200');
  expect(await violations()).toEqual([]);
  await page.getByRole('button', { name: 'Run awaited timer' }).click();
  await runsDone(page);
  for (const details of await page.locator('details').all()) await details.evaluate((d) => (d.open = true));
  expect(await violations()).toEqual([]);
  await open(page, EMBEDS.program.path.slice(1));
  expect(await violations()).toEqual([]);
});

test('embed.js is one classic script with no imports, the only file sent with CORS', async ({ request }) => {
  const embed = await request.get('/embed.js');
  expect(embed.ok()).toBe(true);
  expect(embed.headers()['access-control-allow-origin']).toBe('*');
  const code = await embed.text();
  expect(code).not.toMatch(/\bimport\s*[({'"]|^\s*import\s|\bexport\s/m);
  // The host serves nothing else with CORS (the test server applies _headers as static hosts do).
  const page = await request.get('/');
  expect(page.headers()['access-control-allow-origin']).toBeUndefined();
  expect(page.headers()['cross-origin-embedder-policy']).toBe('require-corp');
});

test.describe('course pages on another origin, served as static files', () => {
  // Both origins are on this machine's loopback, so Chromium asks the local-network permission a public
  // course site would not need; the tests grant it.
  test.beforeEach(async ({ context }) => {
    await context.grantPermissions(['local-network-access']);
  });

  test('a plain HTML page embeds a scenario that runs, and embed.js fits the frame to the viewport', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${courseOrigin}/plain.html`);
    const frame = page.frameLocator('iframe.juggle');
    await frame.getByRole('button', { name: 'Run all variants' }).click();
    // One figure per variant of count.
    await expect(frame.locator('figure.run-figure')).toHaveCount(3, { timeout: 30_000 });
    await expect(frame.locator('figure[data-variant="async"] ol.output li')).toHaveCount(6);
    // Either mode is right inside another site's page: shared memory where the browser honours
    // Document-Isolation-Policy, message-passing workers elsewhere. The page says which.
    const mode = await frame.locator('#env-status').getAttribute('data-mode');
    expect(['shared-memory', 'message-passing']).toContain(mode);
    test.info().annotations.push({ type: 'embedded mode', description: mode });
    // embed.js grew the frame from its 40rem (640 px) to the viewport's height, and no further: the
    // scenario is taller than that, so the frame scrolls inside.
    const iframe = page.locator('iframe.juggle');
    await expect.poll(async () => (await iframe.boundingBox()).height, { timeout: 10_000 }).toBe(800);
    const inner = await frame.locator('html').evaluate((html) => html.scrollHeight);
    expect(inner).toBeGreaterThan(800);
    await frame.locator('figure[data-variant="async"]').scrollIntoViewIfNeeded();
    await expect(frame.locator('figure[data-variant="async"]')).toBeInViewport();
  });

  test('in a reveal.js deck at 1280 x 720, Run is on the slide and the timeline scrolls into view', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${courseOrigin}/deck.html#/1`);
    await page.waitForFunction(() => window.Reveal?.isReady());
    const iframe = page.locator('iframe.juggle');
    const frame = page.frameLocator('iframe.juggle');
    const run = frame.getByRole('button', { name: 'Run all variants' });
    await expect(run).toBeVisible({ timeout: 30_000 });
    const slide = await page.locator('.reveal .slides > section.present').boundingBox();
    const button = await run.boundingBox();
    expect(button.y + button.height).toBeLessThanOrEqual(slide.y + slide.height);
    await run.click();
    // One figure per variant of count.
    await expect(frame.locator('figure.run-figure')).toHaveCount(3, { timeout: 30_000 });
    // data-max-height="600" keeps the frame inside the slide whatever the scenario's height.
    const box = await iframe.boundingBox();
    expect(box.height).toBeLessThanOrEqual(600 * 1.05);
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    await frame.locator('figure[data-variant="async"]').scrollIntoViewIfNeeded();
    await expect(frame.locator('figure[data-variant="async"]')).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath('deck.png') });
  });

  test('an iframe with no script (MyST, Quarto, an LMS) shows the Run step in its 600 px', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${courseOrigin}/scriptless.html`);
    const iframe = page.locator('iframe.juggle');
    const frame = page.frameLocator('iframe.juggle');
    const run = frame.getByRole('button', { name: 'Run all variants' });
    await expect(run).toBeVisible({ timeout: 30_000 });
    const frameBox = await iframe.boundingBox();
    const button = await run.boundingBox();
    expect(frameBox.height).toBe(600);
    expect(button.y + button.height, 'Run is in the first screen of the frame').toBeLessThanOrEqual(
      frameBox.y + frameBox.height,
    );
    await run.click();
    await expect(frame.locator('figure[data-variant="async"] ol.output li')).toHaveCount(6, {
      timeout: 30_000,
    });
  });

  test("an embed posts each live run's trace to the page that embeds it, after Run only; a page not embedded posts nothing", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const juggleOrigin = new URL(test.info().project.use.baseURL).origin;
    /** What the course page heard from its frame (tests/e2e/hosts/listener.html). */
    const heard = () => page.evaluate(() => window.heard);
    const traces = async () => (await heard()).filter((m) => m.data?.type === 'juggle:trace');
    const listen = (path) => page.goto(`${courseOrigin}/listener.html?path=${encodeURIComponent(path)}`);
    const frame = page.frameLocator('iframe.juggle');

    // 1. A scenario limited to one variant: nothing before Run (no trace, no printed line that would
    //    give the answer away), one message after it, in the agreed shape, from Juggle's origin.
    await listen('/?scenario=count&variant=async&embed=1&sleep_ms=200');
    await expect(frame.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    const before = await heard();
    expect(before.filter((m) => m.data?.type === 'juggle:trace')).toEqual([]);
    expect(JSON.stringify(before)).not.toContain('One');
    await frame.getByRole('button', { name: 'Run awaited timer' }).click();
    await expect(frame.locator('body')).toHaveAttribute('data-runs', '1', { timeout: 45_000 });
    await expect.poll(async () => (await traces()).length, { timeout: 10_000 }).toBe(1);
    const [{ origin, data }] = await traces();
    expect(origin).toBe(juggleOrigin);
    expect(Object.keys(data).sort()).toEqual(['scenario', 'trace', 'type', 'variant']);
    expect([data.scenario, data.variant]).toEqual(['count', 'async']);
    expect([data.trace.scenario, data.trace.variant]).toEqual(['count', 'async']);
    expect(data.trace.params.sleep_ms).toBe(200);
    expect(data.trace.output.map((line) => line.text)).toEqual(['One', 'One', 'One', 'Two', 'Two', 'Two']);
    // The three waits overlapped: the run took about one wait, not three.
    expect(data.trace.total_ms).toBeGreaterThanOrEqual(200);
    expect(data.trace.total_ms).toBeLessThan(3 * 200);
    // It is the run the frame drew: the same printed lines under its timeline.
    await expect(frame.locator('figure[data-variant="async"] ol.output li .text')).toHaveText(
      data.trace.output.map((line) => line.text),
    );
    // A second run, a second message.
    await frame.getByRole('button', { name: 'Run awaited timer' }).click();
    await expect(frame.locator('body')).toHaveAttribute('data-runs', '2', { timeout: 45_000 });
    await expect.poll(async () => (await traces()).length, { timeout: 10_000 }).toBe(2);

    // 2. A Lab program (read-only embed): its run's trace, lane by lane as runPython gives it.
    await listen(`/?lab=1&readonly=1&embed=1${PROGRAM_FRAGMENT}`);
    const run = frame.getByRole('button', { name: 'Run', exact: true });
    await expect(run).toBeVisible({ timeout: 30_000 });
    expect(await traces()).toEqual([]);
    expect(JSON.stringify(await heard())).not.toContain('starts');
    await run.click();
    await expect(frame.locator('body')).toHaveAttribute('data-runs', '1', { timeout: 90_000 });
    await expect.poll(async () => (await traces()).length, { timeout: 10_000 }).toBe(1);
    const [lab] = await traces();
    expect(lab.origin).toBe(juggleOrigin);
    expect([lab.data.type, lab.data.scenario, lab.data.variant]).toEqual(['juggle:trace', 'lab', 'program']);
    expect(lab.data.trace.output.map((line) => line.text)).toEqual([
      'A starts',
      'B starts',
      'C starts',
      'A ends',
      'B ends',
      'C ends',
    ]);
    expect(lab.data.trace.total_ms).toBeGreaterThan(0);

    // 3. The same scenario in a frame without embed=1 (the full page, framed) runs and posts nothing; the
    //    embedded runs above were heard within 10 s, so a second's wait is ample.
    await listen('/?scenario=count&variant=async&sleep_ms=200');
    await expect(frame.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await frame.getByRole('button', { name: 'Run awaited timer' }).click();
    await expect(frame.locator('body')).toHaveAttribute('data-runs', '1', { timeout: 45_000 });
    await page.waitForTimeout(1000);
    expect(await traces()).toEqual([]);

    // 4. embed=1 opened as a page of its own (no parent): it posts nothing, to itself either.
    await page.addInitScript(() => {
      window.heardHere = [];
      window.addEventListener('message', (event) => window.heardHere.push(event.data?.type ?? null));
    });
    await page.goto(`${juggleOrigin}/?scenario=count&variant=async&embed=1&sleep_ms=200`);
    await page.waitForFunction(() => document.body?.dataset.ready === 'true');
    await page.getByRole('button', { name: 'Run awaited timer' }).click();
    await runsDone(page);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => window.heardHere)).not.toContain('juggle:trace');
  });

  for (const [kind, embed] of Object.entries(EMBEDS)) {
    test(`a ${kind} in an 800 x 450 frame (IPython's IFrame): Run in the first screen, the result in view after it`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: 800, height: 450 });
      await page.goto(
        `${courseOrigin}/frame.html?width=800&height=450&path=${encodeURIComponent(embed.path)}`,
      );
      const iframe = page.locator('iframe');
      const frame = page.frameLocator('iframe');
      const run = embed.run(frame);
      await expect(run).toBeVisible({ timeout: 30_000 });
      await expect(run).toHaveCount(1);
      const box = await iframe.boundingBox();
      expect(box).toEqual({ x: 0, y: 0, width: 800, height: 450 });
      await expectInside(run, box, 'Run');
      await page.screenshot({ path: test.info().outputPath(`${kind}-800x450-before.png`) });
      await run.click();
      await expect(frame.locator('body')).toHaveAttribute('data-runs', '1', { timeout: 90_000 });
      await expectResultInside(frame, box);
      await page.screenshot({ path: test.info().outputPath(`${kind}-800x450-after.png`) });
    });

    test(`a ${kind} on a reveal.js slide (600 px frame): Run on the slide, the result in view after it`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(`${courseOrigin}/deck-embed.html?path=${encodeURIComponent(embed.path)}#/1`);
      await page.waitForFunction(() => window.Reveal?.isReady());
      const iframe = page.locator('iframe.juggle');
      const frame = page.frameLocator('iframe.juggle');
      const run = embed.run(frame);
      await expect(run).toBeVisible({ timeout: 30_000 });
      const slide = await page.locator('.reveal .slides > section.present').boundingBox();
      const before = await iframe.boundingBox();
      await expectInside(run, before, 'Run, in the frame');
      if (kind !== 'scenario') {
        // The editor takes its room from the frame's cap (600 px, told by embed.js), not from the frame's
        // height while it still fits the page's loading state (which left it 96 px, four lines): read-only,
        // the whole 22-line program shows, unscrolled; editable (its arguments and Predict above Run), 280 px.
        const [shown, whole] = await frame
          .locator('.cm-scroller')
          .evaluate((e) => [e.clientHeight, e.scrollHeight]);
        if (kind === 'program')
          expect(shown, 'the editor shows the whole program').toBeGreaterThanOrEqual(whole - 1);
        else expect(shown, 'the editor is not shrunk to its least').toBeGreaterThan(250);
      }
      expect((await run.boundingBox()).y + (await run.boundingBox()).height).toBeLessThanOrEqual(
        slide.y + slide.height,
      );
      await run.click();
      await expect(frame.locator('body')).toHaveAttribute('data-runs', '1', { timeout: 90_000 });
      // embed.js lets the frame grow to its data-max-height of 600 (scaled with the slide), no further.
      const box = await iframe.boundingBox();
      expect(box.y + box.height).toBeLessThanOrEqual(720);
      await expectResultInside(frame, box);
      await page.screenshot({ path: test.info().outputPath(`${kind}-deck.png`) });
    });
  }

  test('every scenario’s Run is in the first screen of an 800 x 450, a 600 x 600 and a slide’s 960 x 600 frame, all variants or one', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await open(page, '?scenario=count');
    const catalogue = await page.evaluate(() =>
      window.juggle.scenarios().map((s) => ({ id: s.id, variant: s.variants.at(-1).id })),
    );
    for (const [width, height] of [
      [800, 450],
      [600, 600],
      [960, 600],
    ]) {
      await page.setViewportSize({ width, height });
      const box = { x: 0, y: 0, width, height };
      for (const { id, variant } of catalogue) {
        for (const path of [`/?scenario=${id}&embed=1`, `/?scenario=${id}&embed=1&variant=${variant}`]) {
          await page.goto(
            `${courseOrigin}/frame.html?width=${width}&height=${height}&path=${encodeURIComponent(path)}`,
          );
          const run = page.frameLocator('iframe').locator('.step-run button.run').first();
          await expect(run).toBeVisible({ timeout: 30_000 });
          await expectInside(run, box, `Run of ${path} in ${width} x ${height}`);
        }
      }
    }
  });

  test('the read-only program embed: titled by its program, Open in Juggle, no arguments box or Predict', async ({
    page,
  }) => {
    await open(page, EMBEDS.program.path.slice(1));
    await expect(page.locator('#lab-heading')).toContainText('Three tasks share one thread');
    await expect(page).toHaveTitle('Three tasks share one thread · Juggle Lab');
    await expect(page.locator('#lab-argv')).toHaveCount(0);
    await expect(page.locator('.lab-predict')).toHaveCount(0);
    await expect(page.locator('#env-status')).toBeHidden();
    const out = page.getByRole('link', { name: /Open in Juggle/ });
    const href = new URL(await out.getAttribute('href'));
    expect(href.searchParams.get('lab')).toBe('1');
    expect(href.searchParams.get('embed')).toBeNull();
    expect(href.searchParams.get('readonly')).toBeNull();
    // The same program (the browser's deflate may pick other bytes than zlib's).
    expect(href.hash).toMatch(/^#code=/);
    expect(inflateRawSync(Buffer.from(href.hash.slice(6), 'base64url')).toString()).toBe(PROGRAM);
  });

  test('an editable program embed shows no examples to replace it, and keeps nothing in the full Lab’s storage', async ({
    page,
  }) => {
    await page.addInitScript(() => localStorage.removeItem('juggle.lab.v1'));
    await open(page, EMBEDS['program that may be edited'].path.slice(1));
    await expect(page.locator('#lab-example')).toHaveCount(0);
    await expect(page.locator('#lab-argv')).toBeVisible();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# mine\n');
    await page.waitForTimeout(600);
    expect(await page.evaluate(() => localStorage.getItem('juggle.lab.v1'))).toBeNull();
  });

  test('the Lab’s Embed panel: the URL opens the read-only embed as it is, with no &amp; to break it', async ({
    page,
  }) => {
    await page.addInitScript(() => localStorage.removeItem('juggle.lab.v1'));
    await open(page, `?lab=1${PROGRAM_FRAGMENT}`);
    await page.getByText('Embed this program').click();
    const url = page.getByRole('textbox', { name: 'URL', exact: true });
    const html = page.getByRole('textbox', { name: 'HTML', exact: true });
    await expect(url).toHaveValue(/\?lab=1&readonly=1&embed=1#code=/);
    expect(await html.inputValue()).toContain(`src="${await url.inputValue()}"`);
    expect(await html.inputValue()).toContain('title="Juggle Lab: Three tasks share one thread"');
    expect(await html.inputValue()).not.toContain('&amp;');
    await page.getByLabel(/Read-only/).uncheck();
    await expect(url).not.toHaveValue(/readonly/);
    await page.getByLabel(/Read-only/).check();
    // Pasted where only a URL goes, it opens the read-only embed with the program.
    await page.goto(await url.inputValue());
    await page.waitForFunction(() => document.body?.dataset.ready === 'true');
    await expect(page.locator('#lab-heading')).toContainText('Three tasks share one thread');
    await expect(page.locator('.lab-embedded')).toHaveCount(1);
    await expect(page.locator('#lab-argv')).toHaveCount(0);
  });

  test('in the short box of MyST’s iframe directive, the variants and knobs fold and Run is in view', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${courseOrigin}/myst-box.html`);
    const iframe = page.locator('iframe.juggle');
    const frame = page.frameLocator('iframe.juggle');
    const run = frame.getByRole('button', { name: 'Run all variants' });
    await expect(run).toBeVisible({ timeout: 30_000 });
    const frameBox = await iframe.boundingBox();
    expect(frameBox.height).toBeLessThan(600);
    const button = await run.boundingBox();
    expect(button.y + button.height, 'Run is in the first screen of the frame').toBeLessThanOrEqual(
      frameBox.y + frameBox.height,
    );
    // Folded, not gone: the variants and knobs open with a click.
    await frame.getByText('The 3 variants').click();
    await expect(frame.getByText('Each task awaits a timer')).toBeVisible();
    await frame.getByText('Settings (', { exact: false }).click();
    await expect(frame.getByRole('spinbutton', { name: /Tasks/ })).toBeVisible();
    await run.click();
    await expect(frame.locator('figure[data-variant="async"] ol.output li')).toHaveCount(6, {
      timeout: 30_000,
    });
  });
});

test.describe('a static host that sends no COOP/COEP headers', () => {
  test.use({ baseURL: `http://127.0.0.1:${fallbackPort}` });

  test('coi-serviceworker makes the page cross-origin isolated after one reload', async ({ page }) => {
    await page.goto('/?scenario=timelines');
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 20_000 })
      .toBe(true);
    await page.waitForFunction(() => document.body?.dataset.ready === 'true');
    await expect(page.locator('#env-status')).toHaveAttribute('data-mode', 'shared-memory');
    const trace = await page.evaluate(() =>
      window.juggle.run('timelines', { variant: 'parallel', work_ms: 100 }),
    );
    expect(trace.env.mode).toBe('shared-memory');
    await runsDone(page, 0);
  });
});
