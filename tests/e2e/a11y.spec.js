// Accessibility: axe-core finds no WCAG 2 A/AA violation on the start view and on a scenario after a run,
// in the light and the dark colour scheme.
import AxeBuilder from '@axe-core/playwright';
import { expect, open, QUICK, runsDone, test } from './fixtures.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The violations, in a form that reads well in a failure message. */
async function violations(page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const colorScheme of ['light', 'dark']) {
  test(`the start view has no WCAG A/AA violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page, '');
    // The waiting pictures' place, then the pictures drawn.
    expect(await violations(page)).toEqual([]);
    await page.locator('#pictures').scrollIntoViewIfNeeded();
    await expect(page.locator('figure.picture')).toHaveCount(3, { timeout: 30_000 });
    // Open the quiz feedback too.
    await page.locator('.quiz-question').first().locator('input').first().check();
    expect(await violations(page)).toEqual([]);
  });

  test(`a scenario after a run has no WCAG A/AA violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page, `?scenario=cpu-in-async&${QUICK['cpu-in-async']}`);
    await page.locator('form.prediction input[type="checkbox"]').first().check();
    await page.getByRole('button', { name: 'Run all variants' }).click();
    await runsDone(page);
    await page.getByRole('slider', { name: 'Replay: move the time cursor' }).fill('60');
    for (const details of await page.locator('details').all()) await details.evaluate((d) => (d.open = true));
    expect(await violations(page)).toEqual([]);
  });
}
