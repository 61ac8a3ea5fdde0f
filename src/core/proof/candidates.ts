// Index candidates for the advisor, deterministic and without a model: from the plan findings that point at a missing
// index (seq-scan-filter, index-filter, join-filter, nested-loop-inner-scan, trigger-time for foreign keys,
// sqlite-full-scan, sqlite-auto-index). Each candidate puts equality columns first, then one range column, or the
// ORDER BY columns instead; a narrow query also gets a covering variant with INCLUDE (an index-only scan). Candidates an
// existing index already covers are skipped and said so. Every candidate is only a hypothesis: the what-if tests it.
import type { Finding } from '../findings';
import type { Plan, PlanNode } from '../plan/model';
import { preorder } from '../plan/model';
import { flowChildren } from '../plan/rules/context';
import type { Catalog, CatalogIndex, CatalogTable } from '../schema/catalog';
import { columnList, newIndexName, quoteIdent } from '../schema/quote';
import type { Dialect } from '../sql/dialect';
import { columnRef, conditionColumns, sortColumns, type ColumnComparison } from './conditionColumns';
import { statementClauses, type TableRef } from './statementClauses';
import { significantTokens } from './tokens';

/** The findings whose fix is an index; the advisor starts from these and no others. */
export const indexFindingRules: readonly string[] = [
  'seq-scan-filter',
  'index-filter',
  'join-filter',
  'nested-loop-inner-scan',
  'trigger-time',
  'sqlite-full-scan',
  'sqlite-auto-index',
];

/** At most this many candidates are tested: each one costs a what-if (Dexter tests a similar handful per query). */
export const MAX_CANDIDATES = 8;
/** A covering (INCLUDE) variant is offered when it adds at most this many columns: wider, and the index is a table copy. */
export const MAX_INCLUDE_COLUMNS = 3;

export interface IndexCandidate {
  table: { schema: string | null; name: string };
  /** Key columns, in index order. */
  columns: string[];
  /** INCLUDE columns (PostgreSQL 11+). */
  include: string[];
  /** The statement to test and, once verified, to apply (CONCURRENTLY on PostgreSQL; the what-if removes it). */
  statement: string;
  /** The finding it answers, e.g. `seq-scan-filter at #2`. */
  source: string;
}

export interface SkippedCandidate {
  statement: string;
  /** The existing index that already serves it. */
  coveredBy: string;
}

export interface CandidateInput {
  plan: Plan;
  findings: readonly Finding[];
  /** The database's catalog (existing indexes, columns, foreign keys); null when it could not be read. */
  catalog: Catalog | null;
  dialect: Dialect;
  /** The statement itself: SQLite plans carry no conditions, so its WHERE, ON and ORDER BY are read instead. */
  sql: string;
  /** INCLUDE is available (PostgreSQL 11 and later). */
  include: boolean;
}

interface Target {
  table: { schema: string | null; name: string };
  /** Names that qualify this table's columns in conditions (alias, table name). */
  names: Set<string>;
  catalogTable: CatalogTable | undefined;
}

interface Ingredients {
  target: Target;
  comparisons: ColumnComparison[];
  /** Columns of an ORDER BY the index could deliver. */
  sort: string[];
  /** Columns the query reads from the table (VERBOSE output), when known. */
  needed: string[] | null;
  /** index-filter: the comparisons of the Filter alone (the columns the index in use misses). */
  filterOnly?: ColumnComparison[];
  source: string;
}

const scanTypes = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function findTable(catalog: Catalog | null, schema: string | null, name: string): CatalogTable | undefined {
  if (!catalog) return undefined;
  const matches = catalog.tables.filter((t) => t.name === name && (schema === null || t.schema === schema));
  return matches.length === 1 ? matches[0] : undefined;
}

function target(catalog: Catalog | null, schema: string | null, name: string, alias: string | null): Target {
  const catalogTable = findTable(catalog, schema, name);
  return {
    table: { schema: catalogTable?.schema ?? schema, name },
    names: new Set([name, ...(alias ? [alias] : [])]),
    catalogTable,
  };
}

/** Comparisons that belong to the target: qualified by its alias or name, or bare when bare columns are its own. */
function mine(comparisons: readonly ColumnComparison[], t: Target, bareIsMine: boolean): ColumnComparison[] {
  return comparisons.filter((c) => (c.qualifier === null ? bareIsMine : t.names.has(c.qualifier)));
}

