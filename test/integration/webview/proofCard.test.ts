/// <reference lib="dom" />
// Proof cards in the real webview bundle, in Chromium: Verify rewrite and Try index on the right code blocks, the
// validated messages they post, the card under its block (text only, never HTML), Show diff, and cards that survive a
// re-render of the message.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProofCard } from '../../../src/core/proof/card';
import { parseWebviewMessage } from '../../../src/protocol/messages';
import { bundleWebview } from '../../support/bundleWebview';
import { launchChromium, openWebviewPage, type WebviewPage } from '../../support/webviewPage';

let browser: Browser;
let view: WebviewPage;
const pickers = { personas: [{ name: 'p', description: 'd' }], persona: 'p', connections: [], connection: null, hasKey: true };
const rewrite = 'SELECT id FROM orders WHERE customer_id IN (1, 2)';
const index = 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id)';
const answer = ['Try this:', '```sql', rewrite, '```', 'and an index:', '```sql', index, '```', 'never this:', '```sql', 'UPDATE orders SET x = 1', '```'].join('\n');

beforeAll(async () => {
  browser = await launchChromium();
  view = await openWebviewPage(browser, await bundleWebview());
  await view.send({ type: 'init', pickers, conversation: [], streaming: [] });
  await view.send({ type: 'turnStart', requestId: 'h1', userText: 'Optimize', canReplace: false });
  await view.send({ type: 'delta', requestId: 'h1', text: answer });
  await view.send({ type: 'done', requestId: 'h1', incomplete: false });
});

afterAll(async () => {
  await view?.close();
  await browser?.close();
});

const card = (extra: Partial<ProofCard>): ProofCard => ({ id: 'p1', kind: 'rewrite', state: 'done', title: 'Rewrite returns different rows ✗', tone: 'bad', notes: [], canShowDiff: true, ...extra });

describe('proof cards in the chat', () => {
  it('a rewrite gets Verify rewrite, a CREATE INDEX Try index, anything else neither', async () => {
    const bars = await view.page.$$eval('[data-testid="code-block"]', (blocks) =>
      blocks.map((b) => Array.from(b.querySelectorAll('button')).map((x) => x.textContent)),
    );
    expect(bars).toEqual([
      ['Copy', 'Insert', 'Verify rewrite'],
      ['Copy', 'Insert', 'Try index'],
      ['Copy', 'Insert'],
    ]);
  });

  it('the buttons post validated proof messages with the block\'s text', async () => {
    await view.page.click('[data-testid="code-verify-rewrite"]');
    await view.page.click('[data-testid="code-try-index"]');
    const posted = (await view.posted()).filter((m) => (m as { type: string }).type === 'proof');
    expect(posted).toEqual([
      { type: 'proof', requestId: 'h1', action: 'verifyRewrite', text: `${rewrite}\n` },
      { type: 'proof', requestId: 'h1', action: 'tryIndex', text: `${index}\n` },
    ]);
    for (const m of posted) expect(parseWebviewMessage(m).ok).toBe(true);
  });

  it('shows the card under its block, running then done, as text only', async () => {
    await view.send({ type: 'proofCard', requestId: 'h1', code: rewrite, card: card({ state: 'running', title: 'Verifying the rewrite…', tone: 'neutral', canShowDiff: false }) });
    expect(await view.page.textContent('[data-testid="proof-title"]')).toBe('Verifying the rewrite…');
    await view.send({
      type: 'proofCard',
      requestId: 'h1',
      code: rewrite,
      card: card({
        rows: 'rows different ✗: 1 only in the original, 0 only in the rewrite',
        cost: 'cost 1,453 → 83.3 (−94.3%)',
        time: '24 ms → 0.14 ms',
        notes: ['<img src=x onerror="window.__pwned=1">'],
        samples: { onlyInOriginal: [['3', null]], onlyInRewrite: [] },
      }),
    });
    const cards = await view.page.$$('[data-testid="proof-card"]');
    expect(cards).toHaveLength(1);
    // Right under the rewrite's block.
    const after = await view.page.$eval('[data-testid="proof-card"]', (c) => c.previousElementSibling?.querySelector('code')?.textContent);
    expect(after).toBe(`${rewrite}\n`);
    expect(await view.page.textContent('[data-testid="proof-rows"]')).toMatch(/rows different ✗/);
    expect(await view.page.textContent('[data-testid="proof-cost"]')).toBe('cost 1,453 → 83.3 (−94.3%)');
    expect(await view.page.$('[data-testid="proof-card"] img')).toBeNull();
    expect(await view.page.textContent('[data-testid="proof-notes"]')).toContain('<img');
    expect(await view.page.textContent('[data-testid="proof-samples"]')).toMatch(/Only in the original.*3NULL/s);
  });

  it('Show diff posts the card id', async () => {
    await view.page.click('[data-testid="proof-show-diff"]');
    const posted = (await view.posted()).filter((m) => (m as { type: string }).type === 'showProofDiff');
    expect(posted).toEqual([{ type: 'showProofDiff', cardId: 'p1' }]);
  });

  it('a re-rendered conversation keeps its cards; New chat clears them', async () => {
    await view.send({ type: 'proofCard', requestId: 'h1', code: index, card: card({ id: 'p2', kind: 'index', title: 'Index used: cost −99.9% ✓', tone: 'good' }) });
    const conversation = [
      { requestId: 'h1', role: 'user' as const, text: 'Optimize' },
      { requestId: 'h1', role: 'assistant' as const, text: answer },
    ];
    await view.send({ type: 'init', pickers, conversation, streaming: [] });
    expect(await view.page.$$eval('[data-testid="proof-title"]', (t) => t.map((x) => x.textContent))).toEqual(['Rewrite returns different rows ✗', 'Index used: cost −99.9% ✓']);
    await view.send({ type: 'cleared' });
    await view.send({ type: 'init', pickers, conversation, streaming: [] });
    expect(await view.page.$$('[data-testid="proof-card"]')).toHaveLength(0);
  });
});
