// Opening databases: connection URLs for the CLI, one factory for every driver, and a cache of open
// connections by name. Drivers are loaded on first use, so importing this file costs nothing.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { PasswordOptions } from './connectionPasswords';
import { ConnectionConfigError, scrubSecrets } from './errors';
import { parseMysqlUrl } from './mysql/url';
import { engineOrder, type SqliteEngineName } from './sqlite/engine';
import type { ConnectionConfig, Database, SessionLimits } from './types';

export interface OpenOptions extends PasswordOptions {
  limits: SessionLimits;
  /** From SecretStorage (saved for this server identity) or the URL; PGPASSWORD and the password file are consulted when absent. */
  password?: string;
  /** The environment for PG* variables (defaults to none: callers pass process.env explicitly). */
  env?: Record<string, string | undefined>;
  /** The folder the demo database lives under (extension globalStorage, or the CLI cache directory). */
  dataDir?: string;
  /** Where the worker bundles (sqliteWorker.js, demoWorker.js) are; defaults to next to this bundle. */
  workerDir?: string;
  /** Base for a relative SQLite or DuckDB file, and for relative paths in DuckDB queries. */
  cwd?: string;
  /** DuckDB: the folders it may read (default: `cwd`). */
  allowedDirs?: string[];
  /** DuckDB: let it read over the network (httpfs). */
  allowNetwork?: boolean;
}

export interface ParsedUrl {
  config: ConnectionConfig;
  password?: string;
}

const knownParams = new Set(['sslmode', 'sslrootcert', 'application_name', 'user', 'password', 'dbname', 'host', 'port', 'schema']);

