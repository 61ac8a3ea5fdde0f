// The one interface every database driver implements. Nothing outside src/db touches a driver package.
import type { CompareFacts } from '../core/proof/compare';
import type { WhatIfRaw } from '../core/proof/whatIf';
import type { Catalog } from '../core/schema/catalog';
import type { DescribeOptions, TableDescription } from '../core/schema/tableDescription';
import type { Dialect } from '../core/sql/dialect';

export type DriverKind = 'postgres' | 'sqlite' | 'demo' | 'mysql' | 'duckdb';

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
  planFormat: 'postgres-json' | 'sqlite-rows' | 'mysql-json' | 'mysql-tree' | 'duckdb-json';
  /**
   * PostgreSQL: the parsed FORMAT JSON value, or its JSON text when it is larger than about 1 MB (parse it where it
   * does not block: `parsePlan` accepts either); SQLite: `{id, parent, notused, detail}[]`.
   */
  plan: unknown;
  warnings: string[];
  /** The statement that was explained, without any EXPLAIN prefix the user wrote. */
  statement: string;
}

/** Options of `Database.whatIf`: which indexes to test, how, and what the user consented to. */
export interface WhatIfOptions {
  /**
   * CREATE INDEX statements, as sets tested together; each set is tested on its own against the same "before" (the
   * advisor tests one candidate per set). Every statement is validated again by the driver (exactly one CREATE INDEX).
   */
  variants: string[][];
  /** `auto`: HypoPG where it is installed and supports every index method, else a real index rolled back. */
  method?: 'auto' | 'hypopg' | 'rolled-back-index';
  /** Execute the statement before and after (rolled-back index: EXPLAIN ANALYZE; SQLite: timed on the in-memory copy). */
  analyze: boolean;
  /** As for explain: consent to executing a statement that writes, locks rows or has side effects (rolled back). */
  consentToWrites: boolean;
  /** Consent to building real indexes inside BEGIN … ROLLBACK (SHARE lock on the table while it lasts). */
  consentToBuild: boolean;
  /** A table (PostgreSQL) or a database to copy (SQLite) larger than this needs `confirmAboveCap` as well. */
  maxTableBytes: number;
  confirmAboveCap: boolean;
  /** Per-statement timeout (statement_timeout for each step). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CompareOptions {
  /** Per-statement timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
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
   * One table: columns, indexes, constraints, size, row estimate, maintenance times and column statistics (catalog
   * reads only; the name is bound as a parameter or quoted as a string, never spliced into SQL). Throws StatementError
   * naming the table when it does not exist. Optional: a wrapper that cannot offer it leaves it out, and the tools say so.
   */
  describeTable?(table: string, options?: DescribeOptions): Promise<TableDescription>;
  /**
   * Index what-if: plans the statement before and with each set of indexes — hypothetically (HypoPG), with real
   * indexes built inside BEGIN … ROLLBACK, or on an in-memory copy (SQLite). Nothing is left behind. Throws
   * IndexBuildConsentRequiredError before building anything the user has not consented to. Optional: a wrapper that
   * cannot offer it leaves it out, and the operations say so.
   */
  whatIf?(sql: string, options: WhatIfOptions): Promise<WhatIfRaw>;
  /**
   * Result equivalence: runs two reads in one READ ONLY, REPEATABLE READ transaction (one snapshot) and counts what
   * differs, with bag semantics. Refuses anything but a read (RefusedStatementError); runs nothing when a statement
   * calls a volatile function (the facts say which).
   */
  compare?(original: string, rewrite: string, options: CompareOptions): Promise<CompareFacts>;
  /**
   * Stops EVERY call running on this connection, whoever started it (for shutting a connection down). To stop one
   * call — the usual Stop button — abort the `signal` given to that call: it reaches that call's own statement and
   * nothing else (PostgreSQL: pg_cancel_backend, then pg_terminate_backend, of exactly that call's backend).
   */
  cancel(): Promise<void>;
  close(): Promise<void>;
}
