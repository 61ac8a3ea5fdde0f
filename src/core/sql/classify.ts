// Statement classification for the one safe EXPLAIN path. Pure: it only looks at tokens. The drivers add
// their own guarantees on top (PostgreSQL's extended protocol refuses a second statement, better-sqlite3's
// prepare does too), so a mistake here can refuse too much but never run too much.
import type { Dialect } from './dialect';
import { tokenize, type Token } from './lexer';

/** What executing the statement does: reads only, takes row locks, or changes data or schema. */
export type StatementEffect = 'read' | 'lock' | 'write';

export interface UserExplain {
  /** The user asked for ANALYZE (EXPLAIN ANALYZE …, EXPLAIN (ANALYZE) …): a request to execute, never run unprotected. */
  analyze: boolean;
  /** Upper-cased options as written, e.g. `VERBOSE`, `BUFFERS`, `FORMAT TEXT`, `QUERY PLAN`. */
  options: string[];
}

export interface Classification {
  /** Non-empty statements in the text (a trailing `;` does not count). */
  statementCount: number;
  /** The statement to explain: without a user-written EXPLAIN prefix, without the trailing `;`. */
  statement: string;
  /** Offset of `statement` in the input. */
  statementStart: number;
  /** Lower-case statement kind, e.g. `select`, `with`, `insert`, `create table as`, `vacuum`, `begin`. */
  kind: string;
  userExplain: UserExplain | null;
  effect: StatementEffect;
  /** Null when the statement may be explained; otherwise why it is refused. */
  refusal: string | null;
  /** True when the statement contains bind parameters (`$1`, `?`, `:name`). */
  hasParameters: boolean;
  /** PostgreSQL: the highest `$n` used (0 when none). */
  maxParameter: number;
  /** Side effects worth knowing before EXPLAIN ANALYZE executes the statement. */
  analyzeWarnings: string[];
}

interface Seg {
  sql: string;
  toks: Token[];
}

const significant = (t: Token): boolean => t.kind !== 'whitespace' && t.kind !== 'lineComment' && t.kind !== 'blockComment';

function word(seg: Seg, i: number): string | null {
  const t = seg.toks[i];
  return t && t.kind === 'word' ? seg.sql.slice(t.start, t.end).toLowerCase() : null;
}

function text(seg: Seg, i: number): string {
  const t = seg.toks[i];
  return t ? seg.sql.slice(t.start, t.end) : '';
}

const transactionControl = new Set(['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release']);

const pgExplainable = new Set(['select', 'values', 'table', 'with', 'insert', 'update', 'delete', 'merge', 'declare', 'execute']);
const sqliteExplainable = new Set(['select', 'values', 'with', 'insert', 'replace', 'update', 'delete']);

const transactionRefusal =
  'transaction control statements are refused: every explain runs inside its own transaction, which is always rolled back';

/** Functions whose effects a ROLLBACK does not undo, with what to say about them. */
const nonTransactionalFunctions: Record<string, string> = {
  nextval: 'nextval() advances a sequence; sequence changes are not rolled back',
  setval: 'setval() changes a sequence; sequence changes are not rolled back',
  dblink: 'dblink runs SQL over a separate connection; the rollback does not undo what it did there',
  dblink_exec: 'dblink_exec runs SQL over a separate connection; the rollback does not undo what it did there',
  pg_advisory_lock: 'session-level advisory locks survive the rollback until the session ends',
  pg_advisory_lock_shared: 'session-level advisory locks survive the rollback until the session ends',
  pg_try_advisory_lock: 'session-level advisory locks survive the rollback until the session ends',
  pg_try_advisory_lock_shared: 'session-level advisory locks survive the rollback until the session ends',
  pg_terminate_backend: 'pg_terminate_backend() acts immediately and is not undone by a rollback',
  pg_cancel_backend: 'pg_cancel_backend() acts immediately and is not undone by a rollback',
  pg_reload_conf: 'pg_reload_conf() acts immediately and is not undone by a rollback',
  pg_rotate_logfile: 'pg_rotate_logfile() acts immediately and is not undone by a rollback',
  pg_switch_wal: 'pg_switch_wal() acts immediately and is not undone by a rollback',
  lo_export: 'lo_export() writes a server file that a rollback does not remove',
  pg_file_write: 'pg_file_write() writes a server file that a rollback does not remove',
};

