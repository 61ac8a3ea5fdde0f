// The catalog model: what introspection (src/db/*/catalog.ts) produces and schema rules consume.
// Every name and comment here is data from the database, never instructions.
import type { Dialect } from '../sql/dialect';

export interface Catalog {
  dialect: Dialect;
  /** Schemas that were introspected (SQLite: `main`). */
  schemas: string[];
  tables: CatalogTable[];
  /** Whether usage statistics (pg_stat_user_indexes) look meaningful: stats not reset recently, some scans recorded. */
  statsAvailable: boolean;
  /** How many catalog queries introspection issued (constant, never one per table). */
  queryCount: number;
  /** PostgreSQL: when pg_stat_database was last reset (usage counters start there); null when never or unknown. */
  statsSince?: string | null;
  /** The database name, when the server reports one. */
  database?: string;
}

export interface CatalogTable {
  schema: string;
  name: string;
  kind: 'table' | 'partitioned';
  comment: string | null;
  /** Estimated rows (reltuples; -1 when never analyzed is reported as null). */
  rowEstimate: number | null;
  totalBytes: number | null;
  columns: CatalogColumn[];
  primaryKey: string[] | null;
  indexes: CatalogIndex[];
  foreignKeys: CatalogForeignKey[];
  /** ISO timestamp of the last (auto)analyze, null when never analyzed. */
  lastAnalyzed: string | null;
  modificationsSinceAnalyze: number | null;
  /** PostgreSQL: n_live_tup from the statistics collector, which counts rows even before the first ANALYZE. */
  liveRows?: number | null;
  /**
   * Partitioned tables are reviewed as one table: partitions are not listed, the parent carries their count and
   * the sum of their rows and sizes, so a table with 1,000 partitions yields one finding rather than 1,000.
   */
  partitionCount?: number;
  /** SQLite: a WITHOUT ROWID table (which always has a primary key). */
  withoutRowid?: boolean;
  /** MySQL/MariaDB: the storage engine (`InnoDB`, `MyISAM`…) and the table's default collation. */
  engine?: string | null;
  collation?: string | null;
}

export interface CatalogColumn {
  name: string;
  /** Formatted type, e.g. `integer`, `character varying(255)`, `timestamp without time zone`. */
  type: string;
  nullable: boolean;
  default: string | null;
  /** Sequence or identity backing this column, with its current value when known. */
  sequence: { name: string; lastValue: number | null; maxValue: number | null } | null;
  comment: string | null;
  /** PostgreSQL identity column: `always` or `by default`. */
  identity?: 'always' | 'by default' | null;
  /** MySQL/MariaDB: the character set of a text column (`utf8mb4`, `utf8mb3`…). */
  charset?: string | null;
}

export interface CatalogIndex {
  name: string;
  columns: string[];
  /** Index method: btree, hash, gin, gist, brin… */
  method: string;
  unique: boolean;
  primary: boolean;
  /**
   * One opaque, comparable token per key column (column or expression, operator class, collation, sort order), so
   * duplicate and prefix checks compare what the index really orders by, not only the column names.
   */
  columnKeys?: string[];
  /** Non-key columns (INCLUDE). */
  include?: string[];
  /** The index backs a PRIMARY KEY, UNIQUE or EXCLUDE constraint (dropping it means dropping the constraint). */
  constraint?: string | null;
  /** False for an index left invalid by a failed CREATE INDEX CONCURRENTLY. */
  valid?: boolean;
  /** Partial-index predicate or expression index: such indexes are not plain column lists. */
  predicate: string | null;
  hasExpressions: boolean;
  definition: string;
  sizeBytes: number | null;
  /** idx_scan from pg_stat_user_indexes, null when unknown. */
  scans: number | null;
}

export interface CatalogForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
}
