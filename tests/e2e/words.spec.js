// Python first, in words a Python learner knows, and nothing given away before Run (#29 items 4 and 5):
// every scenario page as it opens, before any run, and the start page with its quiz. The word lists are
// tests/unit/words.js's, which also checks the sources.
import { browserWordsIn, giveAwaysIn } from '../unit/words.js';
import { expect, open, QUICK, test } from './fixtures.js';

/**
 * The text a reader sees in `selector` (the header and the view: the footer's licence notice names
 * Pyodide, as it must) without opening anything: a closed `<details>` shows only its
 * summary, a "How the browser does it" fold (`.browser-fold`) nothing at all, and a variant's id in code
 * (`atomic`, public in URLs) is left out, and so is whatever matches `skip`.
 */
const visibleText = (page, selector, skip = 'none') =>
  page.evaluate(
    ([selector, skip]) => {
      const ids = new Set(window.juggle.scenarios().flatMap((s) => s.variants.map((v) => v.id)));
      const parts = [];
      const walk = (node) => {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
        if (node.nodeType !== Node.ELEMENT_NODE) return;
        if (node.matches(`script, style, [hidden], .browser-fold, ${skip}`)) return;
        if (node.matches('code') && ids.has(node.textContent.trim())) return;
        if (getComputedStyle(node).display === 'none') return;
        if (node.matches('details:not([open])')) {
          const summary = node.querySelector(':scope > summary');
          if (summary) walk(summary);
          return;
        }
        for (const child of node.childNodes) walk(child);
        if (getComputedStyle(node).display !== 'inline') parts.push('\n');
      };
      for (const root of document.querySelectorAll(selector)) walk(root);
      return parts.join('').replace(/[ \t]+/g, ' ');
    },
    [selector, skip],
  );

for (const id of Object.keys(QUICK)) {
  test(`${id}: before Run, the page speaks Python, gives nothing away, and folds the Rust`, async ({
    page,
  }) => {
    await open(page, `?scenario=${id}`);
    const before = await visibleText(page, 'header, main');
    expect(before).toContain('Python: the same workload');
    expect(browserWordsIn(before), 'browser or Rust words outside a fold').toEqual([]);
    // The Predict step's choices offer every order ("One Two One Two..." and "One One One..."): the rest
    // of the page must not state one.
    const told = await visibleText(page, 'header, main', 'form.prediction label.choice');
    expect(giveAwaysIn(told), 'outcomes stated before Run').toEqual([]);
    // The Python twin is the first code, open; the Rust that ran is folded under it.
    await expect(page.locator('.code-columns > *').first()).toHaveClass(/code-python/);
    await expect(page.locator('.code-python pre')).toBeVisible();
    await expect(page.locator('details.code-rust-fold')).not.toHaveAttribute('open');
    await expect(page.locator('.code-rust pre')).toBeHidden();
    // Opened, the Rust's comments say what the code does, not what happens.
    await page.locator('details.code-rust-fold > summary').click();
    await expect(page.locator('.code-rust pre')).toBeVisible();
    const comments = (await page.locator('.code-rust pre').textContent())
      .split('\n')
      .filter((line) => line.trim().startsWith('//'))
      .join('\n');
    expect(giveAwaysIn(comments), "outcomes in the Rust code's comments").toEqual([]);
    // After a run, "What happens" opens: its browser words are in "How the browser does it" folds.
    await page.locator('details.explanation').evaluate((details) => {
      details.open = true;
    });
    const happens = await visibleText(page, 'details.explanation');
    expect(happens).toContain('The lesson');
    expect(browserWordsIn(happens), 'browser or Rust words in "What happens" outside a fold').toEqual([]);
  });
}

test('on a phone, too, the Rust code starts folded under the Python', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '?scenario=cpu-in-async');
  await expect(page.locator('.code-python pre')).toBeVisible();
  await expect(page.locator('details.code-rust-fold')).not.toHaveAttribute('open');
  const before = await visibleText(page, 'header, main');
  expect(browserWordsIn(before)).toEqual([]);
});

test('the start page speaks Python; its quiz asks about Python, feedback included', async ({ page }) => {
  await open(page, '');
  await expect(page.locator('.quiz-question')).not.toHaveCount(0);
  expect(browserWordsIn(await visibleText(page, '.start')), 'the start page outside its folds').toEqual([]);
  // The browser's side of the Python-to-browser table is there, one click away.
  const fold = page.locator('.start details.browser-fold');
  await expect(fold.locator('summary')).toHaveText('How the browser does it');
  await fold.locator('summary').click();
  await expect(fold.locator('table')).toContainText('rayon');
  // Every answer's feedback, as a learner picking each in turn sees it.
  const questions = page.locator('.quiz-question');
  for (let q = 0; q < (await questions.count()); q += 1) {
    const choices = questions.nth(q).locator('input[type="radio"]');
    for (let c = 0; c < (await choices.count()); c += 1) {
      await choices.nth(c).check();
      const text = await questions.nth(q).textContent();
      expect(browserWordsIn(text), text).toEqual([]);
      expect(text).not.toMatch(/\bpromise|JavaScript/i);
    }
  }
});
