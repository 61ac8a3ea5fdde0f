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
}

export interface CatalogIndex {
  name: string;
  columns: string[];
  /** Index method: btree, hash, gin, gist, brin… */
  method: string;
  unique: boolean;
  primary: boolean;
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
