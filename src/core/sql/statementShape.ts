// Is this text SQL, or a sentence about SQL? The chat must tell "Explain how BRIN indexes work" (a question) from
// "EXPLAIN SELECT …" (a statement) before it opens a database. Pure and deterministic: the lexer's tokens, the
// statement keyword, and the shape each kind of statement must have. A wrong "prose" only means the model gets the
// text as a question; a wrong "SQL" would open the database and explain nonsense, so doubtful text is prose.
import type { Dialect } from './dialect';
import { split } from './locate';
import { tokenize, type Token } from './lexer';

const statementKeywords = new Set([
  'select', 'with', 'insert', 'update', 'delete', 'merge', 'values', 'table', 'explain', 'create', 'alter', 'drop',
  'grant', 'revoke', 'truncate', 'vacuum', 'analyze', 'analyse', 'copy', 'set', 'show', 'reset', 'begin', 'commit',
  'rollback', 'call', 'do', 'refresh', 'comment', 'lock', 'prepare', 'execute', 'declare', 'pragma', 'replace',
  'reindex', 'cluster', 'attach', 'detach', 'listen', 'notify', 'savepoint', 'release', 'start', 'end', 'abort',
]);

/** Words that may stand next to each other in SQL; a run of three or more other bare words is a sentence. */
const sqlWords = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'is', 'null', 'like', 'ilike', 'between', 'as', 'on', 'join',
  'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'using', 'group', 'by', 'order', 'having', 'limit',
  'offset', 'fetch', 'first', 'next', 'rows', 'row', 'only', 'union', 'all', 'intersect', 'except', 'distinct', 'case',
  'when', 'then', 'else', 'end', 'exists', 'any', 'some', 'into', 'values', 'set', 'update', 'delete', 'insert',
  'returning', 'with', 'recursive', 'table', 'index', 'create', 'drop', 'alter', 'primary', 'key', 'foreign',
  'references', 'default', 'check', 'unique', 'constraint', 'asc', 'desc', 'nulls', 'last', 'window', 'over',
  'partition', 'filter', 'within', 'true', 'false', 'cast', 'lateral', 'array', 'interval', 'timestamp', 'date', 'time',
  'zone', 'at', 'escape', 'collate', 'similar', 'to', 'for', 'share', 'nowait', 'skip', 'locked', 'of', 'no', 'action',
  'cascade', 'restrict', 'if', 'concurrently', 'materialized', 'view', 'temporary', 'temp', 'unlogged', 'tablespace',
  'include', 'analyze', 'verbose', 'buffers', 'format', 'json', 'text', 'costs', 'settings', 'wal', 'timing', 'summary',
  'without', 'varying', 'precision', 'double', 'character', 'unknown', 'generated', 'always', 'identity', 'stored',
  'conflict', 'do', 'nothing', 'matched', 'using', 'tablesample', 'ordinality', 'preceding', 'following', 'unbounded',
  'current', 'range', 'groups', 'ties', 'exclude', 'others', 'rollup', 'cube', 'grouping', 'sets', 'local', 'session',
  'isnull', 'notnull', 'overlaps', 'symmetric', 'asymmetric', 'escape', 'uescape', 'leading', 'trailing', 'both',
  'rowid', 'strict', 'glob', 'regexp', 'match', 'indexed', 'query', 'plan', 'autoincrement', 'exclusive', 'immediate',
  'deferred', 'abort', 'fail', 'ignore', 'replace', 'rollback', 'virtual', 'trigger', 'before', 'after', 'instead',
  'each', 'statement', 'execute', 'function', 'procedure', 'language', 'returns', 'setof', 'volatile', 'stable',
  'immutable', 'security', 'definer', 'invoker', 'owner', 'schema', 'sequence', 'type', 'extension', 'column', 'add',
  'rename', 'attribute', 'data', 'enable', 'disable', 'grant', 'revoke', 'privileges', 'public', 'role', 'user',
]);

/** Words of a sentence that are never bare words of a statement. One of them outside quotes makes the text prose. */
const proseWords = new Set(['the', 'how', 'why', 'what', 'please', 'my', 'your', 'me', 'should', 'would', 'could', 'does', 'help', 'thanks']);