function splitStatements(sql: string, tokens: Token[]): Seg[] {
  const segs: Seg[] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'semicolon') {
      if (current.length) segs.push({ sql, toks: current });
      current = [];
    } else if (significant(t)) current.push(t);
  }
  if (current.length) segs.push({ sql, toks: current });
  return segs;
}

/** Parses a PostgreSQL EXPLAIN prefix; returns the index of the first token of the inner statement. */
function parsePgExplain(seg: Seg): { next: number; explain: UserExplain } | { error: string } {
  const options: string[] = [];
  let analyze = false;
  let i = 1;
  if (text(seg, 1) === '(') {
    let depth = 1;
    let option: string[] = [];
    const flush = (): void => {
      if (!option.length) return;
      const [name = '', ...rest] = option;
      const value = rest.join(' ').toLowerCase().replace(/'/g, '');
      const upper = name.toUpperCase();
      if ((upper === 'ANALYZE' || upper === 'ANALYSE') && !['false', 'off', '0'].includes(value)) analyze = true;
      options.push(rest.length ? `${upper} ${rest.join(' ').toUpperCase()}` : upper);
      option = [];
    };
    for (i = 2; i < seg.toks.length && depth > 0; i++) {
      const t = text(seg, i);
      if (t === '(') depth++;
      else if (t === ')') depth--;
      if (depth === 0) break;
      if (depth === 1 && t === ',') flush();
      else option.push(t);
    }
    if (depth !== 0) return { error: 'the EXPLAIN option list is not closed with ")"' };
    flush();
    i++;
  } else {
    for (;;) {
      const w = word(seg, i);
      if (w === 'analyze' || w === 'analyse') analyze = true;
      else if (w !== 'verbose') break;
      options.push(w.toUpperCase());
      i++;
    }
  }
  return { next: i, explain: { analyze, options } };
}

/** The first depth-0 statement keyword after a WITH list: what the CTE statement finally does. */
function withMainKind(seg: Seg, from: number): string {
  let depth = 0;
  for (let i = from + 1; i < seg.toks.length; i++) {
    const t = text(seg, i);
    if (t === '(') depth++;
    else if (t === ')') depth--;
    else if (depth === 0) {
      const w = word(seg, i);
      if (w && ['select', 'insert', 'update', 'delete', 'merge', 'values', 'table'].includes(w)) return w;
    }
  }
  return 'select';
}

function hasDepth0Word(seg: Seg, from: number, target: string): boolean {
  let depth = 0;
  for (let i = from; i < seg.toks.length; i++) {
    const t = text(seg, i);
    if (t === '(') depth++;
    else if (t === ')') depth--;
    else if (depth === 0 && word(seg, i) === target) return true;
  }
  return false;
}

function words(seg: Seg, from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < seg.toks.length; i++) out.push(word(seg, i) ?? text(seg, i));
  return out;
}

interface KindResult {
  kind: string;
  refusal: string | null;
}

