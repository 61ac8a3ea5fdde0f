// PostgreSQL catalog introspection: five batched catalog queries whatever the size of the schema, never one per table.
// Partitioned tables are reviewed as one table (the parent); partitions and their cloned indexes and constraints are
// folded into it, so a table with 1,000 partitions is one table in the catalog, not 1,000 tables without a key.
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable } from '../../core/schema/catalog';

/** Runs one SQL statement and returns its rows; the driver supplies it so this file stays driver-agnostic. */
export type CatalogQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

// The relations under review: ordinary and partitioned tables that are not partitions, outside system schemas,
// not owned by an extension (their tables are the extension's business, not the user's).
const tablesCte = `WITH t AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
    AND ($1::text IS NULL OR n.nspname = $1::text)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
)`;

const metaSql = `SELECT current_database() AS db,
  (SELECT d.stats_reset FROM pg_catalog.pg_stat_database d WHERE d.datname = current_database()) AS stats_reset,
  current_setting('track_counts') AS track_counts,
  (SELECT coalesce(sum(coalesce(s.idx_scan, 0) + coalesce(s.seq_scan, 0)), 0) FROM pg_catalog.pg_stat_user_tables s) AS scans,
  ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_namespace n
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
          AND ($1::text IS NULL OR n.nspname = $1::text)
        ORDER BY 1) AS schemas`;

// Sizes come from relpages (as of the last VACUUM, ANALYZE or CREATE INDEX; reltuples = -1 means there was none)
// and from the files only for relations never vacuumed or analyzed: asking the file system for 6,000 relation sizes
// cost more than the rest of the review together on a busy server.
const tablesSql = `${tablesCte},
leaves AS (
  SELECT t.oid AS root, pt.relid
  FROM t CROSS JOIN LATERAL pg_partition_tree(t.oid) pt
  WHERE t.relkind = 'p' AND pt.isleaf
),
parts AS (
  SELECT l.root, count(*) AS partitions,
    CASE WHEN bool_and(pc.reltuples < 0) THEN NULL ELSE sum(greatest(pc.reltuples, 0)) END AS reltuples,
    sum(pg_total_relation_size(l.relid) - pg_indexes_size(l.relid)) AS heap_bytes,
    sum(pg_stat_get_live_tuples(l.relid)) AS live_rows
  FROM leaves l JOIN pg_catalog.pg_class pc ON pc.oid = l.relid
  GROUP BY l.root
)
SELECT t.oid::int8 AS oid, t.nspname::text AS schema, t.relname::text AS name, t.relkind::text AS kind,
  obj_description(t.oid, 'pg_class') AS comment,
  CASE WHEN t.relkind = 'p' THEN parts.reltuples ELSE c.reltuples END AS reltuples,
  CASE WHEN t.relkind = 'p' THEN parts.heap_bytes
  WHEN c.reltuples >= 0 THEN (c.relpages::int8 + coalesce(tc.relpages, 0)) * current_setting('block_size')::int8
  ELSE pg_table_size(t.oid) END AS heap_bytes,
  CASE WHEN t.relkind = 'p' THEN coalesce(parts.partitions, 0) END AS partitions,
  CASE WHEN t.relkind = 'p' THEN parts.live_rows ELSE pg_stat_get_live_tuples(t.oid) END AS live_rows,
  greatest(pg_stat_get_last_analyze_time(t.oid), pg_stat_get_last_autoanalyze_time(t.oid)) AS last_analyzed,
  pg_stat_get_mod_since_analyze(t.oid) AS mods
FROM t JOIN pg_catalog.pg_class c ON c.oid = t.oid
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid
LEFT JOIN parts ON parts.root = t.oid
ORDER BY t.nspname, t.relname`;

// Comments are looked up per row by index (col_description) rather than joined: with the row estimates of a
// catalog the planner may pick a nested loop over pg_description, which took seconds on 20,000 columns.
// Sequences owned by a column (serial: deptype 'a') or backing an identity column (deptype 'i').
const columnsSql = `${tablesCte},
seqs AS (
  SELECT d.refobjid, d.refobjsubid, quote_ident(sn.nspname) || '.' || quote_ident(s.relname) AS seqname,
    CASE WHEN has_sequence_privilege(s.oid, 'SELECT,USAGE') THEN pg_sequence_last_value(s.oid) END AS last_value,
    ps.seqmax AS max_value
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
  JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = s.oid
  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
    AND d.deptype IN ('a', 'i')
)
SELECT a.attrelid::int8 AS oid, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
  NOT a.attnotnull AS nullable, pg_get_expr(ad.adbin, ad.adrelid) AS def,
  col_description(a.attrelid, a.attnum) AS comment, a.attidentity::text AS identity,
  seqs.seqname, seqs.last_value, seqs.max_value
FROM t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN seqs ON seqs.refobjid = a.attrelid AND seqs.refobjsubid = a.attnum
ORDER BY a.attrelid, a.attnum`;

