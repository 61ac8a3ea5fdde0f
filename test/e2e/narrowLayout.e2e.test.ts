// The chat in a narrow sidebar: while an answer is being asked for, the status line sits below the findings, never
// on them; long identifiers wrap instead of widening the view. Screenshots at 300 px and at 600 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { startFakeAnthropic, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';

const longName = `customer_lifetime_value_by_acquisition_channel_and_region_${'x'.repeat(40)}`;

describe('chat layout in a narrow sidebar', () => {
  let fake: FakeAnthropic;
  let session: VsCodeSession;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    // The answer waits, so the status line ("Asking …") is on screen together with the findings.
    fake.handle(() => ({ kind: 'stream', text: `Look at ${longName} and [F1].`, chunkSize: 8, firstDelayMs: 6_000 }));
    session = await VsCodeSession.open({ name: 'narrow', settings: { 'dataeng.anthropic.baseUrl': fake.url, 'dataeng.explain.analyze': 'readsOnly' } });
    await session.workbench.openContainer(containerTitle);
    await session.workbench.chat.waitReady();
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
  });

  for (const width of [300, 600]) {
    it(`at ${width} px the status line never covers a finding, and nothing overflows sideways`, async () => {
      const wb = session.workbench;
      await wb.setSideBarWidth(width);
      await wb.openFile('queries.sql');
      await wb.editor.rightClickLine('WHERE o.customer_id = 42');
      await wb.contextMenu().choose('Optimize Query');
      await wb.chat.finding('seq-scan-filter').last().waitFor({ timeout: 180_000 });
      await expect.poll(() => wb.chat.status.textContent(), { timeout: 30_000 }).toMatch(/Asking/);
      await session.screenshot(`asking-${width}px`);
      const layout = await wb.chat.layout();
      expect(layout.overlaps, JSON.stringify(layout)).toEqual([]);
      expect(layout.sidewaysOverflow).toBe(false);
      // The findings the user waits for are in view, whole, above the status line — not clipped under it.
      expect(layout.lastFindingInView, JSON.stringify(layout)).toBe(true);
      // Long identifiers (here in the user's message and the answer) wrap.
      await wb.chat.send(`Why is ${longName} not indexed?`);
      await wb.chat.lastAssistantMessage().getByText('Look at').waitFor({ timeout: 60_000 });
      const after = await wb.chat.layout();
      expect(after.sidewaysOverflow).toBe(false);
      await session.screenshot(`answered-${width}px`);
    });
  }
});
