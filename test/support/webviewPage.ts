/// <reference lib="dom" />
// Serves the real chat webview (media/main.ts bundled by esbuild, media/main.css, the shell from
// src/vscode/chat/html.ts with its CSP) to a real Chromium, with a stand-in for acquireVsCodeApi that records what the
// webview posts. Used by the XSS suite and the first-token benchmark.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostToWebview } from '../../src/protocol/messages';
import { chatHtml } from '../../src/vscode/chat/html';

const root = join(__dirname, '..', '..');

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface WebviewPage {
  page: Page;
  origin: string;
  /** Paths requested from the page server that are not part of the webview (should stay empty). */
  strayRequests: string[];
  send(message: HostToWebview): Promise<void>;
  posted(): Promise<unknown[]>;
  close(): Promise<void>;
}

// A stand-in for VS Code's webview API: records posts on window.__posted, keeps state in memory.
const stub = `(() => {
  let state;
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();`;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
}

/** `script` is the webview bundle: media/main.ts built by esbuild (bundleWebview() in tests, dist/webview.js in benches). */
export async function openWebviewPage(browser: Browser, script: string): Promise<WebviewPage> {
  const css = readFileSync(join(root, 'media/main.css'), 'utf8');
  const nonce = randomBytes(16).toString('base64');
  const strayRequests: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/') {
      const html = chatHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css` }).replace(
        '<script nonce=',
        `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`,
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (path === '/webview.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (path === '/stub.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(stub);
    else if (path === '/webview.css') res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    else {
      if (path !== '/favicon.ico') strayRequests.push(path);
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return {
    page,
    origin,
    strayRequests,
    // Resolves once the page has handled the message: a marker posted right after it comes back through the same
    // queue, so everything the message did synchronously is on the page by then.
    send: (message) =>
      page.evaluate(
        (m) =>
          new Promise<void>((resolve) => {
            const marker = `__sent:${Math.random()}`;
            const onMarker = (e: MessageEvent): void => {
              if (e.data !== marker) return;
              window.removeEventListener('message', onMarker);
              resolve();
            };
            window.addEventListener('message', onMarker);
            window.postMessage(m, '*');
            window.postMessage(marker, '*');
          }),
        message,
      ),
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    close: async () => {
      await page.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
