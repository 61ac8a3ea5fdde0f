/// <reference lib="dom" />
// Latency the extension adds between the model server's first streamed text byte and that text painted in the chat.
// Path measured: fake server writes the first text_delta (t0) → real SDK parses SSE → LlmClient → pipeline sink (t1)
// → protocol message posted (t2) … webview receives it (p0) → media/main.ts renders through render.ts on the next
// animation frame → painted (p1). Added latency = (t2 − t0) + (p1 − p0). The hop between t2 and p0 is VS Code's IPC
// in the product and Playwright's CDP here, so it is reported separately and not counted.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runTask } from '../src/app/pipeline';
import { createLlmClient } from '../src/llm/client';
import type { HostToWebview } from '../src/protocol/messages';
import { startFakeAnthropic } from '../test/support/fakeAnthropic';
import { launchChromium, openWebviewPage } from '../test/support/webviewPage';
import { report, summarize } from './harness';

const warmup = 5;
const runs = 40;

void (async () => {
  const fake = await startFakeAnthropic();
  const browser = await launchChromium();
  const view = await openWebviewPage(browser, readFileSync(join(process.cwd(), 'dist', 'webview.js'), 'utf8'));
  await view.send({ type: 'init', pickers: { personas: [], persona: '', connections: [], connection: null, hasKey: true }, conversation: [], streaming: [] });
  // Page-side probe: p0 = when the message event was created; p1 = the first task after the frame in which the
  // first text reached the DOM (a MessageChannel task queued from the mutation runs after that frame's paint).
  await view.page.evaluate(() => {
    const w = window as unknown as { __marks: Record<string, { p0: number; p1?: number }> };
    w.__marks = {};
    window.addEventListener('message', (e: MessageEvent<{ type: string; requestId: string }>) => {
      const m = e.data;
      if (m.type !== 'delta' || w.__marks[m.requestId]) return;
      const mark: { p0: number; p1?: number } = { p0: e.timeStamp };
      w.__marks[m.requestId] = mark;
      const target = document.querySelector(`[data-request-id="${m.requestId}"][data-testid="message-assistant"] .body`)!;
      const obs = new MutationObserver(() => {
        if (!target.textContent) return;
        obs.disconnect();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => (mark.p1 = performance.now());
        ch.port2.postMessage(0);
      });
      obs.observe(target, { childList: true, subtree: true, characterData: true });
    });
  });

  const host: number[] = [];
  const webview: number[] = [];
  const total: number[] = [];
  const answer = 'The sequential scan on orders reads every row; an index on (customer_id) turns it into an index scan. '.repeat(3);
  for (let i = 0; i < warmup + runs; i++) {
    const requestId = `b${i}`;
    await view.send({ type: 'turnStart', requestId, userText: 'why slow?', canReplace: false });
    fake.script({ kind: 'stream', text: answer, chunkSize: 12, delayMs: 3 });
    const llm = createLlmClient({ apiKey: 'sk-bench', baseUrl: fake.url });
    const index = fake.requests.length;
    let t2 = 0;
    let sent: Promise<void> = Promise.resolve();
    const posts: Promise<void>[] = [];
    await runTask(
      { task: 'chat', question: 'why slow?', dialect: 'postgres', personaBody: 'bench persona' },
      { analyze: () => ({ findings: [], evidence: '' }), llm },
      (e) => {
        if (e.type !== 'delta') return;
        const message: HostToWebview = { type: 'delta', requestId, text: e.text };
        // What the host does per delta: build the protocol message and hand it to postMessage (serialized).
        const payload = JSON.parse(JSON.stringify(message)) as HostToWebview;
        if (!t2) t2 = performance.now();
        sent = sent.then(() => view.send(payload));
        posts.push(sent);
      },
      new AbortController().signal,
    );
    await Promise.all(posts);
    await view.send({ type: 'done', requestId, incomplete: false });
    await view.page.waitForFunction((id) => (window as unknown as { __marks: Record<string, { p1?: number }> }).__marks[id]?.p1 !== undefined, requestId);
    const mark = await view.page.evaluate((id) => (window as unknown as { __marks: Record<string, { p0: number; p1: number }> }).__marks[id]!, requestId);
    const t0 = fake.requests[index]!.firstDeltaAt!;
    if (i < warmup) continue;
    host.push(t2 - t0);
    webview.push(mark.p1 - mark.p0);
    total.push(t2 - t0 + (mark.p1 - mark.p0));
  }
  // Streaming a long answer: the growing message is re-rendered at most once per frame; the frame gaps while 12 KB of
  // Markdown arrive in 12-character deltas show what that costs on the page's main thread (16.7 ms = no frame lost).
  const long = Array.from({ length: 120 }, (_, i) => `${i % 10 === 0 ? `\n## Step ${i}\n\n` : ''}- Point ${i}: the \`orders\` scan reads **${i * 1000}** rows; see [docs](https://www.postgresql.org/docs/).\n${i % 15 === 0 ? '\n```sql\nSELECT * FROM orders WHERE customer_id = 42;\n```\n' : ''}`).join('');
  await view.send({ type: 'turnStart', requestId: 'long', userText: 'long', canReplace: false });
  await view.page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const deltas: HostToWebview[] = [];
  for (let i = 0; i < long.length; i += 12) deltas.push({ type: 'delta', requestId: 'long', text: long.slice(i, i + 12) });
  // Delivered as a fast model would stream them: a few deltas every few milliseconds.
  for (let i = 0; i < deltas.length; i += 4) {
    await view.page.evaluate((ms) => {
      for (const m of ms) window.postMessage(m, '*');
    }, deltas.slice(i, i + 4));
    await new Promise((r) => setTimeout(r, 4));
  }
  for (let i = 0; i < 30; i++) await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const frames = await view.page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames;
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
  const longAnswerMaxFrameGapMs = Math.round(Math.max(...gaps) * 10) / 10;
  const longAnswerP95FrameGapMs = summarize(gaps).p95Ms;
  const rendered = await view.page.locator('[data-request-id="long"][data-testid="message-assistant"]').innerText();
  if (!rendered.includes('Point 119')) throw new Error('the long answer did not render completely');
  console.log(`long answer (${long.length} chars in ${deltas.length} deltas): frame gap p95 ${longAnswerP95FrameGapMs} ms, longest ${longAnswerMaxFrameGapMs} ms`);
  await view.close();
  await browser.close();
  await fake.close();
  const h = summarize(host);
  const w = summarize(webview);
  const t = summarize(total);
  console.log(`host (server first byte → protocol message): median ${h.medianMs} ms, p95 ${h.p95Ms} ms`);
  console.log(`webview (message → painted): median ${w.medianMs} ms, p95 ${w.p95Ms} ms`);
  console.log(`added latency: median ${t.medianMs} ms, p95 ${t.p95Ms} ms over ${t.runs} runs (target: well under 50 ms)`);
  // Tails depend on machine load (a shared 2-core box in CI); the 1-minute load average is reported with the figures.
  report({ longAnswerChars: long.length, longAnswerP95FrameGapMs, longAnswerMaxFrameGapMs, loadAverage1m: Math.round(loadavg()[0]! * 10) / 10, runs: t.runs, addedMedianMs: t.medianMs, addedP95Ms: t.p95Ms, hostMedianMs: h.medianMs, hostP95Ms: h.p95Ms, webviewMedianMs: w.medianMs, webviewP95Ms: w.p95Ms });
})().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
