/// <reference lib="dom" />
// The chat end to end without VS Code: the pipeline streams the real SDK's answer from the fake server, each event
// becomes a protocol message, and the real webview bundle in Chromium renders it and posts the user's actions back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFindingViews } from '../../../src/core/findingsFormat';
import { runTask, type PipelineEvent } from '../../../src/app/pipeline';
import type { Finding } from '../../../src/core/findings';
import { createLlmClient } from '../../../src/llm/client';
import type { HostToWebview } from '../../../src/protocol/messages';
import { bundleWebview } from '../../support/bundleWebview';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';
import { launchChromium, openWebviewPage, type WebviewPage } from '../../support/webviewPage';

let browser: Browser;
let view: WebviewPage;
let fake: FakeAnthropic;
let script: string;
const pickers = { personas: [{ name: 'the-data-engineer', description: 'd' }, { name: 'terse', description: 't' }], persona: 'the-data-engineer', connections: [{ name: 'local', driver: 'postgres' }], connection: null, hasKey: true };

const finding: Finding = { rule: 'seq-scan-filter', severity: 'critical', score: 4, message: 'Seq Scan on "orders" removes 99% of rows', node: '#2', evidence: {} };

beforeAll(async () => {
  fake = await startFakeAnthropic();
  script = await bundleWebview();
  browser = await launchChromium();
  view = await openWebviewPage(browser, script);
  await view.send({ type: 'init', pickers, conversation: [], streaming: [] });
});
afterAll(async () => {
  await view?.close();
  await browser?.close();
  await fake?.close();
});

/** What the host's ChatViewProvider does with pipeline events, minus VS Code. */
function toProtocol(requestId: string, e: PipelineEvent): HostToWebview {
  switch (e.type) {
    case 'status':
      return { type: 'status', requestId, text: e.text };
    case 'findings':
      return { type: 'findings', requestId, findings: toFindingViews(e.findings) };
    case 'delta':
      return { type: 'delta', requestId, text: e.text };
    case 'done':
      return { type: 'done', requestId, incomplete: false };
    case 'error':
      return { type: 'error', requestId, kind: e.kind, message: e.message };
    case 'noKey':
      return { type: 'noKey', requestId };
    case 'toolStart':
      return { type: 'toolStep', requestId, step: { id: e.id, name: e.name, summary: e.name, input: e.input, running: true } };
    case 'toolStep':
      return { type: 'toolStep', requestId, step: { id: e.id, name: e.name, summary: e.summary, input: e.input, result: e.result, isError: e.isError, running: false } };
    case 'todos':
      return { type: 'todos', requestId, items: e.items };
    case 'proposedEdit':
      return { type: 'proposedEdit', requestId, edit: { id: e.id, path: e.edit.path, oldText: e.edit.oldText, newText: e.edit.newText, state: 'proposed' } };
  }
}

async function ask(requestId: string, answer: Parameters<FakeAnthropic['script']>[0], withKey = true, signal = new AbortController().signal): Promise<void> {
  if (withKey) fake.script(answer);
  await view.send({ type: 'turnStart', requestId, userText: 'Optimize\n\nselect * from orders where customer_id = 7', canReplace: true });
  const sent: Promise<void>[] = [];
  let chain = Promise.resolve();
  await runTask(
    { task: 'optimize', sql: 'select * from orders where customer_id = 7', dialect: 'postgres', personaBody: 'x' },
    { analyze: () => ({ findings: [], evidence: '' }), explain: () => Promise.resolve({ dialect: 'postgres' as const, analyzed: false, rolledBack: true, planFormat: 'postgres-json' as const, plan: [{ Plan: { 'Node Type': 'Result' } }], warnings: [], statement: 'x' }), llm: withKey ? createLlmClient({ apiKey: 'sk-web', baseUrl: fake.url }) : null },
    (e) => {
      const m = e.type === 'findings' ? toProtocol(requestId, { type: 'findings', findings: [finding] }) : toProtocol(requestId, e);
      chain = chain.then(() => view.send(m));
      sent.push(chain);
    },
    signal,
  );
  await Promise.all(sent);
}

const assistant = (id: string) => view.page.locator(`[data-testid="message-assistant"][data-request-id="${id}"]`);

