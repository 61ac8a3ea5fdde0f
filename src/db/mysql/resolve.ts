// Connection parameters resolved as the mysql client resolves them: what the connection says (settings, URL, saved
// password) first, then the option file's [client] group (~/.my.cnf), then the environment (MYSQL_HOST,
// MYSQL_TCP_PORT, MYSQL_PWD, USER), then the defaults (localhost, 3306, the OS user). MySQL's manual: "values in option
// files take precedence over values in environment variables".
//
// One deliberate difference: the [client] password is sent only to the host the option file names (or to localhost
// when it names none), because `dataeng.connections` may come from a workspace, and a repository's connection to its
// own server must not receive the password you keep for yours. The mysql client itself sends it anywhere.
import { readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig } from '../types';

type Env = Record<string, string | undefined>;

export interface MysqlTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface ResolvedMysqlParams extends MysqlTarget {
  password?: string;
  passwordSource: 'explicit' | 'my.cnf' | 'MYSQL_PWD' | 'none';
  connectTimeoutSec: number;
  /** Non-fatal notes: an option file ignored because anyone may write it, a password not sent to another host. */
  warnings: string[];
}

/** The [client] group of an option file: keys lower-cased with `-` and `_` alike, values unquoted. */
export type ClientOptions = Record<string, string>;

/**
 * Reads the [client] group of a MySQL option file (my.cnf syntax: `[group]`, `key = value`, `key` alone, `#` or `;`
 * comments, values in single or double quotes with backslash escapes). `!include` directives are not followed.
 */
export function parseClientOptions(text: string): ClientOptions {
  const out: ClientOptions = {};
  let inClient = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';') || line.startsWith('!')) continue;
    const group = /^\[([^\]]*)\]$/.exec(line);
    if (group) {
      inClient = group[1]!.trim().toLowerCase() === 'client';
      continue;
    }
    if (!inClient) continue;
    const eq = line.indexOf('=');
    const key = (eq === -1 ? line : line.slice(0, eq)).trim().toLowerCase().replace(/-/g, '_');
    let value = eq === -1 ? '' : line.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', s: ' ' })[c] ?? c);
    } else {
      // An unquoted value ends at a ` #` comment.
      const hash = value.search(/\s#/);
      if (hash !== -1) value = value.slice(0, hash).trim();
    }
    out[key] = value;
  }
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

export interface ResolveOptions {
  password?: string;
  env?: Env;
  /** The option file's text (tests); by default ~/.my.cnf is read. Null: no option file. */
  optionFile?: string | null;
}

/** ~/.my.cnf, or null when it is missing or anyone may write it (the mysql client ignores such a file too). */
export function readOptionFile(env: Env, warnings: string[] = []): string | null {
  const file = join(env.HOME || homedir(), '.my.cnf');
  try {
    const st = statSync(file);
    if (process.platform !== 'win32' && (st.mode & 0o002) !== 0) {
      warnings.push(`${file} is ignored: it is world-writable (the mysql client ignores it too)`);
      return null;
    }
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function optionsOf(options: ResolveOptions, env: Env, warnings: string[]): ClientOptions {
  const text = options.optionFile === undefined ? readOptionFile(env, warnings) : options.optionFile;
  return text === null ? {} : parseClientOptions(text);
}

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/** Host, port, database and user as the mysql client resolves them; the identity a password is bound to. */
export function resolveMysqlTarget(config: ConnectionConfig, env: Env = {}, client: ClientOptions = {}): MysqlTarget {
  return {
    host: nonEmpty(config.host) ?? nonEmpty(client['host']) ?? nonEmpty(env.MYSQL_HOST) ?? 'localhost',
    port: config.port ?? portOf(client['port']) ?? portOf(env.MYSQL_TCP_PORT) ?? 3306,
    database: nonEmpty(config.database) ?? nonEmpty(client['database']) ?? '',
    user: nonEmpty(config.user) ?? nonEmpty(client['user']) ?? nonEmpty(env.USER) ?? osUser(),
  };
}

/** The full parameters: the target, then the password (explicit, the option file for its own host, MYSQL_PWD). */
export function resolveMysqlParams(config: ConnectionConfig, options: ResolveOptions = {}): ResolvedMysqlParams {
  const env = options.env ?? {};
  const warnings: string[] = [];
  const client = optionsOf(options, env, warnings);
  const target = resolveMysqlTarget(config, env, client);
  const out: ResolvedMysqlParams = { ...target, passwordSource: 'none', connectTimeoutSec: portOf(client['connect_timeout']) ?? 10, warnings };
  if (options.password !== undefined) {
    out.password = options.password;
    out.passwordSource = 'explicit';
  } else if (client['password'] !== undefined) {
    const fileHost = (nonEmpty(client['host']) ?? 'localhost').toLowerCase();
    if (fileHost === target.host.toLowerCase()) {
      out.password = client['password'];
      out.passwordSource = 'my.cnf';
    } else {
      warnings.push(`the [client] password of ~/.my.cnf is for ${fileHost}, so it is not sent to ${target.host}`);
    }
  }
  if (out.password === undefined && env.MYSQL_PWD !== undefined) {
    out.password = env.MYSQL_PWD;
    out.passwordSource = 'MYSQL_PWD';
  }
  return out;
}
