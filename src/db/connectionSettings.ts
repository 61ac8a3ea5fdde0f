// Validation of the `dataeng.connections` setting and display helpers. Pure: the VS Code layer reads the
// setting and shows the errors; nothing here ever sees a password.
import type { ConnectionConfig, DriverKind } from './types';

/** The embedded demo connection, always listed; the default when nothing else is configured. */
export const demoConnection: ConnectionConfig = { name: 'Demo (embedded PostgreSQL)', driver: 'demo' };

const drivers: readonly DriverKind[] = ['postgres', 'sqlite', 'demo', 'mysql', 'duckdb'];
const sslValues = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];
const stringKeys = ['host', 'database', 'user', 'sslRootCert', 'file', 'schema', 'application_name'] as const;
const knownKeys = new Set<string>(['name', 'driver', 'port', 'ssl', 'statementTimeoutMs', ...stringKeys]);

export interface ValidatedConnections {
  /** Valid entries, in settings order (the demo connection is not included). */
  connections: ConnectionConfig[];
  /** One clear message per bad entry; bad entries are left out, the others still work. */
  errors: string[];
}

export function validateConnections(raw: unknown): ValidatedConnections {
  const connections: ConnectionConfig[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { connections, errors };
  if (!Array.isArray(raw)) return { connections, errors: ['dataeng.connections must be a list of connection objects'] };
  const seen = new Set<string>([demoConnection.name]);
  raw.forEach((entry: unknown, index) => {
    const where = `dataeng.connections[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      errors.push(`${where}: must be an object like {"name": "…", "driver": "postgres"}`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const label = typeof e.name === 'string' && e.name.trim() ? `${where} ("${e.name}")` : where;
    const problems: string[] = [];
    if (typeof e.name !== 'string' || !e.name.trim()) problems.push('missing "name"');
    else if (seen.has(e.name)) problems.push(`duplicate name "${e.name}"`);
    if (!drivers.includes(e.driver as DriverKind)) {
      problems.push(e.driver === undefined ? 'missing "driver" (postgres, mysql, sqlite, duckdb or demo)' : `unknown driver ${JSON.stringify(e.driver)} (postgres, mysql, sqlite, duckdb or demo)`);
    }
    if ('password' in e) problems.push('"password" is never read from settings: use "Data Engineer: Add Connection", which keeps it in the OS keychain');
    for (const key of Object.keys(e)) if (!knownKeys.has(key) && key !== 'password') problems.push(`unknown property "${key}"`);
    for (const key of stringKeys) if (e[key] !== undefined && typeof e[key] !== 'string') problems.push(`"${key}" must be a string`);
    if (e.port !== undefined && (typeof e.port !== 'number' || !Number.isInteger(e.port) || e.port < 1 || e.port > 65535)) {
      problems.push('"port" must be an integer from 1 to 65535');
    }
    if (e.statementTimeoutMs !== undefined && (typeof e.statementTimeoutMs !== 'number' || !Number.isInteger(e.statementTimeoutMs) || e.statementTimeoutMs < 0)) {
      problems.push('"statementTimeoutMs" must be a non-negative integer');
    }
    if (e.ssl !== undefined && typeof e.ssl !== 'boolean' && !sslValues.includes(e.ssl as string)) {
      problems.push(`"ssl" must be true, false or one of ${sslValues.join(', ')}`);
    }
    if (e.driver === 'sqlite' && (typeof e.file !== 'string' || !e.file.trim())) problems.push('a sqlite connection needs "file"');
    if (problems.length) {
      errors.push(`${label}: ${problems.join('; ')}`);
      return;
    }
    seen.add(e.name as string);
    const config: ConnectionConfig = { name: e.name as string, driver: e.driver as DriverKind };
    for (const key of stringKeys) if (typeof e[key] === 'string') config[key] = e[key];
    if (typeof e.port === 'number') config.port = e.port;
    if (e.ssl !== undefined) config.ssl = e.ssl as ConnectionConfig['ssl'];
    if (typeof e.statementTimeoutMs === 'number') config.statementTimeoutMs = e.statementTimeoutMs;
    connections.push(config);
  });
  return { connections, errors };
}

/** A one-line description without any secret: `postgres · alice@db.example.com:5432/shop`. */
export function describeConnection(c: ConnectionConfig): string {
  if (c.driver === 'demo') return 'demo · embedded PostgreSQL (PGlite)';
  if (c.driver === 'sqlite') return `sqlite · ${c.file ?? '?'}`;
  if (c.driver === 'duckdb') return `duckdb · ${c.file ?? ':memory:'}`;
  const user = c.user ? `${c.user}@` : '';
  const port = c.port ? `:${c.port}` : '';
  return `${c.driver === 'mysql' ? 'mysql' : 'postgres'} · ${user}${c.host ?? 'localhost'}${port}/${c.database ?? ''}`;
}

const serverTarget = /^(?:([^@\s]+)@)?([^:/\s]*)(?::(\d{1,5}))?(?:\/(\S*))?$/;

/**
 * Add Connection's server answer, `user@host:port/database`, for PostgreSQL and MySQL/MariaDB: the parts given (empty
 * ones are left to the driver's environment and defaults), or null when it does not read so.
 */
export function parseServerTarget(text: string): Pick<ConnectionConfig, 'user' | 'host' | 'port' | 'database'> | null {
  const m = serverTarget.exec(text.trim());
  if (!m) return null;
  const out: Pick<ConnectionConfig, 'user' | 'host' | 'port' | 'database'> = {};
  if (m[1]) out.user = m[1];
  if (m[2]) out.host = m[2];
  if (m[3]) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) return null;
    out.port = port;
  }
  if (m[4]) out.database = m[4];
  return out;
}

/** The active connection: the stored choice if it still exists, else the first configured one, else the demo. */
export function chooseActive(stored: string | undefined, configured: readonly ConnectionConfig[]): ConnectionConfig {
  const all = [...configured, demoConnection];
  return all.find((c) => c.name === stored) ?? configured[0] ?? demoConnection;
}