const objectKinds = new Set([
  'table', 'index', 'unique', 'view', 'materialized', 'function', 'procedure', 'trigger', 'schema', 'sequence', 'type',
  'extension', 'or', 'temp', 'temporary', 'unlogged', 'policy', 'role', 'user', 'database', 'statistics', 'aggregate',
  'domain', 'rule', 'event', 'publication', 'subscription', 'virtual', 'foreign', 'tablespace', 'operator', 'cast',
  'collation', 'conversion', 'language', 'server', 'transform', 'access', 'system', 'default', 'text', 'if', 'global',
  'local', 'recursive', 'group', 'owned', 'routine', 'large',
]);

interface Shape {
  sql: string;
  toks: Token[];
}

const significant = (t: Token): boolean => t.kind !== 'whitespace' && t.kind !== 'lineComment' && t.kind !== 'blockComment';

function wordAt(s: Shape, i: number): string | null {
  const t = s.toks[i];
  return t && t.kind === 'word' ? s.sql.slice(t.start, t.end).toLowerCase() : null;
}

function textAt(s: Shape, i: number): string {
  const t = s.toks[i];
  return t ? s.sql.slice(t.start, t.end) : '';
}

/** Where the statement proper starts after `EXPLAIN [ANALYZE] [VERBOSE] | EXPLAIN (…)` and SQLite's `QUERY PLAN`. */
function afterExplain(s: Shape): number {
  let i = 1;
  if (textAt(s, 1) === '(') {
    let depth = 0;
    for (; i < s.toks.length; i++) {
      const x = textAt(s, i);
      if (x === '(') depth++;
      else if (x === ')' && --depth === 0) return i + 1;
    }
    return s.toks.length;
  }
  while (['analyze', 'analyse', 'verbose', 'query', 'plan'].includes(wordAt(s, i) ?? '')) i++;
  return i;
}

/** The first depth-0 index of one of `words` from `from`, or -1. */
function findDepth0(s: Shape, from: number, words: readonly string[]): number {
  let depth = 0;
  for (let i = from; i < s.toks.length; i++) {
    const x = textAt(s, i);
    if (x === '(') depth++;
    else if (x === ')') depth--;
    else if (depth === 0 && words.includes(wordAt(s, i) ?? '')) return i;
  }
  return -1;
}

/** The shape a statement of this kind must have; false when the words after the keyword read like a sentence. */
function kindShapeOk(s: Shape, at: number): boolean {
  const kind = wordAt(s, at) ?? '';
  const next = wordAt(s, at + 1);
  const nextText = textAt(s, at + 1);
  switch (kind) {
    case 'explain': {
      const inner = afterExplain(s);
      const w = wordAt(s, inner);
      return (w !== null && ['select', 'with', 'insert', 'update', 'delete', 'merge', 'values', 'table', 'execute', 'declare', 'create', 'replace'].includes(w) && kindShapeOk(s, inner)) || textAt(s, inner) === '(';
    }
    case 'select':
      return at + 1 < s.toks.length;
    case 'with': {
      // WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (
      let i = at + 1;
      if (wordAt(s, i) === 'recursive') i++;
      if (!(s.toks[i]?.kind === 'word' || s.toks[i]?.kind === 'quotedIdent')) return false;
      i++;
      if (textAt(s, i) === '(') {
        const close = findClose(s, i);
        if (close < 0) return false;
        i = close + 1;
      }
      return wordAt(s, i) === 'as';
    }
    case 'insert':
      return next === 'into' || (next === 'or' && findDepth0(s, at, ['into']) > 0);
    case 'replace':
      return next === 'into';
    case 'update':
      return findDepth0(s, at + 1, ['set']) > 0 && findDepth0(s, at + 1, ['set']) <= at + 5;
    case 'delete':
      return next === 'from';
    case 'merge':
      return next === 'into';
    case 'values':
      return nextText === '(';
    case 'table':
      // TABLE name, optionally followed by ORDER BY / LIMIT / OFFSET / FETCH (it is SELECT * FROM name).
      return (
        (s.toks[at + 1]?.kind === 'word' || s.toks[at + 1]?.kind === 'quotedIdent') &&
        (at + 2 >= s.toks.length || textAt(s, at + 2) === '.' || ['order', 'limit', 'offset', 'fetch', 'union', 'except', 'intersect'].includes(wordAt(s, at + 2) ?? ''))
      );
    case 'create':
    case 'alter':
    case 'drop':
      return next !== null && objectKinds.has(next);
    case 'grant':
    case 'revoke':
      return findDepth0(s, at, ['on']) > 0 || findDepth0(s, at, ['to', 'from']) > 0;
    case 'set':
      // SET [SESSION|LOCAL] name = value | TO value; SET TRANSACTION / ROLE / SESSION AUTHORIZATION.
      return s.toks.slice(at + 1, at + 6).some((t) => t.kind === 'operator' && s.sql.slice(t.start, t.end) === '=') || findDepth0(s, at, ['to', 'transaction', 'role', 'authorization', 'names']) > 0;
    case 'show':
    case 'reset':
      return s.toks.length - at <= 4;
    default:
      return true;
  }
}

