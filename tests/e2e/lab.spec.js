// The Lab (?lab=1): a learner's own Python program, run by the browser's Python and drawn as a scenario's
// run is; links that carry the program; Stop; tracebacks; the closed network; keyboard use; accessibility.
import AxeBuilder from '@axe-core/playwright';
import { expect, open, runsDone, test } from './fixtures.js';

/** The editor's text, through the element's test handle. */
const editorText = (page) => page.evaluate(() => document.querySelector('#lab-editor').labEditor.text());
const setEditor = (page, text) =>
  page.evaluate((t) => document.querySelector('#lab-editor').labEditor.setText(t), text);
const runs = (page) => page.evaluate(() => Number(document.body.dataset.runs ?? 0));

/** Opens the Lab (optionally with a query and fragment) and waits for it to be idle. */
async function openLab(page, rest = '') {
  await page.addInitScript(() => localStorage.removeItem('juggle.lab.v1'));
  await open(page, `?lab=1${rest}`);
  await page.locator('#lab-run').waitFor();
}

/** Clicks Run and waits for the run to end; resolves to the status line. */
async function run(page) {
  const before = await runs(page);
  await page.locator('#lab-run').click();
  await runsDone(page, before + 1);
  return page.locator('#lab-status').textContent();
}

/** Loads the interpreter with a first, empty run, so that a timed test measures only its own run. */
async function warm(page) {
  await setEditor(page, 'pass\n');
  await run(page);
}

const NAMED = `import asyncio

async def worker(n):
    await asyncio.sleep(0.05 * n)
    print(f"worker {n} done")

async def main():
    a = asyncio.create_task(worker(1), name="alpha")
    b = asyncio.create_task(worker(2), name="beta")
    await asyncio.gather(a, b)

asyncio.run(main())
`;

test('a hand-written ?code= link opens its program; Run draws a row per task and the health check', async ({
  page,
}) => {
  await openLab(page, `&code=${encodeURIComponent(NAMED)}`);
  expect(await editorText(page)).toBe(NAMED);
  await expect(page.locator('#lab-from-link')).toBeVisible();
  expect(await run(page)).toMatch(/ended after/);
  const figure = page.locator('.run-figure');
  await expect(figure).toHaveCount(1);
  const table = await figure.locator('.data-table').textContent();
  expect(table).toContain('alpha');
  expect(table).toContain('beta');
  await expect(figure.locator('ol.output li')).toHaveText([/worker 1 done/, /worker 2 done/]);
  await expect(page.getByRole('slider', { name: 'Replay: move the time cursor' })).toBeVisible();
  await expect(figure.getByRole('button', { name: 'JSON' })).toBeVisible();
});

test('Share round-trips the program exactly: unicode, tabs, 10 KB', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLab(page);
  const header = 'print("héllo, 世界, مرحبا, 🧵")\nif True:\n\tprint("a tab")  \n# trailing spaces   \n';
  let body = '';
  for (let i = 0; body.length < 10_000; i += 1) body += `x_${i} = ${i} * 2  # línea ${i} ✓\n`;
  const program = `${header}${body}print("end")\n`;
  expect(new TextEncoder().encode(program).length).toBeGreaterThan(10_000);
  await setEditor(page, program);
  await page.getByRole('button', { name: 'Share: a link that opens the Lab with this program' }).click();
  const link = await page.locator('.lab-share ~ .share-link, .share-link').first().inputValue();
  const url = new URL(link);
  expect(url.search).toBe('?lab=1');
  expect(url.hash.startsWith('#code=')).toBe(true);
  const other = await context.newPage();
  await other.goto(link);
  await other.locator('#lab-run').waitFor();
  expect(await editorText(other)).toBe(program);
  await other.close();
});

test('a broken #code= link says why and opens the default program', async ({ page }) => {
  await openLab(page, '#code=not*base64');
  await expect(page.locator('#lab-notice')).toContainText('cannot be opened');
  expect(await editorText(page)).toContain('def parse(page)');
});

