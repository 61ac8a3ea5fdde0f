// better-sqlite3: the native addon shipped in the .vsix. It loads only where the host's Node ABI is the one it was
// compiled for (Node 20 here: the CLI, code-server 4.100), and it is the fastest and most complete engine there.
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { tokenize } from '../../../core/sql/lexer';
import { EngineUnavailableError, MultipleStatementsError, type SqliteConnection, type SqliteEngine, type SqliteOpenOptions, type SqliteRow } from '../engine';
import type { MemoryCopy, ProofHandle, SqliteProofEngine } from '../proof';

type Constructor = typeof BetterSqlite3;

let loaded: Constructor | undefined;

/**
 * Requires the package and constructs an in-memory database, which is when better-sqlite3 loads its addon: an ABI
 * mismatch (ERR_DLOPEN_FAILED, "compiled against a different Node.js version") or a missing build shows here.
 */
function load(): Constructor {
  if (loaded) return loaded;
  let Database: Constructor;
  try {
    // Resolved at run time from the bundle's folder (dist/ → ../node_modules), as the .vsix lays it out.
    Database = createRequire(__filename)('better-sqlite3') as Constructor;
    new Database(':memory:').close();
  } catch (err) {
    throw new EngineUnavailableError('better-sqlite3', addonFailure(err));
  }
  loaded = Database;
  return Database;
}

function addonFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const compiled = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(message);
  if (compiled) return `its addon is compiled for module ABI ${compiled[1]}, this host needs ABI ${compiled[2]}`;
  return `its addon does not load: ${message.split('\n')[0]!.slice(0, 300)}`;
}

/**
 * NULL for every bind parameter: EXPLAIN QUERY PLAN does not depend on the values, but better-sqlite3 refuses to
 * run a statement with unbound parameters.
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

/** A better-sqlite3 handle as the proofs use it; unbound parameters read as NULL, as for EXPLAIN QUERY PLAN. */
function proofHandle(db: BetterSqlite3.Database): ProofHandle {
  return {
    columns: (sql) => db.prepare(sql).columns().map((c) => c.name),
    rows: (sql) => db.prepare(sql).raw(true).all(...nullParameters(sql)) as unknown[][],
    drain: (sql) => {
      let n = 0;
      for (const _row of db.prepare(sql).raw(true).iterate(...nullParameters(sql))) n++;
      return n;
    },
    run: (sql) => void db.prepare(sql).run(),
    close: () => db.close(),
  };
}

/** `serialize()` reads the database (through a write-ahead log too) from the read-only handle; the bytes open writable. */
function copyToMemory(Database: Constructor, db: BetterSqlite3.Database): MemoryCopy {
  try {
    return { copy: proofHandle(new Database(db.serialize())) };
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}

export const betterSqlite3Engine: SqliteEngine = {
  name: 'better-sqlite3',
  capabilities: { memoryCopy: 'serialize', readsWholeFile: false, usesFileLocks: true },

  probe() {
    load();
    return Promise.resolve();
  },

  open(options: SqliteOpenOptions): Promise<SqliteConnection> {
    const Database = load();
    // readonly + fileMustExist: nothing is ever created or written; query_only refuses writes even through pragmas.
    const db = new Database(options.file, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs });
    try {
      db.pragma('query_only = ON');
      const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      return Promise.resolve({
        engine: 'better-sqlite3',
        sqliteVersion,
        all(sql: string): SqliteRow[] {
          let statement: BetterSqlite3.Statement;
          try {
            // prepare() compiles exactly one statement and throws on a second one.
            statement = db.prepare(sql);
          } catch (err) {
            if (err instanceof RangeError && /more than one statement/.test(err.message)) throw new MultipleStatementsError();
            throw err;
          }
          return statement.all(...nullParameters(sql)) as SqliteRow[];
        },
        warnings: () => [],
        proof: (): SqliteProofEngine => ({
          handle: proofHandle(db),
          sizeBytes: () => Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true })),
          copyToMemory: () => copyToMemory(Database, db),
        }),
        close: () => db.close(),
      });
    } catch (err) {
      db.close();
      throw err;
    }
  },
};
