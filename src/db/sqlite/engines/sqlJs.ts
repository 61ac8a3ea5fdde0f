// sql.js: SQLite compiled to WebAssembly, bundled into the worker, so it runs on any host, including desktop VS Code
// before 1.101 (Electron 34, Node 20: the shipped addon cannot load and Node 20 has no node:sqlite). Its price: it
// works on a copy of the whole file in memory, so files are capped, a write-ahead log is not seen, and SQLite's file
// locks are not taken (a rollback journal left by a writer is waited for instead, up to the busy timeout).
import { existsSync, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import initSqlJs from 'sql.js';
import {
  DatabaseBusyError,
  EngineUnavailableError,
  FileRefusedError,
  formatBytes,
  type SqliteConnection,
  type SqliteEngine,
  type SqliteOpenOptions,
  type SqliteRow,
} from '../engine';
import type { MemoryCopy, ProofHandle, SqliteProofEngine } from '../proof';
import { assertOneStatement } from '../singleStatement';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
type SqlJsDatabase = InstanceType<SqlJs['Database']>;

export const sqlJsWasmFile = 'sql-wasm.wasm';

let module: Promise<SqlJs> | undefined;

/** The .wasm file: next to the worker bundle (dist/, where the build copies it), else in node_modules (tests from source). */
function wasmPath(bundleDir: string): string {
  const beside = join(bundleDir, sqlJsWasmFile);
  if (existsSync(beside)) return beside;
  return createRequire(__filename).resolve(`sql.js/dist/${sqlJsWasmFile}`);
}

function load(bundleDir: string): Promise<SqlJs> {
  module ??= (async () => {
    try {
      const wasm = wasmPath(bundleDir);
      return await initSqlJs({ locateFile: () => wasm });
    } catch (err) {
      module = undefined;
      throw new EngineUnavailableError('sql.js', `WebAssembly SQLite did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  })();
  return module;
}

/** What identifies one version of the file (and its write-ahead log): when it changes, the copy is read again. */
interface Stamp {
  size: number;
  mtimeMs: number;
  ino: number;
  walSize: number;
}

function stampOf(file: string): Stamp {
  const st = statSync(file);
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, walSize: sizeOrZero(`${file}-wal`) };
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.walSize === b.walSize;
}

function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** SQLite's rollback-journal header: a journal that starts with it belongs to a write in progress (or a crashed one). */
const journalMagic = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

function hotJournal(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(`${file}-journal`, 'r');
    const head = Buffer.alloc(journalMagic.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(journalMagic);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sleep(ms: number): void {
  // A worker thread may block: nothing else runs on it while it waits for the writer.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads a consistent copy of the file: never while a writer's rollback journal is present (waiting up to the busy
 * timeout, as SQLite would), and again if the file changed while it was being read.
 */
function readSnapshot(options: SqliteOpenOptions): { bytes: Uint8Array; stamp: Stamp } {
  const deadline = Date.now() + options.busyTimeoutMs;
  for (;;) {
    const before = stampOf(options.file);
    if (before.size > options.maxFileBytes) {
      throw new FileRefusedError(
        `${basename(options.file)} is ${formatBytes(before.size)}, more than the ${formatBytes(options.maxFileBytes)} that SQLite as WebAssembly (sql.js, the engine this host can run) reads into memory.`,
      );
    }
    if (!hotJournal(options.file)) {
      const bytes = readFileSync(options.file);
      const after = stampOf(options.file);
      if (sameStamp(before, after) && bytes.length === after.size && !hotJournal(options.file)) return { bytes, stamp: after };
    }
    if (Date.now() >= deadline) {
      throw new DatabaseBusyError(`database is locked: another connection is writing to ${basename(options.file)} (its rollback journal is present)`);
    }
    sleep(Math.min(25, Math.max(1, deadline - Date.now())));
  }
}

/** A sql.js database as the proofs use it: one statement at a time, rows as arrays, unbound parameters as NULL. */
function proofHandle(db: SqlJsDatabase): ProofHandle {
  const each = (sql: string, onRow: (row: unknown[]) => void): void => {
    const statement = db.prepare(sql);
    try {
      assertOneStatement(sql, statement.getSQL());
      while (statement.step()) onRow(statement.get());
    } finally {
      statement.free();
    }
  };
  return {
    columns: (sql) => {
      const statement = db.prepare(sql);
      try {
        assertOneStatement(sql, statement.getSQL());
        return statement.getColumnNames();
      } finally {
        statement.free();
      }
    },
    rows: (sql) => {
      const rows: unknown[][] = [];
      each(sql, (row) => rows.push(row));
      return rows;
    },
    drain: (sql) => {
      let n = 0;
      each(sql, () => n++);
      return n;
    },
    run: (sql) => each(sql, () => undefined),
    close: () => db.close(),
  };
}

export const sqlJsEngine: SqliteEngine = {
  name: 'sql.js',
  capabilities: { memoryCopy: 'bytes', readsWholeFile: true, usesFileLocks: false },

  async probe(options: SqliteOpenOptions) {
    const SQL = await load(options.bundleDir);
    new SQL.Database().close();
  },

  async open(options: SqliteOpenOptions): Promise<SqliteConnection> {
    const SQL = await load(options.bundleDir);
    let stamp: Stamp | undefined;
    let db: SqlJsDatabase | undefined;
    const current = (): SqlJsDatabase => {
      // The copy follows the file: a schema changed in another tool shows at the next explain, as with the others.
      if (db && stamp && sameStamp(stamp, stampOf(options.file))) return db;
      const snapshot = readSnapshot(options);
      const next = new SQL.Database(snapshot.bytes);
      // The copy lives in memory and is never written back; query_only makes it refuse writes like the other engines.
      next.exec('PRAGMA query_only = ON');
      db?.close();
      db = next;
      stamp = snapshot.stamp;
      return next;
    };
    const first = current();
    const sqliteVersion = String(first.exec('SELECT sqlite_version()')[0]?.values[0]?.[0] ?? '');
    return {
      engine: 'sql.js',
      sqliteVersion,
      all(sql: string): SqliteRow[] {
        const statement = current().prepare(sql);
        try {
          // prepare() compiles the first statement and ignores the rest: refuse instead.
          assertOneStatement(sql, statement.getSQL());
          const rows: SqliteRow[] = [];
          // Unbound parameters read as NULL.
          while (statement.step()) rows.push(statement.getAsObject());
          return rows;
        } finally {
          statement.free();
        }
      },
      warnings(): string[] {
        if (!stamp || stamp.walSize <= 32) return [];
        return [
          `${basename(options.file)} has a write-ahead log (${basename(options.file)}-wal) that the in-memory SQLite used on this host (sql.js) cannot read: changes not yet checkpointed into the file are not visible here.`,
        ];
      },
      proof(): SqliteProofEngine {
        const open = current();
        return {
          handle: proofHandle(open),
          sizeBytes: () => Number(open.exec('PRAGMA page_count')[0]?.values[0]?.[0] ?? 0) * Number(open.exec('PRAGMA page_size')[0]?.values[0]?.[0] ?? 0),
          // The engine already holds the file's bytes: a second database from them is the writable copy.
          copyToMemory: (): MemoryCopy => {
            try {
              return { copy: proofHandle(new SQL.Database(open.export())) };
            } catch (err) {
              return { unavailable: err instanceof Error ? err.message : String(err) };
            }
          },
        };
      },
      close(): void {
        db?.close();
        db = undefined;
      },
    };
  },
};