/** Parses `postgres://user:pw@host:port/db?sslmode=…`, `postgresql://…`, `mysql://…`, `mariadb://…`, `sqlite:///abs/path`, `sqlite:rel/path`, `demo`. */
export function parseConnectionUrl(url: string, name = 'cli'): ParsedUrl {
  const trimmed = url.trim();
  if (/^(mysql|mariadb):\/\//i.test(trimmed)) return parseMysqlUrl(trimmed, name);
  if (trimmed === 'demo' || trimmed === 'demo:') return { config: { name, driver: 'demo' } };
  if (/^duckdb:/i.test(trimmed)) return { config: { name, driver: 'duckdb', file: duckdbUrlFile(trimmed) } };
  if (/^sqlite:/i.test(trimmed)) {
    let file = trimmed.slice('sqlite:'.length);
    if (file.startsWith('//')) {
      file = file.slice(2);
      if (!file.startsWith('/')) throw new ConnectionConfigError(`sqlite URL "${trimmed}" has a host part; use sqlite:///absolute/path or sqlite:relative/path`);
    }
    file = decodeURIComponent(file);
    if (!file) throw new ConnectionConfigError('sqlite URL has no file path');
    return { config: { name, driver: 'sqlite', file } };
  }
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) {
    throw new ConnectionConfigError(`unsupported connection URL "${scrubSecrets(trimmed)}": expected postgres://…, postgresql://…, mysql://…, mariadb://…, sqlite:… or demo`);
  }
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw new ConnectionConfigError(`invalid connection URL "${scrubSecrets(trimmed)}"`);
  }
  const config: ConnectionConfig = { name, driver: 'postgres' };
  let password: string | undefined;
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConnectionConfigError('invalid percent-encoding in the connection URL');
    }
  };
  if (u.hostname) config.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (u.port) config.port = Number(u.port);
  if (u.username) config.user = decode(u.username);
  if (u.password) password = decode(u.password);
  const db = decode(u.pathname.replace(/^\//, ''));
  if (db) config.database = db;
  for (const [key, value] of u.searchParams) {
    if (!knownParams.has(key)) throw new ConnectionConfigError(`unknown connection URL parameter "${key}"`);
    if (key === 'sslmode') {
      if (!['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(value)) {
        throw new ConnectionConfigError(`invalid sslmode "${value}"`);
      }
      config.ssl = value === 'allow' ? 'prefer' : (value as ConnectionConfig['ssl']);
    } else if (key === 'sslrootcert') config.sslRootCert = value;
    else if (key === 'application_name') config.application_name = value;
    else if (key === 'user') config.user = value;
    else if (key === 'password') password = value;
    else if (key === 'dbname') config.database = value;
    else if (key === 'host') config.host = value;
    else if (key === 'schema') config.schema = value;
    else if (key === 'port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConnectionConfigError(`invalid port "${value}"`);
      config.port = port;
    }
  }
  return password === undefined ? { config } : { config, password };
}

/** `duckdb:///abs/file.duckdb`, `duckdb:rel/file.duckdb`, or `duckdb::memory:` (an in-memory database for querying files). */
function duckdbUrlFile(url: string): string {
  let file = url.slice('duckdb:'.length);
  if (file === ':memory:' || file === '') return ':memory:';
  if (file.startsWith('//')) {
    file = file.slice(2);
    if (!file.startsWith('/')) throw new ConnectionConfigError(`duckdb URL "${url}" has a host part; use duckdb:///absolute/path, duckdb:relative/path or duckdb::memory:`);
  }
  return decodeURIComponent(file);
}

/**
 * A configuration as a connection URL that parseConnectionUrl reads back to the same configuration, never with a
 * password (a launcher passes it through the environment). A missing host stays missing, so PGHOST still applies.
 */
export function connectionUrl(config: ConnectionConfig): string {
  if (config.driver === 'demo') return 'demo';
  if (config.driver === 'sqlite') return `sqlite://${encodeURI(resolve(config.file ?? '')).replace(/[?#]/g, encodeURIComponent)}`;
  if (config.driver === 'mysql') {
    const host = config.host ? (config.host.includes(':') ? `[${config.host}]` : config.host) : 'localhost';
    const user = config.user !== undefined ? `${encodeURIComponent(config.user)}@` : '';
    return `mysql://${user}${host}${config.port !== undefined ? `:${config.port}` : ''}/${encodeURIComponent(config.database ?? '')}`;
  }
  if (config.driver === 'duckdb') return config.file === ':memory:' || !config.file ? 'duckdb::memory:' : `duckdb://${encodeURI(resolve(config.file)).replace(/[?#]/g, encodeURIComponent)}`;
  const params = new URLSearchParams();
  const host = config.host ? (config.host.includes(':') ? `[${config.host}]` : config.host) : '';
  if (config.user !== undefined && !host) params.set('user', config.user);
  if (config.ssl !== undefined && typeof config.ssl === 'string') params.set('sslmode', config.ssl);
  else if (config.ssl === true) params.set('sslmode', 'require');
  else if (config.ssl === false) params.set('sslmode', 'disable');
  if (config.sslRootCert) params.set('sslrootcert', config.sslRootCert);
  if (config.application_name) params.set('application_name', config.application_name);
  if (config.schema) params.set('schema', config.schema);
  const user = config.user !== undefined && host ? `${encodeURIComponent(config.user)}@` : '';
  const port = config.port !== undefined && host ? `:${config.port}` : '';
  if (config.port !== undefined && !host) params.set('port', String(config.port));
  const query = params.toString();
  return `postgres://${user}${host}${port}/${encodeURIComponent(config.database ?? '')}${query ? `?${query}` : ''}`;
}

/** The CLI's cache folder: $XDG_CACHE_HOME/dataeng or ~/.cache/dataeng. */
export function cliCacheDir(env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'dataeng');
}

/**
 * `DATAENG_SQLITE_ENGINE=sql.js` (or a comma-separated list, tried in order) narrows the SQLite engines to try: to
 * reproduce what a user on another host sees, or to step around an engine that misbehaves. Unset: all, native first.
 */
export function sqliteEnginesFromEnv(value: string | undefined): SqliteEngineName[] | undefined {
  if (!value?.trim()) return undefined;
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !engineOrder.includes(n as SqliteEngineName));
  if (unknown.length) throw new ConnectionConfigError(`DATAENG_SQLITE_ENGINE names unknown engines (${unknown.join(', ')}); use ${engineOrder.join(', ')}`);
  return names as SqliteEngineName[];
}

