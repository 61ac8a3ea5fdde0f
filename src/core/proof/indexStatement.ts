// The CREATE INDEX statements a what-if tests are user text too, so they pass their own gate before anything runs:
// exactly one statement, and that statement a CREATE INDEX (no other kind, no second statement hidden after a `;`).
// CONCURRENTLY cannot run inside the transaction the test lives in, so it is removed for the test and a note says so;
// the statement the user applies later keeps it. Pure: the lexer's tokens only.
import type { Dialect } from '../sql/dialect';
import { closingParen, identName, significantTokens, splitAtCommas, textOf, wordAt, type Tok } from './tokens';

export interface IndexKey {
  /** The column, when the key is a plain column (`customer_id`, `"Order Id"` → `Order Id`); null for an expression. */
  column: string | null;
  /** The key as written, with its opclass, collation and order. */
  text: string;
}

export interface IndexStatement {
  /** The statement as written (trimmed, without a trailing `;`): what the user applies. */
  written: string;
  /** The statement as the test runs it: `written` without CONCURRENTLY. */
  text: string;
  /** CONCURRENTLY was written and removed for the test. */
  concurrently: boolean;
  unique: boolean;
  /** The index name (unquoted), or null when PostgreSQL is to choose it. */
  name: string | null;
  table: {
    /** Unquoted schema, when the table is qualified. */
    schema: string | null;
    /** Unquoted table name. */
    name: string;
    /** The table as written (quotes kept), which the server resolves as it would the statement. */
    sql: string;
  };
  /** Access method, lower case (`btree` when not written). */
  method: string;
  keys: IndexKey[];
  /** INCLUDE columns (unquoted), PostgreSQL only. */
  include: string[];
  /** The WHERE predicate of a partial index, as written. */
  predicate: string | null;
}

export type IndexStatementParse = { ok: true; index: IndexStatement } | { ok: false; reason: string };

const refuse = (reason: string): IndexStatementParse => ({ ok: false, reason });

/** Splits the tokens into statements at `;`; empty statements (a trailing `;`) do not count. */
function statements(toks: readonly Tok[]): Tok[][] {
  const out: Tok[][] = [[]];
  for (const t of toks) {
    if (t.kind === 'semicolon') out.push([]);
    else out.at(-1)!.push(t);
  }
  return out.filter((s) => s.length > 0);
}

function isIdent(t: Tok | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quotedIdent');
}

/**
 * Reads one CREATE INDEX statement. Refuses (with the reason in one sentence) anything that is not exactly one
 * CREATE INDEX statement of the dialect's grammar, so no other statement kind can ride along into a what-if.
 */
