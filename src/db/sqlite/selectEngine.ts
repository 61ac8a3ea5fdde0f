// Picks the first SQLite engine that runs on this host, in `engineOrder` (or the order the caller asks for), and
// opens the file with it. An engine that cannot load is skipped with its reason; a file the chosen engine cannot open
// is the file's problem and is reported as such, except a file too large for the in-memory engine, which gets the
// host's versions and what to do.
import { betterSqlite3Engine } from './engines/betterSqlite3';
import { nodeSqliteEngine } from './engines/nodeSqlite';
import { sqlJsEngine } from './engines/sqlJs';
import {
  currentRuntime,
  EngineUnavailableError,
  engineOrder,
  FileRefusedError,
  noEngineMessage,
  type SqliteConnection,
  type SqliteEngine,
  type SqliteEngineName,
  type SqliteOpenOptions,
} from './engine';

const engines: Record<SqliteEngineName, SqliteEngine> = {
  'better-sqlite3': betterSqlite3Engine,
  'node:sqlite': nodeSqliteEngine,
  'sql.js': sqlJsEngine,
};

/** The host cannot open this file with any engine; the message names the host's versions and what to do. */
export class NoEngineError extends Error {
  override readonly name = 'NoEngineError';
}

export interface OpenedConnection {
  connection: SqliteConnection;
  /** Engines tried before it and why they could not run here. */
  skipped: EngineUnavailableError[];
}

// Whether an engine loads does not change during a thread's life: each is probed once per worker.
const unavailable = new Map<SqliteEngineName, EngineUnavailableError>();

export async function openWithFirstEngine(options: SqliteOpenOptions, order: readonly SqliteEngineName[] = engineOrder): Promise<OpenedConnection> {
  const skipped: EngineUnavailableError[] = [];
  for (const name of order) {
    const known = unavailable.get(name);
    if (known) {
      skipped.push(known);
      continue;
    }
    const engine = engines[name];
    try {
      await engine.probe(options);
    } catch (err) {
      const failure = err instanceof EngineUnavailableError ? err : new EngineUnavailableError(name, err instanceof Error ? err.message : String(err));
      unavailable.set(name, failure);
      skipped.push(failure);
      continue;
    }
    try {
      return { connection: await engine.open(options), skipped };
    } catch (err) {
      if (err instanceof FileRefusedError) throw new NoEngineError(noEngineMessage(currentRuntime(), skipped, err.message));
      throw err;
    }
  }
  throw new NoEngineError(noEngineMessage(currentRuntime(), skipped));
}

export function isEngineName(value: string): value is SqliteEngineName {
  return value in engines;
}
