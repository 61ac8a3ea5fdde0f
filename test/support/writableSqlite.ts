// Test fixtures need a writable SQLite handle to build database files, under every Node the suites run on: the
// native better-sqlite3 where its addon loads (Node 20), Node's built-in node:sqlite where it does not (Node 22+).
import { createRequire } from 'node:module';

export interface WritableSqlite {
  readonly library: 'better-sqlite3' | 'node:sqlite';
  exec(sql: string): void;
  all(sql: string): Partial<Record<string, string | number | bigint | Uint8Array | null>>[];
  close(): void;
}

type Row = Partial<Record<string, string | number | bigint | Uint8Array | null>>;
interface NativeDatabase {
  exec(sql: string): void;
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
interface NodeSqlite {
  DatabaseSync: new (path: string) => NativeDatabase;
}

/** Whether better-sqlite3's addon loads in this Node (it is compiled for Node 20's module ABI). */
export function betterSqlite3Loads(): boolean {
  try {
    const Database = createRequire(__filename)('better-sqlite3') as new (path: string) => NativeDatabase;
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}

/** Whether this Node has node:sqlite without a flag (22.13+, 23.4+). */
export function nodeSqliteLoads(): boolean {
  try {
    return typeof (process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined)?.DatabaseSync === 'function';
  } catch {
    return false;
  }
}

/** Opens (creating it when missing) a database file for writing fixtures. */
export function openWritableSqlite(file: string): WritableSqlite {
  let db: NativeDatabase;
  let library: WritableSqlite['library'];
  if (betterSqlite3Loads()) {
    const Database = createRequire(__filename)('better-sqlite3') as new (path: string) => NativeDatabase;
    db = new Database(file);
    library = 'better-sqlite3';
  } else {
    const mod = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
    if (!mod) throw new Error(`neither better-sqlite3 nor node:sqlite loads in Node ${process.versions.node}`);
    db = new mod.DatabaseSync(file);
    library = 'node:sqlite';
  }
  return {
    library,
    exec: (sql) => db.exec(sql),
    all: (sql) => db.prepare(sql).all() as Row[],
    close: () => db.close(),
  };
}
