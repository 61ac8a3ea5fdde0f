// describe_table on PostgreSQL and PGlite: four catalog queries, every one with the table as a bind parameter (the
// name is data: `to_regclass($1)` reads it as PostgreSQL would, quotes and search_path included), inside the caller's
// READ ONLY transaction. Most-common values are read only when asked for; otherwise they never leave the server.
import type { DescribeOptions, DescribedConstraint, TableDescription } from '../../core/schema/tableDescription';
import { StatementError } from '../errors';

export type CatalogQuery = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const relationSql = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
       c.reltuples::float8 AS reltuples,
       CASE WHEN c.relkind IN ('r','m','p','t') THEN pg_total_relation_size(c.oid) END::int8 AS total_bytes,
       CASE WHEN c.relkind IN ('r','m','t') THEN pg_table_size(c.oid) END::int8 AS table_bytes,
       s.last_analyze::text AS last_analyze, s.last_autoanalyze::text AS last_autoanalyze,
       s.last_vacuum::text AS last_vacuum, s.last_autovacuum::text AS last_autovacuum,
       s.n_live_tup::int8 AS live_tuples,
       obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
 WHERE c.oid = to_regclass($1::text)`;

const columnsSql = `
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS primary_key,
       st.n_distinct::float8 AS n_distinct, st.null_frac::float8 AS null_frac, st.correlation::float8 AS correlation,
       CASE WHEN $2::bool THEN st.most_common_vals::text END AS mcv,
       CASE WHEN $2::bool THEN st.most_common_freqs::float8[] END AS mcf,
       st.attname IS NOT NULL AS has_stats
  FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_stats st ON st.schemaname = $3 AND st.tablename = $4 AND st.attname = a.attname AND NOT st.inherited
 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

const indexesSql = `
SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisunique AS unique, i.indisprimary AS primary,
       pg_relation_size(i.indexrelid)::int8 AS bytes, si.idx_scan::int8 AS scans
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_stat_all_indexes si ON si.indexrelid = i.indexrelid
 WHERE i.indrelid = $1::oid
 ORDER BY i.indisprimary DESC, ic.relname`;

const constraintsSql = `
SELECT conname AS name, contype::text AS type, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint
 WHERE conrelid = $1::oid
 ORDER BY contype, conname`;

const kinds: Record<string, string> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table', t: 'TOAST table' };
const constraintKinds: Record<string, DescribedConstraint['kind']> = { p: 'primary key', u: 'unique', f: 'foreign key', c: 'check', x: 'exclusion', n: 'not null' };

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
function strOrNull(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Splits PostgreSQL's text form of an anyarray (`{a,"b c",NULL}`) into its elements. */
export function pgArrayElements(text: string): string[] {
  const out: string[] = [];
  const body = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  let i = 0;
  while (i < body.length) {
    if (body[i] === '"') {
      let j = i + 1;
      let v = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\' && j + 1 < body.length) j++;
        v += body[j];
        j++;
      }
      out.push(v);
      i = j + 2;
    } else {
      const j = body.indexOf(',', i);
      const end = j === -1 ? body.length : j;
      out.push(body.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Describes one table; throws StatementError naming the table when there is none (or the name cannot be read). */
export async function describePostgres(query: CatalogQuery, table: string, options: Pick<DescribeOptions, 'mostCommonValues'> = {}): Promise<TableDescription> {
  let rel: Record<string, unknown> | undefined;
  try {
    [rel] = await query(relationSql, [table]);
  } catch (err) {
    // to_regclass raises only for a name it cannot parse (`a.b.c.d`, an unclosed quote).
    throw new StatementError(`cannot read ${JSON.stringify(table)} as a table name: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!rel) throw new StatementError(`table ${JSON.stringify(table)} does not exist (or is not on the search path; qualify it with its schema)`);
  const oid = String(rel.oid);
  const schema = String(rel.schema);
  const name = String(rel.name);
  const [columns, indexes, constraints] = [
    await query(columnsSql, [oid, options.mostCommonValues === true, schema, name]),
    await query(indexesSql, [oid]),
    await query(constraintsSql, [oid]),
  ];
  const notes: string[] = [];
  const reltuples = numOrNull(rel.reltuples);
  // reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+), 0 before that.
  const rowEstimate = reltuples !== null && reltuples >= 0 ? reltuples : numOrNull(rel.live_tuples);
  if (!columns.some((c) => c.has_stats === true)) notes.push('no column statistics: the table has not been analyzed (ANALYZE fills pg_stats)');
  return {
    dialect: 'postgres',
    schema,
    name,
    kind: kinds[String(rel.relkind)] ?? 'relation',
    rowEstimate,
    totalBytes: numOrNull(rel.total_bytes),
    tableBytes: numOrNull(rel.table_bytes),
    lastAnalyze: strOrNull(rel.last_analyze),
    lastAutoanalyze: strOrNull(rel.last_autoanalyze),
    lastVacuum: strOrNull(rel.last_vacuum),
    lastAutovacuum: strOrNull(rel.last_autovacuum),
    comment: strOrNull(rel.comment),
    columns: columns.map((c) => ({
      name: String(c.name),
      type: String(c.type),
      nullable: c.nullable === true,
      default: strOrNull(c.default_expr),
      primaryKey: c.primary_key === true,
      stats:
        c.has_stats === true
          ? {
              nDistinct: numOrNull(c.n_distinct),
              nullFrac: numOrNull(c.null_frac),
              correlation: numOrNull(c.correlation),
              mostCommonValues: typeof c.mcv === 'string' ? pgArrayElements(c.mcv) : null,
              mostCommonFreqs: Array.isArray(c.mcf) ? (c.mcf as unknown[]).map(Number) : null,
            }
          : null,
    })),
    indexes: indexes.map((i) => ({
      name: String(i.name),
      definition: String(i.definition),
      unique: i.unique === true,
      primary: i.primary === true,
      bytes: numOrNull(i.bytes),
      scans: numOrNull(i.scans),
    })),
    constraints: constraints.map((c) => ({ name: String(c.name), kind: constraintKinds[String(c.type)] ?? 'other', definition: String(c.definition) })),
    notes,
  };
}
