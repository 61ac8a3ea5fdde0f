// Typed errors of the database layer. Every message that leaves src/db goes through `scrubSecrets` first,
// so a password can never reach a log, a notification, the CLI's stderr or a prompt.
import { formatBytes } from '../core/schema/rules/shared';

/** The statement is refused by the safe path (multiple statements, transaction control, not explainable…). */
export class RefusedStatementError extends Error {
  override readonly name = 'RefusedStatementError';
  constructor(readonly reason: string) {
    super(`Refused: ${reason}`);
  }
}

/**
 * EXPLAIN ANALYZE would execute a statement that writes, locks rows, or has effects a rollback does not undo, and the
 * user has not consented. `reasons` name each of those effects; the message says all of them.
 */
export class ConsentRequiredError extends Error {
  override readonly name = 'ConsentRequiredError';
  constructor(
    readonly statementKind: string,
    readonly reasons: string[],
    readonly warnings: string[] = [],
  ) {
    super(
      `EXPLAIN ANALYZE would execute this ${statementKind.toUpperCase()} statement (inside a transaction that is rolled back), and ` +
        `it needs explicit consent: ${reasons.join('; ')}.`,
    );
  }
}

/** A table a what-if would build a real index on (or, for SQLite, the database it would copy into memory). */
export interface BuildTarget {
  name: string;
  /** Size as the database reports it (PostgreSQL: pg_table_size; SQLite: the database's pages). */
  bytes: number | null;
  rows: number | null;
}

/**
 * A what-if would build a real index inside BEGIN … ROLLBACK (PostgreSQL without HypoPG, the demo database), which
 * takes a SHARE lock on the table: writes to it wait until the test ends. That needs explicit consent naming the table
 * and its size; above the size cap (`aboveCap`) it needs a second confirmation. For SQLite, `aboveCap` means the
 * database is larger than the cap for an in-memory copy. Nothing was built when this is thrown.
 */
export class IndexBuildConsentRequiredError extends Error {
  override readonly name = 'IndexBuildConsentRequiredError';
  constructor(
    readonly targets: BuildTarget[],
    readonly aboveCap: boolean,
    readonly capBytes: number,
    readonly kind: 'build' | 'copy' = 'build',
  ) {
    const list = targets.map((t) => `${t.name} (${formatBytes(t.bytes)}${t.rows !== null ? `, about ${Math.max(0, Math.round(t.rows)).toLocaleString('en-US')} rows` : ''})`).join(', ');
    super(
      kind === 'copy'
        ? `The database ${list} is larger than the in-memory copy limit of ${formatBytes(capBytes)}; a what-if on SQLite copies the whole database into memory.`
        : aboveCap
          ? `Building a real index on ${list} exceeds the size limit of ${formatBytes(capBytes)} for a test build: it would hold a SHARE lock (writes to the table wait) for as long as the build takes.`
          : `Without HypoPG the index is tested by building it for real inside a transaction that is rolled back: on ${list}; the build takes a SHARE lock, so writes to the table wait until it finishes.`,
    );
  }
}

/** Why executing a classified statement needs consent, one reason per effect; empty for a plain read. */
export function consentReasons(c: { effect: 'read' | 'lock' | 'write'; sideEffects: readonly string[] }): string[] {
  const out: string[] = [];
  if (c.effect === 'write') out.push('it changes data (the changes are rolled back)');
  else if (c.effect === 'lock') out.push('it takes row locks (released by the rollback)');
  out.push(...c.sideEffects);
  return out;
}

/** The database could not be reached or refused the login. Carries host and port, never the password. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    readonly target: { host?: string; port?: number; file?: string; driver: string },
    readonly causeMessage: string,
  ) {
    const where = target.file ?? `${target.host ?? 'localhost'}:${target.port ?? 5432}`;
    super(`Could not connect to ${target.driver} at ${where}: ${causeMessage}`);
  }
}

/** Where a target is, for messages: its file, or host:port. */
function targetText(target: ConnectionError['target']): string {
  return target.file ?? `${target.host ?? 'localhost'}:${target.port ?? 5432}`;
}

/** The server asks for a password and none is known for it (none saved for this server, no PGPASSWORD, no ~/.pgpass entry). */
export class PasswordRequiredError extends ConnectionError {
  constructor(target: ConnectionError['target']) {
    super(
      target,
      target.driver === 'mysql'
        ? 'the server refused the login without a password and none is stored for this server (Add Connection, MYSQL_PWD or ~/.my.cnf)'
        : 'the server asks for a password and none is stored for this server (Add Connection, PGPASSWORD or ~/.pgpass)',
    );
  }
}

/**
 * The session died while a call was using it: the server restarted or stopped, the backend was terminated, the
 * network dropped, or we closed a session that did not answer. A transaction it had open is aborted by the server
 * (an embedded database discards it with the worker), so nothing was committed; `rolledBack` is false because our
 * own ROLLBACK did not run.
 */
export class SessionEndedError extends ConnectionError {
  readonly rolledBack = false;
  constructor(target: ConnectionError['target'], cause: string, note: string) {
    super(target, cause);
    this.message = `The ${target.driver} session at ${targetText(target)} ended during the call (${cause}); ${note}.`;
  }
}

/**
 * The statement ran past its timeout or was cancelled. `rolledBack` says whether our ROLLBACK ran (true) or the
 * session ended first and the server aborted the transaction (false); the message says which.
 */
export class ExplainCancelledError extends Error {
  override readonly name = 'ExplainCancelledError';
  constructor(
    readonly why: 'timeout' | 'cancelled',
    detail: string,
    readonly rolledBack?: boolean,
  ) {
    super(detail);
  }
}

/** The database reported an error for the statement itself (syntax, missing table…). */
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    message: string,
    readonly code?: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

const urlCredentials = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s/]*)@/gi;
const passwordParams = /(\bpassword\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi;

/**
 * Removes every occurrence of the given secrets (raw and URL-encoded) and anything that looks like
 * URL userinfo or a `password=` parameter from a message.
 */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[] = []): string {
  let out = message;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join('***');
    }
  }
  return out.replace(urlCredentials, '$1***@').replace(passwordParams, '$1***');
}

/** The message of anything thrown, scrubbed. */
export function errorMessage(err: unknown, secrets: readonly (string | undefined)[] = []): string {
  const raw = err instanceof Error ? err.message || err.name : String(err);
  return scrubSecrets(raw, secrets);
}

/** A connection URL or configuration entry is invalid; the message says which part. */
export class ConnectionConfigError extends Error {
  override readonly name = 'ConnectionConfigError';
}
