// The connections feature's state: configured connections (validated), the active one (durable workspace state),
// passwords (SecretStorage only, bound to the server they were typed for), and open databases (ConnectionManager).
// In Restricted Mode nothing opens.
import * as vscode from 'vscode';
import type { DurableState } from '../../host/durableState';
import { ConnectionPasswords, type PasswordRequest } from '../../db/connectionPasswords';
import { chooseActive, demoConnection, validateConnections } from '../../db/connectionSettings';
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
  /** Passwords by server identity (driver, host, port, database, user): never sent to any other server. */
  private readonly passwords: ConnectionPasswords;
  /** Secret keys this window just saved for a connection whose open database already uses that password. */
  private readonly savedByUs = new Map<string, string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    private readonly state: Pick<DurableState, 'get' | 'update'>,
  ) {
    this.passwords = new ConnectionPasswords(context.secrets, process.env);
    this.manager = new ConnectionManager((config) => this.openUncached(config));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration(async (e) => {
        if (e.affectsConfiguration('dataeng.db')) await this.manager.closeAll();
        if (e.affectsConfiguration('dataeng.connections') || e.affectsConfiguration('dataeng.db')) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      // A password saved or removed (here, in another window, by Add Connection) reopens every connection to that
      // server, except the one whose login just saved it: it already uses that password.
      context.secrets.onDidChange(async (e) => {
        const savedFor = this.savedByUs.get(e.key);
        this.savedByUs.delete(e.key);
        for (const c of this.configured()) {
          if (this.passwords.keyFor(c) === e.key && c.name !== savedFor) await this.manager.close(c.name);
        }
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
    return chooseActive(this.state.get<string>(activeKey), this.configured());
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
    await this.state.update(activeKey, name ?? undefined);
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

  /**
   * Opens a database for a configuration. Never cached; see open(). With an explicit password (Add Connection's test)
   * exactly that one is used; otherwise the password saved for this server identity, and when the server asks for one
   * we do not have (or refuses ours), the user is asked and the answer saved for this server once it worked.
   */
  async openUncached(config: ConnectionConfig, password?: string): Promise<Database> {
    if (!this.trusted) throw new RestrictedModeError();
    const secrets =
      password !== undefined
        ? { password }
        : await this.passwords.openOptions(config, (request) => this.askPassword(request)).then((options) => ({
            ...options,
            ...(options.onPasswordAccepted
              ? {
                  onPasswordAccepted: async (typed: string) => {
                    const key = this.passwords.keyFor(config);
                    if (key) this.savedByUs.set(key, config.name);
                    await options.onPasswordAccepted!(typed);
                    this.log.info(`saved the password of "${config.name}" for its server`);
                  },
                }
              : {}),
          }));
    const limits = this.limits();
    if (config.statementTimeoutMs !== undefined) limits.statementTimeoutMs = config.statementTimeoutMs;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    // DuckDB reads only inside the workspace folders; the network only when the user (never a workspace) allows it.
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const allowNetwork = vscode.workspace.getConfiguration('dataeng').inspect<boolean>('duckdb.allowNetwork')?.globalValue === true;
    this.log.info(`opening connection "${config.name}" (${config.driver})`);
    return openDatabase(config, {
      limits,
      ...secrets,
      env: process.env,
      dataDir: this.context.globalStorageUri.fsPath,
      workerDir: vscode.Uri.joinPath(this.context.extensionUri, 'dist').fsPath,
      ...(folder ? { cwd: folder } : {}),
      ...(folders.length ? { allowedDirs: folders } : {}),
      allowNetwork,
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

  /** Asks for a password the server wants; the prompt names the server it will be sent to and saved for. */
  private async askPassword(request: PasswordRequest): Promise<string | undefined> {
    const why = request.reason === 'rejected' ? 'refused the password' : 'asks for a password';
    return vscode.window.showInputBox({
      title: `Data Engineer: password for "${request.connection}"`,
      prompt: `The server ${request.server} ${why}. It is saved in the OS keychain for this server only (host, port, database and user) and never sent anywhere else.`,
      password: true,
      ignoreFocusOut: true,
    });
  }

  /** The password saved for this connection's server identity, if any (for launching `dataeng mcp` through its environment). */
  savedPassword(config: ConnectionConfig): Promise<string | undefined> {
    return this.passwords.get(config);
  }

  /** Passwords live only in SecretStorage, one key per server identity (see src/db/connectionPasswords.ts). */
  async storePassword(config: ConnectionConfig, password: string): Promise<void> {
    await this.passwords.store(config, password);
  }

  /**
   * Removes the password saved for this connection's server (shared by every connection to the same server and user)
   * and an old name-keyed one; without a valid configuration, only the old one.
   */
  async deletePassword(name: string, config: ConnectionConfig | undefined): Promise<void> {
    if (config) await this.passwords.forget(config);
    else await this.passwords.dropLegacy(name);
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