/** Opens (lazily: nothing connects until the first call) a database for a configuration. */
export async function openDatabase(config: ConnectionConfig, options: OpenOptions): Promise<Database> {
  switch (config.driver) {
    case 'postgres': {
      const { PostgresDatabase } = await import('./postgres/driver');
      return new PostgresDatabase(config, {
        limits: options.limits,
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
        ...(options.askPassword ? { askPassword: options.askPassword } : {}),
        ...(options.onPasswordAccepted ? { onPasswordAccepted: options.onPasswordAccepted } : {}),
      });
    }
    case 'sqlite': {
      if (!config.file) throw new ConnectionConfigError(`connection "${config.name}" (sqlite) has no "file"`);
      const file = isAbsolute(config.file) ? config.file : resolve(options.cwd ?? process.cwd(), config.file);
      const { SqliteDatabase } = await import('./sqlite/driver');
      const engines = sqliteEnginesFromEnv(options.env?.DATAENG_SQLITE_ENGINE);
      return new SqliteDatabase(
        { ...config, file },
        { limits: options.limits, ...(options.workerDir ? { workerDir: options.workerDir } : {}), ...(engines ? { engines } : {}) },
      );
    }
    case 'duckdb': {
      const base = options.cwd ?? process.cwd();
      const memory = !config.file || config.file === ':memory:';
      const file = memory ? ':memory:' : isAbsolute(config.file!) ? config.file! : resolve(base, config.file!);
      const { DuckdbDatabase } = await import('./duckdb/driver');
      return new DuckdbDatabase(
        { ...config, file },
        {
          limits: options.limits,
          allowedDirs: (options.allowedDirs ?? [base]).map((d) => resolve(base, d)),
          baseDir: base,
          allowNetwork: options.allowNetwork === true,
          ...(options.workerDir ? { workerDir: options.workerDir } : {}),
        },
      );
    }
    case 'mysql': {
      const { MysqlDatabase } = await import('./mysql/driver');
      return new MysqlDatabase(config, {
        limits: options.limits,
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
        ...(options.askPassword ? { askPassword: options.askPassword } : {}),
        ...(options.onPasswordAccepted ? { onPasswordAccepted: options.onPasswordAccepted } : {}),
      });
    }
    case 'demo': {
      if (!options.dataDir) throw new ConnectionConfigError('the demo database needs a data directory');
      const { DemoDatabase } = await import('./demo/driver');
      const { demoDirName } = await import('./demo/seed');
      return new DemoDatabase(config, { limits: options.limits, dataDir: join(options.dataDir, demoDirName), ...(options.workerDir ? { workerDir: options.workerDir } : {}) });
    }
    default:
      throw new ConnectionConfigError(`connection "${String((config as { name?: unknown }).name)}" has an unknown driver`);
  }
}

/** Open databases by connection name; reopened when a connection's configuration changes. No vscode here. */
export class ConnectionManager {
  private readonly open = new Map<string, { key: string; db: Promise<Database> }>();

  constructor(private readonly opener: (config: ConnectionConfig) => Promise<Database>) {}

  /** The open database for this configuration, opening it on first use. */
  async get(config: ConnectionConfig): Promise<Database> {
    const key = JSON.stringify(config);
    const existing = this.open.get(config.name);
    if (existing && existing.key === key) return existing.db;
    if (existing) await this.close(config.name);
    const db = this.opener(config);
    this.open.set(config.name, { key, db });
    db.catch(() => {
      // A failed open is not cached: the next call tries again.
      if (this.open.get(config.name)?.db === db) this.open.delete(config.name);
    });
    return db;
  }

  has(name: string): boolean {
    return this.open.has(name);
  }

  async close(name: string): Promise<void> {
    const entry = this.open.get(name);
    this.open.delete(name);
    if (entry) await entry.db.then((db) => db.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((name) => this.close(name)));
  }
}
