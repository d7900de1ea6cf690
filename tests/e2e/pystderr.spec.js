// stderr in the browser's Python: the corpus of real programs (tests/corpus/stderr/, from the Python docs)
// prints CPython's own stdout and stderr lines, in CPython's order and each on its stream, run after run in
// one interpreter; the Lab shows stderr lines apart (a tag, a colour, a diamond on the timeline) with no
// WCAG violation in light or dark, its output-order prediction compares stdout only, and a shared run keeps
// the streams.
import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, open, runPython, runsDone, test } from './fixtures.js';

const CORPUS = new URL('../corpus/stderr/', import.meta.url).pathname;
const PROGRAMS = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.py'))
  .sort();
/** A traceback's caret lines depend on the CPython version: compared without them (as test_streams.py). */
const CARETS = /^\s*[~^]+\s*$/;
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Lines of CPython's output (the program's path as `{program}`), without caret lines. */
const lines = (text) =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .filter((line) => !CARETS.test(line));
const expected = (name, suffix) =>
  lines(readFileSync(`${CORPUS}${name.replace(/\.py$/, `.${suffix}`)}`, 'utf8'));
/** What a trace printed, the Lab's file name (main.py) written as the corpus writes the program's path. */
const shown = (output) =>
  lines(output.map((line) => line.text.replaceAll('main.py', '{program}')).join('\n'));

test('the stderr corpus prints CPython’s lines, in its order, each on its stream, run after run', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await open(page);
  // Twice through, in one interpreter: a run's warning filters, "shown once" memory and logging handlers
  // end with it (logging_simple after logging_format's basicConfig, the same warning again).
  for (const round of [1, 2]) {
    for (const name of PROGRAMS) {
      const code = readFileSync(`${CORPUS}${name}`, 'utf8');
      const trace = await runPython(page, code, { filename: 'main.py' });
      expect(trace.error, `${name} ran`).toBeUndefined();
      expect(shown(trace.output), `${name} (round ${round}): stdout and stderr, in order`).toEqual(
        expected(name, 'out'),
      );
      expect(
        shown(trace.output.filter((line) => line.stream === 'stderr')),
        `${name} (round ${round}): the stderr lines`,
      ).toEqual(expected(name, 'err'));
      expect(trace.output.every((line) => line.stream === 'stdout' || line.stream === 'stderr')).toBe(true);
      expect(trace.output.every((line) => typeof line.task === 'string' && line.task.length > 0)).toBe(true);
    }
  }
});

const MIXED = `import asyncio, logging, sys

logging.basicConfig(format="%(levelname)s:%(message)s", level=logging.INFO)

async def worker(n):
    print(f"worker {n} starts")
    await asyncio.sleep(0.02 * n)
    logging.warning("worker %d is late", n)
    print(f"worker {n} done")

async def main():
    await asyncio.gather(worker(1), worker(2))
    print("oops", file=sys.stderr)

asyncio.run(main())
`;

for (const colorScheme of ['light', 'dark']) {
  test(`the Lab shows stderr lines apart, compares stdout only, keeps streams when shared (${colorScheme})`, async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    await page.addInitScript(() => localStorage.removeItem('juggle.lab.v1'));
    await open(page, `?lab=1&code=${encodeURIComponent(MIXED)}`);
    await page
      .locator('#lab-expect-order')
      .fill('worker 1 starts worker 2 starts worker 1 done worker 2 done');
    await page.locator('#lab-run').click();
    await runsDone(page, 1);
    const figure = page.locator('.run-figure');
    await expect(figure.locator('ol.output li')).toHaveText([
      /worker 1 starts/,
      /worker 2 starts/,
      /stderr\s*WARNING:worker 1 is late/,
      /worker 1 done/,
      /stderr\s*WARNING:worker 2 is late/,
      /worker 2 done/,
      /stderr\s*oops/,
    ]);
    await expect(figure.locator('ol.output li.stderr')).toHaveCount(3);
    await expect(figure.locator('ol.output li.stderr .stream')).toHaveText(['stderr', 'stderr', 'stderr']);
    await expect(figure.locator('.output-list summary')).toHaveText('Printed lines (7, 3 on stderr)');
    await expect(figure.locator('.run-summary').first()).toContainText('stderr: WARNING:worker 1 is late');
    // The timeline: a diamond per stderr line, whose tooltip says the stream.
    await expect(figure.locator('.stderr-mark path')).toHaveCount(3);
    await expect(figure.locator('.stderr-mark title').first()).toContainText(
      'stderr: WARNING:worker 1 is late',
    );
    // Its colour is its own, not the text's.
    const colours = await figure
      .locator('ol.output li')
      .evaluateAll((items) => items.map((item) => getComputedStyle(item.querySelector('.text')).color));
    expect(colours[2]).not.toBe(colours[0]);
    const result = page.locator('#lab-prediction-result');
    await expect(result).toContainText('the same, word for word');
    await expect(result).toContainText('stdout only: 3 lines on stderr not compared');
    for (const details of await page.locator('details').all()) await details.evaluate((d) => (d.open = true));
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
    expect(
      violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    ).toEqual([]);
    // For a person to look at (STDERR_SHOTS=/tmp/shots), not an assertion.
    if (process.env.STDERR_SHOTS) {
      await figure.screenshot({ path: `${process.env.STDERR_SHOTS}/lab-stderr-${colorScheme}.png` });
      await page.evaluate(() => window.scrollTo(0, 0));
      await figure
        .locator('svg')
        .first()
        .screenshot({
          path: `${process.env.STDERR_SHOTS}/timeline-stderr-${colorScheme}.png`,
        });
    }

    // Shared: the run opens again elsewhere with every line on its stream.
    await figure.getByRole('button', { name: /Share this run/ }).click();
    const link = await figure.locator('.share-link').last().inputValue();
    const other = await context.newPage();
    await other.goto(link);
    await other.waitForFunction(() => document.body?.dataset.recorded === '1');
    await expect(other.locator('.run-figure ol.output li.stderr')).toHaveCount(3);
    await expect(other.locator('.run-figure ol.output li')).toHaveText(
      await figure.locator('ol.output li').allTextContents(),
    );
    await other.close();
  });
}
