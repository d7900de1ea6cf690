// A manual check of a course page rendered by a real platform (MyST/Jupyter Book, Quarto, an LMS export)
// that embeds Juggle scenarios: it opens the page in headless Chromium and, for each iframe showing an
// `embed=1` page, reports the attributes the platform kept, the frame's height, whether Run is in the
// frame's first screen, whether the scenario runs, whether the frame resized, and every console error on
// the page and in its frames. It saves a screenshot. It is not part of `npm test`: the pages it checks are
// made by tools that CI cannot install (see the README's recipes and scripts/try-myst.sh).
//
//   node scripts/embed-check.mjs --url http://localhost:4800/ --out /tmp/page.png [--viewport 1280x800]
//
// Saves two screenshots: FILE.png as the page first shows (no frame scrolled) and FILE-ran.png after every
// frame ran. Prints a JSON report; exits 1 when a frame does not run or logs a console error, or when the
// host page logs one. Errors loading a resource from a host that this closed network cannot reach (the
// platform's CDN: net::ERR_NAME_NOT_RESOLVED) are listed apart as `unreachable` and do not fail the check.
// A frame whose Run is below its first screen is reported (`runInFirstScreen: false`), not failed: the
// frame scrolls, and some platforms fix the frame's height (see the README).
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    out: { type: 'string' },
    viewport: { type: 'string', default: '1280x800' },
  },
});
if (!values.url || !values.out) {
  console.error('usage: node scripts/embed-check.mjs --url URL --out FILE.png [--viewport WxH]');
  process.exit(2);
}
const size = /^(\d+)x(\d+)$/.exec(values.viewport);
if (!size) {
  console.error(`--viewport must be WIDTHxHEIGHT, got ${values.viewport}`);
  process.exit(2);
}
const viewport = { width: Number(size[1]), height: Number(size[2]) };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport });
// Both origins are on this machine's loopback, so Chromium asks the local-network permission a public
// course site would not need (as in tests/e2e/embed.spec.js).
await context.grantPermissions(['local-network-access']);
const page = await context.newPage();
const errors = [];
const unreachable = [];
page.on('console', (message) => {
  if (message.type() !== 'error') return;
  const line = `${message.location().url}: ${message.text()}`;
  (message.text().includes('net::ERR_NAME_NOT_RESOLVED') ? unreachable : errors).push(line);
});
page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));

await page.goto(values.url, { waitUntil: 'load' });
const iframes = page.locator('iframe[src*="embed=1"]');
// A platform may render its iframes after load (a notebook output, a React page): wait for the first one.
await iframes
  .first()
  .waitFor({ state: 'attached', timeout: 15_000 })
  .catch(() => {});
const count = await iframes.count();
const frames = [];
let failed = count === 0;
for (let i = 0; i < count; i++) {
  await iframes
    .nth(i)
    .contentFrame()
    .getByRole('button', { name: 'Run all variants' })
    .waitFor({ state: 'attached', timeout: 30_000 })
    .catch(() => {});
}
await page.screenshot({ path: values.out });
for (let i = 0; i < count; i++) {
  const iframe = iframes.nth(i);
  await iframe.scrollIntoViewIfNeeded();
  const attributes = await iframe.evaluate((el) =>
    Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])),
  );
  const frame = iframe.contentFrame();
  const run = frame.getByRole('button', { name: 'Run all variants' });
  const report = { attributes };
  try {
    await run.waitFor({ state: 'attached', timeout: 30_000 });
    const before = await iframe.boundingBox();
    const button = await run.boundingBox();
    report.frame = { width: Math.round(before.width), height: Math.round(before.height) };
    report.runBottomInFrame = Math.round(button.y + button.height - before.y);
    report.runInFirstScreen = button.y + button.height <= before.y + before.height;
    report.contentHeight = await frame.locator('html').evaluate((html) => html.scrollHeight);
    report.mode = await frame.locator('#env-status').getAttribute('data-mode');
    await run.click();
    await frame.locator('figure.run-figure').nth(2).waitFor({ timeout: 45_000 });
    report.ran = (await frame.locator('figure.run-figure').count()) === 3;
    // embed.js, where the platform kept it, resizes within a second or so of the content changing.
    await page.waitForTimeout(1500);
    const after = await iframe.boundingBox();
    report.heightAfterRun = Math.round(after.height);
    report.resized = Math.abs(after.height - before.height) > 1;
  } catch (error) {
    report.error = error.message.split('\n')[0];
  }
  if (!report.ran) failed = true;
  frames.push(report);
}
await page.screenshot({ path: values.out.replace(/(\.png)?$/, '-ran.png') });
const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter(Boolean));
await browser.close();
if (errors.length > 0) failed = true;
console.log(
  JSON.stringify({ url: values.url, viewport, frames, scripts, consoleErrors: errors, unreachable }, null, 2),
);
process.exit(failed ? 1 : 0);
