// Restricted Mode: in a folder the user does not trust, the extension opens no database connection, even when a
// connection is configured in the user's own settings (which VS Code still applies in Restricted Mode).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { backendsNamed, connectionSetting, uniqueName } from './support/postgres';
import { VsCodeSession } from './support/session';

const applicationName = uniqueName('dataeng_e2e_restricted');

describe('Restricted Mode', () => {
  let session: VsCodeSession;

  beforeAll(async () => {
    session = await VsCodeSession.open({
      name: 'restricted-mode',
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'always',
        'dataeng.connections': [connectionSetting('e2e-postgres', applicationName)],
        'dataeng.explain.analyze': 'never',
      },
    });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('asks for trust; declining shows Restricted Mode', async () => {
    const dialog = session.workbench.dialog();
    await expect.poll(() => dialog.message.textContent(), { timeout: 60_000 }).toMatch(/trust the authors/i);
    await session.screenshot('trust-prompt');
    await dialog.choose("No, I don't trust the authors");
    await session.workbench.statusBarItem('Restricted Mode').waitFor();
  });

  it('opens no connection: the Connections view says Restricted Mode and explaining a query is refused', async () => {
    const wb = session.workbench;
    await wb.openFile('queries.sql');
    await expect.poll(() => session.extensionLog(), { timeout: 60_000, interval: 500 }).toMatch(/activated in/);

    await wb.openContainer(containerTitle);
    await expect.poll(() => wb.treeMessage('Connections').allTextContents(), { timeout: 30_000 }).toEqual(
      expect.arrayContaining([expect.stringMatching(/Restricted Mode/)]),
    );

    await wb.openFile('queries.sql');
    await wb.editor.clickLine('WHERE o.customer_id = 42');
    await wb.runCommand('Data Engineer: Explain Query');
    await wb.notification(/Restricted Mode|trust/i).waitFor({ timeout: 30_000 });
    await session.screenshot('refused');

    expect(await backendsNamed(applicationName)).toBe(0);
  });
});
