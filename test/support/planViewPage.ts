/// <reference lib="dom" />
// Serves the real plan view to a real Chromium, two ways: the webview page (media/plan bundled by esbuild, the shell
// from src/vscode/plan/html.ts with its nonce CSP, a stand-in for acquireVsCodeApi that records posts), and an HTML
// report as `dataeng analyze-plan --html` writes it. Each page comes from its own local server, which records any
// request the page makes beyond its own files (there should be none).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HostToPlanView, PlanViewDoc } from '../../src/protocol/planMessages';
import { planViewHtml } from '../../src/vscode/plan/html';

const root = join(__dirname, '..', '..');

export interface PlanPage {
  page: Page;
  origin: string;
  strayRequests: string[];
  close(): Promise<void>;
}

export interface PlanWebviewPage extends PlanPage {
  send(message: HostToPlanView): Promise<void>;
  posted(): Promise<unknown[]>;
  /** Sends a document and waits until it is drawn. */
  show(doc: PlanViewDoc): Promise<void>;
}

const stub = `(() => {
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });
})();`;

async function serve(routes: (origin: string) => Record<string, [string, string]>): Promise<{ origin: string; strayRequests: string[]; server: Server }> {
  const strayRequests: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const route = routes(origin)[path];
    if (route) res.writeHead(200, { 'content-type': route[0] }).end(route[1]);
    else {
      if (path !== '/favicon.ico') strayRequests.push(path);
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, strayRequests, server };
}

export async function openPlanWebview(browser: Browser, script: string, viewport = { width: 1400, height: 800 }): Promise<PlanWebviewPage> {
  const css = readFileSync(join(root, 'media/plan/plan.css'), 'utf8');
  const nonce = randomBytes(16).toString('base64');
  const { origin, strayRequests, server } = await serve((o) => ({
    '/': ['text/html; charset=utf-8', planViewHtml({ cspSource: o, nonce, scriptUri: `${o}/planView.js`, styleUri: `${o}/planView.css` }).replace('<script nonce=', `<script nonce="${nonce}" src="${o}/stub.js"></script>\n<script nonce=`)],
    '/planView.js': ['text/javascript', script],
    '/stub.js': ['text/javascript', stub],
    '/planView.css': ['text/css', css],
  }));
  const page = await browser.newPage({ viewport });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  // As JSON text: Playwright's own argument serialization takes seconds on a 10,000-node plan, and the webview
  // receives a JSON-shaped value from VS Code anyway.
  const send = (message: HostToPlanView) => page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  return {
    page,
    origin,
    strayRequests,
    send,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    show: async (doc) => {
      await page.evaluate(() => document.body.removeAttribute('data-ready'));
      await send({ type: 'show', doc });
      await page.waitForSelector('body[data-ready]');
    },
    close: async () => {
      await page.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Opens an HTML report (the text `planReportHtml` returns) and waits until it has drawn the plan. */
export async function openPlanReport(browser: Browser, html: string, options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<PlanPage> {
  const { origin, strayRequests, server } = await serve(() => ({ '/': ['text/html; charset=utf-8', html] }));
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready]');
  return {
    page,
    origin,
    strayRequests,
    close: async () => {
      await page.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

