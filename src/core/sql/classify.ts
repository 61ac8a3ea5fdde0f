// Statement classification for the one safe EXPLAIN path. Pure: it only looks at tokens. The drivers add
// their own guarantees on top (PostgreSQL's extended protocol refuses a second statement, better-sqlite3's
// prepare does too), so a mistake here can refuse too much but never run too much.
import type { Dialect } from './dialect';
import { tokenize, type Token } from './lexer';
import { mysqlAnalyzeWarnings, mysqlKind, mysqlLocksRows, mysqlRefusal, mysqlSideEffect, parseMysqlExplain } from './mysqlClassify';

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
  /**
   * PostgreSQL: what executing the statement would do that a ROLLBACK does not undo, or that acts outside the
   * transaction (functions such as pg_terminate_backend, dblink, session advisory locks, nextval, server files,
   * session-level set_config). Under EXPLAIN ANALYZE each needs explicit consent that names it, like a write.
   */
  sideEffects: string[];
  /**
   * Lower-case names of everything called as a function (`name(`, also schema-qualified or quoted), without
   * duplicates. The drivers look up the volatile ones in the catalog: a user function's behaviour is unknown.
   */
  calledFunctions: string[];
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

const actsNow = (name: string): string => `${name}() acts immediately, outside the transaction, and a rollback does not undo it`;
const sessionLock = (name: string): string => `${name}() takes a session-level advisory lock, which survives the rollback until the session ends`;
const readsServerFile = (name: string): string => `${name}() reads the database server's file system`;
const remote = (name: string): string => `${name}() runs SQL over a separate connection; the rollback does not undo what it did there`;

/** PostgreSQL functions whose effects a ROLLBACK does not undo, or that act outside the transaction, and why. */
const sideEffectFunctions: Record<string, string> = {
  nextval: 'nextval() advances a sequence; sequence changes are not rolled back',
  setval: 'setval() changes a sequence; sequence changes are not rolled back',
  pg_advisory_lock: sessionLock('pg_advisory_lock'),
  pg_advisory_lock_shared: sessionLock('pg_advisory_lock_shared'),
  pg_try_advisory_lock: sessionLock('pg_try_advisory_lock'),
  pg_try_advisory_lock_shared: sessionLock('pg_try_advisory_lock_shared'),
  pg_terminate_backend: `${actsNow('pg_terminate_backend')}: it ends another session`,
  pg_cancel_backend: `${actsNow('pg_cancel_backend')}: it cancels another session's query`,
  pg_signal_backend: actsNow('pg_signal_backend'),
  pg_reload_conf: actsNow('pg_reload_conf'),
  pg_rotate_logfile: actsNow('pg_rotate_logfile'),
  pg_switch_wal: actsNow('pg_switch_wal'),
  pg_create_restore_point: actsNow('pg_create_restore_point'),
  pg_promote: actsNow('pg_promote'),
  pg_log_backend_memory_contexts: actsNow('pg_log_backend_memory_contexts'),
  pg_notify: 'pg_notify() sends a notification (discarded by the rollback, but it may wake listeners first in some drivers)',
  lo_import: 'lo_import() reads a file on the database server into a large object',
  lo_export: 'lo_export() writes a file on the database server that a rollback does not remove',
  pg_file_write: 'pg_file_write() writes a file on the database server that a rollback does not remove',
  pg_file_unlink: 'pg_file_unlink() deletes a file on the database server; a rollback does not restore it',
  pg_file_rename: 'pg_file_rename() renames a file on the database server; a rollback does not undo it',
  pg_read_file: readsServerFile('pg_read_file'),
  pg_read_binary_file: readsServerFile('pg_read_binary_file'),
  pg_ls_dir: readsServerFile('pg_ls_dir'),
  pg_stat_file: readsServerFile('pg_stat_file'),
  pg_ls_logdir: readsServerFile('pg_ls_logdir'),
  pg_ls_waldir: readsServerFile('pg_ls_waldir'),
  pg_ls_tmpdir: readsServerFile('pg_ls_tmpdir'),
  pg_ls_archive_statusdir: readsServerFile('pg_ls_archive_statusdir'),
};

