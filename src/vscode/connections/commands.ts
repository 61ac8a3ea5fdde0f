// Add / Remove / Test / Set Active / Refresh. Passwords go to SecretStorage only; the settings entry never has one.
import * as vscode from 'vscode';
import { demoConnection, describeConnection, parseServerTarget } from '../../db/connectionSettings';
import type { ConnectionConfig } from '../../db/types';
import type { ConnectionsService } from './service';

/** Commands get a tree node, a name, or nothing (then the user picks). */
function nameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { name?: unknown }).name === 'string') return (arg as { name: string }).name;
  return undefined;
}

async function pickConnection(connections: ConnectionsService, placeHolder: string, filter: (c: ConnectionConfig) => boolean = () => true): Promise<string | undefined> {
  const active = connections.activeName();
  const items = connections.all().filter(filter).map((c) => ({ label: c.name, description: describeConnection(c), detail: c.name === active ? 'Active' : undefined }));
  if (!items.length) {
    void vscode.window.showInformationMessage('Data Engineer: no connection to choose from.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.label;
}

function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export async function addConnectionCommand(connections: ConnectionsService): Promise<void> {
  if (!connections.trusted) throw new Error('Restricted Mode: trust the workspace to add a connection.');
  const driver = await vscode.window.showQuickPick(
    [
      { label: 'PostgreSQL', description: 'host, port, database, user', value: 'postgres' as const },
      { label: 'MySQL / MariaDB', description: 'host, port, database, user', value: 'mysql' as const },
      { label: 'SQLite', description: 'a database file, opened read-only', value: 'sqlite' as const },
      { label: 'DuckDB', description: 'a .duckdb file (read-only), or none to query Parquet/CSV files in the workspace', value: 'duckdb' as const },
    ],
    { title: 'Add Connection (1/3): driver', placeHolder: 'Which kind of database?' },
  );
  if (!driver) return;
  const existing = new Set(connections.all().map((c) => c.name));
  const name = await vscode.window.showInputBox({
    title: 'Add Connection (2/3): name',
    prompt: 'A unique display name',
    validateInput: (v) => (!v.trim() ? 'A name is required' : existing.has(v.trim()) ? `"${v.trim()}" already exists` : undefined),
  });
  if (name === undefined) return;
  const config: ConnectionConfig = { name: name.trim(), driver: driver.value };
  let password: string | undefined;
  if (driver.value === 'sqlite') {
    const picked = await vscode.window.showOpenDialog({ title: 'Add Connection (3/3): SQLite file', canSelectMany: false, filters: { SQLite: ['db', 'sqlite', 'sqlite3', 'db3'], All: ['*'] } });
    if (!picked?.[0]) return;
    config.file = picked[0].fsPath;
  } else if (driver.value === 'duckdb') {
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'Query files', description: "in memory: SELECT … FROM 'data/*.parquet' (paths relative to the workspace folder)", file: false },
        { label: 'A DuckDB file…', description: 'opened with access_mode READ_ONLY', file: true },
      ],
      { title: 'Add Connection (3/3): DuckDB' },
    );
    if (!kind) return;
    if (kind.file) {
      const picked = await vscode.window.showOpenDialog({ title: 'Add Connection (3/3): DuckDB file', canSelectMany: false, filters: { DuckDB: ['duckdb', 'db'], All: ['*'] } });
      if (!picked?.[0]) return;
      config.file = picked[0].fsPath;
    } else config.file = ':memory:';
  } else {
    // PostgreSQL and MySQL/MariaDB: the server, then a password kept in SecretStorage for that server identity only.
    const mysql = driver.value === 'mysql';
    const target = await vscode.window.showInputBox({
      title: 'Add Connection (3/3): server',
      prompt: mysql
        ? 'user@host:port/database (empty parts use ~/.my.cnf [client], MYSQL_HOST/MYSQL_TCP_PORT/USER, or localhost:3306)'
        : 'user@host:port/database (empty parts use PGUSER/PGHOST/PGPORT/PGDATABASE or libpq defaults)',
      value: mysql ? 'root@localhost:3306/' : 'postgres@localhost:5432/postgres',
      validateInput: (v) => (parseServerTarget(v) ? undefined : 'Expected user@host:port/database'),
    });
    if (target === undefined) return;
    Object.assign(config, parseServerTarget(target));
    password = await vscode.window.showInputBox({
      title: 'Password',
      prompt: `Stored in the OS keychain (SecretStorage) for this server only, never in settings. Leave empty to use ${mysql ? 'MYSQL_PWD or ~/.my.cnf' : 'PGPASSWORD or ~/.pgpass'}.`,
      password: true,
    });
    if (password === undefined) return;
  }
  const tested = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${config.name}"…` }, async () => {
    const db = await connections.openUncached(config, password || undefined);
    try {
      return { ok: true as const, info: await db.test() };
    } catch (err) {
      return { ok: false as const, message: connections.logError(`test of "${config.name}"`, err, password) };
    } finally {
      await db.close();
    }
  });
  if (!tested.ok) {
    const choice = await vscode.window.showWarningMessage(`The connection test failed: ${tested.message}`, 'Save Anyway', 'Cancel');
    if (choice !== 'Save Anyway') return;
  }
  const settings = vscode.workspace.getConfiguration('dataeng');
  const target = settingsTarget();
  const inspected = settings.inspect<unknown[]>('connections');
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  if (password) await connections.storePassword(config, password);
  await settings.update('connections', [...(Array.isArray(current) ? current : []), config], target);
  await connections.setActive(config.name);
  void vscode.window.showInformationMessage(`Data Engineer: added "${config.name}"${tested.ok ? ` (${tested.info.version.split(' on ')[0]})` : ''}.`);
}

