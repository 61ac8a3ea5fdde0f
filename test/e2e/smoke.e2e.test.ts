// Smoke: the built extension loads in a real VS Code, activates on a SQL file, and shows what it contributes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/codeServer.mjs';
import { containerTitle } from './pages/workbench';
import { VsCodeSession } from './support/session';

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

interface Manifest {
  contributes: { commands: ManifestCommand[]; menus: { commandPalette?: { command: string; when?: string }[] } };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** Commands a user can find in the palette: every contributed one not hidden with `when: false`. */
const paletteCommands = manifest.contributes.commands.filter(
  (c) => !(manifest.contributes.menus.commandPalette ?? []).some((m) => m.command === c.command && m.when === 'false'),
);

describe('smoke: the extension in a real VS Code', () => {
  let session: VsCodeSession;

  beforeAll(async () => {
    session = await VsCodeSession.open({ name: 'smoke' });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('activates when a SQL file opens and logs its activation', async () => {
    await session.workbench.openFile('queries.sql');
    await expect
      .poll(() => session.extensionHostLog(), { timeout: 60_000, interval: 500 })
      .toMatch(/ExtensionService#_doActivateExtension dataeng\.dataeng, startup: false, activationEvent: 'onLanguage:sql'/);
    await expect.poll(() => session.extensionLog(), { timeout: 30_000, interval: 500 }).toMatch(/activated in \d+(\.\d+)? ms/);
    expect(session.extensionHostLog()).not.toMatch(/Activating extension 'dataeng\.dataeng' failed/);
    await session.screenshot('activated');
  });

  it('shows the Data Engineer container with the Chat and Connections views', async () => {
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.paneHeader('Chat').waitFor();
    await wb.paneHeader('Connections').waitFor();
    await wb.chat.waitReady();
    await expect(wb.chat.input.isEditable()).resolves.toBe(true);
    await session.screenshot('container');
  });

  it('lists every contributed command in the command palette while a SQL editor is active', async () => {
    const wb = session.workbench;
    await wb.openFile('queries.sql');
    expect(paletteCommands.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const c of paletteCommands) {
      const title = `${c.category ?? 'Data Engineer'}: ${c.title}`;
      const row = await wb.findCommand(title);
      const shown = await row.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (!shown) missing.push(title);
    }
    await session.screenshot('palette');
    await wb.closeQuickInput();
    expect(missing).toEqual([]);
  });
});
