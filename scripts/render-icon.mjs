// Renders media/icon-marketplace.svg into media/icon.png (128×128), the Marketplace icon package.json names, with
// Debian's Chromium through playwright-core (as the e2e suites use it). Run after editing the SVG:
//   node scripts/render-icon.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './codeServer.mjs';

const svg = readFileSync(join(repoRoot, 'media', 'icon-marketplace.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.DATAENG_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(repoRoot, 'media', 'icon.png'), omitBackground: true });
  console.log('media/icon.png written');
} finally {
  await browser.close();
}