describe('chat webview end to end', () => {
  it('shows findings above the streamed answer, code blocks with Copy / Insert / Replace that post the code', async () => {
    await ask('r1', { kind: 'stream', text: 'Index it [F1]:\n\n```sql\nCREATE INDEX CONCURRENTLY ON orders (customer_id);\n```\n', chunkSize: 4 });
    const a = assistant('r1');
    await expect.poll(() => a.locator('[data-testid="code-block"]').count()).toBe(1);
    const f = a.locator('[data-testid="finding"]');
    expect(await f.getAttribute('data-rule')).toBe('seq-scan-filter');
    expect(await f.getAttribute('data-severity')).toBe('critical');
    expect(await f.innerText()).toContain('F1');
    const box = await a.locator('[data-testid="findings"]').boundingBox();
    const body = await a.locator('.body').boundingBox();
    expect(box!.y).toBeLessThan(body!.y);
    await a.locator('[data-testid="code-insert"]').click();
    await a.locator('[data-testid="code-replace"]').click();
    await a.locator('[data-testid="code-copy"]').click();
    const posted = (await view.posted()) as { type: string; text?: string; requestId?: string }[];
    const code = 'CREATE INDEX CONCURRENTLY ON orders (customer_id);\n';
    expect(posted.slice(-3)).toEqual([
      { type: 'insertCode', requestId: 'r1', text: code },
      { type: 'replaceStatement', requestId: 'r1', text: code },
      { type: 'copyCode', text: code },
    ]);
    expect(await view.page.locator('[data-testid="stop"]').isHidden()).toBe(true);
  });

  it('without a key: findings stay, a Set API key button posts setApiKey', async () => {
    await ask('r2', { kind: 'stream', text: 'unused' }, false);
    const a = assistant('r2');
    await expect.poll(() => a.locator('[data-testid="set-api-key"]').count()).toBe(1);
    expect(await a.locator('[data-testid="finding"]').count()).toBe(1);
    await a.locator('[data-testid="set-api-key"]').click();
    expect(((await view.posted()) as { type: string }[]).at(-1)).toEqual({ type: 'setApiKey' });
  });

  it('a cut stream keeps the partial answer, marked incomplete, with the error message', async () => {
    await ask('r3', { kind: 'stream', text: 'The plan shows a sequential scan over all rows', chunkSize: 5, cutAfterDeltas: 4 });
    const a = assistant('r3');
    await expect.poll(() => a.locator('[data-testid="error"]').count()).toBe(1);
    expect(await a.locator('.body').innerText()).toContain('The plan shows a se');
    expect(await a.getAttribute('class')).toContain('incomplete');
    expect(await a.locator('[data-testid="error"]').innerText()).toMatch(/cut off/);
  });

  it('Enter sends, Shift+Enter adds a line; Stop posts cancel for the running request', async () => {
    const input = view.page.locator('[data-testid="input"]');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.type('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    await input.press('Enter');
    const posted = (await view.posted()) as { type: string; text?: string; requestId?: string }[];
    const send = posted.at(-1)!;
    expect(send.type).toBe('send');
    expect(send.text).toBe('first line\nsecond line');
    expect(await input.inputValue()).toBe('');
    await view.send({ type: 'turnStart', requestId: send.requestId!, userText: '', canReplace: false });
    await view.send({ type: 'delta', requestId: send.requestId!, text: 'Thinking' });
    await view.page.locator('[data-testid="stop"]').click();
    expect(((await view.posted()) as { type: string }[]).at(-1)).toEqual({ type: 'cancel', requestId: send.requestId });
    await view.send({ type: 'error', requestId: send.requestId!, kind: 'cancelled', message: 'Stopped.' });
    await expect.poll(() => view.page.locator('[data-testid="stop"]').isHidden()).toBe(true);
    expect(await assistant(send.requestId!).innerText()).toContain('Stopped: the answer is incomplete.');
  });

  it('pickers and New chat post validated messages', async () => {
    await view.page.selectOption('[data-testid="persona-select"]', 'terse');
    await view.page.selectOption('[data-testid="connection-select"]', 'local');
    await view.page.click('[data-testid="new-chat"]');
    expect(((await view.posted()) as { type: string }[]).slice(-3)).toEqual([
      { type: 'selectPersona', name: 'terse' },
      { type: 'selectConnection', name: 'local' },
      { type: 'newChat' },
    ]);
  });

  it('a reload mid-answer shows the partial text and keeps streaming into it', async () => {
    const page = await openWebviewPage(browser, script);
    await page.send({
      type: 'init',
      pickers,
      conversation: [
        { requestId: 'm1', role: 'user', text: 'q' },
        { requestId: 'm1', role: 'assistant', text: 'Partial ans' },
      ],
      streaming: ['m1'],
    });
    expect(await page.page.locator('[data-testid="stop"]').isVisible()).toBe(true);
    await page.send({ type: 'delta', requestId: 'm1', text: 'wer, continued.' });
    await page.send({ type: 'done', requestId: 'm1', incomplete: false });
    await expect.poll(() => page.page.locator('[data-request-id="m1"][data-testid="message-assistant"]').innerText()).toContain('Partial answer, continued.');
    await page.close();
  });

  it('the conversation survives a reload through webview state (no secrets in it)', async () => {
    const state = await view.page.evaluate(() => {
      const w = window as unknown as { acquireVsCodeApi: () => { getState: () => unknown } };
      return JSON.stringify(w.acquireVsCodeApi().getState());
    });
    expect(state).toContain('CREATE INDEX CONCURRENTLY');
    expect(state).not.toContain('sk-web');
    // A fresh page seeded with that state renders the same conversation before the host answers.
    const second = await openWebviewPage(browser, script);
    await second.page.evaluate((s) => {
      const w = window as unknown as { acquireVsCodeApi: () => { setState: (x: unknown) => void } };
      w.acquireVsCodeApi().setState(JSON.parse(s));
    }, state);
    await second.send({ type: 'init', pickers, conversation: (JSON.parse(state) as { conversation: never[] }).conversation, streaming: [] });
    expect(await second.page.locator('[data-testid="message-assistant"][data-request-id="r1"] [data-testid="code-block"]').count()).toBe(1);
    expect(await second.page.locator('[data-testid="message-user"]').count()).toBeGreaterThanOrEqual(3);
    await second.close();
  });
});
