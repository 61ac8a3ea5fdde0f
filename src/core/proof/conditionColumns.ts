// Which columns a condition compares, and how: read from PostgreSQL's plan conditions (`(customer_id = 42)`,
// `((o.created_at >= '…'::timestamp with time zone) AND (o.created_at < '…'))`, `(oi.order_id = o.id)`), SQLite's
// automatic-index conditions (`customer_id=?`) and WHERE/ON text, with the SQL lexer. Only what a B-tree can use is
// reported: equality (`=`, `IN`, `= ANY`, `IS NULL`) and ranges (`<`, `<=`, `>`, `>=`, `BETWEEN`) of a plain column;
// an expression, an OR, a LIKE or an inequality yields nothing, because an index on the bare column would not serve it.
import type { Dialect } from '../sql/dialect';
import { identName, significantTokens, type Tok } from './tokens';

export type ComparisonKind = 'equality' | 'range';

export interface ColumnComparison {
  /** The column (unquoted; unquoted words folded to lower case in PostgreSQL). */
  column: string;
  /** What qualified it (`o` in `o.customer_id`), or null when it was written bare. */
  qualifier: string | null;
  kind: ComparisonKind;
  /** The other side is a column too (a join condition), not a value. */
  joinsColumn: boolean;
}

export interface ColumnRef {
  column: string;
  qualifier: string | null;
}

const rangeOps = new Set(['<', '<=', '>', '>=']);
/** Casts PostgreSQL adds to a column without changing what an index on it serves (varchar → text, char → bpchar). */
const transparentCasts = new Set(['text', 'bpchar', 'varchar', 'name', 'character varying']);

function stripParens(toks: Tok[]): Tok[] {
  for (;;) {
    if (toks.length < 2 || toks[0]!.text !== '(' || toks[toks.length - 1]!.text !== ')') return toks;
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      if (toks[i]!.text === '(') depth++;
      else if (toks[i]!.text === ')') depth--;
      if (depth === 0 && i < toks.length - 1) return toks;
    }
    toks = toks.slice(1, -1);
  }
}

/** Splits at depth-0 AND (not the AND of a BETWEEN); null when the level has a depth-0 OR. */
function conjuncts(toks: Tok[]): Tok[][] | null {
  const out: Tok[][] = [[]];
  let depth = 0;
  let between = false;
  for (const t of toks) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth === 0 && t.kind === 'word') {
      if (t.lower === 'or') return null;
      if (t.lower === 'between') between = true;
      else if (t.lower === 'and') {
        if (between) between = false;
        else {
          out.push([]);
          continue;
        }
      }
    }
    out.at(-1)!.push(t);
  }
  return out.filter((c) => c.length > 0);
}

/** A plain column reference: `col`, `t.col`, `s.t.col`, optionally `(…)` around it and a transparent cast after it. */
export function columnRef(toks: readonly Tok[], dialect: Dialect): ColumnRef | null {
  let t = [...toks];
  // `(email)::text` and `email::text`: PostgreSQL's rendering of a varchar column compared with text.
  const cast = t.findIndex((x) => x.text === '::');
  if (cast >= 0) {
    const type = t
      .slice(cast + 1)
      .map((x) => x.lower)
      .join(' ');
    if (!transparentCasts.has(type)) return null;
    t = t.slice(0, cast);
  }
  t = stripParens(t);
  const parts: string[] = [];
  for (let i = 0; i < t.length; i++) {
    if (i % 2 === 1) {
      if (t[i]!.text !== '.') return null;
      continue;
    }
    const name = identName(t[i]!, dialect);
    if (name === null) return null;
    parts.push(name);
  }
  if (!parts.length || parts.length > 3 || t.length % 2 === 0) return null;
  // Words that read like a column but are values or keywords.
  if (t.length === 1 && t[0]!.kind === 'word' && ['null', 'true', 'false', 'current_date', 'current_timestamp', 'localtimestamp', 'now'].includes(t[0]!.lower)) return null;
  return { column: parts[parts.length - 1]!, qualifier: parts.length > 1 ? parts[parts.length - 2]! : null };
}

function comparison(toks: Tok[], dialect: Dialect): ColumnComparison[] {
  // Find the comparison at depth 0: an operator, IS [NOT] NULL, BETWEEN, IN, = ANY.
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth !== 0 || t.text === '::') continue;
    let kind: ComparisonKind | null = null;
    let rhsStart = i + 1;
    let rhsEnd = toks.length;
    if (t.kind === 'operator' && t.text === '=') kind = 'equality';
    else if (t.kind === 'operator' && rangeOps.has(t.text)) kind = 'range';
    else if (t.kind === 'word' && t.lower === 'is') {
      if (toks[i + 1]?.lower === 'null') kind = 'equality';
      else return [];
      rhsEnd = rhsStart;
    } else if (t.kind === 'word' && t.lower === 'between') kind = 'range';
    else if (t.kind === 'word' && t.lower === 'in' && toks[i + 1]?.text === '(') kind = 'equality';
    else if (t.kind === 'word' && (t.lower === 'not' || t.lower === 'like' || t.lower === 'ilike' || t.lower === 'glob')) return [];
    else if (t.kind === 'operator') return [];
    if (!kind) continue;
    const lhs = columnRef(toks.slice(0, i), dialect);
    // `x = ANY ('{…}')` is an IN list; `x = ANY (ARRAY[y.z])` compares a value too.
    if (toks[rhsStart]?.lower === 'any' && kind === 'equality') rhsStart++;
    const rhs = rhsEnd > rhsStart ? columnRef(toks.slice(rhsStart, rhsEnd), dialect) : null;
    const out: ColumnComparison[] = [];
    if (lhs) out.push({ ...lhs, kind, joinsColumn: rhs !== null });
    if (rhs) out.push({ ...rhs, kind, joinsColumn: lhs !== null });
    return out;
  }
  return [];
}

/** Every column comparison an index could serve in a condition, in the order written. Never throws. */
export function conditionColumns(condition: string, dialect: Dialect): ColumnComparison[] {
  const { toks, unterminated } = significantTokens(condition, dialect);
  if (unterminated || !toks.length) return [];
  const out: ColumnComparison[] = [];
  // Depth-first over nested ANDs in the written order, with an explicit stack (pasted text may nest without bound).
  const stack: Tok[][] = [toks];
  while (stack.length) {
    const inner = stripParens(stack.pop()!);
    const parts = conjuncts(inner);
    if (!parts) continue;
    if (parts.length > 1) {
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
      continue;
    }
    out.push(...comparison(inner, dialect));
  }
  return out;
}

export interface SortColumn extends ColumnRef {
  descending: boolean;
}

/**
 * Plain columns of a sort key list (`o.created_at DESC`, `p.category`), up to the first key that is not a plain column
 * (an index can only serve a prefix of the order).
 */
export function sortColumns(keys: readonly string[], dialect: Dialect): SortColumn[] {
  const out: SortColumn[] = [];
  for (const key of keys) {
    const { toks } = significantTokens(key, dialect);
    let end = toks.length;
    let descending = false;
    while (end > 0) {
      const w = toks[end - 1]!.lower;
      if (w === 'desc') descending = true;
      if (w === 'asc' || w === 'desc' || w === 'first' || w === 'last' || w === 'nulls') end--;
      else break;
    }
    const ref = columnRef(toks.slice(0, end), dialect);
    if (!ref) break;
    out.push({ ...ref, descending });
  }
  return out;
}