test('Stop ends an infinite loop within a second, and the next run works', async ({ page }) => {
  await openLab(page);
  await warm(page);
  await setEditor(page, 'print("spinning")\nwhile True:\n    pass\n');
  await page.locator('#lab-run').click();
  await expect(page.locator('#lab-stop')).toBeEnabled();
  await page.waitForTimeout(500);
  const stopped = Date.now();
  await page.locator('#lab-stop').click();
  await expect(page.locator('#lab-status')).toContainText('Stopped', { timeout: 1_500 });
  expect(Date.now() - stopped).toBeLessThan(1_500);
  await setEditor(page, 'print("again")\n');
  expect(await run(page)).toMatch(/ended after/);
  await expect(page.locator('ol.output li')).toHaveText([/again/]);
});

test('Esc stops a long time.sleep', async ({ page }) => {
  await openLab(page);
  await warm(page);
  await setEditor(page, 'import time\ntime.sleep(30)\n');
  await page.locator('#lab-run').click();
  await page.waitForTimeout(300);
  await page.keyboard.press('Escape');
  await expect(page.locator('#lab-status')).toContainText('Stopped', { timeout: 1_500 });
});

test('an exception shows its traceback, marks its line in the editor, and draws the run so far', async ({
  page,
}) => {
  await openLab(page);
  await setEditor(page, 'import asyncio\n\nprint("before")\nx = 1 / 0\nprint("after")\n');
  expect(await run(page)).toMatch(/raised an exception/);
  await expect(page.locator('#lab-traceback')).toContainText('ZeroDivisionError');
  await expect(page.locator('#lab-error-line')).toContainText('line 4');
  const marked = page.locator('.cm-line.cm-error-line');
  await expect(marked).toHaveCount(1);
  await expect(marked).toHaveText('x = 1 / 0');
  await expect(page.locator('ol.output li')).toHaveText([/before/]);
  // Editing clears the mark.
  await page.locator('.cm-content').click();
  await page.keyboard.type('#');
  await expect(page.locator('.cm-error-line')).toHaveCount(0);
});

test('a syntax error and a recursion bomb surface as tracebacks', async ({ page }) => {
  await openLab(page);
  await setEditor(page, 'print("ok")\nif True\n    print("no colon")\n');
  await run(page);
  await expect(page.locator('#lab-traceback')).toContainText('SyntaxError');
  await expect(page.locator('.cm-line.cm-error-line')).toHaveText('if True');
  await setEditor(page, 'def down(n):\n    return down(n + 1)\n\ndown(0)\n');
  await run(page);
  await expect(page.locator('#lab-traceback')).toContainText('RecursionError');
  await expect(page.locator('.cm-line.cm-error-line')).toHaveText('    return down(n + 1)');
});

const NETWORK = `import asyncio, urllib.request, js, threading, subprocess
from pyodide.http import pyfetch

def attempt(what, call):
    try:
        call()
        print(what, "REACHED")
    except Exception as error:
        print(what, type(error).__name__, error)

attempt("urllib", lambda: urllib.request.urlopen("https://example.com/"))
attempt("js.fetch", lambda: js.fetch("https://example.com/"))
attempt("xhr", lambda: js.XMLHttpRequest.new())
attempt("document", lambda: js.document.title)
attempt("thread", lambda: threading.Thread(target=print).start())
attempt("subprocess", lambda: subprocess.run(["ls"]))

async def main():
    try:
        await pyfetch("https://example.com/")
        print("pyfetch REACHED")
    except Exception as error:
        print("pyfetch", type(error).__name__, error)

asyncio.run(main())
`;

test('the network is closed: every attempt is refused with a message, and no request leaves the origin', async ({
  page,
}) => {
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  // Any request to another origin would be answered here (and recorded), never sent.
  await page.context().route(
    (url) => !url.href.startsWith('http://127.0.0.1:'),
    (route) => route.fulfill({ status: 200, body: 'intercepted' }),
  );
  await openLab(page, `&code=${encodeURIComponent(NETWORK)}`);
  await run(page);
  const lines = await page.locator('ol.output li .text').allTextContents();
  const line = (what) => lines.find((l) => l.startsWith(`${what} `)) ?? '';
  for (const what of ['urllib', 'js.fetch', 'xhr', 'pyfetch']) {
    expect(line(what)).toContain("the Lab's Python has no network");
    expect(line(what)).not.toContain('REACHED');
  }
  expect(line('urllib')).toContain('PermissionError');
  expect(line('pyfetch')).toContain('PermissionError');
  // A worker has no document: the program cannot touch the page.
  expect(line('document')).toMatch(/AttributeError|has no attribute/);
  // Threads exist in the browser's Python (issue #27): one starts.
  expect(line('thread')).toBe('thread REACHED');
  expect(line('subprocess')).toContain("not available in the browser's Python");
  const origin = new URL(page.url()).origin;
  expect(
    requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')),
  ).toEqual([]);
});

