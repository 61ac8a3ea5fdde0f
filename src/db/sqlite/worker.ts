// The SQLite worker thread: owns the database handle so no call can block the extension host. The engine is the first
// of better-sqlite3, node:sqlite and sql.js that runs on this host (selectEngine.ts); every one opens the file
// read-only (plus query_only), so its bytes never change.
import { workerData } from 'node:worker_threads';
import { ConnectionError, StatementError } from '../errors';
import { serveRequests } from '../workerHost';
import type { WhatIfOptions } from '../types';
import { introspectSqlite } from './catalog';
import { describeSqlite } from './describe';
import { DatabaseBusyError, MultipleStatementsError, type SqliteConnection, type SqliteEngineName } from './engine';
import { openWithFirstEngine } from './selectEngine';
import { sqliteCompare, sqliteWhatIf, type SqliteProofEngine } from './proof';

export interface SqliteWorkerData {
  file: string;
  busyTimeoutMs: number;
  /** Largest file the in-memory engine (sql.js) opens. */
  maxInMemoryBytes: number;
  /** The engines to try, in order (default: all, native first). */
  engines?: SqliteEngineName[];
}

const data = workerData as SqliteWorkerData;
let db: SqliteConnection | undefined;

function connectionError(err: unknown): ConnectionError {
  return new ConnectionError({ driver: 'sqlite', file: data.file }, err instanceof Error ? err.message : String(err));
}

/** SQLite's result code as a name, whichever engine raised the error (better-sqlite3: `code`; node:sqlite: `errcode`). */
function sqliteCode(err: Error): string | undefined {
  if (err instanceof DatabaseBusyError) return 'SQLITE_BUSY';
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  if (typeof errcode === 'number') return primaryCodes[errcode & 0xff] ?? 'SQLITE_ERROR';
  // sql.js carries only the message.
  if (/^file is not a database/.test(err.message)) return 'SQLITE_NOTADB';
  if (/^database disk image is malformed/.test(err.message)) return 'SQLITE_CORRUPT';
  return undefined;
}

const primaryCodes: Record<number, string> = { 1: 'SQLITE_ERROR', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 11: 'SQLITE_CORRUPT', 14: 'SQLITE_CANTOPEN', 26: 'SQLITE_NOTADB' };

function statementError(err: unknown): Error {
  if (err instanceof MultipleStatementsError) return new StatementError(err.message, 'SQLITE_MISUSE');
  if (err instanceof Error) {
    const code = sqliteCode(err);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_CORRUPT') return connectionError(err);
    return new StatementError(err.message, code);
  }
  return new StatementError(String(err));
}

/** A writer holding the file longer than the busy timeout is the statement's problem, as a locked table would be. */
function isBusy(err: unknown): boolean {
  const code = err instanceof Error ? sqliteCode(err) : undefined;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

async function open(): Promise<SqliteConnection> {
  if (db) return db;
  let opened: SqliteConnection;
  try {
    ({ connection: opened } = await openWithFirstEngine(
      { file: data.file, busyTimeoutMs: data.busyTimeoutMs, maxFileBytes: data.maxInMemoryBytes, bundleDir: __dirname },
      data.engines,
    ));
  } catch (err) {
    throw isBusy(err) ? statementError(err) : connectionError(err);
  }
  try {
    // Reading the schema proves the file is a database (a random file fails here, not later).
    opened.all('SELECT count(*) AS n FROM sqlite_schema');
  } catch (err) {
    opened.close();
    throw isBusy(err) ? statementError(err) : connectionError(err);
  }
  db = opened;
  return opened;
}

/**
 * Makes the handle notice a schema another connection changed since its last read. EXPLAIN QUERY PLAN compiles the
 * statement without starting a read transaction, so it would otherwise plan against the schema this handle last saw
 * (a new index would not show until the worker restarts); a read of sqlite_schema checks the schema cookie.
 */
function refreshSchema(handle: SqliteConnection): void {
  handle.all('SELECT 1 FROM sqlite_schema LIMIT 1');
}

/** The open connection as the proofs use it: every engine offers a handle, its size and, where it can, an in-memory copy. */
function proofEngine(handle: SqliteConnection): SqliteProofEngine {
  refreshSchema(handle);
  return handle.proof();
}

serveRequests({
  open: async () => {
    const handle = await open();
    return { version: handle.sqliteVersion, engine: handle.engine };
  },
  explain: async (args) => {
    const { sql } = args as { sql: string };
    const handle = await open();
    try {
      refreshSchema(handle);
      return { rows: handle.all(`EXPLAIN QUERY PLAN ${sql}`), warnings: handle.warnings() };
    } catch (err) {
      throw statementError(err);
    }
  },
  whatIf: async (args) => {
    const { sql, options } = args as { sql: string; options: WhatIfOptions };
    return sqliteWhatIf(proofEngine(await open()), sql, options, data.file);
  },
  compare: async (args) => {
    const { original, rewrite } = args as { original: string; rewrite: string };
    return sqliteCompare(proofEngine(await open()).handle, original, rewrite);
  },
  introspect: async () => {
    const handle = await open();
    try {
      return introspectSqlite(handle);
    } catch (err) {
      throw err instanceof ConnectionError ? err : statementError(err);
    }
  },
  describeTable: async (args) => {
    const { table } = args as { table: string };
    const handle = await open();
    try {
      refreshSchema(handle);
      return describeSqlite(handle, table);
    } catch (err) {
      throw err instanceof ConnectionError || err instanceof StatementError ? err : statementError(err);
    }
  },
  close: () => {
    db?.close();
    db = undefined;
    return null;
  },
});