export function parseIndexStatement(sql: string, dialect: Dialect): IndexStatementParse {
  const { toks: all, unterminated } = significantTokens(sql, dialect);
  if (unterminated) return refuse('the CREATE INDEX statement has an unterminated string, identifier or comment');
  const stmts = statements(all);
  if (stmts.length === 0) return refuse('there is no CREATE INDEX statement');
  if (stmts.length > 1) return refuse(`the index text holds ${stmts.length} statements; give exactly one CREATE INDEX statement per index`);
  const toks = stmts[0]!;
  const written = textOf(sql, toks);
  let i = 0;
  const w = (k: number): string | null => wordAt(toks, k);
  if (w(i) !== 'create') return refuse(`only CREATE INDEX statements can be tested, not "${written.slice(0, 40)}"`);
  i++;
  let unique = false;
  if (w(i) === 'unique') {
    unique = true;
    i++;
  }
  if (w(i) !== 'index') return refuse(`only CREATE INDEX statements can be tested, not CREATE ${(toks[i]?.text ?? '').toUpperCase()}`);
  i++;
  let concurrentlyTok: Tok | undefined;
  if (w(i) === 'concurrently') {
    if (dialect === 'sqlite') return refuse('SQLite has no CREATE INDEX CONCURRENTLY');
    concurrentlyTok = toks[i];
    i++;
  }
  if (w(i) === 'if' && w(i + 1) === 'not' && w(i + 2) === 'exists') i += 3;
  let name: string | null = null;
  if (!(w(i) === 'on' && toks[i]!.kind === 'word')) {
    if (!isIdent(toks[i])) return refuse('expected the index name or ON after CREATE INDEX');
    name = identName(toks[i]!, dialect);
    i++;
    if (toks[i]?.text === '.') {
      // SQLite writes `schema.index`; PostgreSQL puts the index in its table's schema and refuses a qualified name.
      if (dialect === 'postgres') return refuse('PostgreSQL does not take a schema-qualified index name (the index goes in its table\'s schema)');
      if (!isIdent(toks[i + 1])) return refuse('expected the index name after the schema');
      name = identName(toks[i + 1]!, dialect);
      i += 2;
    }
  }
  if (dialect === 'sqlite' && name === null) return refuse('SQLite needs a name for the index (CREATE INDEX name ON table (…))');
  if (w(i) !== 'on') return refuse('expected ON and the table after the index name');
  i++;
  if (w(i) === 'only' && dialect === 'postgres') i++;
  if (!isIdent(toks[i])) return refuse('expected the table name after ON');
  const tableStart = i;
  let schema: string | null = null;
  let table = identName(toks[i]!, dialect)!;
  i++;
  if (toks[i]?.text === '.') {
    if (!isIdent(toks[i + 1])) return refuse('expected the table name after the schema');
    schema = table;
    table = identName(toks[i + 1]!, dialect)!;
    i += 2;
  }
  const tableSql = textOf(sql, toks.slice(tableStart, i));
  let method = 'btree';
  if (w(i) === 'using') {
    if (dialect === 'sqlite') return refuse('SQLite indexes have no USING clause');
    if (!isIdent(toks[i + 1])) return refuse('expected the index method after USING');
    method = identName(toks[i + 1]!, dialect)!.toLowerCase();
    i += 2;
  }
  if (toks[i]?.text !== '(') return refuse('expected the parenthesized list of index columns');
  const close = closingParen(toks, i);
  if (close < 0) return refuse('the list of index columns is not closed with ")"');
  const keys: IndexKey[] = splitAtCommas(toks.slice(i + 1, close)).map((part) => ({
    column: isIdent(part[0]) && !(part[1]?.text === '(') && !(part[1]?.text === '.') ? identName(part[0]!, dialect) : null,
    text: textOf(sql, part),
  }));
  if (!keys.length) return refuse('the index has no columns');
  i = close + 1;
  const include: string[] = [];
  if (w(i) === 'include') {
    if (dialect === 'sqlite') return refuse('SQLite indexes have no INCLUDE clause');
    if (toks[i + 1]?.text !== '(') return refuse('expected "(" after INCLUDE');
    const end = closingParen(toks, i + 1);
    if (end < 0) return refuse('the INCLUDE list is not closed with ")"');
    for (const part of splitAtCommas(toks.slice(i + 2, end))) {
      if (part.length !== 1 || !isIdent(part[0])) return refuse('INCLUDE takes plain column names');
      include.push(identName(part[0]!, dialect)!);
    }
    i = end + 1;
  }
  if (dialect === 'postgres') {
    if (w(i) === 'nulls') {
      i += w(i + 1) === 'not' ? 3 : 2;
    }
    if (w(i) === 'with') {
      if (toks[i + 1]?.text !== '(') return refuse('expected "(" after WITH');
      const end = closingParen(toks, i + 1);
      if (end < 0) return refuse('the WITH list is not closed with ")"');
      i = end + 1;
    }
    if (w(i) === 'tablespace') {
      if (!isIdent(toks[i + 1])) return refuse('expected a tablespace name');
      i += 2;
    }
  }
  let predicate: string | null = null;
  if (w(i) === 'where') {
    if (i + 1 >= toks.length) return refuse('WHERE is not followed by a predicate');
    predicate = textOf(sql, toks.slice(i + 1));
    i = toks.length;
  }
  if (i < toks.length) return refuse(`unexpected "${toks[i]!.text}" in the CREATE INDEX statement`);
  const text = concurrentlyTok
    ? `${sql.slice(toks[0]!.start, concurrentlyTok.start).trimEnd()} ${sql.slice(concurrentlyTok.end, toks[toks.length - 1]!.end).trimStart()}`
    : written;
  return {
    ok: true,
    index: { written, text, concurrently: concurrentlyTok !== undefined, unique, name, table: { schema, name: table, sql: tableSql }, method, keys, include, predicate },
  };
}

/** The note a result carries when CONCURRENTLY was removed for the test. */
export function concurrentlyNote(index: Pick<IndexStatement, 'written'>): string {
  return `CONCURRENTLY was removed for the test, which runs inside a transaction where CONCURRENTLY cannot ("${index.written.slice(0, 120)}"); apply the index with CONCURRENTLY, so writes are not blocked while it builds`;
}