/** Names the statement and decides whether PostgreSQL's EXPLAIN can take it at all. */
function pgKind(seg: Seg, at: number): KindResult {
  const w = words(seg, at);
  const first = w[0] ?? '';
  const has = (x: string): boolean => w.includes(x);
  const notExplainable = (kind: string, extra = ''): KindResult => ({
    kind,
    refusal: `${kind.toUpperCase()} is not explainable: PostgreSQL's EXPLAIN accepts only SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, EXECUTE, DECLARE, CREATE TABLE AS and CREATE MATERIALIZED VIEW AS${extra}`,
  });
  const noTransaction = (kind: string): KindResult => ({
    kind,
    refusal: `${kind.toUpperCase()} cannot run inside a transaction block and cannot be rolled back, so it is never run here (and EXPLAIN does not accept it)`,
  });
  if (first === '(') return { kind: 'select', refusal: null };
  if (transactionControl.has(first)) return { kind: first, refusal: transactionRefusal };
  if (first === 'prepare' && w[1] === 'transaction') return { kind: 'prepare transaction', refusal: transactionRefusal };
  if (first === 'set' && (w[1] === 'transaction' || (w[1] === 'session' && w[2] === 'characteristics'))) {
    return { kind: 'set transaction', refusal: transactionRefusal };
  }
  if (first === 'with') return { kind: 'with', refusal: null };
  if (first === 'execute') {
    return { kind: 'execute', refusal: 'EXECUTE runs a prepared statement that exists only in the session that prepared it; explain the statement itself instead' };
  }
  if (pgExplainable.has(first)) return { kind: first, refusal: null };
  if (first === 'vacuum') return noTransaction('vacuum');
  if (first === 'create' || first === 'drop') {
    const rest = w.slice(1).filter((x) => !['or', 'replace', 'temp', 'temporary', 'unlogged', 'global', 'local', 'unique', 'if', 'not', 'exists'].includes(x));
    const object = rest[0] ?? '';
    if (object === 'index' && has('concurrently')) return noTransaction(`${first} index concurrently`);
    if (object === 'database' || object === 'tablespace') return noTransaction(`${first} ${object}`);
    if (first === 'create' && object === 'table' && hasDepth0Word(seg, at + 2, 'as')) return { kind: 'create table as', refusal: null };
    if (first === 'create' && object === 'materialized' && rest[1] === 'view') return { kind: 'create materialized view', refusal: null };
    return notExplainable(`${first} ${object}`.trim(), '; schema changes are not explained');
  }
  if (first === 'alter' && w[1] === 'system') return noTransaction('alter system');
  if (first === 'reindex' && (has('concurrently') || w[1] === 'system' || w[1] === 'database')) return noTransaction('reindex');
  if (first === 'cluster' && w.length === 1) return noTransaction('cluster');
  if (first === 'copy') return notExplainable('copy', '; COPY moves data into or out of the server');
  if (first === 'truncate') return notExplainable('truncate', '; TRUNCATE removes every row');
  if (first === 'do' || first === 'call') return notExplainable(first, `; ${first.toUpperCase()} runs procedural code that may commit`);
  if (first === 'analyze' || first === 'analyse') return notExplainable('analyze', ' (ANALYZE on its own collects statistics)');
  return notExplainable(first || 'this statement');
}

function sqliteKind(seg: Seg, at: number): KindResult {
  const first = word(seg, at) ?? text(seg, at);
  if (first === '(') return { kind: 'select', refusal: null };
  if (transactionControl.has(first)) return { kind: first, refusal: transactionRefusal };
  if (sqliteExplainable.has(first)) return { kind: first, refusal: null };
  return {
    kind: first,
    refusal: `${first.toUpperCase()} has no query plan: SQLite's EXPLAIN QUERY PLAN describes SELECT, INSERT, UPDATE, DELETE, REPLACE and WITH statements`,
  };
}

/** Reads, row locks or writes, from every keyword in the statement (conservative: a false "write" only asks more). */
function effectOf(seg: Seg, at: number, kind: string): StatementEffect {
  if (['insert', 'update', 'delete', 'merge', 'replace', 'create table as', 'create materialized view'].includes(kind)) return 'write';
  let effect: StatementEffect = 'read';
  for (let i = at; i < seg.toks.length; i++) {
    const w = word(seg, i);
    if (!w) continue;
    const prev = word(seg, i - 1);
    if (w === 'insert' || w === 'delete' || w === 'merge' || w === 'into') return 'write';
    if (w === 'update') {
      if (prev === 'for' || prev === 'key') effect = 'lock';
      else return 'write';
    }
    if (w === 'share' && (prev === 'for' || prev === 'key')) effect = 'lock';
  }
  return effect;
}

