// The one interface every database driver implements. Nothing outside src/db touches a driver package.
import type { Catalog } from '../core/schema/catalog';
import type { Dialect } from '../core/sql/dialect';

export type DriverKind = 'postgres' | 'sqlite' | 'demo';

/** A connection as configured in `dataeng.connections` (never holds a password). */
export interface ConnectionConfig {
  name: string;
  driver: DriverKind;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  ssl?: boolean | 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  sslRootCert?: string;
  file?: string;
  schema?: string;
  statementTimeoutMs?: number;
  application_name?: string;
}

/** Limits applied to every session the extension opens. */
export interface SessionLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export const defaultSessionLimits: SessionLimits = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 60_000,
};

export interface ExplainOptions {
  /** EXPLAIN ANALYZE: executes the statement (always inside a transaction that is rolled back). */
  analyze: boolean;
  /**
   * The user consented to what EXPLAIN ANALYZE executes beyond a plain read: writes, row locks, and effects a rollback
   * does not undo (named in ConsentRequiredError.reasons). Without it such a statement is never executed.
   */
  consentToWrites: boolean;
  /** Overrides the session's statement timeout for this call. */
  timeoutMs?: number;
  /** Stops this call only (and while it is still connecting): see `Database.cancel` for stopping everything. */
  signal?: AbortSignal;
}

export interface ExplainResult {
  dialect: Dialect;
  analyzed: boolean;
  /**
   * True only when the statement ran inside our transaction and our ROLLBACK succeeded. False when nothing ran in a
   * transaction (SQLite), or when the session ended before ROLLBACK (then the server, or the stopped embedded
   * database, aborted the transaction: nothing was committed, and `warnings` says so).
   */
  rolledBack: boolean;
  planFormat: 'postgres-json' | 'sqlite-rows';
  /**
   * PostgreSQL: the parsed FORMAT JSON value, or its JSON text when it is larger than about 1 MB (parse it where it
   * does not block: `parsePlan` accepts either); SQLite: `{id, parent, notused, detail}[]`.
   */
  plan: unknown;
  warnings: string[];
  /** The statement that was explained, without any EXPLAIN prefix the user wrote. */
  statement: string;
}

export interface ServerInfo {
  dialect: Dialect;
  version: string;
  database: string;
}

export interface Database {
  readonly dialect: Dialect;
  readonly config: ConnectionConfig;
  /** Opens (if needed) and checks the connection. */
  test(signal?: AbortSignal): Promise<ServerInfo>;
  explain(sql: string, options: ExplainOptions): Promise<ExplainResult>;
  introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog>;
  /**
   * Stops EVERY call running on this connection, whoever started it (for shutting a connection down). To stop one
   * call — the usual Stop button — abort the `signal` given to that call: it reaches that call's own statement and
   * nothing else (PostgreSQL: pg_cancel_backend, then pg_terminate_backend, of exactly that call's backend).
   */
  cancel(): Promise<void>;
  close(): Promise<void>;
}
