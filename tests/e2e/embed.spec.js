// Embedding: the compact embed mode, the snippet a teacher copies, a course page on another origin that
// embeds the iframe and fits its height, and coi-serviceworker on a host that sends no headers.
import { fallbackPort } from '../../playwright.config.js';
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
  expect(code).toMatch(/<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/embed\.js"><\/script>/);
});

test('a course page on another origin embeds a scenario that runs and fits its height', async ({
  page,
  context,
  baseURL,
}) => {
  // Both origins are on this machine's loopback, so Chromium asks the local-network permission a public
  // course site would not need; the test grants it.
  await context.grantPermissions(['local-network-access']);
  // Another origin (another host name and port; nothing listens there, the test serves the page itself).
  const course = 'http://localhost:4199/unit-3.html';
  await page.route(course, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>Unit 3</title><h1>Unit 3: waiting</h1>
        <iframe class="juggle" src="${baseURL}/?scenario=count&embed=1&sleep_ms=200&autorun=1"
          title="Juggle: count" loading="lazy" allow="cross-origin-isolated"
          style="width: 100%; border: 0; height: 120px"></iframe>
        <script type="module" src="${baseURL}/embed.js"></script>`,
    }),
  );
  await page.goto(course);
  const frame = page.frameLocator('iframe.juggle');
  await expect(frame.locator('figure.run-figure')).toHaveCount(2, { timeout: 30_000 });
  await expect(frame.locator('figure[data-variant="async"] ol.output li')).toHaveCount(6);
  // Either mode is right inside another site's page: shared memory where the browser honours
  // Document-Isolation-Policy, message-passing workers elsewhere. The page says which.
  const mode = await frame.locator('#env-status').getAttribute('data-mode');
  expect(['shared-memory', 'message-passing']).toContain(mode);
  test.info().annotations.push({ type: 'embedded mode', description: mode });
  // The host's embed.js fitted the iframe to the page inside it.
  await expect
    .poll(async () => (await page.locator('iframe.juggle').boundingBox()).height, { timeout: 10_000 })
    .toBeGreaterThan(600);
});

test.describe('a static host that sends no COOP/COEP headers', () => {
  test.use({ baseURL: `http://127.0.0.1:${fallbackPort}` });

  test('coi-serviceworker makes the page cross-origin isolated after one reload', async ({ page }) => {
    await page.goto('/?scenario=timelines');
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 20_000 })
      .toBe(true);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await expect(page.locator('#env-status')).toHaveAttribute('data-mode', 'shared-memory');
    const trace = await page.evaluate(() =>
      window.juggle.run('timelines', { variant: 'parallel', work_ms: 100 }),
    );
    expect(trace.env.mode).toBe('shared-memory');
    await runsDone(page, 0);
  });
});