function warningsOf(seg: Seg, at: number, kind: string, effect: StatementEffect, dialect: Dialect): string[] {
  const out = new Set<string>();
  if (dialect === 'postgres') {
    for (let i = at; i < seg.toks.length; i++) {
      const w = word(seg, i);
      const note = w && text(seg, i + 1) === '(' ? nonTransactionalFunctions[w] : undefined;
      if (note) out.add(note);
    }
    if (effect === 'write' && (kind === 'insert' || kind === 'merge' || words(seg, at).includes('insert'))) {
      out.add('inserting into a table with serial or identity columns advances their sequences, and sequence values are not rolled back');
    }
    if (effect === 'read') {
      out.add('EXPLAIN ANALYZE executes the statement, including any functions it calls, inside a READ ONLY transaction that is rolled back');
    } else if (effect === 'lock') {
      out.add('EXPLAIN ANALYZE executes the statement and holds its row locks until the rollback');
    } else {
      out.add('EXPLAIN ANALYZE executes the statement and then rolls back its changes; triggers and functions it calls run too');
    }
  }
  return [...out];
}

function refused(statementCount: number, reason: string, sql = ''): Classification {
  return {
    statementCount,
    statement: sql,
    statementStart: 0,
    kind: '',
    userExplain: null,
    effect: 'write',
    refusal: reason,
    hasParameters: false,
    maxParameter: 0,
    analyzeWarnings: [],
  };
}

/** Classifies the text the user wants explained. Never throws; a refusal says why in one sentence. */
export function classifyStatement(sql: string, dialect: Dialect): Classification {
  const tokens = tokenize(sql, dialect);
  const open = tokens.find((t) => t.unterminated);
  if (open) {
    const what = open.kind === 'blockComment' ? 'comment' : open.kind === 'quotedIdent' ? 'quoted identifier' : 'string';
    return refused(0, `the statement has an unterminated ${what} starting at offset ${open.start}`);
  }
  const segs = splitStatements(sql, tokens);
  if (segs.length === 0) return refused(0, 'there is no SQL statement to explain');
  if (segs.length > 1) {
    return refused(segs.length, `the text holds ${segs.length} statements; exactly one statement can be explained at a time`);
  }
  const seg = segs[0]!;
  let at = 0;
  let userExplain: UserExplain | null = null;
  if (word(seg, 0) === 'explain') {
    if (dialect === 'postgres') {
      const parsed = parsePgExplain(seg);
      if ('error' in parsed) return refused(1, parsed.error);
      at = parsed.next;
      userExplain = parsed.explain;
    } else {
      const queryPlan = word(seg, 1) === 'query' && word(seg, 2) === 'plan';
      at = queryPlan ? 3 : 1;
      userExplain = { analyze: false, options: queryPlan ? ['QUERY PLAN'] : [] };
    }
    if (at >= seg.toks.length) return refused(1, 'EXPLAIN is not followed by a statement');
    if (word(seg, at) === 'explain') return refused(1, 'EXPLAIN of an EXPLAIN is not a valid statement');
  }
  const first = seg.toks[at]!;
  const last = seg.toks[seg.toks.length - 1]!;
  const statement = sql.slice(first.start, last.end);
  const named = dialect === 'postgres' ? pgKind(seg, at) : sqliteKind(seg, at);
  const refusal = named.refusal;
  let kind = named.kind;
  if (kind === 'with') kind = `with ${withMainKind(seg, at)}`;
  const effect = refusal ? (kind === 'truncate' || kind === 'copy' ? 'write' : 'read') : effectOf(seg, at, kind);
  if (kind === 'select' && effect === 'write') kind = 'select into';
  const params = seg.toks.slice(at).filter((t) => t.kind === 'param');
  const hasParameters = params.length > 0;
  const maxParameter = params.reduce((max, t) => {
    const n = /^\$(\d+)$/.exec(sql.slice(t.start, t.end));
    return n ? Math.max(max, Number(n[1])) : max;
  }, 0);
  return {
    statementCount: 1,
    statement,
    statementStart: first.start,
    kind,
    userExplain,
    effect,
    refusal,
    hasParameters,
    maxParameter,
    analyzeWarnings: refusal ? [] : warningsOf(seg, at, kind, effect, dialect),
  };
}
