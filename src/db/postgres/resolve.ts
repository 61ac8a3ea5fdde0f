// Connection parameters resolved as libpq resolves them: explicit configuration first, then the PG*
// environment variables, then libpq's defaults; the password from the caller (SecretStorage or the URL),
// then PGPASSWORD, then the password file.
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { ConnectionConfig } from '../types';
import { ConnectionError } from '../errors';
import { readPgpass } from './pgpass';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const sslModes: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface ResolvedPgParams {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  passwordSource: 'explicit' | 'PGPASSWORD' | 'pgpass' | 'none';
  sslMode: SslMode;
  sslRootCert?: string;
  applicationName: string;
  connectTimeoutSec: number;
  /** Non-fatal notes, e.g. a password file ignored because of its permissions. */
  warnings: string[];
}

export interface ResolveOptions {
  password?: string;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/** The server and login a configuration reaches: what a password is sent to. */
export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Host, port, database and user as libpq resolves them: the configuration, then PG* variables, then defaults. */
export function resolvePgTarget(config: ConnectionConfig, env: Record<string, string | undefined> = {}): PgTarget {
  const host = nonEmpty(config.host) ?? nonEmpty(env.PGHOST) ?? 'localhost';
  let port = 5432;
  if (config.port !== undefined) port = config.port;
  else if (nonEmpty(env.PGPORT)) {
    const parsed = Number(env.PGPORT);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
      throw new ConnectionError({ driver: 'postgres', host }, `invalid port number in PGPORT: "${env.PGPORT}"`);
    }
    port = parsed;
  }
  const user = nonEmpty(config.user) ?? nonEmpty(env.PGUSER) ?? osUser();
  const database = nonEmpty(config.database) ?? nonEmpty(env.PGDATABASE) ?? user;
  return { host, port, database, user };
}

export function resolvePgParams(config: ConnectionConfig, options: ResolveOptions = {}): ResolvedPgParams {
  const env = options.env ?? {};
  const warnings: string[] = [];
  const { host, port, database, user } = resolvePgTarget(config, env);
  const target = { driver: 'postgres', host } as const;

  let sslMode: SslMode;
  if (config.ssl === true) sslMode = 'require';
  else if (config.ssl === false) sslMode = 'disable';
  else if (config.ssl !== undefined) sslMode = config.ssl;
  else {
    const fromEnv = nonEmpty(env.PGSSLMODE) ?? 'prefer';
    if (!(sslModes as readonly string[]).includes(fromEnv)) {
      throw new ConnectionError({ ...target, port }, `invalid sslmode in PGSSLMODE: "${fromEnv}" (expected one of ${sslModes.join(', ')})`);
    }
    sslMode = fromEnv as SslMode;
  }
  const sslRootCert = nonEmpty(config.sslRootCert) ?? nonEmpty(env.PGSSLROOTCERT);

  let connectTimeoutSec = 10;
  if (nonEmpty(env.PGCONNECT_TIMEOUT)) {
    const parsed = Number(env.PGCONNECT_TIMEOUT);
    // libpq treats 0 or a negative value as "wait forever" and anything below 2 as 2 seconds.
    if (Number.isFinite(parsed)) connectTimeoutSec = parsed <= 0 ? 0 : Math.max(2, Math.floor(parsed));
  }

  const applicationName = nonEmpty(config.application_name) ?? nonEmpty(env.PGAPPNAME) ?? 'dataeng';

  let password: string | undefined;
  let passwordSource: ResolvedPgParams['passwordSource'] = 'none';
  if (options.password !== undefined && options.password !== '') {
    password = options.password;
    passwordSource = 'explicit';
  } else if (nonEmpty(env.PGPASSWORD)) {
    password = env.PGPASSWORD;
    passwordSource = 'PGPASSWORD';
  } else {
    const fromFile = readPgpass({ host, port, database, user }, env, options.platform);
    if (fromFile.warning) warnings.push(`WARNING: ${fromFile.warning}`);
    if (fromFile.password !== undefined) {
      password = fromFile.password;
      passwordSource = 'pgpass';
    }
  }

  return {
    host,
    port,
    database,
    user,
    ...(password !== undefined ? { password } : {}),
    passwordSource,
    sslMode,
    ...(sslRootCert !== undefined ? { sslRootCert } : {}),
    applicationName,
    connectTimeoutSec,
    warnings,
  };
}

/**
 * TLS options for one attempt. `prefer`/`allow` try both ways (see the driver); `require` encrypts without
 * verifying, unless a root certificate is given (libpq then verifies the CA); verify-ca checks the chain;
 * verify-full also checks the host name.
 */
export function tlsOptions(params: ResolvedPgParams, encrypted: boolean, env: Record<string, string | undefined> = {}): false | ConnectionOptions {
  if (!encrypted || params.sslMode === 'disable') return false;
  const defaultCert = join(env.HOME ?? homedir(), '.postgresql', 'root.crt');
  const certPath = params.sslRootCert ?? (params.sslMode.startsWith('verify') && existsSync(defaultCert) ? defaultCert : undefined);
  const ca = certPath ? readFileSync(certPath, 'utf8') : undefined;
  const verifyChain = params.sslMode === 'verify-ca' || params.sslMode === 'verify-full' || (params.sslMode === 'require' && ca !== undefined);
  if (!verifyChain) return { rejectUnauthorized: false };
  const base: ConnectionOptions = { rejectUnauthorized: true, ...(ca !== undefined ? { ca } : {}) };
  if (params.sslMode === 'verify-full') return { ...base, servername: params.host };
  // verify-ca (and require with a root certificate): the chain is checked, the host name is not.
  return { ...base, checkServerIdentity: () => undefined };
}
