// The SQL dialects we read, and the one place that decides which dialect a piece of SQL is written in. The editor,
// the code actions, the chat participant, the sidebar and every CLI command ask `inferDialect`; none guesses alone.
export type Dialect = 'postgres' | 'sqlite' | 'mysql' | 'duckdb';

export const dialects: readonly Dialect[] = ['postgres', 'sqlite', 'mysql', 'duckdb'];

export function isDialect(value: unknown): value is Dialect {
  return typeof value === 'string' && (dialects as readonly string[]).includes(value);
}

export interface DialectClues {
  /** Said outright (`--dialect`, a hint from the caller): always wins. */
  explicit?: Dialect;
  /** The driver of the connection the SQL will run on (`postgres`, `demo`, `sqlite`…): the server decides the grammar. */
  driver?: string;
  /** The file the SQL comes from: `.sqlite`, `.sqlite3`, `.db3` and `.db` are SQLite; `.pgsql` and `.psql` PostgreSQL. */
  fileName?: string;
}

const sqliteExtensions = ['.sqlite', '.sqlite3', '.db3', '.db'];
const postgresExtensions = ['.pgsql', '.psql'];
const duckdbExtensions = ['.duckdb'];

/** The dialect of a driver kind; undefined for a driver we do not know. */
export function dialectOfDriver(driver: string): Dialect | undefined {
  if (driver === 'sqlite') return 'sqlite';
  if (driver === 'duckdb') return 'duckdb';
  if (driver === 'mysql') return 'mysql';
  if (driver === 'postgres' || driver === 'demo') return 'postgres';
  return undefined;
}

/** The dialect a file name suggests, or undefined when the name says nothing (`.sql`, `.txt`). */
export function dialectOfFileName(fileName: string): Dialect | undefined {
  const lower = fileName.toLowerCase();
  if (sqliteExtensions.some((ext) => lower.endsWith(ext))) return 'sqlite';
  if (postgresExtensions.some((ext) => lower.endsWith(ext))) return 'postgres';
  if (duckdbExtensions.some((ext) => lower.endsWith(ext))) return 'duckdb';
  return undefined;
}

/**
 * Which dialect to read SQL in: what the caller says, else the connection it will run on, else the file's
 * extension, else PostgreSQL.
 */
export function inferDialect(clues: DialectClues): Dialect {
  return (
    clues.explicit ??
    (clues.driver !== undefined ? dialectOfDriver(clues.driver) : undefined) ??
    (clues.fileName !== undefined ? dialectOfFileName(clues.fileName) : undefined) ??
    'postgres'
  );
}
