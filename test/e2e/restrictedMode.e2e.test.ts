// Restricted Mode: in a folder the user does not trust, the extension opens no database connection, even when a
// connection is configured in the user's own settings (which VS Code still applies in Restricted Mode).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { personaMarker, startFakeAnthropic, systemPrompt, type FakeAnthropic } from './support/model';
import { backendsNamed, connectionSetting, uniqueName } from './support/postgres';
import { VsCodeSession } from './support/session';

const applicationName = uniqueName('dataeng_e2e_restricted');

describe('Restricted Mode', () => {
  let session: VsCodeSession;
  let fake: FakeAnthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    fake.handle(() => ({ kind: 'stream', text: 'Restricted Mode still lets me answer from what you paste.' }));
    session = await VsCodeSession.open({
      name: 'restricted-mode',
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'always',
        'dataeng.connections': [connectionSetting('e2e-postgres', applicationName)],
        'dataeng.explain.analyze': 'never',
        // A user-level setting: VS Code ignores only the workspace's values of restricted settings.
        'dataeng.anthropic.baseUrl': fake.url,
      },
    });
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
  });

  it('asks for trust; declining shows Restricted Mode', async () => {
    const dialog = session.workbench.dialog();
    await expect.poll(() => dialog.message.textContent(), { timeout: 60_000 }).toMatch(/trust the authors/i);
    await session.screenshot('trust-prompt');
    await dialog.choose("No, I don't trust the authors");
    await session.workbench.statusBarItem('Restricted Mode').waitFor();
  });

  it('the Connections view and the status bar say Restricted Mode, and no connection is open', async () => {
    const wb = session.workbench;
    await wb.openFile('queries.sql');
    await expect.poll(() => session.extensionLog(), { timeout: 60_000, interval: 500 }).toMatch(/activated in/);
    await wb.openContainer(containerTitle);
    await wb.treeRows('Connections').filter({ hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    // The configured connection is not even listed: nothing about it is read or opened.
    await expect(wb.treeRows('Connections').filter({ hasText: 'e2e-postgres' }).count()).resolves.toBe(0);
    await wb.statusBarItem('DB: Restricted').waitFor();
    await session.screenshot('connections-view');
    expect(await backendsNamed(applicationName)).toBe(0);
  });

  it('the chat still answers with the bundled persona', async () => {
    const chat = session.workbench.chat;
    await chat.waitReady();
    await expect.poll(() => chat.personaSelect.inputValue(), { timeout: 30_000 }).toBe('the-data-engineer');
    await chat.send('What does a sequential scan cost?');
    await chat.lastAssistantMessage().getByText('Restricted Mode still lets me answer').waitFor({ timeout: 30_000 });
    const req = await fake.waitForEnd(0);
    expect(systemPrompt(req)).toContain(personaMarker('the-data-engineer'));
    await session.screenshot('chat');
    expect(await backendsNamed(applicationName)).toBe(0);
  });

  it('explaining a query is refused with a clear message, and still no connection is opened', async () => {
    const wb = session.workbench;
    await wb.openFile('queries.sql');
    await wb.editor.clickLine('WHERE o.customer_id = 42');
    await wb.runCommand('Data Engineer: Explain Query');
    await wb.notification(/Restricted Mode/).waitFor({ timeout: 30_000 });
    await session.screenshot('refused');
    expect(await backendsNamed(applicationName)).toBe(0);
  });
});