/** Sort keys of the nearest Sort above the node, when nothing between them joins (an index can feed the order). */
function sortAbove(node: PlanNode, parent: ReadonlyMap<PlanNode, PlanNode>, dialect: Dialect, t: Target): string[] {
  for (let p = parent.get(node), child = node; p; child = p, p = parent.get(p)) {
    if (flowChildren(p).length > 1 && flowChildren(p).includes(child)) return [];
    if ((p.nodeType === 'Sort' || p.nodeType === 'Incremental Sort') && p.sortKey) {
      const cols = sortColumns(p.sortKey, dialect);
      if (cols.length !== p.sortKey.length) return [];
      return cols.every((c) => c.qualifier === null || t.names.has(c.qualifier)) ? cols.map((c) => c.column) : [];
    }
  }
  return [];
}

function outputColumns(node: PlanNode, dialect: Dialect, t: Target): string[] | null {
  if (!node.output) return null;
  const out: string[] = [];
  for (const o of node.output) {
    const ref = columnRef(significantTokens(o, dialect).toks, dialect);
    if (!ref || (ref.qualifier !== null && !t.names.has(ref.qualifier))) return null;
    out.push(ref.column);
  }
  return out;
}

/** The scan a join's inner side reads (through Materialize, Hash and Memoize), if it is a plain table scan. */
function innerScan(node: PlanNode | undefined): PlanNode | undefined {
  let n = node;
  while (n && (n.nodeType === 'Materialize' || n.nodeType === 'Hash' || n.nodeType === 'Memoize')) n = flowChildren(n)[0];
  return n && scanTypes.has(n.nodeType) && n.relation !== undefined ? n : undefined;
}

function pgIngredients(input: CandidateInput, f: Finding, byId: ReadonlyMap<string, PlanNode>, parent: ReadonlyMap<PlanNode, PlanNode>): Ingredients[] {
  const d = input.dialect;
  const node = f.node ? byId.get(f.node) : undefined;
  const source = `${f.rule}${f.node ? ` at ${f.node}` : ''}`;
  const forScan = (scan: PlanNode, extra: readonly string[]): Ingredients | undefined => {
    if (!scan.relation) return undefined;
    const t = target(input.catalog, scan.schema ?? null, scan.relation, scan.alias ?? null);
    const conds = [scan.indexCond, scan.recheckCond, scan.filter, ...scan.children.filter((c) => c.nodeType === 'Bitmap Index Scan').map((c) => c.indexCond)];
    const comparisons = mine(conds.flatMap((c) => (c ? conditionColumns(c, d) : [])), t, true);
    comparisons.push(...mine(extra.flatMap((c) => conditionColumns(c, d)), t, false));
    // An index scan with no condition reads its index only for the order (ORDER BY … LIMIT): its columns are the sort.
    const orderIndex = scan.index !== undefined && scan.indexCond === undefined ? t.catalogTable?.indexes.find((i) => i.name === scan.index) : undefined;
    const sort = orderIndex && !orderIndex.hasExpressions ? orderIndex.columns : sortAbove(scan, parent, d, t);
    return { target: t, comparisons, sort, needed: outputColumns(scan, d, t), source };
  };
  switch (f.rule) {
    case 'seq-scan-filter': {
      const got = node && forScan(node, []);
      return got ? [got] : [];
    }
    case 'index-filter': {
      const got = node && forScan(node, []);
      if (!got || !node.filter) return got ? [got] : [];
      return [{ ...got, filterOnly: mine(conditionColumns(node.filter, d), got.target, true) }];
    }
    case 'join-filter': {
      if (!node?.joinFilter) return [];
      const scan = innerScan(flowChildren(node)[1]);
      const got = scan && forScan(scan, [node.joinFilter]);
      return got ? [got] : [];
    }
    case 'nested-loop-inner-scan': {
      // The finding points at the inner side; the join condition sits on the Nested Loop above it.
      const scan = innerScan(node);
      const loop = node ? parent.get(node) : undefined;
      const got = scan && forScan(scan, loop?.joinFilter ? [loop.joinFilter] : []);
      return got ? [got] : [];
    }
    case 'trigger-time': {
      // Foreign-key checks: the referencing columns come from the catalog, not the plan. A constraint trigger is named
      // by its constraint (the foreign key); otherwise every foreign key that references the trigger's table.
      const trigger = typeof f.evidence['trigger'] === 'string' ? f.evidence['trigger'] : undefined;
      if (!trigger || !input.catalog) return [];
      const relation = triggerRelation(input.plan, trigger);
      const fks = input.catalog.tables.flatMap((t) => t.foreignKeys.map((fk) => ({ t, fk })));
      const named = fks.filter(({ fk }) => fk.name === trigger);
      const chosen = named.length ? named : fks.filter(({ fk }) => relation !== undefined && fk.referencedTable === relation);
      return chosen.map(({ t, fk }) => ({
        target: target(input.catalog, t.schema, t.name, null),
        comparisons: fk.columns.map((column) => ({ column, qualifier: null, kind: 'equality' as const, joinsColumn: true })),
        sort: [],
        needed: null,
        source,
      }));
    }
    default:
      return [];
  }
}

