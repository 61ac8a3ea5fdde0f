// node:sqlite: SQLite built into Node itself, so nothing native ships with the extension. Unflagged from Node 22.13
// and 23.4 (behind --experimental-sqlite in 22.5–22.12, which an extension host cannot pass); present in the Electron
// builds VS Code 1.101+ runs extensions in. Evidence and versions: ARCHITECTURE.md, "SQLite engines".
import { EngineUnavailableError, type SqliteConnection, type SqliteEngine, type SqliteOpenOptions, type SqliteRow } from '../engine';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryCopy, ProofHandle, SqliteProofEngine } from '../proof';
import { assertOneStatement } from '../singleStatement';

/** The part of node:sqlite used here (@types/node 20 has no declarations for it). */
interface StatementSync {
  all(...anonymous: unknown[]): SqliteRow[];
  readonly sourceSQL: string;
  /** Node 22.16+ / 23.11+. */
  columns?: () => { name: string }[];
  /** Node 22.16+ / 24: rows as arrays, in column order (object rows lose duplicate column names). */
  setReturnArrays?: (enabled: boolean) => void;
  iterate?: (...anonymous: unknown[]) => Iterable<unknown>;
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  /** Present from Node 24.x (nodejs/node#62579), not in 22.23. */
  serialize?: () => Uint8Array;
  deserialize?: (bytes: Uint8Array) => void;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: { prototype: DatabaseSync } & (new (
    path: string,
    options?: { readOnly?: boolean; enableForeignKeyConstraints?: boolean },
  ) => DatabaseSync);
}

let loaded: NodeSqliteModule | undefined;

