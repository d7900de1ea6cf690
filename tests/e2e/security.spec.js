// Hardening, end to end: a strict content security policy, no request leaving the origin, and hostile URL
// parameters that show a message and never run anything.
import { allowConsoleError, expect, open, QUICK, runPython, runsDone, test } from './fixtures.js';

test('the page runs under a strict content security policy: no inline script, no eval', async ({ page }) => {
  const violations = [];
  await page.exposeFunction('reportViolation', (text) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await open(page, '?scenario=cpu-in-async&variant=offload&tasks=4&task_ms=30&autorun=1');
  await runsDone(page);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(policy).toContain("default-src 'self'");
  // An inline script, however it gets into the page, does not run (and the browser says so).
  allowConsoleError(page, /Executing inline script violates the following Content Security Policy/);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.head.append(script);
  });
  expect(await page.evaluate(() => window.__inline)).toBeUndefined();
  await expect.poll(() => violations.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
  // The violation the test caused is the only one: the page itself needs nothing the policy forbids.
  expect(violations.filter((v) => !v.startsWith('script-src-elem inline'))).toEqual([]);
});

test('no request leaves the origin, whatever runs', async ({ page, baseURL }) => {
  const outside = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(baseURL) || url.startsWith('blob:') || url.startsWith('data:'))
      return route.continue();
    outside.push(url);
    return route.abort();
  });
  for (const scenario of ['timelines', 'io-bound', 'scraper']) {
    await open(page, `?scenario=${scenario}&${QUICK[scenario]}&autorun=1`);
    await runsDone(page);
  }
  expect(outside).toEqual([]);
});

/** The content security policy every worker's script is served with (public/_headers). */
const WORKER_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

test('every worker the page starts is served with its own content security policy', async ({ page }) => {
  test.setTimeout(120_000);
  /** @type {Set<string>} */
  const workers = new Set();
  page.on('worker', (worker) => workers.add(worker.url()));
  // The engine's workers and its threads (rayon's, own threads), the browser's Python and a pool's process.
  await open(page, '?scenario=speedup&limit=100000&rounds=1&autorun=1');
  await runsDone(page);
  await open(page, `?scenario=threads&${QUICK.threads}&autorun=1`);
  await runsDone(page);
  const trace = await runPython(
    page,
    'from concurrent.futures import ProcessPoolExecutor\nif __name__ == "__main__":\n    with ProcessPoolExecutor(1) as p:\n        print(p.submit(abs, -1).result())\n',
  );
  expect(trace.error).toBeUndefined();
  const names = [...workers].map((url) =>
    new URL(url).pathname
      .split('/')
      .at(-1)
      ?.replace(/-[\w-]{8}\.js$/, ''),
  );
  for (const name of ['engine-worker', 'workerHelpers', 'python-worker', 'pool-worker'])
    expect(names, `a ${name} was started`).toContain(name);
  for (const url of workers) {
    expect(new URL(url).pathname, url).toMatch(/^\/assets\/workers\//);
    const response = await page.request.get(url);
    expect(response.headers()['content-security-policy'], url).toBe(WORKER_POLICY);
  }
});

const HOSTILE = [
  [
    'a script tag as the scenario',
    '?scenario=<script>window.__pwned=1</script>&autorun=1',
    'There is no scenario',
  ],
  [
    'HTML in a parameter',
    '?scenario=count&tasks=<img src=x onerror="window.__pwned=1">&autorun=1',
    '"tasks"',
  ],
  ['a huge number', '?scenario=count&sleep_ms=1e308&autorun=1', '"sleep_ms"'],
  ['a negative number', '?scenario=io-bound&requests=-5&autorun=1', '"requests"'],
  ['NaN', '?scenario=count&tasks=NaN&autorun=1', '"tasks"'],
  ['unicode digits', '?scenario=count&tasks=%D9%A3&autorun=1', '"tasks"'],
  ['a repeated key', '?scenario=count&tasks=2&tasks=999&autorun=1', '"tasks"'],
  ['an unknown parameter', '?scenario=count&sleepms=5&autorun=1', '"sleepms"'],
  ['an unknown variant', '?scenario=count&variant=%22%3E%3Cb%3Ebold&autorun=1', 'unknown variant'],
];

for (const [what, query, message] of HOSTILE) {
  test(`hostile URL, ${what}: a message, no script, no crash`, async ({ page }) => {
    page.on('dialog', (dialog) => {
      throw new Error(`a dialog opened: ${dialog.message()}`);
    });
    await open(page, query);
    await runsDone(page).catch(() => {});
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page.getByRole('alert')).toContainText(message);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"], b').count()).toBe(0);
  });
}

test('a run during which the tab was hidden is marked unreliable, on the trace and on the page', async ({
  page,
}) => {
  await open(page, '?scenario=count&variant=async&sleep_ms=400&autorun=1');
  // Hide the tab while the run waits (as switching tabs would), then show it again.
  await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
    delete document.hidden;
  });
  await runsDone(page);
  await expect(page.locator('figure[data-variant="async"] .hidden-note')).toContainText('not reliable');
  const visible = await page.evaluate(() => window.juggle.run('count', { variant: 'async', sleep_ms: 50 }));
  expect(visible.env.hidden).toBe(false);
});
