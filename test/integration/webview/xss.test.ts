/// <reference lib="dom" />
// The XSS suite: hostile model output rendered by the real webview bundle (media/main.ts → media/render.ts) in real
// Chromium under the real CSP. Nothing may execute or load, and the text must still be visible.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWebview } from '../../support/bundleWebview';
import { launchChromium, openWebviewPage, type WebviewPage } from '../../support/webviewPage';
import { xssPayloads } from './xssPayloads';

let browser: Browser;
let view: WebviewPage;
let sentinel: Server;
let S = '';
const sentinelHits: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  sentinel = createServer((req, res) => {
    sentinelHits.push(req.url ?? '');
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end('');
  });
  await new Promise<void>((r) => sentinel.listen(0, '127.0.0.1', r));
  S = `http://127.0.0.1:${(sentinel.address() as AddressInfo).port}`;
  browser = await launchChromium();
  view = await openWebviewPage(browser, await bundleWebview());
  view.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await view.send({ type: 'init', pickers: { personas: [{ name: 'p', description: 'd' }], persona: 'p', connections: [], connection: null, hasKey: true }, conversation: [], streaming: [] });
});

afterAll(async () => {
  await view?.close();
  await browser?.close();
  await new Promise<void>((r) => sentinel.close(() => r()));
});

async function renderStreamed(requestId: string, text: string): Promise<void> {
  await view.send({ type: 'turnStart', requestId, userText: `question ${requestId}`, canReplace: true });
  // Split into three deltas so partially streamed tags go through the renderer too.
  const a = Math.floor(text.length / 3);
  const b = Math.floor((2 * text.length) / 3);
  for (const part of [text.slice(0, a), text.slice(a, b), text.slice(b)]) await view.send({ type: 'delta', requestId, text: part });
  await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await view.send({ type: 'done', requestId, incomplete: false });
}

describe('XSS: hostile Markdown and HTML in model output', () => {
  it('has at least 50 payloads', () => {
    expect(xssPayloads('http://s').length).toBeGreaterThanOrEqual(50);
  });

  it('executes nothing, loads nothing, and keeps every text visible', async () => {
    const payloads = xssPayloads(S);
    for (let i = 0; i < payloads.length; i++) await renderStreamed(`x${i}`, payloads[i]!);
    // Let any deferred handler, timer, refresh or load have its chance.
    await view.page.hover('[data-testid="messages"]');
    for (const a of await view.page.$$('[data-testid="message-assistant"] a')) await a.hover().catch(() => undefined);
    await view.page.waitForTimeout(500);

    expect(await view.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(sentinelHits).toEqual([]);
    expect(view.strayRequests).toEqual([]);
    expect(view.page.url()).toBe(`${view.origin}/`);

    const report = await view.page.evaluate(() => {
      const msgs = Array.from(document.querySelectorAll('[data-testid="message-assistant"]'));
      const all = msgs.flatMap((m) => Array.from(m.querySelectorAll('*')));
      return {
        texts: msgs.map((m) => (m as HTMLElement).innerText),
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
        handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}@${a.name}`)),
        styles: all.filter((e) => e.hasAttribute('style')).length,
        hrefs: all.filter((e) => e.hasAttribute('href')).map((e) => e.getAttribute('href')!),
        srcs: all.filter((e) => e.hasAttribute('src') || e.hasAttribute('srcdoc') || e.hasAttribute('background')).length,
        fakeButtons: msgs.flatMap((m) => Array.from(m.querySelectorAll('.body [data-action], .body [data-testid], .body [id], .body [name]'))).filter((e) => !e.closest('.code-toolbar') && !e.matches('div.code-block')).length,
        messagesIsUnique: document.querySelectorAll('[data-testid="messages"]').length,
      };
    });
    expect(report.texts).toHaveLength(payloads.length);
    report.texts.forEach((t, i) => expect(t, `payload ${i}`).toContain(`V${i}`));
    const allowed = ['a', 'blockquote', 'br', 'button', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul'];
    expect(report.tags.filter((t) => !allowed.includes(t))).toEqual([]);
    expect(report.handlers).toEqual([]);
    expect(report.styles).toBe(0);
    expect(report.srcs).toBe(0);
    expect(report.hrefs.filter((h) => !/^(https?:|mailto:)/.test(h))).toEqual([]);
    expect(report.fakeButtons).toBe(0);
    expect(report.messagesIsUnique).toBe(1);
  });

  it('raw HTML and image attempts are shown as text', async () => {
    await renderStreamed('shown1', 'before <b>bold?</b> ![diagram](https://example.com/d.png) after');
    const text = await view.page.locator('[data-request-id="shown1"][data-testid="message-assistant"]').innerText();
    expect(text).toContain('<b>bold?</b>');
    expect(text).toContain('[image: diagram]');
  });

  it('links go to the host as openLink requests, never navigate', async () => {
    await renderStreamed('link1', 'see [the docs](https://www.postgresql.org/docs/current/sql-explain.html)');
    await view.page.click('[data-request-id="link1"] a');
    const posted = (await view.posted()) as { type: string; href?: string }[];
    expect(posted.filter((m) => m.type === 'openLink').at(-1)).toEqual({ type: 'openLink', href: 'https://www.postgresql.org/docs/current/sql-explain.html' });
    expect(view.page.url()).toBe(`${view.origin}/`);
  });

  it('hostile finding messages and user text are plain text', async () => {
    await view.send({ type: 'turnStart', requestId: 'f1', userText: '<img src=x onerror="window.__xss=1">', canReplace: false });
    await view.send({
      type: 'findings',
      requestId: 'f1',
      findings: [{ id: 'F1', rule: 'seq-scan"><img src=x onerror=window.__xss=2>', severity: 'critical', message: '<script>window.__xss=3</script> on "orders"' }],
    });
    await view.send({ type: 'done', requestId: 'f1', incomplete: false });
    const finding = view.page.locator('[data-request-id="f1"] [data-testid="finding"]');
    expect(await finding.getAttribute('data-rule')).toBe('seq-scan"><img src=x onerror=window.__xss=2>');
    expect(await finding.innerText()).toContain('<script>window.__xss=3</script>');
    expect(await view.page.locator('[data-request-id="f1"][data-testid="message-user"]').innerText()).toContain('<img src=x');
    await view.page.waitForTimeout(100);
    expect(await view.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(sentinelHits).toEqual([]);
  });
});
