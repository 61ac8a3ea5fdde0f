// The top level of a query, as far as the proof machinery needs it: its ORDER BY items and whether a LIMIT (or FETCH
// FIRST, with or without TIES) cuts the result, for result comparison; its tables, WHERE and ON conditions, for index
// candidates on SQLite (whose plans carry no conditions). Depth-0 tokens only: a subquery, a CTE body, a window's
// ORDER BY or an aggregate's ORDER BY sit inside parentheses and are never mistaken for the statement's own.
import type { Dialect } from '../sql/dialect';
import { identName, significantTokens, textOf, type Tok } from './tokens';

export interface TableRef {
  schema: string | null;
  name: string;
  alias: string | null;
}

export interface OrderItem {
  /** The item as written, without ASC/DESC/NULLS/COLLATE/USING. */
  text: string;
  /** 1-based output position (`ORDER BY 2`), when the item is a number. */
  position: number | null;
  /** The column name, when the item is a plain (possibly qualified) column. */
  column: string | null;
  /** The column was written quoted, so it matches case-sensitively. */
  quoted: boolean;
  descending: boolean;
}

export interface StatementClauses {
  /** The statement's own ORDER BY items; null when it has none. */
  orderBy: OrderItem[] | null;
  /** A LIMIT, FETCH FIRST or OFFSET cuts the statement's result. */
  limited: boolean;
  /** FETCH FIRST … WITH TIES: rows tied with the last one are all returned, so the cut is deterministic. */
  withTies: boolean;
  /** Tables in the top-level FROM and JOIN clauses (not in subqueries). */
  tables: TableRef[];
  /** The top-level WHERE conditions (one per WHERE, e.g. per UNION branch). */
  where: string[];
  /** The ON conditions of top-level joins. */
  on: string[];
}

/** Words that end a FROM item's alias position or a clause. */
const clauseWords = new Set([
  'where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'union', 'intersect', 'except',
  'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'on', 'using', 'lateral', 'returning', 'set', 'values',
  'select', 'tablesample', 'with', 'as',
]);

function isIdent(t: Tok | undefined): t is Tok {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quotedIdent');
}

/** Where each depth-0 token is: tokens inside parentheses are skipped by the readers below. */
function depths(toks: readonly Tok[]): number[] {
  const out: number[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.text === ')') depth--;
    out.push(depth);
    if (t.text === '(') depth++;
  }
  return out;
}

function readTable(toks: readonly Tok[], i: number, dialect: Dialect): { ref: TableRef; next: number } | null {
  if (!isIdent(toks[i]) || (toks[i].kind === 'word' && clauseWords.has(toks[i].lower))) return null;
  let schema: string | null = null;
  let name = identName(toks[i], dialect)!;
  let j = i + 1;
  if (toks[j]?.text === '.' && isIdent(toks[j + 1])) {
    schema = name;
    name = identName(toks[j + 1]!, dialect)!;
    j += 2;
  }
  // A function in FROM (`generate_series(…)`) is not a table.
  if (toks[j]?.text === '(') return null;
  let alias: string | null = null;
  if (toks[j]?.lower === 'as' && isIdent(toks[j + 1])) {
    alias = identName(toks[j + 1]!, dialect);
    j += 2;
  } else if (isIdent(toks[j]) && !(toks[j]!.kind === 'word' && clauseWords.has(toks[j]!.lower))) {
    alias = identName(toks[j]!, dialect);
    j++;
  }
  return { ref: { schema, name, alias }, next: j };
}

