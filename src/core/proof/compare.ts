// Result equivalence of a rewrite, the pure half: which statements may be compared at all, the SQL of the comparison
// (built around the two statements, which stay one statement each with balanced parentheses), and the verdict from
// what the database counted. The database half (src/db) runs the SQL in one READ ONLY, REPEATABLE READ transaction.
//
// Bag semantics: rows are compared with their multiplicity — EXCEPT ALL both ways on PostgreSQL; on SQLite, which has
// no EXCEPT ALL, the same counts from grouping both sides (GROUP BY treats NULLs as equal, as EXCEPT ALL does). Plain
// EXCEPT would remove duplicates and hide a rewrite that duplicates or drops copies of a row.
import { classifyStatement } from '../sql/classify';
import type { Dialect } from '../sql/dialect';
import { statementClauses, type OrderItem, type StatementClauses } from './statementClauses';
import { balanced, significantTokens } from './tokens';

/** At most this many sample rows of each side's difference are kept (shown locally, never sent on their own). */
export const MAX_SAMPLE_ROWS = 5;
/** Ordered results are compared row by row up to this many rows (the rest is counted, not ordered). */
export const MAX_ORDERED_ROWS = 10_000;
/** Floating-point columns that differ only past this many significant digits count as equal (summation order). */
export const FLOAT_DIGITS = 10;

export type CompareVerdict = 'equal' | 'different' | 'nondeterministic' | 'cannot-verify';

export const compareVerdicts: readonly CompareVerdict[] = ['equal', 'different', 'nondeterministic', 'cannot-verify'];

/** A value as the comparison shows it: text (PostgreSQL's own text form; SQLite's value as text), or NULL. */
export type Cell = string | null;

export interface ColumnInfo {
  name: string;
  /** The type as the database names it (PostgreSQL); null where values carry their own types (SQLite). */
  type: string | null;
  /** PostgreSQL's type oid, when known. */
  typeId?: number;
}

export interface PreparedStatement {
  /** The statement as it is run (no EXPLAIN prefix, no trailing `;`). */
  statement: string;
  clauses: StatementClauses;
  /** Functions it calls (lower case), for the volatility lookup. */
  calledFunctions: string[];
}

export interface PreparedComparison {
  original: PreparedStatement;
  rewrite: PreparedStatement;
  /** Reasons known without the catalog why the result cannot be compared (volatile functions, TABLESAMPLE, …). */
  volatility: string[];
}

/** Thrown (by the operation) when a statement may not be compared: it is not a read, or not one statement. */
export type ComparisonRefusal = { refusal: string };

const readKinds = new Set(['select', 'with select', 'values', 'table']);

/** SQLite functions whose result changes from call to call or with the connection's state. */
const sqliteVolatile = new Set(['random', 'randomblob', 'changes', 'total_changes', 'last_insert_rowid']);

function prepareOne(sql: string, dialect: Dialect, label: string): PreparedStatement | ComparisonRefusal {
  const c = classifyStatement(sql, dialect);
  if (c.refusal) return { refusal: `the ${label}: ${c.refusal}` };
  if (c.userExplain) return { refusal: `the ${label} is an EXPLAIN; give the query itself` };
  if (!readKinds.has(c.kind) || c.effect !== 'read') {
    return { refusal: `the ${label} is ${c.effect === 'lock' ? 'a locking read (FOR UPDATE/SHARE)' : `a ${c.kind.toUpperCase()} statement`}; only reads are compared` };
  }
  if (c.hasParameters) return { refusal: `the ${label} has bind parameters; replace them with values to compare results` };
  const { toks } = significantTokens(c.statement, dialect);
  if (!balanced(toks)) return { refusal: `the ${label}'s parentheses do not balance` };
  return { statement: c.statement, clauses: statementClauses(c.statement, dialect), calledFunctions: c.calledFunctions };
}

