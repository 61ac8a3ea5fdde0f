// The connections feature's state: configured connections (validated), the active one (workspaceState),
// passwords (SecretStorage only), and open databases (ConnectionManager). In Restricted Mode nothing opens.
import * as vscode from 'vscode';
import { chooseActive, demoConnection, passwordSecretKey, validateConnections } from '../../db/connectionSettings';
import { errorMessage } from '../../db/errors';
import { ConnectionManager, openDatabase } from '../../db/open';
import { defaultSessionLimits, type ConnectionConfig, type Database, type SessionLimits } from '../../db/types';
import type { ChatConnections } from '../chat/ports';

const activeKey = 'dataeng.activeConnection';

export class RestrictedModeError extends Error {
  override readonly name = 'RestrictedModeError';
  constructor() {
    super('This workspace is in Restricted Mode: Data Engineer opens no database connection until you trust it.');
  }
}

export class ConnectionsService implements vscode.Disposable, ChatConnections {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly manager: ConnectionManager;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private lastErrors = '';

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.manager = new ConnectionManager((config) => this.openUncached(config));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration(async (e) => {
        if (e.affectsConfiguration('dataeng.db')) await this.manager.closeAll();
        if (e.affectsConfiguration('dataeng.connections') || e.affectsConfiguration('dataeng.db')) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      context.secrets.onDidChange(async (e) => {
        const name = this.configured().find((c) => passwordSecretKey(c.name) === e.key)?.name;
        if (name) await this.manager.close(name);
      }),
    );
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Valid configured connections (without the demo), logging each bad entry once. */
  configured(): ConnectionConfig[] {
    const raw = vscode.workspace.getConfiguration('dataeng').get<unknown>('connections');
    const { connections, errors } = validateConnections(raw);
    const joined = errors.join('\n');
    if (joined && joined !== this.lastErrors) for (const e of errors) this.log.warn(e);
    this.lastErrors = joined;
    return connections;
  }

  configErrors(): string[] {
    return validateConnections(vscode.workspace.getConfiguration('dataeng').get<unknown>('connections')).errors;
  }

  /** Every connection offered to the user: the configured ones, then the demo. */
  all(): ConnectionConfig[] {
    return [...this.configured(), demoConnection];
  }

  list(): { name: string; driver: string }[] {
    return this.all().map((c) => ({ name: c.name, driver: c.driver }));
  }

  find(name: string): ConnectionConfig | undefined {
    return this.all().find((c) => c.name === name);
  }

  active(): ConnectionConfig {
    return chooseActive(this.context.workspaceState.get<string>(activeKey), this.configured());
  }

  activeName(): string | null {
    return this.active().name;
  }

  activeDriver(): string | undefined {
    try {
      return this.active().driver;
    } catch {
      return undefined;
    }
  }

  async setActive(name: string | null): Promise<void> {
    if (name !== null && !this.find(name)) throw new Error(`there is no connection named "${name}"`);
    await this.context.workspaceState.update(activeKey, name ?? undefined);
    this.changed.fire();
  }

  limits(): SessionLimits {
    const c = vscode.workspace.getConfiguration('dataeng.db');
    return {
      statementTimeoutMs: c.get<number>('statementTimeoutMs', defaultSessionLimits.statementTimeoutMs),
      lockTimeoutMs: c.get<number>('lockTimeoutMs', defaultSessionLimits.lockTimeoutMs),
      idleInTransactionTimeoutMs: c.get<number>('idleInTransactionTimeoutMs', defaultSessionLimits.idleInTransactionTimeoutMs),
    };
  }

  /** Opens a database for a configuration, with its password from SecretStorage. Never cached; see open(). */
  async openUncached(config: ConnectionConfig, password?: string): Promise<Database> {
    if (!this.trusted) throw new RestrictedModeError();
    const secret = password ?? (config.driver === 'postgres' ? await this.context.secrets.get(passwordSecretKey(config.name)) : undefined);
    const limits = this.limits();
    if (config.statementTimeoutMs !== undefined) limits.statementTimeoutMs = config.statementTimeoutMs;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.log.info(`opening connection "${config.name}" (${config.driver})`);
    return openDatabase(config, {
      limits,
      ...(secret ? { password: secret } : {}),
      env: process.env,
      dataDir: this.context.globalStorageUri.fsPath,
      workerDir: vscode.Uri.joinPath(this.context.extensionUri, 'dist').fsPath,
      ...(folder ? { cwd: folder } : {}),
    });
  }

  /** The open database for a connection (the active one by default), opened on first use. */
  async open(name?: string): Promise<Database> {
    if (!this.trusted) throw new RestrictedModeError();
    const config = name === undefined ? this.active() : this.find(name);
    if (!config) throw new Error(`there is no connection named "${name}"`);
    const db = await this.manager.get(config);
    if (config.driver === 'demo') await this.startDemo(db);
    return db;
  }

  /** The demo's first start seeds it (tens of seconds); show that instead of a silent wait. */
  private async startDemo(db: Database): Promise<void> {
    const demo = db as Database & { start?: () => Promise<{ seededNow: boolean; openMs: number }> };
    if (!demo.start) return;
    const info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Data Engineer: starting the demo database (the first start creates it, about a minute)…' },
      () => demo.start!(),
    );
    if (info.seededNow) this.log.info(`demo database created and seeded in ${(info.openMs / 1000).toFixed(1)} s`);
  }

  async activeDatabase(): Promise<Database | null> {
    if (!this.trusted) return null;
    return this.open();
  }

  /** Passwords live only in SecretStorage, one key per connection name. */
  async storePassword(name: string, password: string): Promise<void> {
    await this.context.secrets.store(passwordSecretKey(name), password);
  }

  async deletePassword(name: string): Promise<void> {
    await this.context.secrets.delete(passwordSecretKey(name));
  }

  /** Closes a connection's open database (after removal or a password change). */
  async close(name: string): Promise<void> {
    await this.manager.close(name);
  }

  /** Logs a failure without any secret. */
  logError(what: string, err: unknown, secret?: string): string {
    const message = errorMessage(err, [secret]);
    this.log.error(`${what}: ${message}`);
    return message;
  }

  fireChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    void this.manager.closeAll();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
