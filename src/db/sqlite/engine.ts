// The SQLite engines the worker can run on, behind one small interface. The extension host decides which SQLite
// library can load, not us: desktop VS Code runs extensions in Electron, whose Node ABI differs from the Node the
// shipped better-sqlite3 addon was compiled for, and code-server runs them on whatever Node it was installed with.
// So the worker tries the engines in order (selectEngine.ts) and every engine gives the same guarantees:
//   - the file is opened read-only and its bytes never change;
//   - a statement is compiled on its own: SQL with a second statement is refused, never partly run;
//   - unbound parameters read as NULL (EXPLAIN QUERY PLAN does not depend on their values).
// ARCHITECTURE.md ("SQLite engines") has the choice and the evidence for each host.
import type { SqliteProofEngine } from './proof';

/** A value as an engine returns it: SQLite's storage classes (BLOBs as Buffer or Uint8Array, by engine). */
export type SqliteValue = string | number | bigint | Uint8Array | null;
/** One result row; a column the query does not select reads as undefined. */
export type SqliteRow = Partial<Record<string, SqliteValue>>;

export type SqliteEngineName = 'better-sqlite3' | 'node:sqlite' | 'sql.js';

/** The order the worker tries them in: the native addon where it loads, then Node's built-in, then WebAssembly. */
export const engineOrder: readonly SqliteEngineName[] = ['better-sqlite3', 'node:sqlite', 'sql.js'];

/**
 * What an engine can do beyond the common guarantees, for the features that build on this interface (a writable
 * in-memory copy of the database for "what-if" index tests is the first one planned).
 */
export interface SqliteEngineCapabilities {
  /**
   * How to get a writable copy of the database in memory, leaving the file alone:
   * - `serialize`: the open handle serializes the database (better-sqlite3 `db.serialize()`, node:sqlite
   *   `database.serialize()`, present in Node 24.22 but not 22.23, so feature-detected) and a new in-memory
   *   handle is made from the bytes (`new Database(buffer)` / `database.deserialize()`);
   * - `vacuum-into`: `VACUUM INTO` a temporary file, which SQLite allows on a read-only handle, then open that
   *   file read-write and delete it when done (node:sqlite without `serialize`, verified on 22.23);
   * - `bytes`: the engine already holds the file's bytes in memory; a second `new SQL.Database(bytes)` is the copy.
   */
  memoryCopy: 'serialize' | 'vacuum-into' | 'bytes';
  /**
   * True when the engine reads the whole file into memory (sql.js). Such an engine refuses files over
   * `maxFileBytes`, and does not see changes still in a write-ahead log (`-wal`): it says so in a warning.
   */
  readsWholeFile: boolean;
  /** True when the engine takes SQLite's file locks and so waits (busy timeout) for a writer to finish. */
  usesFileLocks: boolean;
}

export interface SqliteOpenOptions {
  file: string;
  /** How long to wait for a lock held by another process before giving up. */
  busyTimeoutMs: number;
  /** Largest file an engine that reads the whole file will open (`readsWholeFile`). */
  maxFileBytes: number;
  /** Where the worker bundle is: sql.js finds its .wasm file next to it. */
  bundleDir: string;
}

/** One open, read-only handle on a database file. Calls are synchronous: the worker thread is the concurrency boundary. */
export interface SqliteConnection {
  readonly engine: SqliteEngineName;
  /** The SQLite library version, e.g. "3.54.1". */
  readonly sqliteVersion: string;
  /**
   * Compiles and runs exactly one statement and returns its rows. SQL holding a second statement is refused
   * (`MultipleStatementsError`) before anything runs.
   */
  all(sql: string): SqliteRow[];
  /** Facts the user should know about what this engine sees (e.g. a write-ahead log it cannot read). */
  warnings(): string[];
  /**
   * The connection as the proofs use it (src/db/sqlite/proof.ts): rows as arrays, column names, and a writable copy
   * of the database in memory made by this engine's `capabilities.memoryCopy` (or why it cannot). The file is only read.
   */
  proof(): SqliteProofEngine;
  close(): void;
}

export interface SqliteEngine {
  readonly name: SqliteEngineName;
  readonly capabilities: SqliteEngineCapabilities;
  /**
   * Loads the library and proves it works on this host (an in-memory database, no file touched). Throws
   * `EngineUnavailableError` with the host's reason (ABI mismatch, module missing, WASM failure).
   */
  probe(options: SqliteOpenOptions): Promise<void>;
  open(options: SqliteOpenOptions): Promise<SqliteConnection>;
}

/** The engine cannot run on this host at all; the next one in `engineOrder` is tried. */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
  constructor(
    readonly engine: SqliteEngineName,
    readonly reason: string,
  ) {
    super(`${engine}: ${reason}`);
  }
}

/** SQL with more than one statement reached an engine (the lexer refuses it first; this is the second guard). */
export class MultipleStatementsError extends Error {
  override readonly name = 'MultipleStatementsError';
  constructor() {
    super('The SQL holds more than one statement; only one is compiled at a time.');
  }
}

/** The database file is locked by a writer for longer than the busy timeout. */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
}

/** The file cannot be opened by this engine for a reason the user can act on (too large for an in-memory engine). */
export class FileRefusedError extends Error {
  override readonly name = 'FileRefusedError';
}

/** The runtime the extension (or CLI) runs in, as a user would name it. */
export interface HostRuntime {
  node: string;
  electron?: string;
  abi: string;
  platform: string;
  arch: string;
}

export function currentRuntime(): HostRuntime {
  const versions = process.versions as NodeJS.ProcessVersions & { electron?: string };
  return {
    node: versions.node,
    ...(versions.electron ? { electron: versions.electron } : {}),
    abi: versions.modules,
    platform: process.platform,
    arch: process.arch,
  };
}

export function describeRuntime(host: HostRuntime): string {
  const runtime = host.electron ? `Electron ${host.electron} (Node ${host.node})` : `Node ${host.node}`;
  return `${runtime}, module ABI ${host.abi}, ${host.platform}-${host.arch}`;
}

/**
 * The message for a host where no engine can open the file: what was tried, why each failed, and what to do.
 * `fileRefusal` is set when an engine could run but refused this file (too large for the in-memory engine).
 */
export function noEngineMessage(host: HostRuntime, failures: readonly EngineUnavailableError[], fileRefusal?: string): string {
  const runtime = describeRuntime(host);
  const head = fileRefusal ? `${fileRefusal} Host: ${runtime}.` : `No SQLite engine runs in this host (${runtime}).`;
  const tried = failures.length ? ` Not available here: ${failures.map((f) => `${f.engine} (${f.reason})`).join('; ')}.` : '';
  const advice = [
    'To read it, use VS Code 1.101 or later (its extension host runs Node 22, whose built-in node:sqlite reads files of any',
    'size in place), or run the same explain in a terminal with the dataeng CLI on Node 20, or on Node 22.13 or later.',
  ].join(' ');
  return `${head}${tried} ${advice}`;
}

/** A size as people read it: "812 KB", "37 MB". */
export function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${Math.round(bytes / 1024 / 1024)} MB`;
}
