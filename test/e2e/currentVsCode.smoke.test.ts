// Smoke test on the newest VS Code tested (code-server `current` in scripts/test-hosts.json, on the Node 24 it
// demands): the extension activates, Optimize Query works on the demo database from the context menu, and Explain
// Query works on a SQLite file. That Node cannot load the shipped better-sqlite3 addon (built for Node 20), so SQLite
// runs on Node's built-in node:sqlite here, as in desktop VS Code's Electron.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerHosts } from '../../scripts/codeServer.mjs';
import { answerByTask, explainOnSqlite, hostSmokeSettings, hostSmokeWorkspace, openChat, optimizeOnDemo, sha256, sqliteEngineInUse } from './flows/hostSmoke';
import { startFakeAnthropic, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';
import type { TempWorkspace } from './support/workspace';

const host = codeServerHosts.current;

describe(`smoke: VS Code ${host.vscode} (code-server ${host.version}, Node ${host.node})`, () => {
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    answerByTask(fake);
    workspace = hostSmokeWorkspace();
    session = await VsCodeSession.open({ name: 'current-vscode', codeServer: 'current', workspaceFrom: workspace.dir, settings: hostSmokeSettings(fake) });
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
  });

  it('runs the VS Code it claims to, on its Node, and activates the extension on a SQL file', async () => {
    expect(session.server.output()).toContain(host.version);
    await session.workbench.openFile('queries.sql');
    await expect.poll(() => session.extensionLog(), { timeout: 60_000, interval: 500 }).toMatch(/activated in \d+(\.\d+)? ms/);
    expect(session.extensionHostLog()).not.toMatch(/Activating extension 'dataeng\.dataeng' failed/);
  });

  it('right-click → Optimize Query on the demo database shows the findings and the answer in the chat', async () => {
    await openChat(session);
    await optimizeOnDemo(session, fake);
    await session.screenshot('optimize');
  });

  it('right-click → Explain Query on a SQLite file works without the native addon, and leaves the file as it was', async () => {
    const file = join(session.workspace, 'shop.db');
    const before = sha256(file);
    await explainOnSqlite(session);
    await session.screenshot('explain-sqlite');
    expect(await sqliteEngineInUse(session)).toBe('node:sqlite');
    expect(sha256(file)).toBe(before);
  });
});
