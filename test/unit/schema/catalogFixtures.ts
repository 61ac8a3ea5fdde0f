// Builders for hand-made catalogs: each test states only the facts its rule looks at.
import type { Catalog, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable } from '../../../src/core/schema/catalog';
import type { Dialect } from '../../../src/core/sql/dialect';

export function column(name: string, type = 'integer', extra: Partial<CatalogColumn> = {}): CatalogColumn {
  return { name, type, nullable: false, default: null, sequence: null, comment: null, ...extra };
}

export function index(name: string, columns: string[], extra: Partial<CatalogIndex> = {}): CatalogIndex {
  return {
    name,
    columns,
    columnKeys: columns.map((c) => `col:${c}|1978|0|0`),
    include: [],
    method: 'btree',
    unique: false,
    primary: false,
    constraint: null,
    valid: true,
    predicate: null,
    hasExpressions: false,
    definition: `CREATE INDEX ${name} ON t (${columns.join(', ')})`,
    sizeBytes: 8192,
    scans: 10,
    ...extra,
  };
}

export function pkIndex(table: string, columns: string[]): CatalogIndex {
  return index(`${table}_pkey`, columns, { unique: true, primary: true, constraint: `${table}_pkey` });
}

export function fk(name: string, columns: string[], referencedTable: string, referencedColumns = ['id']): CatalogForeignKey {
  return { name, columns, referencedSchema: 'public', referencedTable, referencedColumns };
}

/** A healthy table by default: primary key `id`, analyzed recently, a few thousand rows. */
export function table(name: string, extra: Partial<CatalogTable> = {}): CatalogTable {
  return {
    schema: 'public',
    name,
    kind: 'table',
    comment: null,
    rowEstimate: 5000,
    totalBytes: 512 * 1024,
    columns: [column('id', 'bigint')],
    primaryKey: ['id'],
    indexes: [pkIndex(name, ['id'])],
    foreignKeys: [],
    lastAnalyzed: '2026-11-20T10:00:00.000Z',
    modificationsSinceAnalyze: 0,
    liveRows: 5000,
    ...extra,
  };
}

export function catalog(tables: CatalogTable[], extra: Partial<Catalog> & { dialect?: Dialect } = {}): Catalog {
  return { dialect: 'postgres', schemas: ['public'], tables, statsAvailable: true, statsSince: '2026-10-01T00:00:00.000Z', queryCount: 5, ...extra };
}