// conparentid = 0 keeps the constraint the user declared and drops the copies PostgreSQL clones onto partitions.
const constraintsSql = `${tablesCte},
cons AS (
  SELECT con.* FROM t JOIN pg_catalog.pg_constraint con ON con.conrelid = t.oid AND con.contype IN ('p', 'f') AND con.conparentid = 0
),
cols AS (
  SELECT cons.oid, array_agg(a.attname::text ORDER BY k.n) AS cols
  FROM cons CROSS JOIN LATERAL unnest(cons.conkey) WITH ORDINALITY k(attnum, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = cons.conrelid AND a.attnum = k.attnum
  GROUP BY cons.oid
),
refcols AS (
  SELECT cons.oid, array_agg(a.attname::text ORDER BY k.n) AS cols
  FROM cons CROSS JOIN LATERAL unnest(cons.confkey) WITH ORDINALITY k(attnum, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = cons.confrelid AND a.attnum = k.attnum
  GROUP BY cons.oid
)
SELECT con.conrelid::int8 AS oid, con.conname::text AS name, con.contype::text AS type, cols.cols,
  fn.nspname::text AS ref_schema, fc.relname::text AS ref_table, refcols.cols AS ref_cols
FROM cons con
LEFT JOIN cols ON cols.oid = con.oid
LEFT JOIN refcols ON refcols.oid = con.oid
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
ORDER BY con.conrelid, con.conname`;

// A partitioned index (relkind 'I') has no storage or counters of its own: its size and scans are its leaves' sums,
// aggregated once in a CTE (correlated subqueries over pg_partition_tree cost seconds on 2,000 tables).
// Counters come from the pg_stat_get_* functions by oid: joining the pg_stat_user_* views instead re-aggregates the
// whole view per row. Key columns are unnested and aggregated set-wise rather than with a subquery per index.
const indexesSql = `${tablesCte},
ix AS (
  SELECT i.*, pic.relkind AS index_kind
  FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid JOIN pg_catalog.pg_class pic ON pic.oid = i.indexrelid
),
ik AS (
  SELECT ix.indexrelid, k.n, ix.indnkeyatts, k.attnum <> 0 AS is_col,
    CASE WHEN k.attnum <> 0 THEN a.attname::text ELSE pg_get_indexdef(ix.indexrelid, k.n::int, true) END AS def,
    CASE WHEN k.n <= ix.indnkeyatts THEN
      ix.indclass[k.n - 1]::text || '|' || ix.indcollation[k.n - 1]::text || '|' || ix.indoption[k.n - 1]::text END AS opts
  FROM ix CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, n)
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
),
ileaves AS (
  SELECT ix.indexrelid AS root, sum(pg_relation_size(pt.relid)) AS size_bytes, sum(pg_stat_get_numscans(pt.relid)) AS scans
  FROM ix CROSS JOIN LATERAL pg_partition_tree(ix.indexrelid) pt
  WHERE ix.index_kind = 'I' AND pt.isleaf
  GROUP BY ix.indexrelid
),
keys AS (
  SELECT indexrelid,
    array_agg(CASE WHEN is_col THEN def ELSE '(' || def || ')' END ORDER BY n) FILTER (WHERE n <= indnkeyatts) AS key_cols,
    array_agg(CASE WHEN is_col THEN 'col:' ELSE 'expr:' END || def || '|' || opts ORDER BY n) FILTER (WHERE n <= indnkeyatts) AS key_tokens,
    array_agg(def ORDER BY n) FILTER (WHERE n > indnkeyatts) AS include_cols
  FROM ik GROUP BY indexrelid
)
SELECT i.indrelid::int8 AS oid, ic.relname::text AS name, am.amname::text AS method,
  i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid,
  keys.key_cols, keys.key_tokens, keys.include_cols,
  pg_get_expr(i.indpred, i.indrelid, true) AS predicate, i.indexprs IS NOT NULL AS has_expr,
  pg_get_indexdef(i.indexrelid) AS def, con.conname::text AS constraint_name,
  CASE WHEN ic.relkind = 'I' THEN ileaves.size_bytes
  WHEN ic.reltuples >= 0 OR ic.relpages > 0 THEN ic.relpages::int8 * current_setting('block_size')::int8
  ELSE pg_relation_size(i.indexrelid) END AS size_bytes,
  CASE WHEN ic.relkind = 'I' THEN ileaves.scans ELSE pg_stat_get_numscans(i.indexrelid) END AS scans
FROM ix i
JOIN keys ON keys.indexrelid = i.indexrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
LEFT JOIN ileaves ON ileaves.root = i.indexrelid
ORDER BY i.indrelid, ic.relname`;

