// The second guard against a second statement, for engines whose prepare() compiles the first statement and silently
// ignores the rest (node:sqlite and sql.js both do; better-sqlite3 throws by itself). The lexer refuses such SQL
// before it reaches a worker; this makes the engine refuse it too, as the PostgreSQL server and better-sqlite3 do.
import { tokenize } from '../../core/sql/lexer';
import { MultipleStatementsError } from './engine';

const harmless = new Set(['whitespace', 'lineComment', 'blockComment', 'semicolon']);

/**
 * `compiled` is the text SQLite compiled (sqlite3_sql: the input up to the end of its first statement). Throws when
 * anything but whitespace, comments and semicolons follows it in `sql`.
 */
export function assertOneStatement(sql: string, compiled: string): void {
  if (!sql.startsWith(compiled)) {
    // Never expected; if SQLite ever reports a different text, only an exact match is accepted.
    if (sql.trim() !== compiled.trim()) throw new MultipleStatementsError();
    return;
  }
  const tail = sql.slice(compiled.length);
  if (tokenize(tail, 'sqlite').some((t) => !harmless.has(t.kind))) throw new MultipleStatementsError();
}
