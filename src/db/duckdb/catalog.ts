// DuckDB catalog introspection: four queries over duckdb_tables(), duckdb_columns(), duckdb_constraints() and
// duckdb_indexes(), whatever the number of tables, turned into the one Catalog model.
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogTable } from '../../core/schema/catalog';

type Row = Record<string, unknown>;

export interface DuckdbCatalogRows {
  tables: Row[];
  columns: Row[];
  constraints: Row[];
  indexes: Row[];
}

// Only the user's tables in the attached database: not the system and temp catalogs.
const userTables = `database_name = current_database() AND NOT internal AND NOT temporary`;

export const duckdbCatalogQueries: Record<keyof DuckdbCatalogRows, string> = {
  tables: `SELECT schema_name, table_name, estimated_size, column_count, comment FROM duckdb_tables() WHERE ${userTables} ORDER BY schema_name, table_name`,
  columns: `SELECT schema_name, table_name, column_name, column_index, data_type, is_nullable, column_default, comment
    FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal ORDER BY schema_name, table_name, column_index`,
  constraints: `SELECT schema_name, table_name, constraint_index, constraint_type, constraint_name, constraint_column_names,
    referenced_table, referenced_column_names
    FROM duckdb_constraints() WHERE database_name = current_database() ORDER BY schema_name, table_name, constraint_index`,
  indexes: `SELECT schema_name, table_name, index_name, is_unique, is_primary, expressions, sql
    FROM duckdb_indexes() WHERE database_name = current_database() ORDER BY schema_name, table_name, index_name`,
};

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Pure: the rows of the four queries as a Catalog. */
export function duckdbCatalog(rows: DuckdbCatalogRows, database: string): Catalog {
  const tables: CatalogTable[] = [];
  const byKey = new Map<string, CatalogTable>();
  const key = (r: Row): string => `${str(r.schema_name)}\u0000${str(r.table_name)}`;
  for (const r of rows.tables) {
    const t: CatalogTable = {
      schema: str(r.schema_name),
      name: str(r.table_name),
      kind: 'table',
      comment: r.comment ? str(r.comment) : null,
      rowEstimate: num(r.estimated_size),
      totalBytes: null,
      columns: [],
      primaryKey: null,
      indexes: [],
      foreignKeys: [],
      lastAnalyzed: null,
      modificationsSinceAnalyze: null,
    };
    tables.push(t);
    byKey.set(key(r), t);
  }
  for (const r of rows.columns) {
    const t = byKey.get(key(r));
    if (!t) continue;
    const column: CatalogColumn = {
      name: str(r.column_name),
      type: str(r.data_type),
      nullable: r.is_nullable === true || r.is_nullable === 'true',
      default: r.column_default === null || r.column_default === undefined ? null : str(r.column_default),
      sequence: null,
      comment: r.comment ? str(r.comment) : null,
    };
    t.columns.push(column);
  }
  for (const r of rows.constraints) {
    const t = byKey.get(key(r));
    if (!t) continue;
    const type = str(r.constraint_type);
    const columns = list(r.constraint_column_names);
    if (type === 'PRIMARY KEY') {
      t.primaryKey = columns;
      t.indexes.push({ name: str(r.constraint_name), columns, method: 'art', unique: true, primary: true, predicate: null, hasExpressions: false, definition: `PRIMARY KEY (${columns.join(', ')})`, sizeBytes: null, scans: null });
    } else if (type === 'UNIQUE') {
      t.indexes.push({ name: str(r.constraint_name), columns, method: 'art', unique: true, primary: false, predicate: null, hasExpressions: false, definition: `UNIQUE (${columns.join(', ')})`, sizeBytes: null, scans: null });
    } else if (type === 'FOREIGN KEY') {
      const fk: CatalogForeignKey = { name: str(r.constraint_name), columns, referencedSchema: t.schema, referencedTable: str(r.referenced_table), referencedColumns: list(r.referenced_column_names) };
      t.foreignKeys.push(fk);
    }
  }
  for (const r of rows.indexes) {
    const t = byKey.get(key(r));
    if (!t) continue;
    // duckdb_indexes() gives expressions as text, e.g. "[customer_id]"; a plain column list reads as columns.
    const expressions = str(r.expressions).replace(/^\[|\]$/g, '').split(',').map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean);
    const plain = expressions.every((e) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(e));
    t.indexes.push({
      name: str(r.index_name),
      columns: plain ? expressions : [],
      method: 'art',
      unique: r.is_unique === true,
      primary: r.is_primary === true,
      predicate: null,
      hasExpressions: !plain,
      definition: str(r.sql),
      sizeBytes: null,
      scans: null,
    });
  }
  return {
    dialect: 'duckdb',
    schemas: [...new Set(tables.map((t) => t.schema))],
    tables,
    statsAvailable: false,
    queryCount: 4,
    database,
  };
}