export async function introspectPostgres(query: CatalogQuery, opts: { schema?: string }): Promise<Catalog> {
  const params = [opts.schema ?? null];
  let queryCount = 0;
  const run = async (sql: string) => {
    queryCount++;
    return query(sql, params);
  };
  const [meta] = await run(metaSql);
  // A schema that does not exist yields an empty catalog with no schemas; callers turn that into a clear message.
  const schemas = stringArray(meta?.schemas);
  const tableRows = await run(tablesSql);
  const columnRows = await run(columnsSql);
  const constraintRows = await run(constraintsSql);
  const indexRows = await run(indexesSql);

  const byOid = new Map<string, CatalogTable>();
  const tables: CatalogTable[] = [];
  for (const r of tableRows) {
    const reltuples = num(r.reltuples);
    const table: CatalogTable = {
      schema: str(r.schema),
      name: str(r.name),
      kind: r.kind === 'p' ? 'partitioned' : 'table',
      comment: strOrNull(r.comment),
      // PostgreSQL 14+ stores -1 for a table that was never vacuumed or analyzed: unknown, not empty.
      rowEstimate: reltuples === null || reltuples < 0 ? null : Math.round(reltuples),
      // Completed below: heap and TOAST here, plus the sizes of the table's indexes.
      totalBytes: num(r.heap_bytes),
      columns: [],
      primaryKey: null,
      indexes: [],
      foreignKeys: [],
      lastAnalyzed: isoOrNull(r.last_analyzed),
      modificationsSinceAnalyze: num(r.mods),
      liveRows: num(r.live_rows),
    };
    const partitions = num(r.partitions);
    if (partitions !== null) table.partitionCount = partitions;
    byOid.set(String(r.oid), table);
    tables.push(table);
  }
  for (const r of columnRows) {
    const table = byOid.get(String(r.oid));
    if (!table) continue;
    const column: CatalogColumn = {
      name: str(r.name),
      type: str(r.type),
      nullable: r.nullable === true,
      default: strOrNull(r.def),
      sequence: r.seqname == null ? null : { name: str(r.seqname), lastValue: num(r.last_value), maxValue: num(r.max_value) },
      comment: strOrNull(r.comment),
      identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null,
    };
    table.columns.push(column);
  }
  for (const r of constraintRows) {
    const table = byOid.get(String(r.oid));
    if (!table) continue;
    if (r.type === 'p') table.primaryKey = stringArray(r.cols);
    else {
      const fk: CatalogForeignKey = {
        name: str(r.name),
        columns: stringArray(r.cols),
        referencedSchema: str(r.ref_schema),
        referencedTable: str(r.ref_table),
        referencedColumns: stringArray(r.ref_cols),
      };
      table.foreignKeys.push(fk);
    }
  }
  for (const r of indexRows) {
    const table = byOid.get(String(r.oid));
    if (!table) continue;
    const predicate = strOrNull(r.predicate);
    const index: CatalogIndex = {
      name: str(r.name),
      columns: stringArray(r.key_cols),
      columnKeys: stringArray(r.key_tokens),
      include: stringArray(r.include_cols),
      method: str(r.method),
      unique: r.is_unique === true,
      primary: r.is_primary === true,
      constraint: strOrNull(r.constraint_name),
      valid: r.is_valid !== false,
      predicate,
      hasExpressions: r.has_expr === true,
      definition: str(r.def),
      sizeBytes: num(r.size_bytes),
      scans: num(r.scans),
    };
    table.indexes.push(index);
  }

  for (const table of tables) {
    if (table.totalBytes !== null) table.totalBytes += table.indexes.reduce((n, i) => n + (i.sizeBytes ?? 0), 0);
  }

  const scans = num(meta?.scans) ?? 0;
  return {
    dialect: 'postgres',
    database: str(meta?.db),
    schemas,
    tables,
    // Usage counters mean something only when the server tracks them and has recorded at least some scans.
    statsAvailable: meta?.track_counts === 'on' && scans > 0,
    statsSince: isoOrNull(meta?.stats_reset),
    queryCount,
  };
}

/** Catalog text columns arrive as strings; anything else is printed by its kind rather than as "[object Object]". */
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v == null) return '';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  // A json or jsonb value (no catalog query selects one today) keeps its content.
  return JSON.stringify(v);
}

function strOrNull(v: unknown): string | null {
  return v == null ? null : str(v);
}

/** pg returns int8 and numeric as strings; ratios and thresholds only need a double. */
function num(v: unknown): number | null {
  if (v == null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function isoOrNull(v: unknown): string | null {
  if (v == null) return null;
  if (v instanceof Date) return v.toISOString();
  return str(v);
}

function stringArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str);
  // Arrays of types pg does not parse arrive as '{a,b}' literals; the queries cast to text[] so this is a fallback.
  if (typeof v === 'string' && v.startsWith('{') && v.endsWith('}')) return v.length === 2 ? [] : v.slice(1, -1).split(',');
  return [];
}