/** Why a statement's result changes between runs, as far as the text says (the catalog adds volatile functions). */
function textVolatility(sql: string, dialect: Dialect, label: string): string[] {
  const c = classifyStatement(sql, dialect);
  const out = c.sideEffects.map((s) => `the ${label} calls a function with effects: ${s}`);
  const { toks } = significantTokens(c.statement, dialect);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'word' && t.lower === 'tablesample') {
      const rest = toks.slice(i, i + 40).map((x) => x.lower);
      if (!rest.includes('repeatable')) out.push(`the ${label} uses TABLESAMPLE without REPEATABLE: it reads a different sample each time`);
    }
    if (dialect === 'sqlite' && t.kind === 'word' && sqliteVolatile.has(t.lower) && toks[i + 1]?.text === '(') {
      out.push(`the ${label} calls ${t.lower}(), which returns a different value on each call`);
    }
    if (dialect === 'sqlite' && t.kind === 'string' && /^'now'$/i.test(t.text)) {
      out.push(`the ${label} reads the current time ('now'), which differs between the two runs`);
    }
  }
  return [...new Set(out)];
}

/** Checks both statements and collects what the text says about volatility. Nothing runs. */
export function prepareComparison(original: string, rewrite: string, dialect: Dialect): PreparedComparison | ComparisonRefusal {
  const o = prepareOne(original, dialect, 'original');
  if ('refusal' in o) return o;
  const r = prepareOne(rewrite, dialect, 'rewrite');
  if ('refusal' in r) return r;
  return { original: o, rewrite: r, volatility: [...textVolatility(original, dialect, 'original'), ...textVolatility(rewrite, dialect, 'rewrite')] };
}

/** The reason one volatile catalog function makes a result uncomparable. */
export function volatileFunctionReason(schema: string, name: string): string {
  return `${schema === 'pg_catalog' ? '' : `${schema}.`}${name}() is VOLATILE: it may return a different value on every call, so two runs cannot be compared`;
}

// ---- SQL --------------------------------------------------------------------------------------------------------