function load(): NodeSqliteModule {
  if (loaded) return loaded;
  const versions = `Node ${process.versions.node}`;
  if (typeof process.getBuiltinModule !== 'function') throw new EngineUnavailableError('node:sqlite', `${versions} cannot look up built-in modules`);
  let mod: NodeSqliteModule | undefined;
  // Loading the module prints "ExperimentalWarning: SQLite is an experimental feature" on stderr, which the CLI would
  // show under its JSON on every run. Only that one warning is held back, and only while the module loads.
  const original: unknown = Reflect.get(process, 'emitWarning');
  const forward = process.emitWarning.bind(process) as (warning: string | Error, ...rest: unknown[]) => void;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    if (/^SQLite is an experimental feature/.test(typeof warning === 'string' ? warning : warning.message)) return;
    forward(warning, ...rest);
  };
  Reflect.set(process, 'emitWarning', filtered);
  try {
    mod = process.getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined;
  } catch (err) {
    // Electron 37.2.0 shipped the module without its native binding ("No such binding: sqlite", electron#47671).
    throw new EngineUnavailableError('node:sqlite', `${versions}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    Reflect.set(process, 'emitWarning', original);
  }
  if (!mod?.DatabaseSync) {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const flagged = (major === 22 && minor >= 5) || (major === 23 && minor < 4);
    throw new EngineUnavailableError(
      'node:sqlite',
      flagged ? `${versions} has it only behind --experimental-sqlite (unflagged from 22.13 and 23.4)` : `${versions} does not have it (it needs Node 22.13 or later)`,
    );
  }
  try {
    new mod.DatabaseSync(':memory:').close();
  } catch (err) {
    throw new EngineUnavailableError('node:sqlite', `${versions}: ${err instanceof Error ? err.message : String(err)}`);
  }
  loaded = mod;
  return mod;
}

/** A node:sqlite database as the proofs use it; `onClose` runs after it is closed (a temporary copy's clean-up). */
function proofHandle(db: DatabaseSync, onClose: () => void = () => undefined): ProofHandle {
  const prepare = (sql: string): StatementSync => {
    const statement = db.prepare(sql);
    assertOneStatement(sql, statement.sourceSQL);
    return statement;
  };
  const arrays = (statement: StatementSync): unknown[][] => {
    if (statement.setReturnArrays) {
      statement.setReturnArrays(true);
      return statement.all() as unknown as unknown[][];
    }
    return statement.all().map((row) => Object.values(row));
  };
  return {
    columns: (sql) => {
      const statement = prepare(sql);
      if (statement.columns) return statement.columns().map((c) => c.name);
      // Older Node: the names of a first row (none when the statement returns no rows).
      const first = prepare(`SELECT * FROM (${sql}) LIMIT 1`).all()[0];
      return first ? Object.keys(first) : [];
    },
    rows: (sql) => arrays(prepare(sql)),
    drain: (sql) => {
      const statement = prepare(sql);
      if (!statement.iterate) return statement.all().length;
      let n = 0;
      for (const _row of statement.iterate()) n++;
      return n;
    },
    run: (sql) => void prepare(sql).all(),
    close: () => {
      db.close();
      onClose();
    },
  };
}

/**
 * A writable copy in memory: `serialize()`/`deserialize()` where this Node has them, else `VACUUM INTO` a temporary
 * file (SQLite allows it on a read-only handle), opened read-write and deleted when the proof closes it.
 */
function copyToMemory(mod: NodeSqliteModule, db: DatabaseSync): MemoryCopy {
  try {
    if (typeof db.serialize === 'function') {
      const copy = new mod.DatabaseSync(':memory:');
      if (typeof copy.deserialize === 'function') {
        copy.deserialize(db.serialize());
        return { copy: proofHandle(copy) };
      }
      copy.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'dataeng-sqlite-copy-'));
    const file = join(dir, 'copy.db');
    // query_only refuses VACUUM INTO as a write, though it writes only the new file: it is lifted for this one
    // statement. The handle itself stays SQLITE_OPEN_READONLY, so the user's file still cannot change.
    db.exec('PRAGMA query_only = OFF');
    try {
      db.exec(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
    } finally {
      db.exec('PRAGMA query_only = ON');
    }
    return { copy: proofHandle(new mod.DatabaseSync(file), () => rmSync(dir, { recursive: true, force: true })) };
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}

export const nodeSqliteEngine: SqliteEngine = {
  name: 'node:sqlite',
  // Known once the module is loaded (probe): serialize() where this Node has it, else VACUUM INTO a temporary file.
  get capabilities() {
    const serializes = typeof loaded?.DatabaseSync.prototype.serialize === 'function';
    return { memoryCopy: serializes ? 'serialize' : 'vacuum-into', readsWholeFile: false, usesFileLocks: true } as const;
  },

  probe() {
    load();
    return Promise.resolve();
  },

  open(options: SqliteOpenOptions): Promise<SqliteConnection> {
    const mod = load();
    const { DatabaseSync } = mod;
    // readOnly (Node 22.12+, so every unflagged release) opens with SQLITE_OPEN_READONLY, which never creates a
    // missing file. Foreign-key enforcement means nothing on a read-only handle; it is off, as in the other engines.
    const db = new DatabaseSync(options.file, { readOnly: true, enableForeignKeyConstraints: false });
    try {
      db.exec('PRAGMA query_only = ON');
      // The constructor's `timeout` option is newer (Node 22.16) than the unflagged module; the pragma works everywhere.
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
      const sqliteVersion = String(db.prepare('SELECT sqlite_version() AS v').all()[0]?.v ?? '');
      return Promise.resolve({
        engine: 'node:sqlite',
        sqliteVersion,
        all(sql: string): SqliteRow[] {
          const statement = db.prepare(sql);
          // prepare() compiles the first statement and ignores the rest: refuse instead.
          assertOneStatement(sql, statement.sourceSQL);
          // Unbound parameters read as NULL; node:sqlite does not insist on values.
          return statement.all();
        },
        warnings: () => [],
        proof: (): SqliteProofEngine => ({
          handle: proofHandle(db),
          sizeBytes: () => Number(db.prepare('PRAGMA page_count').all()[0]?.page_count ?? 0) * Number(db.prepare('PRAGMA page_size').all()[0]?.page_size ?? 0),
          copyToMemory: () => copyToMemory(mod, db),
        }),
        close: () => db.close(),
      });
    } catch (err) {
      db.close();
      throw err;
    }
  },
};