function findClose(s: Shape, open: number): number {
  let depth = 0;
  for (let i = open; i < s.toks.length; i++) {
    const x = textAt(s, i);
    if (x === '(') depth++;
    else if (x === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Three or more bare non-SQL words in a row at depth 0, or a word only sentences use: the text is prose. */
function readsLikeProse(s: Shape): boolean {
  let run = 0;
  let depth = 0;
  for (let i = 0; i < s.toks.length; i++) {
    const t = s.toks[i]!;
    const x = textAt(s, i);
    if (x === '(') depth++;
    else if (x === ')') depth = Math.max(0, depth - 1);
    if (t.kind !== 'word') {
      run = 0;
      continue;
    }
    const w = x.toLowerCase();
    if (depth === 0 && proseWords.has(w)) return true;
    // A qualified name (a.b) or a call (f(x)) is code, not a word of a sentence.
    const code = textAt(s, i - 1) === '.' || textAt(s, i + 1) === '.' || textAt(s, i + 1) === '(';
    run = depth === 0 && !code && !sqlWords.has(w) ? run + 1 : 0;
    if (run >= 3) return true;
  }
  return false;
}

/** Whether one statement's text (without a trailing `;`) is SQL by its shape. */
function statementShapeOk(text: string, dialect: Dialect): boolean {
  const toks = tokenize(text, dialect);
  if (toks.some((t) => t.unterminated)) return false;
  const s: Shape = { sql: text, toks: toks.filter(significant) };
  if (!s.toks.length) return false;
  const first = wordAt(s, 0);
  if (!first || !statementKeywords.has(first)) return s.toks[0]!.kind === 'punct' && textAt(s, 0) === '(' && statementShapeOk(text.slice(s.toks[1]?.start ?? text.length), dialect);
  // A sentence ends with a question mark, an exclamation mark or a full stop; SQL does not.
  const last = textAt(s, s.toks.length - 1);
  if (last === '?' || last === '!' || last === '.' || /[?!]$/.test(last)) return false;
  return kindShapeOk(s, 0) && !readsLikeProse(s);
}

/** The whole text is one or more complete SQL statements (trailing `;` allowed), not a sentence about SQL. */
export function isSqlText(text: string, dialect: Dialect): boolean {
  const statements = split(text, dialect);
  return statements.length > 0 && statements.every((st) => statementShapeOk(st.text, dialect));
}

/** Where a statement could start inside prose: the text's start, each line start, and after `?`, `:` or `.` + space. */
function candidateStarts(text: string): number[] {
  const out = [0];
  const re = /(?:\n|[?:.!][ \t]+)[ \t]*(?=[A-Za-z(])/g;
  for (let m = re.exec(text); m && out.length < 200; m = re.exec(text)) out.push(m.index + m[0].length);
  return out;
}

/**
 * Splits a chat message that mixes a question and SQL: the first place where a statement starts and reads as SQL to
 * the end of that statement. What comes before and after it is the question. Null when there is no statement.
 */
export function findStatementInProse(text: string, dialect: Dialect): { sql: string; before: string; after: string } | null {
  for (const start of candidateStarts(text)) {
    const word = /^[A-Za-z]+/.exec(text.slice(start, start + 20))?.[0]?.toLowerCase();
    if (!word || !statementKeywords.has(word)) continue;
    const rest = text.slice(start);
    const first = split(rest, dialect)[0];
    if (!first || first.start !== 0) continue;
    if (!statementShapeOk(first.text, dialect)) continue;
    // After the statement: its `;`, then either nothing or more words (part of the question).
    const after = rest.slice(first.end).replace(/^\s*;/, '');
    // More statements after the first belong to the SQL; anything else is more of the question.
    if (after.trim() && isSqlText(after, dialect)) return { sql: rest.trim(), before: text.slice(0, start).trim(), after: '' };
    return { sql: first.text, before: text.slice(0, start).trim(), after: after.trim() };
  }
  return null;
}