test('keyboard only: Tab into the editor, type, Esc then Tab leaves it, Ctrl+Enter runs', async ({
  page,
}) => {
  await openLab(page);
  await page.locator('#lab-reset').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('.cm-content')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('print("typed")\nif True:\n');
  await page.keyboard.press('Tab');
  await page.keyboard.type('print("indented")');
  expect(await editorText(page)).toContain('if True:\n');
  // Four spaces a level, as PEP 8 and the examples indent: the new line after the colon, then Tab.
  expect(await editorText(page)).toMatch(/if True:\n {8}print\("indented"\)/);
  // Tab indents inside the editor; Esc then Tab moves on to the next field.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.locator('#lab-argv')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('.cm-content')).toBeFocused();
  const before = await runs(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await runsDone(page, before + 1);
  await expect(page.locator('ol.output li .text')).toHaveText(['typed', 'indented']);
});

test('the prediction is set beside what happened', async ({ page }) => {
  await openLab(page, `&code=${encodeURIComponent('print("One")\nprint("Two")\n')}`);
  await page.locator('#lab-expect-seconds').fill('1.5');
  await page.locator('#lab-expect-order').fill('One\nTwo');
  await run(page);
  const result = page.locator('#lab-prediction-result');
  await expect(result).toContainText('1.5 s');
  await expect(result).toContainText('the same, word for word');
});

test('the last program is kept across reloads, and Reset to example brings the example back', async ({
  page,
}) => {
  await open(page, '?lab=1');
  await page.evaluate(() => localStorage.removeItem('juggle.lab.v1'));
  await page.reload();
  await page.locator('#lab-run').waitFor();
  // "What to look for" is about the example: it goes while the program is the learner's own.
  await expect(page.locator('#lab-look')).toBeVisible();
  await setEditor(page, 'print("mine")\n');
  await expect(page.locator('#lab-look')).toBeHidden();
  await page.waitForTimeout(500);
  await page.reload();
  await page.locator('#lab-run').waitFor();
  expect(await editorText(page)).toBe('print("mine")\n');
  await expect(page.locator('#lab-look')).toBeHidden();
  await page.locator('#lab-reset').click();
  expect(await editorText(page)).toContain('def parse(page)');
  await expect(page.locator('#lab-look')).toBeVisible();
  await page.reload();
  await page.locator('#lab-run').waitFor();
  expect(await editorText(page)).toContain('def parse(page)');
});

test('a scenario opens its twin in the Lab, with a variant that runs in the browser', async ({ page }) => {
  await open(page, '?scenario=count');
  await page.getByRole('link', { name: 'Open this twin in the Lab' }).click();
  await page.locator('#lab-run').waitFor();
  expect(await editorText(page)).toContain('IN_THE_BROWSER');
  expect(await page.locator('#lab-argv').inputValue()).not.toBe('');
  await expect(page.locator('nav .lab-tab')).toHaveAttribute('aria-current', 'page');
});

test('an embedded read-only program runs but cannot be edited', async ({ page }) => {
  await openLab(page, `&embed=1&readonly=1&code=${encodeURIComponent('print("embedded")\n')}`);
  await expect(page.locator('nav.scenario-nav')).toHaveCount(0);
  await page.locator('.cm-content').click();
  await page.keyboard.type('xyz');
  expect(await editorText(page)).toBe('print("embedded")\n');
  await run(page);
  await expect(page.locator('ol.output li .text')).toHaveText(['embedded']);
});

test('every example runs with no console error', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const options = await page.locator('#lab-example option').evaluateAll((os) => os.map((o) => o.value));
  expect(options.length).toBeGreaterThanOrEqual(6);
  for (const id of options) {
    await page.locator('#lab-example').selectOption(id);
    await page.locator('#lab-load').click();
    await expect(page.locator('#lab-status')).toContainText('Loaded');
    const status = await run(page);
    if ((await page.locator('#lab-look').getAttribute('data-runs')) === 'false') {
      await expect(page.locator('#lab-traceback')).toContainText("not available in the browser's Python");
    } else {
      expect(status, id).toMatch(/ended after/);
      await expect(page.locator('.run-figure')).toHaveCount(1);
    }
  }
});

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
for (const colorScheme of ['light', 'dark']) {
  test(`the Lab before and after a run has no WCAG A/AA violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openLab(page);
    const check = async () => {
      const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      return violations.map(
        (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
      );
    };
    expect(await check()).toEqual([]);
    await setEditor(page, 'print("a")\nx = 1 / 0\n');
    await run(page);
    for (const details of await page.locator('details').all()) await details.evaluate((d) => (d.open = true));
    expect(await check()).toEqual([]);
  });
}

/** What a Lab figure shows of its run, to compare two pages. */
async function labShown(page) {
  const figure = page.locator('.run-figure');
  await expect(figure).toHaveCount(1);
  return {
    total: await figure.getAttribute('data-total-ms'),
    summary: await figure.locator('.run-summary').first().textContent(),
    output: await figure.locator('ol.output li').allTextContents(),
    rows: await figure.locator('.data-table').textContent(),
  };
}

test('a Lab run opens again: Share this run, its JSON download in "Open a trace", and a dropped file', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  // Tasks, a process pool and arguments: every part of a Lab run's trace.
  const program = `import asyncio, sys
from concurrent.futures import ProcessPoolExecutor

def square(n):
    return n * n

async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=2) as pool:
        squares = await asyncio.gather(*(loop.run_in_executor(pool, square, n) for n in range(4)))
    await asyncio.gather(asyncio.sleep(0.02), asyncio.sleep(0.03))
    print(sys.argv[1:], squares)

if __name__ == "__main__":
    asyncio.run(main())
`;
  await openLab(page);
  await setEditor(page, program);
  await page.locator('#lab-argv').fill('a b');
  expect(await run(page)).toMatch(/ended after/);
  const before = await labShown(page);
  expect(before.output.join(' ')).toContain("['a', 'b'] [0, 1, 4, 9]");

  // Share this run: a new page opens the Lab with the same figure, marked recorded, nothing run.
  const figure = page.locator('.run-figure');
  await figure.getByRole('button', { name: /Share this run/ }).click();
  const link = await figure.locator('.share-link').last().inputValue();
  expect(link).toMatch(/\?lab=1#trace=[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  await other.goto(link);
  await other.waitForFunction(() => document.body?.dataset.recorded === '1');
  await expect(other.locator('.run-figure[data-recorded="link"] .recorded-note')).toContainText(
    /Recorded run \(from a link\) Recorded .* in the browser's Python/,
  );
  expect(await labShown(other)).toEqual(before);
  expect(await other.evaluate(() => document.body.dataset.runs)).toBeUndefined();
  await expect(other.locator('#replay-slot input[type="range"]')).toBeVisible();
  await other.close();

  // The JSON download, opened with the Lab's own "Open a trace" on a fresh Lab, then dropped on a scenario.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.locator('button.download', { hasText: /^JSON$/ }).click(),
  ]);
  const file = await download.path();
  await openLab(page);
  await page.locator('#open-trace').setInputFiles(file);
  await expect(page.locator('.run-figure[data-recorded="file"] .recorded-note')).toContainText(
    'Recorded run (from a file)',
  );
  expect(await labShown(page)).toEqual(before);
  await open(page, '?scenario=count');
  await page.locator('#open-trace').setInputFiles(file);
  await expect(page.locator('#lab .run-figure[data-recorded="file"]')).toBeVisible();
  expect(await labShown(page)).toEqual(before);
});