function triggerRelation(plan: Plan, name: string): string | undefined {
  return plan.triggers.find((t) => t.name === name)?.relation;
}

function sqliteIngredients(input: CandidateInput, f: Finding, byId: ReadonlyMap<string, PlanNode>): Ingredients[] {
  const node = f.node ? byId.get(f.node) : undefined;
  if (!node?.relation) return [];
  const clauses = statementClauses(input.sql, 'sqlite');
  const unquote = (s: string): string => s.replace(/^"(.*)"$/, '$1');
  const rel = unquote(node.relation);
  const ref: TableRef | undefined = clauses.tables.find((t) => t.alias === rel) ?? clauses.tables.find((t) => t.name === rel) ?? { schema: null, name: rel, alias: null };
  const t = target(input.catalog, null, ref.name, ref.alias);
  const source = `${f.rule}${f.node ? ` at ${f.node}` : ''}`;
  const owns = (column: string): boolean => t.catalogTable?.columns.some((c) => c.name === column) ?? clauses.tables.length === 1;
  const othersOwn = (column: string): boolean =>
    clauses.tables.some((o) => o !== ref && (findTable(input.catalog, null, o.name)?.columns.some((c) => c.name === column) ?? false));
  const all = [...clauses.where, ...clauses.on].flatMap((c) => conditionColumns(c, 'sqlite'));
  // A bare column belongs to this table when it has the column and no other table in the query does.
  const comparisons = all.filter((c) => (c.qualifier === null ? owns(c.column) && !othersOwn(c.column) : t.names.has(c.qualifier)));
  if (f.rule === 'sqlite-auto-index' && node.indexCond) comparisons.unshift(...conditionColumns(node.indexCond, 'sqlite').map((c) => ({ ...c, qualifier: null })));
  const sort: string[] = [];
  for (const item of clauses.orderBy ?? []) {
    if (!item.column || !owns(item.column) || othersOwn(item.column)) break;
    sort.push(item.column);
  }
  return [{ target: t, comparisons, sort, needed: null, source }];
}

/** Key column lists to try for one set of ingredients: equality then range; equality then ORDER BY. */
/**
 * Key column lists to try for one set of ingredients: equality then one range column (Dexter's order); equality then
 * the ORDER BY; with several range columns, all of them (the later ones still filter inside the index, before the
 * table is read); for an index with a Filter, the Filter's own columns.
 */
function keyVariants(ing: Ingredients): string[][] {
  const known = (c: string): boolean => !ing.target.catalogTable || ing.target.catalogTable.columns.some((x) => x.name === c);
  const split = (comparisons: readonly ColumnComparison[]): { eq: string[]; range: string[] } => {
    const eq = uniq(comparisons.filter((c) => c.kind === 'equality').map((c) => c.column)).filter(known);
    return { eq, range: uniq(comparisons.filter((c) => c.kind === 'range').map((c) => c.column)).filter((c) => known(c) && !eq.includes(c)) };
  };
  const { eq, range } = split(ing.comparisons);
  const variants: string[][] = [];
  const add = (keys: string[]): void => {
    if (keys.length && !variants.some((v) => v.join('\0') === keys.join('\0'))) variants.push(keys);
  };
  add(range[0] ? [...eq, range[0]] : eq);
  const sort = ing.sort.filter(known);
  if (sort.length) add(uniq([...eq, ...sort]));
  if (range.length > 1) add([...eq, ...range.slice(0, 3)]);
  if (ing.filterOnly) {
    const f = split(ing.filterOnly);
    add(f.range[0] ? [...f.eq, f.range[0]] : f.eq);
  }
  return variants;
}

