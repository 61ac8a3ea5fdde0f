/// <reference lib="dom" />
// The agent loop in the real chat webview (Chromium): tool steps that expand to input and result, a checklist updated
// in place, a proposed edit's diff with Apply / Reject, all of it text only (model and database text never becomes
// markup), and all of it back after a reload from the persisted conversation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationEntry } from '../../../src/protocol/messages';
import { bundleWebview } from '../../support/bundleWebview';
import { launchChromium, openWebviewPage, type WebviewPage } from '../../support/webviewPage';

let browser: Browser;
let view: WebviewPage;
const pickers = { personas: [{ name: 'the-data-engineer', description: 'd' }], persona: 'the-data-engineer', connections: [], connection: null, hasKey: true };
const payload = '<img src=x onerror="window.__pwned=1">';

beforeAll(async () => {
  browser = await launchChromium();
  view = await openWebviewPage(browser, await bundleWebview());
  await view.send({ type: 'init', pickers, conversation: [], streaming: [] });
});
afterAll(async () => {
  await view?.close();
  await browser?.close();
});

const answer = (id: string) => view.page.locator(`[data-testid="message-assistant"][data-request-id="${id}"]`);

describe('agent steps in the chat webview', () => {
  it('a step shows running, then its summary; it expands to its input and result', async () => {
    await view.send({ type: 'turnStart', requestId: 'a1', userText: 'Optimize', canReplace: false });
    await view.send({ type: 'toolStep', requestId: 'a1', step: { id: 'toolu_1', name: 'explain_query', summary: 'explain_query', input: '{"sql":"select 1","analyze":true}', running: true } });
    const step = answer('a1').locator('[data-testid="tool-step"]');
    expect(await step.count()).toBe(1);
    expect(await step.locator('summary').innerText()).toBe('explain_query…');
    await view.send({
      type: 'toolStep',
      requestId: 'a1',
      step: { id: 'toolu_1', name: 'explain_query', summary: 'EXPLAIN ANALYZE on orders: 2 findings', input: '{"sql":"select 1","analyze":true}', result: '[F1] Seq Scan', isError: false, running: false },
    });
    expect(await step.count()).toBe(1);
    expect(await step.locator('summary').innerText()).toBe('EXPLAIN ANALYZE on orders: 2 findings');
    expect(await step.locator('[data-testid="tool-step-result"]').isVisible()).toBe(false);
    await step.locator('summary').click();
    expect(await step.locator('[data-testid="tool-step-input"]').innerText()).toBe('{\n  "sql": "select 1",\n  "analyze": true\n}');
    expect(await step.locator('[data-testid="tool-step-result"]').innerText()).toBe('[F1] Seq Scan');
    // The steps sit above the answer's text.
    await view.send({ type: 'delta', requestId: 'a1', text: 'Add an index.' });
    await view.send({ type: 'done', requestId: 'a1', incomplete: false });
    const stepsBox = await answer('a1').locator('[data-testid="tool-steps"]').boundingBox();
    const body = await answer('a1').locator('.body').boundingBox();
    expect(stepsBox!.y).toBeLessThan(body!.y);
  });

  it('the checklist updates in place', async () => {
    await view.send({ type: 'turnStart', requestId: 'a2', userText: 'Plan', canReplace: false });
    await view.send({ type: 'todos', requestId: 'a2', items: [{ text: 'Read the plan', status: 'in_progress' }, { text: 'Check indexes', status: 'pending' }] });
    await view.send({ type: 'todos', requestId: 'a2', items: [{ text: 'Read the plan', status: 'done' }, { text: 'Check indexes', status: 'in_progress' }] });
    const todos = answer('a2').locator('[data-testid="todos"]');
    expect(await todos.count()).toBe(1);
    expect(await todos.locator('[data-testid="todo"]').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset['status']}:${e.textContent}`))).toEqual([
      'done:●Read the plan',
      'in_progress:◐Check indexes',
    ]);
  });

  it('a proposed edit shows its diff; Apply and Reject post their messages; the new state replaces the buttons', async () => {
    await view.send({ type: 'turnStart', requestId: 'a3', userText: 'Fix', canReplace: false });
    await view.send({ type: 'proposedEdit', requestId: 'a3', edit: { id: 'toolu_e', path: 'models/orders.sql', oldText: 'select *\nfrom orders', newText: 'select id\nfrom orders', state: 'proposed' } });
    await view.send({ type: 'proposedEdit', requestId: 'a3', edit: { id: 'toolu_f', path: 'models/b.sql', oldText: 'a', newText: 'b', state: 'proposed' } });
    await view.send({ type: 'done', requestId: 'a3', incomplete: false });
    const edit = answer('a3').locator('[data-testid="proposed-edit"]').first();
    expect(await edit.locator('[data-testid="proposed-edit-path"]').innerText()).toBe('models/orders.sql');
    expect(await edit.locator('[data-testid="diff-removed"]').innerText()).toBe('-select *');
    expect(await edit.locator('[data-testid="diff-added"]').innerText()).toBe('+select id');
    expect(await edit.locator('[data-testid="diff-same"]').innerText()).toBe(' from orders');
    await edit.locator('[data-testid="apply-edit"]').click();
    await answer('a3').locator('[data-testid="proposed-edit"]').nth(1).locator('[data-testid="reject-edit"]').click();
    const posted = (await view.posted());
    expect(posted.slice(-2)).toEqual([
      { type: 'applyEdit', requestId: 'a3', editId: 'toolu_e' },
      { type: 'rejectEdit', requestId: 'a3', editId: 'toolu_f' },
    ]);
    await view.send({ type: 'proposedEdit', requestId: 'a3', edit: { id: 'toolu_e', path: 'models/orders.sql', oldText: 'select *\nfrom orders', newText: 'select id\nfrom orders', state: 'failed', note: 'the file no longer contains the text this edit replaces' } });
    expect(await edit.getAttribute('data-state')).toBe('failed');
    expect(await edit.locator('[data-testid="apply-edit"]').count()).toBe(0);
    expect(await edit.locator('[data-testid="proposed-edit-state"]').innerText()).toBe('Not applied: the file no longer contains the text this edit replaces');
  });

  it('model and database text stays text: summaries, inputs, results, todos, paths and diffs', async () => {
    await view.send({ type: 'turnStart', requestId: 'a4', userText: 'x', canReplace: false });
    await view.send({ type: 'toolStep', requestId: 'a4', step: { id: 'toolu_x', name: 'read_file', summary: `Read ${payload}`, input: JSON.stringify({ path: payload }), result: payload, isError: true, running: false } });
    await view.send({ type: 'todos', requestId: 'a4', items: [{ text: payload, status: 'pending' }] });
    await view.send({ type: 'proposedEdit', requestId: 'a4', edit: { id: 'toolu_y', path: payload, oldText: payload, newText: `${payload}!`, state: 'proposed' } });
    await view.send({ type: 'done', requestId: 'a4', incomplete: false });
    await answer('a4').locator('summary').click();
    expect(await answer('a4').locator('img').count()).toBe(0);
    expect(await view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await answer('a4').locator('[data-testid="tool-step-result"]').innerText()).toBe(payload);
    expect(await answer('a4').locator('[data-testid="todo"]').innerText()).toContain(payload);
  });

  it('steps, checklist and edits come back from the persisted conversation after a reload', async () => {
    const conversation: ConversationEntry[] = [
      { requestId: 'p1', role: 'user', text: 'Optimize' },
      {
        requestId: 'p1',
        role: 'assistant',
        text: 'Done.',
        steps: [{ id: 't1', name: 'describe_table', summary: 'Described orders', input: '{"table":"orders"}', result: '10 rows', isError: false, running: false }],
        todos: [{ text: 'Check', status: 'done' }],
        edits: [{ id: 't2', path: 'a.sql', oldText: 'a', newText: 'b', state: 'applied' }],
      },
    ];
    await view.send({ type: 'init', pickers, conversation, streaming: [] });
    expect(await answer('p1').locator('[data-testid="tool-step"] summary').innerText()).toBe('Described orders');
    expect(await answer('p1').locator('[data-testid="todo"]').getAttribute('data-status')).toBe('done');
    expect(await answer('p1').locator('[data-testid="proposed-edit"]').getAttribute('data-state')).toBe('applied');
    expect(await answer('p1').locator('[data-testid="proposed-edit-state"]').innerText()).toMatch(/^Applied/);
  });
});
