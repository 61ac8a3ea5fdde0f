// The SQLite worker thread: owns the better-sqlite3 handle so no call can block the extension host. The file
// is opened read-only (readonly + fileMustExist + query_only), so its bytes never change.
import Sqlite from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { tokenize } from '../../core/sql/lexer';
import { ConnectionError, StatementError } from '../errors';
import { serveRequests } from '../workerHost';
import { introspectSqlite } from './catalog';

interface SqliteWorkerData {
  file: string;
  busyTimeoutMs: number;
}

const data = workerData as SqliteWorkerData;
let db: Sqlite.Database | undefined;

function connectionError(err: unknown): ConnectionError {
  return new ConnectionError({ driver: 'sqlite', file: data.file }, err instanceof Error ? err.message : String(err));
}

function open(): Sqlite.Database {
  if (db) return db;
  try {
    const handle = new Sqlite(data.file, { readonly: true, fileMustExist: true, timeout: data.busyTimeoutMs });
    handle.pragma('query_only = ON');
    // Reading the schema proves the file is a database (a random file fails here, not later).
    handle.prepare('SELECT count(*) FROM sqlite_schema').get();
    db = handle;
    return handle;
  } catch (err) {
    throw connectionError(err);
  }
}

function statementError(err: unknown): Error {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_CORRUPT') return connectionError(err);
    return new StatementError(err.message, typeof code === 'string' ? code : undefined);
  }
  return new StatementError(String(err));
}

/**
 * NULL for every bind parameter: EXPLAIN QUERY PLAN does not depend on the values, but better-sqlite3
 * refuses to run a statement with unbound parameters.
 */
function nullParameters(sql: string): unknown[] {
  let positional = 0;
  const named: Record<string, null> = {};
  for (const t of tokenize(sql, 'sqlite')) {
    if (t.kind !== 'param') continue;
    const p = sql.slice(t.start, t.end);
    if (p.startsWith('?')) positional++;
    else named[p.slice(1)] = null;
  }
  const args: unknown[] = new Array<null>(positional).fill(null);
  if (Object.keys(named).length) args.push(named);
  return args;
}

serveRequests({
  open: () => {
    const handle = open();
    const row = handle.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    return { version: row.v };
  },
  explain: (args) => {
    const { sql } = args as { sql: string };
    const handle = open();
    try {
      // prepare() compiles exactly one statement and throws on a second one: a guarantee on top of the lexer.
      return handle.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nullParameters(sql));
    } catch (err) {
      throw statementError(err);
    }
  },
  introspect: () => {
    try {
      return introspectSqlite(open());
    } catch (err) {
      throw err instanceof ConnectionError ? err : statementError(err);
    }
  },
  close: () => {
    db?.close();
    db = undefined;
    return null;
  },
});
