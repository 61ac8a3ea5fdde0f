/// <reference lib="dom" />
// The chat's way into the plan view, in the real chat webview in Chromium: a turn whose plan the host kept offers
// "Show plan", and its finding ids (in the findings list and the [F1] citations of the answer) ask the host to open
// the plan on the finding's node. Turns without a plan offer nothing, and the model cannot forge these controls.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingView } from '../../../src/core/findingsFormat';
import { bundleWebview } from '../../support/bundleWebview';
import { launchChromium, openWebviewPage, type WebviewPage } from '../../support/webviewPage';

let browser: Browser;
let view: WebviewPage;

const findings: FindingView[] = [
  { id: 'F1', rule: 'seq-scan-filter', severity: 'critical', message: 'Seq Scan on "orders" removes 99% of rows', where: '#2' },
  { id: 'F2', rule: 'planning-time', severity: 'warning', message: 'Planning took long', where: '#1' },
  { id: 'F3', rule: 'no-primary-key', severity: 'warning', message: 'no key', where: 'public.t' },
];

beforeAll(async () => {
  browser = await launchChromium();
  view = await openWebviewPage(browser, await bundleWebview());
  await view.send({ type: 'init', pickers: { personas: [], persona: '', connections: [], connection: null, hasKey: true }, conversation: [], streaming: [] });
});

afterAll(async () => {
  await view?.close();
  await browser?.close();
});

async function turn(requestId: string, withPlan: boolean, answer: string): Promise<void> {
  await view.send({ type: 'turnStart', requestId, userText: 'Optimize', canReplace: false });
  if (withPlan) await view.send({ type: 'planReady', requestId });
  await view.send({ type: 'findings', requestId, findings });
  await view.send({ type: 'delta', requestId, text: answer });
  await view.send({ type: 'done', requestId, incomplete: false });
}

const message = (id: string) => view.page.locator(`[data-testid="message-assistant"][data-request-id="${id}"]`);
const lastPost = async () => ((await view.posted()) as { type: string }[]).at(-1);

describe('chat → plan view', () => {
  it('a turn with a plan has Show plan, which asks the host for that turn’s plan', async () => {
    await turn('p1', true, 'The scan [F1] is the problem; planning [F2] too. See F1 and `[F1]` in code.');
    await message('p1').locator('[data-testid="show-plan"]').click();
    expect(await lastPost()).toEqual({ type: 'showPlan', requestId: 'p1' });
  });

  it('finding ids in the list and cited in the answer open the plan on the finding’s node', async () => {
    await message('p1').locator('[data-testid="finding-link"]', { hasText: 'F1' }).click();
    expect(await lastPost()).toEqual({ type: 'showPlan', requestId: 'p1', nodeId: '#2' });
    const cites = message('p1').locator('.body [data-finding-link]');
    expect(await cites.allInnerTexts()).toEqual(['F1', 'F2']);
    await cites.nth(1).click();
    expect(await lastPost()).toEqual({ type: 'showPlan', requestId: 'p1', nodeId: '#1' });
    // A schema finding has no node: the plan opens without one.
    await message('p1').locator('[data-testid="finding-link"]', { hasText: 'F3' }).click();
    expect(await lastPost()).toEqual({ type: 'showPlan', requestId: 'p1' });
    // The answer's text is unchanged around the links, and ids in code or outside brackets stay text.
    expect(await message('p1').locator('.body').innerText()).toContain('The scan [F1] is the problem; planning [F2] too. See F1 and [F1] in code.');
  });

  it('a turn without a plan offers neither', async () => {
    await turn('p2', false, 'No plan here [F1].');
    await message('p2').getByText('No plan here').waitFor();
    expect(await message('p2').locator('[data-testid="show-plan"]').count()).toBe(0);
    expect(await message('p2').locator('[data-finding-link]').count()).toBe(0);
  });

  it('keeps the links when the conversation is restored', async () => {
    await view.send({
      type: 'init',
      pickers: { personas: [], persona: '', connections: [], connection: null, hasKey: true },
      conversation: [
        { requestId: 'r1', role: 'user', text: 'q' },
        { requestId: 'r1', role: 'assistant', text: 'Because [F1].', findings, hasPlan: true },
      ],
      streaming: [],
    });
    await expect.poll(() => message('r1').locator('[data-testid="show-plan"]').count()).toBe(1);
    expect(await message('r1').locator('.body [data-finding-link="F1"]').count()).toBe(1);
  });

  it('the model cannot forge a plan link: data attributes in its output are removed', async () => {
    await turn('p3', false, '<button data-finding-link="F1" data-action="showPlan">fake</button> [x](#) <span data-finding-link="F1">F1</span>');
    await message('p3').getByText('fake').waitFor();
    expect(await message('p3').locator('[data-finding-link], [data-action="showPlan"]').count()).toBe(0);
  });
});
