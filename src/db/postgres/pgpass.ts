// The password file, read as libpq reads it: PGPASSFILE or ~/.pgpass (%APPDATA%\postgresql\pgpass.conf on
// Windows), ignored with a warning when group or others can read it, `*` wildcards, `\:` and `\\` escapes,
// first matching line wins.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

export interface PgpassTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Splits one line into its five fields, honouring backslash escapes; null for comments and malformed lines. */
export function parsePgpassLine(line: string): PgpassEntry | null {
  if (line.startsWith('#') || line.trim() === '') return null;
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      current += line[++i]!;
    } else if (ch === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current.replace(/\r$/, ''));
  if (fields.length !== 5) return null;
  const [host, port, database, user, password] = fields as [string, string, string, string, string];
  return { host, port, database, user, password };
}

function fieldMatches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value;
}

/** The password of the first entry matching the target, as libpq's passwordFromFile does. */
export function lookupPgpass(text: string, target: PgpassTarget): string | undefined {
  // libpq matches a Unix-socket connection against `localhost`; we always connect over TCP, so the host
  // is compared as given, and an empty host counts as localhost.
  const host = target.host === '' || target.host.startsWith('/') ? 'localhost' : target.host;
  for (const line of text.split('\n')) {
    const entry = parsePgpassLine(line);
    if (!entry) continue;
    if (
      fieldMatches(entry.host, host) &&
      fieldMatches(entry.port, String(target.port)) &&
      fieldMatches(entry.database, target.database) &&
      fieldMatches(entry.user, target.user)
    ) {
      return entry.password;
    }
  }
  return undefined;
}

export function defaultPgpassPath(env: Record<string, string | undefined>, platform = process.platform): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (platform === 'win32') return join(env.APPDATA ?? homedir(), 'postgresql', 'pgpass.conf');
  return join(env.HOME ?? homedir(), '.pgpass');
}

export interface PgpassResult {
  password?: string;
  /** Set when the file exists but was ignored (permissions) or could not be read. */
  warning?: string;
}

/** Reads the password file for the target; a missing file is not an error. */
export function readPgpass(target: PgpassTarget, env: Record<string, string | undefined>, platform = process.platform): PgpassResult {
  const path = defaultPgpassPath(env, platform);
  let mode: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { warning: `password file "${path}" is not a plain file` };
    mode = st.mode;
  } catch {
    return {};
  }
  // Like libpq: on Unix a password file readable by group or others is ignored.
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    return { warning: `password file "${path}" has group or world access; permissions should be u=rw (0600) or less` };
  }
  try {
    const password = lookupPgpass(readFileSync(path, 'utf8'), target);
    return password === undefined ? {} : { password };
  } catch (err) {
    return { warning: `password file "${path}" could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}