const cols = (n: number, prefix = 'c'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** PostgreSQL types without an equality operator (EXCEPT ALL cannot compare them): compared as text. */
const noEqualityTypes = new Set([114 /* json */, 142 /* xml */, 600 /* point */, 601 /* lseg */, 602 /* path */, 603 /* box */, 604 /* polygon */, 628 /* line */, 718 /* circle */, 199 /* json[] */]);
/** float4, float8. */
export const floatTypes = new Set([700, 701]);

export interface ProjectionOptions {
  /** Compare every column as text (after the typed comparison failed: types without equality, mismatched types). */
  asText?: boolean;
  /** Round floating-point columns to FLOAT_DIGITS significant digits. */
  roundFloats?: boolean;
}

/** How column `c` of a side enters the comparison. */
function projection(dialect: Dialect, column: string, info: ColumnInfo | undefined, options: ProjectionOptions): string {
  if (dialect === 'sqlite') {
    return options.roundFloats ? `CASE WHEN typeof(${column}) = 'real' THEN printf('%.${FLOAT_DIGITS - 1}e', ${column}) ELSE ${column} END` : column;
  }
  const typeId = info?.typeId;
  if (options.roundFloats && typeId !== undefined && floatTypes.has(typeId)) {
    return `CASE WHEN ${column} IN ('NaN', 'Infinity', '-Infinity') THEN ${column}::text ELSE to_char(${column}, '9.${'9'.repeat(FLOAT_DIGITS - 1)}EEEE') END`;
  }
  if (options.asText || (typeId !== undefined && noEqualityTypes.has(typeId))) return `${column}::text`;
  return column;
}

function ctes(p: PreparedComparison, n: number, dialect: Dialect, materialized: boolean): string {
  const list = n ? `(${cols(n).join(', ')})` : '';
  const m = materialized ? ' MATERIALIZED' : '';
  // Each statement on lines of its own, so a trailing line comment cannot swallow the closing parenthesis.
  return `WITH dataeng_a${list} AS${m} (\n${p.original.statement}\n), dataeng_b${list} AS${m} (\n${p.rewrite.statement}\n)`;
}

export interface CompareSqlOptions extends ProjectionOptions {
  /** The columns (of the original); their types choose each column's projection. */
  columns: readonly ColumnInfo[];
  /** PostgreSQL 12+ and SQLite 3.35+ take `AS MATERIALIZED`, so each statement runs once per query. */
  materialized: boolean;
}

/**
 * One row: rows of the original, rows of the rewrite, rows only in the original, rows only in the rewrite (with
 * multiplicity). PostgreSQL: EXCEPT ALL both ways; SQLite: per-row counts of both sides, grouped.
 */
export function bagCountSql(p: PreparedComparison, dialect: Dialect, o: CompareSqlOptions): string {
  const n = o.columns.length;
  const proj = cols(n)
    .map((c, i) => `${projection(dialect, c, o.columns[i], o)} AS ${c}`)
    .join(', ');
  const select = n ? proj : '1 AS c0';
  // DuckDB has EXCEPT ALL too, and reads this PostgreSQL form as it is.
  if (dialect !== 'sqlite') {
    return `${ctes(p, n, dialect, o.materialized)},
dataeng_pa AS (SELECT ${select} FROM dataeng_a), dataeng_pb AS (SELECT ${select} FROM dataeng_b)
SELECT (SELECT count(*) FROM dataeng_a)::text, (SELECT count(*) FROM dataeng_b)::text,
  (SELECT count(*) FROM (SELECT * FROM dataeng_pa EXCEPT ALL SELECT * FROM dataeng_pb) AS dataeng_x)::text,
  (SELECT count(*) FROM (SELECT * FROM dataeng_pb EXCEPT ALL SELECT * FROM dataeng_pa) AS dataeng_y)::text`;
  }
  const keys = n ? cols(n).join(', ') : 'c0';
  return `${ctes(p, n, dialect, o.materialized)},
dataeng_g AS (SELECT ${keys}, sum(dataeng_side = 0) AS dataeng_na, sum(dataeng_side = 1) AS dataeng_nb
  FROM (SELECT ${select}, 0 AS dataeng_side FROM dataeng_a UNION ALL SELECT ${select}, 1 FROM dataeng_b) GROUP BY ${keys})
SELECT (SELECT count(*) FROM dataeng_a), (SELECT count(*) FROM dataeng_b),
  (SELECT coalesce(sum(max(dataeng_na - dataeng_nb, 0)), 0) FROM dataeng_g),
  (SELECT coalesce(sum(max(dataeng_nb - dataeng_na, 0)), 0) FROM dataeng_g)`;
}

/**
 * Up to MAX_SAMPLE_ROWS rows of each side's difference, as text: rows of `side, c1, c2, …` where side is `o` (only in
 * the original) or `r` (only in the rewrite).
 */
export function sampleSql(p: PreparedComparison, dialect: Dialect, o: CompareSqlOptions): string {
  const n = o.columns.length;
  const proj = cols(n)
    .map((c, i) => `${projection(dialect, c, o.columns[i], o)} AS ${c}`)
    .join(', ');
  const select = n ? proj : '1 AS c0';
  const text = n ? cols(n).map((c) => (dialect !== 'sqlite' ? `${c}::text` : c)).join(', ') : "''";
  if (dialect !== 'sqlite') {
    return `${ctes(p, n, dialect, o.materialized)},
dataeng_pa AS (SELECT ${select} FROM dataeng_a), dataeng_pb AS (SELECT ${select} FROM dataeng_b)
(SELECT 'o', ${text} FROM (SELECT * FROM dataeng_pa EXCEPT ALL SELECT * FROM dataeng_pb) AS dataeng_x LIMIT ${MAX_SAMPLE_ROWS})
UNION ALL
(SELECT 'r', ${text} FROM (SELECT * FROM dataeng_pb EXCEPT ALL SELECT * FROM dataeng_pa) AS dataeng_y LIMIT ${MAX_SAMPLE_ROWS})`;
  }
  const keys = n ? cols(n).join(', ') : 'c0';
  return `${ctes(p, n, dialect, o.materialized)},
dataeng_g AS (SELECT ${keys}, sum(dataeng_side = 0) AS dataeng_na, sum(dataeng_side = 1) AS dataeng_nb
  FROM (SELECT ${select}, 0 AS dataeng_side FROM dataeng_a UNION ALL SELECT ${select}, 1 FROM dataeng_b) GROUP BY ${keys})
SELECT * FROM (SELECT 'o', ${text} FROM dataeng_g WHERE dataeng_na > dataeng_nb LIMIT ${MAX_SAMPLE_ROWS})
UNION ALL
SELECT * FROM (SELECT 'r', ${text} FROM dataeng_g WHERE dataeng_nb > dataeng_na LIMIT ${MAX_SAMPLE_ROWS})`;
}

/** The columns of a statement's result without running it (PostgreSQL: LIMIT 0; SQLite: the prepared statement). */
export function describeSql(statement: string): string {
  return `SELECT * FROM (\n${statement}\n) AS dataeng_q LIMIT 0`;
}

/** A statement's rows in its own order, every column as text, at most `cap` + 1 rows (to tell that more exist). */
export function orderedRowsSql(statement: string, n: number, dialect: Dialect, cap = MAX_ORDERED_ROWS): string {
  if (!n) return `SELECT '' FROM (\n${statement}\n) AS dataeng_q LIMIT ${cap + 1}`;
  if (dialect !== 'sqlite') return `SELECT ${cols(n).map((c) => `${c}::text`).join(', ')} FROM (\n${statement}\n) AS dataeng_q(${cols(n).join(', ')}) LIMIT ${cap + 1}`;
  // SQLite keeps a subquery's ORDER BY for a plain outer SELECT; the CTE names the columns by position.
  return `WITH dataeng_q(${cols(n).join(', ')}) AS (\n${statement}\n) SELECT * FROM dataeng_q LIMIT ${cap + 1}`;
}

// ---- order and ties ----------------------------------------------------------------------------------------------

/**
 * The output columns an ORDER BY sorts on (0-based), or null when an item is an expression or a name that is not one
 * output column: then rows tied on it cannot be told apart from misordered ones.
 */
export function orderKeyColumns(items: readonly OrderItem[], columns: readonly ColumnInfo[], dialect: Dialect): number[] | null {
  const out: number[] = [];
  for (const item of items) {
    if (item.position !== null) {
      if (item.position < 1 || item.position > columns.length) return null;
      out.push(item.position - 1);
      continue;
    }
    if (item.column === null) return null;
    // PostgreSQL folded an unquoted name to lower case already (as the server does); SQLite matches names without case.
    const matches = columns.map((c, i) => ({ c, i })).filter(({ c }) => (dialect === 'sqlite' && !item.quoted ? c.name.toLowerCase() === item.column!.toLowerCase() : c.name === item.column));
    if (matches.length !== 1) return null;
    out.push(matches[0]!.i);
  }
  return out;
}

const rowKey = (row: readonly Cell[]): string => JSON.stringify(row);

/** Rounds the floating-point cells of a row as the tolerant comparison does. */
export function roundFloatCells(row: readonly Cell[], floatColumns: ReadonlySet<number> | 'all'): Cell[] {
  return row.map((cell, i) => {
    if (cell === null || (floatColumns !== 'all' && !floatColumns.has(i))) return cell;
    if (!/^-?(\d+\.\d*|\d*\.\d+|\d+)(e[+-]?\d+)?$/i.test(cell) || (floatColumns === 'all' && /^-?\d+$/.test(cell))) return cell;
    return Number(cell).toPrecision(FLOAT_DIGITS);
  });
}

export type OrderCheck = { result: 'match' } | { result: 'mismatch'; position: number } | { result: 'unknown' };

/**
 * Whether the rewrite returns the original's rows in the original's order, allowing any order among rows tied on the
 * sort keys. Without known keys, only an identical sequence matches; a different one is `unknown`.
 */
export function checkOrder(original: readonly (readonly Cell[])[], rewrite: readonly (readonly Cell[])[], keys: readonly number[] | null): OrderCheck {
  if (keys === null) {
    const n = Math.max(original.length, rewrite.length);
    for (let i = 0; i < n; i++) if (rowKey(original[i] ?? []) !== rowKey(rewrite[i] ?? [])) return { result: 'unknown' };
    return { result: 'match' };
  }
  const keyOf = (row: readonly Cell[]): string => JSON.stringify(keys.map((k) => row[k] ?? null));
  let i = 0;
  while (i < original.length) {
    let j = i + 1;
    const k = keyOf(original[i]!);
    while (j < original.length && keyOf(original[j]!) === k) j++;
    const a = original.slice(i, j).map(rowKey).sort();
    const b = rewrite.slice(i, j).map(rowKey).sort();
    for (let x = 0; x < a.length; x++) if (a[x] !== b[x]) return { result: 'mismatch', position: i + 1 };
    i = j;
  }
  return rewrite.length > original.length ? { result: 'mismatch', position: original.length + 1 } : { result: 'match' };
}

/** Rows of `a` not matched in `b`, with multiplicity. */
function bagMinus(a: readonly (readonly Cell[])[], b: readonly (readonly Cell[])[]): (readonly Cell[])[] {
  const counts = new Map<string, number>();
  for (const r of b) counts.set(rowKey(r), (counts.get(rowKey(r)) ?? 0) + 1);
  const out: (readonly Cell[])[] = [];
  for (const r of a) {
    const k = rowKey(r);
    const c = counts.get(k) ?? 0;
    if (c > 0) counts.set(k, c - 1);
    else out.push(r);
  }
  return out;
}

/**
 * True when every row that differs between two results cut by the same LIMIT is tied, on the sort keys, with the
 * original's last row: either result is a correct answer, and a re-run may return the other.
 */
export function differOnlyInBoundaryTies(original: readonly (readonly Cell[])[], rewrite: readonly (readonly Cell[])[], keys: readonly number[]): boolean {
  const last = original[original.length - 1];
  if (!last || original.length !== rewrite.length) return false;
  const keyOf = (row: readonly Cell[]): string => JSON.stringify(keys.map((k) => row[k] ?? null));
  const boundary = keyOf(last);
  const diff = [...bagMinus(original, rewrite), ...bagMinus(rewrite, original)];
  return diff.length > 0 && diff.every((r) => keyOf(r) === boundary);
}

// ---- verdict -----------------------------------------------------------------------------------------------------

export interface BagCounts {
  original: number;
  rewrite: number;
  onlyInOriginal: number;
  onlyInRewrite: number;
}

export interface CompareFacts {
  dialect: Dialect;
  prepared: PreparedComparison;
  /** Volatile functions found in the catalog (PostgreSQL), as reasons. Non-empty means nothing was run. */
  volatileFunctions: string[];
  columns: { original: ColumnInfo[]; rewrite: ColumnInfo[] };
  /** Null when the results could not be compared (different column counts). */
  counts: BagCounts | null;
  /** The typed comparison failed and columns were compared as text (e.g. json, or types that cannot be matched). */
  comparedAsText: boolean;
  /** The counts again with floating-point columns rounded, when the exact comparison found differences. */
  roundedCounts: BagCounts | null;
  samples: { onlyInOriginal: Cell[][]; onlyInRewrite: Cell[][] };
  /** Both results in their order (text cells), when the original has ORDER BY or a LIMIT; capped at MAX_ORDERED_ROWS. */
  ordered: { original: Cell[][]; rewrite: Cell[][]; truncated: boolean } | null;
}

export interface CompareOutcome {
  verdict: CompareVerdict;
  rows: { original: number | null; rewrite: number | null };
  onlyInOriginal: number | null;
  onlyInRewrite: number | null;
  /** Null when order is not part of the original's result (no ORDER BY) or could not be judged. */
  orderMatches: boolean | null;
  /** One or two sentences; an `equal` verdict states its scope: "equal on this database (12,345 rows)". */
  reason: string;
  /** At most MAX_SAMPLE_ROWS rows from each side's difference. Local only: they reach a model only if the user sends them. */
  samples: { onlyInOriginal: Cell[][]; onlyInRewrite: Cell[][] };
  columns: { original: ColumnInfo[]; rewrite: ColumnInfo[] };
  warnings: string[];
}

const n = (x: number): string => x.toLocaleString('en-US');
const rowsWord = (x: number): string => `${n(x)} row${x === 1 ? '' : 's'}`;

/** The scope every `equal` verdict states: it holds for this data, not for all data. */
export function equalScope(rows: number): string {
  return `equal on this database (${rowsWord(rows)}); this is evidence for this data, not a proof for all data`;
}

function typeMismatches(c: CompareFacts['columns']): string[] {
  const out: string[] = [];
  c.original.forEach((col, i) => {
    const other = c.rewrite[i];
    if (other && col.type !== null && other.type !== null && col.type !== other.type) out.push(`column ${i + 1} is ${col.type} in the original and ${other.type} in the rewrite`);
  });
  return out;
}

/** The verdict from what the database counted. Pure and total: every combination of facts gets one verdict. */
export function compareVerdict(f: CompareFacts): CompareOutcome {
  const base = { samples: f.samples, columns: f.columns, warnings: [] as string[] };
  const counted = (v: CompareVerdict, reason: string, orderMatches: boolean | null): CompareOutcome => ({
    verdict: v,
    rows: { original: f.counts?.original ?? null, rewrite: f.counts?.rewrite ?? null },
    onlyInOriginal: f.counts?.onlyInOriginal ?? null,
    onlyInRewrite: f.counts?.onlyInRewrite ?? null,
    orderMatches,
    reason,
    ...base,
  });
  const volatility = [...f.prepared.volatility, ...f.volatileFunctions];
  if (volatility.length) return counted('cannot-verify', `Nothing was run: ${volatility.join('; ')}.`, null);
  const co = f.columns.original.length;
  const cr = f.columns.rewrite.length;
  if (co !== cr) return counted('different', `The rewrite returns ${cr} column${cr === 1 ? '' : 's'} and the original ${co}: the results cannot be the same.`, null);
  const counts = f.counts;
  if (!counts) return counted('cannot-verify', 'The results could not be compared.', null);
  if (f.comparedAsText) base.warnings.push('Some columns have no equality operator or differ in type, so values were compared by their text form.');
  const types = typeMismatches(f.columns);
  const o = f.prepared.original.clauses;
  const r = f.prepared.rewrite.clauses;
  const exact = counts.onlyInOriginal === 0 && counts.onlyInRewrite === 0 && counts.original === counts.rewrite;
  const rounded = !exact && f.roundedCounts !== null && f.roundedCounts.onlyInOriginal === 0 && f.roundedCounts.onlyInRewrite === 0;
  const diffText = `${rowsWord(counts.onlyInOriginal)} only in the original and ${rowsWord(counts.onlyInRewrite)} only in the rewrite (the original returns ${rowsWord(counts.original)}, the rewrite ${rowsWord(counts.rewrite)})`;
  if (types.length) {
    const values = exact || rounded ? 'the values compare equal' : diffText;
    return counted('different', `The column types differ: ${types.join('; ')} (${values}).`, null);
  }
  if (!exact && !rounded) {
    if (o.limited && !o.orderBy) {
      return counted('nondeterministic', `${diffText[0]!.toUpperCase()}${diffText.slice(1)}; but the original has LIMIT without ORDER BY, so which rows it returns is not defined and any of them is a correct answer.`, null);
    }
    if (o.limited && o.orderBy && !o.withTies && f.ordered) {
      const keys = orderKeyColumns(o.orderBy, f.columns.original, f.dialect);
      if (keys && differOnlyInBoundaryTies(f.ordered.original, f.ordered.rewrite, keys)) {
        return counted('nondeterministic', `The results differ only in rows tied on the ORDER BY key at the LIMIT (${rowsWord(counts.onlyInOriginal)} each way): either result is correct, and another run of the original may return the rewrite's.`, null);
      }
    }
    return counted('different', `The results differ: ${diffText}.`, null);
  }
  const equalText = `${equalScope(counts.original)[0]!.toUpperCase()}${equalScope(counts.original).slice(1)}.`;
  if (rounded) base.warnings.push(`Floating-point values differ only past ${FLOAT_DIGITS} significant digits (for example a sum taken in another order); they count as equal.`);
  if (o.limited && !o.orderBy) base.warnings.push('The original has LIMIT without ORDER BY: another run may return other rows.');
  if (!o.orderBy) return counted('equal', rounded ? `${equalText} (up to floating-point rounding)` : equalText, null);
  if (!r.orderBy) return counted('different', `The same ${rowsWord(counts.original)}, but the original sorts them (ORDER BY) and the rewrite does not, so its order is not guaranteed.`, false);
  if (!f.ordered) return counted('equal', equalText, null);
  if (f.ordered.truncated) base.warnings.push(`Order was compared on the first ${n(MAX_ORDERED_ROWS)} rows.`);
  const keys = orderKeyColumns(o.orderBy, f.columns.original, f.dialect);
  const roundRow = (rows: Cell[][]): Cell[][] => {
    if (!rounded) return rows;
    const floats = f.dialect === 'sqlite' ? ('all' as const) : new Set(f.columns.original.flatMap((c, i) => (c.typeId !== undefined && floatTypes.has(c.typeId) ? [i] : [])));
    return rows.map((row) => roundFloatCells(row, floats));
  };
  const check = checkOrder(roundRow(f.ordered.original), roundRow(f.ordered.rewrite), keys);
  if (check.result === 'match') return counted('equal', `${equalText}${rounded ? ' (up to floating-point rounding)' : ''} The order matches${keys ? ' (rows tied on the sort key may come in any order)' : ''}.`, true);
  if (check.result === 'mismatch') return counted('different', `The same ${rowsWord(counts.original)}, in a different order: row ${n(check.position)} is not where the original's ORDER BY puts it.`, false);
  return counted('cannot-verify', `The same ${rowsWord(counts.original)}, in a different order, and the ORDER BY sorts on expressions that are not output columns, so rows tied on them cannot be told apart from misordered ones.`, null);
}
