// Which password may be sent where. A password is saved for one server identity — driver, host, port, database and
// user, resolved as the driver resolves them — and is only ever sent to that identity. `dataeng.connections` can come
// from a workspace, so a connection's name proves nothing: a repository defining "prod" on its own host must not
// receive your "prod" password, and two workspaces with a "prod" each must not overwrite each other's.
//
// Identity: the resolved target (settings, then PGHOST/PGPORT/PGDATABASE/PGUSER, then localhost, 5432, the OS user,
// the user name), because that is where the password would actually go. A connection that leaves the host empty is
// therefore bound to PGHOST as it was when the password was saved; when it changes, you are asked again. Host names
// are compared case-insensitively but never resolved: `localhost` and `127.0.0.1` are different identities.
//
// Migration: passwords saved by earlier versions are keyed by connection name only, and that key does not say which
// server the password was typed for. They are never read or sent; the first connection to a server that asks for a
// password prompts once and saves under the identity, and the old name-keyed entry is deleted when that connection
// is opened, saved again or removed.
import { readOptionFile, parseClientOptions, resolveMysqlTarget } from './mysql/resolve';
import { resolvePgTarget, type PgTarget } from './postgres/resolve';
import type { ConnectionConfig } from './types';

/** The part of VS Code's SecretStorage this module needs (a Map is enough in tests). */
export interface SecretsPort {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export interface ServerIdentity extends PgTarget {
  driver: 'postgres' | 'mysql';
}

/** Why the user is asked: the server wants a password and none is saved for it, or it refused the one we sent. */
export type PasswordReason = 'required' | 'rejected';

export interface PasswordRequest {
  connection: string;
  /** `user@host:port/database`: the identity the password will be saved for and sent to. */
  server: string;
  reason: PasswordReason;
}

export type PasswordPrompt = (request: PasswordRequest) => PromiseLike<string | undefined>;

/** What `openDatabase` takes for a password: the saved one, and what to do when the server asks for another. */
export interface PasswordOptions {
  password?: string;
  askPassword?: (reason: PasswordReason) => Promise<string | undefined>;
  onPasswordAccepted?: (password: string) => Promise<void>;
}

type Env = Record<string, string | undefined>;

/** The identity a configuration's password belongs to; undefined for drivers without passwords or unresolvable PG* values. */
export function serverIdentity(config: ConnectionConfig, env: Env = {}): ServerIdentity | undefined {
  if (config.driver === 'mysql') {
    // As the MySQL driver resolves it: settings, then ~/.my.cnf's [client] group, then MYSQL_HOST/MYSQL_TCP_PORT/USER.
    const file = readOptionFile(env);
    const t = resolveMysqlTarget(config, env, file === null ? {} : parseClientOptions(file));
    return { driver: 'mysql', host: t.host.toLowerCase(), port: t.port, database: t.database, user: t.user };
  }
  if (config.driver !== 'postgres') return undefined;
  let target: PgTarget;
  try {
    target = resolvePgTarget(config, env);
  } catch {
    return undefined;
  }
  const bare = target.host.replace(/^\[(.*)\]$/, '$1');
  // A socket directory is a path (case-sensitive); a host name or address is not.
  const host = bare.startsWith('/') ? bare : bare.toLowerCase();
  return { driver: 'postgres', host, port: target.port, database: target.database, user: target.user };
}

const identityPrefix = 'dataeng.connection.password.v2:';

/** The SecretStorage key of the password saved for this configuration's server identity. */
export function passwordSecretKey(config: ConnectionConfig, env: Env = {}): string | undefined {
  const id = serverIdentity(config, env);
  return id ? identityPrefix + JSON.stringify([id.driver, id.host, id.port, id.database, id.user]) : undefined;
}

/** The key earlier versions used (connection name only). Never read: see the migration note at the top. */
export function legacyPasswordSecretKey(name: string): string {
  return `dataeng.connection.password:${name}`;
}

export function describeIdentity(id: ServerIdentity): string {
  const host = id.host.includes(':') ? `[${id.host}]` : id.host;
  return `${id.user}@${host}:${id.port}/${id.database}`;
}

export class ConnectionPasswords {
  private readonly legacyDropped = new Set<string>();

  constructor(
    private readonly secrets: SecretsPort,
    private readonly env: Env,
  ) {}

  keyFor(config: ConnectionConfig): string | undefined {
    return passwordSecretKey(config, this.env);
  }

  /** The password saved for exactly this configuration's server identity; never another identity's, never a name-keyed one. */
  async get(config: ConnectionConfig): Promise<string | undefined> {
    const key = this.keyFor(config);
    if (!key) return undefined;
    return (await this.secrets.get(key)) || undefined;
  }

  async store(config: ConnectionConfig, password: string): Promise<void> {
    const key = this.keyFor(config);
    if (!key) throw new Error(`connection "${config.name}" has no server identity to save a password for`);
    await this.secrets.store(key, password);
    await this.dropLegacy(config.name);
  }

  /** Deletes the password of this configuration's identity (shared by every connection to the same identity) and the old name-keyed one. */
  async forget(config: ConnectionConfig): Promise<void> {
    const key = this.keyFor(config);
    if (key) await this.secrets.delete(key);
    await this.dropLegacy(config.name);
  }

  /** Removes a password saved by an earlier version under the connection's name, unread. */
  async dropLegacy(name: string): Promise<void> {
    this.legacyDropped.add(name);
    await this.secrets.delete(legacyPasswordSecretKey(name));
  }

  /**
   * The password options for opening this configuration: the password saved for its identity, and — with a prompt —
   * a question when the server asks for a password we do not have (or refuses ours), whose answer is saved for this
   * identity once the server accepted it.
   */
  async openOptions(config: ConnectionConfig, prompt?: PasswordPrompt): Promise<PasswordOptions> {
    const id = serverIdentity(config, this.env);
    const key = this.keyFor(config);
    if (!id || !key) return {};
    if (!this.legacyDropped.has(config.name)) await this.dropLegacy(config.name).catch(() => undefined);
    const saved = (await this.secrets.get(key)) || undefined;
    const options: PasswordOptions = saved ? { password: saved } : {};
    if (prompt) {
      const server = describeIdentity(id);
      options.askPassword = async (reason) => (await prompt({ connection: config.name, server, reason })) || undefined;
      // The key was computed from the same configuration and environment the driver resolved: the password is saved
      // for the server it was just sent to, and for no other.
      options.onPasswordAccepted = async (password) => {
        await this.secrets.store(key, password);
      };
    }
    return options;
  }
}