function orderItem(sql: string, item: Tok[], dialect: Dialect): OrderItem {
  let end = item.length;
  let descending = false;
  // Trailing modifiers: ASC | DESC | USING op | NULLS FIRST | NULLS LAST | COLLATE name.
  for (;;) {
    const last = item[end - 1]?.lower;
    const prev = item[end - 2]?.lower;
    if (last === 'asc' || last === 'desc') {
      descending = last === 'desc';
      end--;
    } else if ((last === 'first' || last === 'last') && prev === 'nulls') end -= 2;
    else if (prev === 'using' || prev === 'collate') end -= 2;
    else break;
  }
  const core = item.slice(0, end);
  const text = textOf(sql, core);
  if (core.length === 1 && core[0]!.kind === 'number' && /^\d+$/.test(core[0]!.text)) {
    return { text, position: Number(core[0]!.text), column: null, quoted: false, descending };
  }
  const plain = core.length === 1 || (core.length === 3 && core[1]!.text === '.') || (core.length === 5 && core[1]!.text === '.' && core[3]!.text === '.');
  const last = core[core.length - 1];
  if (plain && isIdent(last) && core.every((t, k) => (k % 2 === 1 ? t.text === '.' : isIdent(t)))) {
    return { text, position: null, column: identName(last, dialect), quoted: last.kind === 'quotedIdent', descending };
  }
  return { text, position: null, column: null, quoted: false, descending };
}

/** Reads the top level of one statement. Never throws; what it cannot read it leaves out. */
export function statementClauses(sql: string, dialect: Dialect): StatementClauses {
  const { toks } = significantTokens(sql, dialect);
  const depth = depths(toks);
  const out: StatementClauses = { orderBy: null, limited: false, withTies: false, tables: [], where: [], on: [] };
  const at0 = (i: number): boolean => depth[i] === 0;
  const word = (i: number): string | null => (toks[i]?.kind === 'word' && at0(i) ? toks[i].lower : null);
  /** The end of a clause starting at `from`: the next depth-0 word in `stops`, or the end. */
  const clauseEnd = (from: number, stops: readonly string[]): number => {
    for (let k = from; k < toks.length; k++) {
      const w = word(k);
      if (w && stops.includes(w)) return k;
    }
    return toks.length;
  };
  const conditionStops = ['group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'union', 'intersect', 'except', 'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'where', 'returning'];
  for (let i = 0; i < toks.length; i++) {
    const w = word(i);
    if (!w) continue;
    if (w === 'from' || w === 'join') {
      let j = i + 1;
      if (word(j) === 'only' || word(j) === 'lateral') j++;
      for (;;) {
        const read = readTable(toks, j, dialect);
        if (!read) break;
        out.tables.push(read.ref);
        j = read.next;
        // FROM a, b: more tables after a depth-0 comma (only in FROM, where a join's ON cannot follow).
        if (w === 'from' && toks[j]?.text === ',' && at0(j)) j++;
        else break;
      }
    } else if (w === 'where') {
      const end = clauseEnd(i + 1, conditionStops);
      if (end > i + 1) out.where.push(textOf(sql, toks.slice(i + 1, end)));
    } else if (w === 'on' && i > 0 && word(i - 1) !== 'distinct') {
      const end = clauseEnd(i + 1, conditionStops);
      if (end > i + 1) out.on.push(textOf(sql, toks.slice(i + 1, end)));
    } else if (w === 'order' && word(i + 1) === 'by') {
      // The statement's ORDER BY is its last depth-0 one (a UNION's branches cannot carry their own unparenthesized).
      const end = clauseEnd(i + 2, ['limit', 'offset', 'fetch', 'for']);
      const items: Tok[][] = [[]];
      for (let k = i + 2; k < end; k++) {
        if (toks[k]!.text === ',' && at0(k)) items.push([]);
        else items[items.length - 1]!.push(toks[k]!);
      }
      out.orderBy = items.filter((it) => it.length).map((it) => orderItem(sql, it, dialect));
      out.limited = false;
      out.withTies = false;
    } else if (w === 'limit' || w === 'offset') {
      // `LIMIT ALL` does not cut.
      if (!(w === 'limit' && word(i + 1) === 'all')) out.limited = true;
    } else if (w === 'fetch') {
      out.limited = true;
      const end = clauseEnd(i + 1, ['for']);
      for (let k = i + 1; k < end - 1; k++) if (word(k) === 'with' && word(k + 1) === 'ties') out.withTies = true;
    } else if (w === 'union' || w === 'intersect' || w === 'except') {
      // A set operation after an ORDER BY/LIMIT would need parentheses; what follows starts a new branch.
      out.orderBy = null;
      out.limited = false;
      out.withTies = false;
    }
  }
  return out;
}