export async function removeConnectionCommand(connections: ConnectionsService, arg: unknown): Promise<void> {
  const name = nameOf(arg) ?? (await pickConnection(connections, 'Connection to remove', (c) => c.name !== demoConnection.name));
  if (!name) return;
  if (name === demoConnection.name) throw new Error('the demo connection is built in and cannot be removed');
  // Read before the entry leaves the settings: its password is keyed by the server it reaches.
  const config = connections.find(name);
  const ok = await vscode.window.showWarningMessage(`Remove the connection "${name}" and its stored password?`, { modal: true }, 'Remove');
  if (ok !== 'Remove') return;
  const settings = vscode.workspace.getConfiguration('dataeng');
  const inspected = settings.inspect<unknown[]>('connections');
  const strip = (list: unknown[] | undefined): unknown[] | undefined =>
    Array.isArray(list) ? list.filter((e) => !(typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name)) : undefined;
  for (const [list, target] of [
    [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ] as const) {
    const next = strip(list);
    if (next && list && next.length !== list.length) await settings.update('connections', next, target);
  }
  await connections.deletePassword(name, config);
  await connections.close(name);
  if (connections.activeName() === name) await connections.setActive(null);
  connections.fireChanged();
}

export async function testConnectionCommand(connections: ConnectionsService, arg: unknown): Promise<void> {
  const name = nameOf(arg) ?? (await pickConnection(connections, 'Connection to test'));
  if (!name) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${name}"…`, cancellable: true }, async (_p, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    try {
      const db = await connections.open(name);
      const info = await db.test(controller.signal);
      connections.log.info(`test of "${name}": ok (${info.version})`);
      void vscode.window.showInformationMessage(`Data Engineer: "${name}" works — ${info.version.split(' on ')[0]}, database ${info.database}.`);
    } catch (err) {
      const message = connections.logError(`test of "${name}"`, err);
      void vscode.window.showErrorMessage(`Data Engineer: "${name}" failed: ${message}`);
    }
  });
}

export async function setActiveConnectionCommand(connections: ConnectionsService, arg: unknown): Promise<void> {
  const name = nameOf(arg) ?? (await pickConnection(connections, 'Active connection for Explain, Optimize and the chat'));
  if (!name) return;
  await connections.setActive(name);
}
