// describe_table on DuckDB, from duckdb_tables()/duckdb_views(), duckdb_columns(), duckdb_constraints() and
// duckdb_indexes(). The table's name is data: every query takes it as a bound parameter, never as SQL text. Runs
// inside the worker (sandbox.ts gives it a reader with parameters).
import { parseTableName, type DescribedConstraint, type TableDescription } from '../../core/schema/tableDescription';
import { StatementError } from '../errors';

export type DuckdbParamQuery = (sql: string, params: string[]) => Promise<Record<string, unknown>[]>;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

const objectSql = (withSchema: boolean): string => {
  const schema = withSchema ? ' AND lower(schema_name) = lower(?)' : '';
  return `SELECT schema_name, name, kind, estimated_size, comment FROM (
    SELECT schema_name, table_name AS name, 'table' AS kind, estimated_size, comment FROM duckdb_tables()
     WHERE database_name = current_database() AND NOT internal AND lower(table_name) = lower(?)${schema}
    UNION ALL
    SELECT schema_name, view_name, 'view', NULL, comment FROM duckdb_views()
     WHERE database_name = current_database() AND NOT internal AND lower(view_name) = lower(?)${schema}
  ) ORDER BY name = ? DESC, schema_name = current_schema() DESC, schema_name, kind`;
};

const columnsSql = `SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns()
  WHERE database_name = current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index`;
const constraintsSql = `SELECT constraint_index, constraint_type, constraint_name, constraint_text, constraint_column_names FROM duckdb_constraints()
  WHERE database_name = current_database() AND schema_name = ? AND table_name = ? ORDER BY constraint_index`;
const indexesSql = `SELECT index_name, is_unique, is_primary, expressions, sql FROM duckdb_indexes()
  WHERE database_name = current_database() AND schema_name = ? AND table_name = ? ORDER BY index_name`;

/** A name that reads like a file rather than a table: a path, or a data file's extension. */
const looksLikeFile = (text: string): boolean => /[/\\]|\.(csv|tsv|parquet|json|jsonl|ndjson|txt)(\.gz|\.zst)?\s*$/i.test(text) || /^'.*'$/.test(text.trim());

const constraintKinds: Record<string, DescribedConstraint['kind']> = { 'PRIMARY KEY': 'primary key', UNIQUE: 'unique', 'FOREIGN KEY': 'foreign key', CHECK: 'check' };

/** Describes one table or view of the attached database; a name that is none gives a StatementError naming it. */
export async function describeDuckdb(query: DuckdbParamQuery, table: string, where: { file?: string }): Promise<TableDescription> {
  const parsed = parseTableName(table) ?? { name: table.trim() };
  const params = parsed.schema !== undefined ? [parsed.name, parsed.schema, parsed.name, parsed.schema, parsed.name] : [parsed.name, parsed.name, parsed.name];
  const [object] = await query(objectSql(parsed.schema !== undefined), params);
  if (!object) {
    if (!where.file) {
      const file = looksLikeFile(table);
      throw new StatementError(
        `table ${JSON.stringify(table)} does not exist: this DuckDB connection is an in-memory database for querying files, and has no tables of its own${file ? ' (the name reads like a file path)' : ''}; query the file instead, e.g. DESCRIBE SELECT * FROM 'data/file.parquet', or explain a query over it`,
      );
    }
    throw new StatementError(`table ${JSON.stringify(table)} does not exist in the DuckDB database ${JSON.stringify(where.file)}${looksLikeFile(table) ? ' (the name reads like a file path: query the file instead, e.g. SELECT * FROM \'data/file.parquet\')' : ''}`);
  }
  const schema = str(object.schema_name);
  const name = str(object.name);
  const kind = str(object.kind);
  const key = [schema, name];
  const notes: string[] = ['DuckDB keeps no per-column statistics in its catalog (n_distinct, null_frac); its row estimate is duckdb_tables().estimated_size'];

  const columnRows = await query(columnsSql, key);
  const constraints: DescribedConstraint[] = [];
  const pkColumns = new Set<string>();
  if (kind === 'table') {
    for (const r of await query(constraintsSql, key)) {
      const type = str(r.constraint_type);
      // NOT NULL is shown on each column.
      if (type === 'NOT NULL') continue;
      if (type === 'PRIMARY KEY') list(r.constraint_column_names).forEach((c) => pkColumns.add(c));
      constraints.push({ name: str(r.constraint_name) || `${type.toLowerCase()} ${str(r.constraint_index)}`, kind: constraintKinds[type] ?? 'other', definition: str(r.constraint_text) });
    }
  }
  const indexes = kind === 'table'
    ? (await query(indexesSql, key)).map((r) => {
        const sql = str(r.sql).replace(/;\s*$/, '');
        return {
          name: str(r.index_name),
          definition: sql || `(index on ${str(r.expressions)})`,
          unique: r.is_unique === true,
          primary: r.is_primary === true,
          bytes: null,
          scans: null,
        };
      })
    : [];
  if (kind === 'table' && constraints.some((c) => c.kind === 'primary key' || c.kind === 'unique')) {
    notes.push('the indexes DuckDB builds for PRIMARY KEY and UNIQUE constraints are not listed in duckdb_indexes()');
  }
  const rowEstimate = kind === 'table' ? num(object.estimated_size) : null;
  return {
    dialect: 'duckdb',
    schema,
    name,
    kind,
    rowEstimate,
    totalBytes: null,
    tableBytes: null,
    lastAnalyze: null,
    lastAutoanalyze: null,
    lastVacuum: null,
    lastAutovacuum: null,
    comment: object.comment ? str(object.comment) : null,
    columns: columnRows.map((c) => ({
      name: str(c.column_name),
      type: str(c.data_type),
      nullable: c.is_nullable === true,
      default: c.column_default === null || c.column_default === undefined ? null : str(c.column_default),
      primaryKey: pkColumns.has(str(c.column_name)),
      stats: null,
    })),
    indexes,
    constraints,
    notes: [...notes, ...(kind === 'table' ? ['DuckDB reports no per-table size in bytes (duckdb_tables() has none)'] : [])],
  };
}
