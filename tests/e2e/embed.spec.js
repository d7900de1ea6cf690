// Embedding: the compact embed mode, the snippet a teacher copies, a course page on another origin that
// embeds the iframe and fits its height, and coi-serviceworker on a host that sends no headers.
import { courseOrigin, fallbackPort } from '../../playwright.config.js';
import { expect, open, runsDone, test } from './fixtures.js';

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

test('the Embed panel gives an iframe snippet for the current scenario and knobs', async ({ page }) => {
  await open(page, '?scenario=io-bound&requests=8');
  await page.getByText('Embed this scenario').click();
  const code = await page.getByRole('textbox', { name: 'Embed code' }).inputValue();
  expect(code).toContain('<iframe class="juggle"');
  expect(code).toMatch(/src="http:\/\/127\.0\.0\.1:\d+\/\?scenario=io-bound&requests=8&embed=1"/);
  expect(code).toContain('title="Juggle: I/O-bound: many requests"');
  expect(code).toContain('loading="lazy"');
  expect(code).toContain('allow="cross-origin-isolated"');
  expect(code).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" defer><\/script>/);
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