function covers(index: CatalogIndex, keys: readonly string[], include: readonly string[], equalityCount: number): boolean {
  if (index.valid === false || index.predicate !== null || index.hasExpressions) return false;
  if (index.method !== 'btree' && index.method !== 'sqlite') return false;
  if (index.columns.length < keys.length) return false;
  const prefix = index.columns.slice(0, keys.length);
  const sameOrder = keys.every((k, i) => prefix[i] === k);
  // Equality columns may come in any order; only what follows them must line up.
  const eqSet = new Set(keys.slice(0, equalityCount));
  const sameSet = prefix.slice(0, equalityCount).every((c) => eqSet.has(c)) && keys.slice(equalityCount).every((k, i) => prefix[equalityCount + i] === k);
  if (!sameOrder && !sameSet) return false;
  const has = new Set([...index.columns, ...(index.include ?? [])]);
  return include.every((c) => has.has(c));
}

function statementFor(dialect: Dialect, t: Target, keys: readonly string[], include: readonly string[], taken: Set<string>): string {
  let name = newIndexName(t.table.name, include.length ? [...keys, 'covering'] : keys);
  for (let n = 2; taken.has(name); n++) name = `${newIndexName(t.table.name, keys).replace(/_idx$/, '')}_${n}_idx`;
  taken.add(name);
  const table = dialect === 'postgres' && t.table.schema ? `${quoteIdent(t.table.schema)}.${quoteIdent(t.table.name)}` : quoteIdent(t.table.name);
  if (dialect === 'sqlite') return `CREATE INDEX ${quoteIdent(name)} ON ${table} (${columnList(keys)})`;
  return `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${table} (${columnList(keys)})${include.length ? ` INCLUDE (${columnList(include)})` : ''}`;
}

/** Candidates from the index findings, most promising first (findings are sorted by score), without duplicates. */
export function indexCandidates(input: CandidateInput): { candidates: IndexCandidate[]; skipped: SkippedCandidate[] } {
  const nodes = preorder(input.plan.root);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<PlanNode, PlanNode>();
  for (const n of nodes) for (const c of n.children) parent.set(c, n);
  const candidates: IndexCandidate[] = [];
  const skipped: SkippedCandidate[] = [];
  const seen = new Set<string>();
  const taken = new Set(input.catalog?.tables.flatMap((t) => t.indexes.map((i) => i.name)) ?? []);
  for (const f of input.findings) {
    if (!indexFindingRules.includes(f.rule)) continue;
    const found = input.dialect === 'sqlite' ? sqliteIngredients(input, f, byId) : pgIngredients(input, f, byId, parent);
    for (const ing of found) {
      const eqCount = new Set(ing.comparisons.filter((c) => c.kind === 'equality').map((c) => c.column)).size;
      const variants: { keys: string[]; include: string[] }[] = keyVariants(ing).map((keys) => ({ keys, include: [] }));
      const first = variants[0];
      const width = ing.target.catalogTable?.columns.length ?? 0;
      if (first && input.include && ing.needed) {
        const extra = uniq(ing.needed).filter((c) => !first.keys.includes(c));
        if (extra.length > 0 && extra.length <= MAX_INCLUDE_COLUMNS && width > first.keys.length + extra.length) variants.push({ keys: first.keys, include: extra });
      }
      for (const v of variants) {
        const key = `${ing.target.table.schema ?? ''}\0${ing.target.table.name}\0${v.keys.join('\0')}\0${v.include.join('\0')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const existing = ing.target.catalogTable?.indexes.find((i) => covers(i, v.keys, v.include, Math.min(eqCount, v.keys.length)));
        const statement = statementFor(input.dialect, ing.target, v.keys, v.include, taken);
        if (existing) {
          skipped.push({ statement, coveredBy: existing.name });
          continue;
        }
        if (candidates.length < MAX_CANDIDATES) candidates.push({ table: ing.target.table, columns: v.keys, include: v.include, statement, source: ing.source });
      }
    }
  }
  return { candidates, skipped };
}
