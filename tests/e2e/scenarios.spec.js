// Every variant of every scenario runs from the UI, end to end, with small parameters to stay quick.
import { expect, open, runsDone, test } from './fixtures.js';

const QUICK = {
  count: 'sleep_ms=200',
  timelines: 'work_ms=150&wait_ms=150',
  'cpu-in-async': 'tasks=4&task_ms=40',
  'io-bound': 'requests=8&latency_ms=80',
  race: 'increments=200',
};

test('the catalogue has every scenario the page offers', async ({ page }) => {
  await open(page);
  const ids = await page.evaluate(() => window.juggle.scenarios().map((s) => s.id));
  expect(ids.sort()).toEqual(Object.keys(QUICK).sort());
});

for (const [id, query] of Object.entries(QUICK)) {
  test(`every ${id} variant runs from the UI`, async ({ page }) => {
    await open(page, `?scenario=${id}&${query}`);
    const variants = await page.evaluate(
      (scenario) =>
        window.juggle
          .scenarios()
          .find((s) => s.id === scenario)
          .variants.map((v) => v.id),
      id,
    );
    await page.getByRole('button', { name: 'Run all variants' }).click();
    await runsDone(page);
    await expect(page.getByRole('alert')).toBeHidden();
    for (const variant of variants) {
      await expect(page.locator(`figure[data-variant="${variant}"] .chart svg`).first()).toBeVisible();
    }
  });
}