/** The reason a called function needs consent under ANALYZE, or undefined when it is known to be harmless. */
function sideEffectOf(name: string, args: () => string[][]): string | undefined {
  const known = sideEffectFunctions[name];
  if (known) return known;
  if (name.startsWith('dblink')) return remote(name);
  if (name === 'set_config') {
    // set_config(name, value, is_local): only `true` keeps the change inside the transaction.
    const isLocal = (args()[2] ?? []).join(' ').toLowerCase().replace(/'/g, '');
    if (!['true', 't', 'on', 'yes', '1'].includes(isLocal)) return 'set_config(…, false) changes a setting for the rest of the session; the rollback does not undo it';
  }
  return undefined;
}

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

const duckdbReads = new Set(['select', 'values', 'with', 'from', 'table', 'pivot', 'unpivot']);

/** Why DuckDB statements that are not plain reads are refused: every DuckDB connection here is read-only. */
const duckdbRefusals: Record<string, string> = {
  copy: 'COPY reads or writes files outside the query; to look at a file, SELECT from it',
  export: 'EXPORT DATABASE writes files',
  import: 'IMPORT DATABASE changes the database',
  install: 'INSTALL downloads and installs an extension',
  load: 'LOAD loads an extension into the process',
  attach: 'ATTACH opens another database file',
  detach: 'DETACH changes the attached databases',
  use: 'USE changes the session',
  set: 'SET changes the configuration, which is locked',
  reset: 'RESET changes the configuration, which is locked',
  pragma: 'PRAGMA may change the configuration, which is locked',
  call: 'CALL runs a table function outside a query',
  checkpoint: 'CHECKPOINT writes the database file',
  vacuum: 'VACUUM writes the database file',
  analyze: 'ANALYZE collects statistics',
};

/** Functions that run SQL given as text, which the classification cannot see: refused like the statements they run. */
const duckdbRefusedFunctions = new Set(['query', 'query_table']);

function duckdbKind(seg: Seg, at: number): KindResult {
  const first = word(seg, at) ?? text(seg, at);
  if (first === '(') return { kind: 'select', refusal: null };
  if (transactionControl.has(first)) return { kind: first, refusal: transactionRefusal };
  if (duckdbReads.has(first)) return { kind: first, refusal: null };
  const why = duckdbRefusals[first] ?? (['insert', 'update', 'delete', 'merge', 'create', 'drop', 'alter', 'truncate', 'comment'].includes(first) ? 'it writes' : 'it is not a query');
  return { kind: first, refusal: `${(first || 'this statement').toUpperCase()} is refused: DuckDB connections here only read (${why})` };
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

// Words that take a parenthesis without being a function call.
const notCalls = new Set([
  'in', 'exists', 'any', 'all', 'some', 'values', 'as', 'over', 'filter', 'within', 'using', 'on', 'from', 'join', 'select',
  'where', 'and', 'or', 'not', 'case', 'when', 'then', 'else', 'table', 'into', 'lateral', 'with', 'array', 'row', 'by',
  'returning', 'set', 'union', 'intersect', 'except', 'is', 'like', 'between', 'distinct', 'partition',
]);

interface Call {
  name: string;
  /** The arguments' token texts, split at depth-1 commas (computed on demand). */
  args: () => string[][];
}

/** Everything called as a function: a word or quoted identifier followed by `(`, possibly schema-qualified. */
function callsIn(seg: Seg, at: number): Call[] {
  const calls: Call[] = [];
  for (let i = at; i < seg.toks.length - 1; i++) {
    const t = seg.toks[i]!;
    if (text(seg, i + 1) !== '(') continue;
    let name: string;
    if (t.kind === 'word') name = seg.sql.slice(t.start, t.end).toLowerCase();
    else if (t.kind === 'quotedIdent') name = seg.sql.slice(t.start + 1, t.end - 1).replace(/""/g, '"');
    else continue;
    if (t.kind === 'word' && notCalls.has(name)) continue;
    const open = i + 1;
    calls.push({
      name,
      args: () => {
        const out: string[][] = [[]];
        let depth = 0;
        for (let j = open; j < seg.toks.length; j++) {
          const x = text(seg, j);
          if (x === '(') depth++;
          else if (x === ')') {
            depth--;
            if (depth === 0) break;
          }
          if (depth === 1 && x === ',') out.push([]);
          else if (!(depth === 1 && x === '(' && j === open)) out.at(-1)!.push(x);
        }
        return out;
      },
    });
  }
  return calls;
}

function sideEffectsOf(calls: readonly Call[], dialect: Dialect): string[] {
  const out = new Set<string>();
  for (const call of calls) {
    const reason = dialect === 'mysql' ? mysqlSideEffect(call.name) : sideEffectOf(call.name, call.args);
    if (reason) out.add(reason);
  }
  return [...out];
}

function warningsOf(seg: Seg, at: number, kind: string, effect: StatementEffect, dialect: Dialect): string[] {
  const out = new Set<string>();
  if (dialect === 'mysql') return mysqlAnalyzeWarnings(effect);
  if (dialect === 'postgres') {
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

/** DuckDB runs reads only: a write anywhere in the statement, or SQL hidden in a string, is refused outright. */
function duckdbReadRefusal(seg: Seg, at: number, kind: string, effect: StatementEffect): string | null {
  if (effect !== 'read') return `${kind.toUpperCase()} is refused: DuckDB connections here only read, and this statement writes`;
  const hidden = callsIn(seg, at).find((c) => duckdbRefusedFunctions.has(c.name));
  if (hidden) return `${hidden.name}() runs SQL given as text, which cannot be checked before it runs; write the query itself instead`;
  return null;
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
    sideEffects: [],
    calledFunctions: [],
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
  const mysqlExplain = dialect === 'mysql' ? parseMysqlExplain(words(seg, 0)) : null;
  if (mysqlExplain) {
    at = mysqlExplain.next;
    userExplain = mysqlExplain.explain;
    if (at >= seg.toks.length) return refused(1, 'EXPLAIN is not followed by a statement');
  } else if (dialect !== 'mysql' && word(seg, 0) === 'explain') {
    if (dialect === 'postgres' || dialect === 'duckdb') {
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
  const named = dialect === 'postgres' ? pgKind(seg, at) : dialect === 'duckdb' ? duckdbKind(seg, at) : dialect === 'mysql' ? mysqlKind(words(seg, at)) : sqliteKind(seg, at);
  const comments = dialect === 'mysql' ? tokens.filter((t) => t.kind === 'blockComment').map((t) => sql.slice(t.start, t.end)) : [];
  let refusal = named.refusal ?? (dialect === 'mysql' ? mysqlRefusal(words(seg, at), comments) : null);
  let kind = named.kind;
  if (kind === 'with') kind = `with ${withMainKind(seg, at)}`;
  let effect: StatementEffect = refusal ? (kind === 'truncate' || kind === 'copy' ? 'write' : 'read') : effectOf(seg, at, kind);
  if (dialect === 'mysql' && effect === 'read' && mysqlLocksRows(words(seg, at))) effect = 'lock';
  if (kind === 'select' && effect === 'write') kind = 'select into';
  if (dialect === 'duckdb' && !refusal) refusal = duckdbReadRefusal(seg, at, kind, effect);
  const params = seg.toks.slice(at).filter((t) => t.kind === 'param');
  const hasParameters = params.length > 0;
  const maxParameter = params.reduce((max, t) => {
    const n = /^\$(\d+)$/.exec(sql.slice(t.start, t.end));
    return n ? Math.max(max, Number(n[1])) : max;
  }, 0);
  const calls = dialect !== 'sqlite' && !refusal ? callsIn(seg, at) : [];
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
    sideEffects: sideEffectsOf(calls, dialect),
    calledFunctions: [...new Set(calls.map((c) => c.name))],
  };
}
