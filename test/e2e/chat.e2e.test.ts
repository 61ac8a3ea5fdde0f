// The chat sidebar as a user drives it: pick a persona, stop an answer mid-stream, start a new chat, and find the
// conversation again after reloading the window or refreshing the browser page. The model is the fake Anthropic server behind the real SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { lastUserMessage, personaMarker, startFakeAnthropic, systemPrompt, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';

const slowAnswer = Array.from({ length: 80 }, (_, i) => `Point ${i + 1}: an index on the referencing column keeps deletes on the parent cheap.`).join('\n\n');
const firstQuestion = 'Should every foreign key have an index?';
const secondQuestion = 'And for a table that only ever grows?';
const secondAnswer = 'For an append-only table, index the foreign key only if you delete parents or join from them.';
const thirdQuestion = 'What about a partitioned table?';
const thirdAnswer = 'Index each partition the same way: a partitioned index does it for you.';
const fourthQuestion = 'How do I find unused indexes?';

describe('chat sidebar', () => {
  let fake: FakeAnthropic;
  let session: VsCodeSession;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    fake.script(
      { kind: 'stream', text: slowAnswer, chunkSize: 6, delayMs: 60 },
      { kind: 'stream', text: secondAnswer, chunkSize: 10, delayMs: 5 },
      { kind: 'stream', text: thirdAnswer, chunkSize: 10, delayMs: 5 },
      { kind: 'stream', text: slowAnswer, chunkSize: 6, delayMs: 60 },
    );
    session = await VsCodeSession.open({ name: 'chat', settings: { 'dataeng.anthropic.baseUrl': fake.url } });
    await session.workbench.openContainer(containerTitle);
    await session.workbench.chat.waitReady();
    // A general question with no database: with one selected, the chat would read its schema first, which for
    // the demo database means creating it (tested in optimize.e2e.test.ts).
    await session.workbench.chat.connectionSelect.selectOption('');
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
  });

  it('answers with the persona picked in the chat, and Stop ends the stream mid-way', async () => {
    const chat = session.workbench.chat;
    await chat.choosePersona('data-engineer');
    await chat.send(firstQuestion);

    await chat.stopButton.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await chat.lastAssistantMessage().textContent())?.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(40);
    await session.screenshot('streaming');
    await chat.stopButton.click();

    const req = await fake.waitForEnd(0, 30_000);
    expect(req.closedEarly).toBe(true);
    expect(req.completed).toBe(false);
    expect(systemPrompt(req)).toContain(personaMarker('data-engineer'));
    expect(systemPrompt(req)).not.toContain(personaMarker('the-data-engineer'));
    expect(lastUserMessage(req)).toContain(firstQuestion);

    await chat.stopButton.waitFor({ state: 'hidden' });
    await expect(chat.sendButton.isEnabled()).resolves.toBe(true);
    const shown = (await chat.lastAssistantMessage().textContent()) ?? '';
    expect(shown).toContain('Point 1:');
    expect(shown).not.toContain('Point 80:');
    await expect(chat.lastAssistantMessage().getAttribute('class')).resolves.toMatch(/\bincomplete\b/);
    await session.screenshot('stopped');
  });

  it('New chat clears the conversation, and the next question carries no old history', async () => {
    const chat = session.workbench.chat;
    await chat.newChatButton.click();
    await expect.poll(() => chat.userMessages.count()).toBe(0);
    await expect(chat.assistantMessages.count()).resolves.toBe(0);

    await chat.send(secondQuestion);
    await chat.lastAssistantMessage().getByText(secondAnswer).waitFor({ timeout: 30_000 });
    const req = await fake.waitForEnd(1, 30_000);
    expect(req.completed).toBe(true);
    const texts = (req.body.messages ?? []).map((m) => JSON.stringify(m.content));
    expect(texts.join('\n')).not.toContain(firstQuestion);
    expect(lastUserMessage(req)).toContain(secondQuestion);
  });

  it('reloading the window keeps the conversation and the persona', async () => {
    await session.reload();
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await expect.poll(() => wb.chat.userMessages.allTextContents(), { timeout: 30_000 }).toEqual([secondQuestion]);
    await expect(wb.chat.assistantMessages.allTextContents()).resolves.toEqual([expect.stringContaining(secondAnswer)]);
    await expect.poll(() => wb.chat.personaSelect.inputValue(), { timeout: 30_000 }).toBe('data-engineer');
    await session.screenshot('after-reload');
  });

  it('a browser refresh right after an answer keeps the conversation and the persona too', async () => {
    const chat = session.workbench.chat;
    await chat.send(thirdQuestion);
    // Refresh the moment the answer is complete on screen, as an impatient user does.
    await chat.lastAssistantMessage().getByText(thirdAnswer).waitFor({ timeout: 30_000 });
    await chat.stopButton.waitFor({ state: 'hidden', timeout: 30_000 });
    await session.refresh();
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await expect.poll(() => wb.chat.userMessages.allTextContents(), { timeout: 30_000 }).toEqual([secondQuestion, thirdQuestion]);
    await expect(wb.chat.assistantMessages.count()).resolves.toBe(2);
    await expect.poll(() => wb.chat.personaSelect.inputValue(), { timeout: 30_000 }).toBe('data-engineer');
    await session.screenshot('after-refresh');
  });

  it('a browser refresh in the middle of an answer keeps the question and the answer so far, marked incomplete', async () => {
    const chat = session.workbench.chat;
    await chat.send(fourthQuestion);
    await expect.poll(async () => (await chat.lastAssistantMessage().textContent()) ?? '', { timeout: 30_000 }).toContain('Point 3:');
    // More than the one second between saves of a streaming answer.
    await session.page.waitForTimeout(1_500);
    await session.refresh();
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await expect.poll(() => wb.chat.userMessages.allTextContents(), { timeout: 30_000 }).toEqual([secondQuestion, thirdQuestion, fourthQuestion]);
    const partial = (await wb.chat.lastAssistantMessage().textContent()) ?? '';
    expect(partial).toContain('Point 1:');
    expect(partial).not.toContain('Point 80:');
    await expect(wb.chat.lastAssistantMessage().getAttribute('class')).resolves.toMatch(/\bincomplete\b/);
    await expect(wb.chat.sendButton.isEnabled()).resolves.toBe(true);
    await session.screenshot('after-refresh-mid-answer');
  });
});
