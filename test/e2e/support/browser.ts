// Launches the Debian Chromium through playwright-core (no browser download), with flags that keep it quiet and
// offline: no sandbox (root in CI), no GPU, no background traffic.
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.DATAENG_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: process.env.DATAENG_E2E_HEADED !== '1',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
