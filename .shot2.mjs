import { chromium } from '@playwright/test';
const [,, url, out, variant] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('console', (m) => { if (m.type() === 'error') console.log('console error', m.text()); });
await page.goto(url);
await page.waitForFunction(() => Number(document.body.dataset.runs ?? 0) >= 1, null, { timeout: 90000 });
await page.locator(`figure[data-variant="${variant}"]`).screenshot({ path: `${out}-${variant}.png` });
await browser.close();
