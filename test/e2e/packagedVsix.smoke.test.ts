// The packaged extension as users install it: `npm run package` builds dist/dataeng.vsix, code-server's own
// `--install-extension` installs it into a fresh profile (no link to the checkout), and the installed extension runs
// Optimize Query on the demo database, Explain Query and Review Schema on a SQLite file, under its own name. On the
// oldest supported VS Code (Node 20) SQLite runs on the packaged better-sqlite3 addon; on the newest (Node 24) the
// addon cannot load and SQLite runs on node:sqlite.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerHosts, extensionFolderName, repoRoot, type CodeServerHost } from '../../scripts/codeServer.mjs';
import {
  answerByTask,
  answerReadQuestion,
  explainOnSqlite,
  hostSmokeSettings,
  hostSmokeWorkspace,
  layoutForScreenshots,
  openChat,
  optimizeAnswer,
  reviewAnswer,
  sha256,
  sqliteConnectionName,
  sqliteEngineInUse,
} from './flows/hostSmoke';
import { startFakeAnthropic, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';
import type { TempWorkspace } from './support/workspace';

const vsix = join(repoRoot, 'dist', 'dataeng.vsix');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { displayName: string };
/** The SQLite engine each host runs: the packaged addon where its ABI matches (Node 20), node:sqlite on Node 24. */
const expectedEngine: Record<CodeServerHost, string> = { oldest: 'better-sqlite3', current: 'node:sqlite' };

function npmRunPackage(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`npm run package exited ${code}:\n${output}`))));
  });
}

beforeAll(async () => {
  const output = await npmRunPackage();
  expect(output).toMatch(/package: .*dataeng\.vsix \(\d+\.\d+ MB\)/);
  expect(existsSync(vsix)).toBe(true);
}, 300_000);

describe.each(['current', 'oldest'] as const)('the packaged .vsix on code-server %s', (host) => {
  const { version, vscode, node } = codeServerHosts[host];
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    answerByTask(fake);
    workspace = hostSmokeWorkspace();
    session = await VsCodeSession.open({ name: `vsix-${host}`, codeServer: host, vsix, workspaceFrom: workspace.dir, settings: hostSmokeSettings(fake) });
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
  });

  it(`is installed into the fresh profile by VS Code ${vscode} itself (Node ${node}, code-server ${version}), not linked`, () => {
    const installed = join(session.extensionsDir, extensionFolderName());
    expect(lstatSync(installed).isDirectory()).toBe(true);
    expect(lstatSync(join(installed, 'dist')).isSymbolicLink()).toBe(false);
    expect(existsSync(join(installed, 'dist', 'extension.js'))).toBe(true);
    const registered = JSON.parse(readFileSync(join(session.extensionsDir, 'extensions.json'), 'utf8')) as { identifier: { id: string } }[];
    expect(registered.map((e) => e.identifier.id)).toContain('dataeng.dataeng');
  });

  it('Optimize Query on the demo database shows progress under the extension\'s own name, then the findings and the answer', async () => {
    const wb = session.workbench;
    await openChat(session);
    // The README's screenshots come from this run (scripts/update-screenshots.mjs copies them into media/).
    await layoutForScreenshots(session);
    await wb.chat.connectionSelect.selectOption('Demo (embedded PostgreSQL)');
    await wb.openFile('queries.sql');
    await wb.editor.rightClickLine('WHERE o.customer_id = 42');
    await wb.contextMenu().choose('Optimize Query');
    // The progress toast stays while the demo database is created in the fresh profile: long enough to read its source.
    const source = wb.notificationSource(/Data Engineer: Optimizing the query/);
    await source.waitFor({ timeout: 60_000 });
    expect(await source.textContent()).toContain(manifest.displayName);
    expect(await source.textContent()).not.toMatch(/Null Extension Description/);
    await session.screenshot('optimize-progress');
    // A fresh profile has the default `ask`: the read is asked about in a modal; "Always for reads" stops the asking.
    await answerReadQuestion(session, 'Always for reads');
    await expect
      .poll(() => readFileSync(join(session.userDataDir, 'User', 'settings.json'), 'utf8'), { timeout: 10_000 })
      .toMatch(/"dataeng\.explain\.analyze":\s*"readsOnly"/);

    const seqScan = wb.chat.finding('seq-scan-filter');
    await seqScan.first().waitFor({ timeout: 150_000 });
    await wb.chat.lastAssistantMessage().getByText(optimizeAnswer).waitFor({ timeout: 60_000 });
    await wb.notification(/Data Engineer: Optimizing the query/).waitFor({ state: 'hidden', timeout: 30_000 });
    await session.page.mouse.move(1000, 760);
    await session.screenshot('optimize');

    // The plan behind those findings, in the plan view, with the finding on its node (the README's plan screenshot).
    await wb.chat.showPlanButton().click();
    await wb.planView.waitReady();
    expect(await wb.planView.badge('seq-scan-filter').count()).toBeGreaterThan(0);
    await session.page.mouse.move(1000, 760);
    await session.screenshot('plan-view');
    await wb.runCommand('View: Close All Editors');
  });

  it('Explain Query on a SQLite file shows its findings and leaves the file as it was', async () => {
    const file = join(session.workspace, 'shop.db');
    const before = sha256(file);
    await explainOnSqlite(session);
    await session.screenshot('explain-sqlite');
    expect(sha256(file)).toBe(before);
  });

  it('Review Schema on the SQLite file reports the unindexed foreign key, with the Markdown report beside', async () => {
    const wb = session.workbench;
    // With no editor open the report takes the whole editor area, which the README's screenshot shows.
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Data Engineer: Review Schema');
    const fkWithoutIndex = wb.chat.finding('sqlite-fk-without-index');
    await wb.answerPicksUntil(fkWithoutIndex, [sqliteConnectionName], 60_000);
    expect(await fkWithoutIndex.first().textContent()).toContain('orders');
    await wb.chat.lastAssistantMessage().getByText(reviewAnswer).waitFor({ timeout: 60_000 });
    // The report opens rendered (Markdown preview) beside.
    await expect.poll(() => wb.editor.markdownPreviewText(), { timeout: 30_000 }).toMatch(/^Schema review: shop \(SQLite file\)/m);
    await wb.notification(/Data Engineer/).waitFor({ state: 'hidden', timeout: 30_000 });
    // The pointer rests on the editor's empty lower part, so no hover (a tab's tooltip) covers the report.
    await session.page.mouse.move(1000, 760);
    await session.page.waitForTimeout(600);
    await session.screenshot('review-schema');
  });

  it(`runs SQLite on ${expectedEngine[host]} in this host`, async () => {
    expect(await sqliteEngineInUse(session)).toBe(expectedEngine[host]);
  });
});
