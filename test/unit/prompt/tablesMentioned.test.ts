import { describe, expect, it } from 'vitest';
import { tablesMentioned } from '../../../src/core/prompt/tablesMentioned';
import type { Catalog, CatalogTable } from '../../../src/core/schema/catalog';

function table(name: string, extra: Partial<CatalogTable> = {}): CatalogTable {
  return {
    schema: 'public',
    name,
    kind: 'table',
    comment: null,
    rowEstimate: 1000,
    totalBytes: null,
    columns: [{ name: 'id', type: 'bigint', nullable: false, default: null, sequence: null, comment: null }],
    primaryKey: ['id'],
    indexes: [],
    foreignKeys: [],
    lastAnalyzed: null,
    modificationsSinceAnalyze: null,
    ...extra,
  };
}

const catalog: Catalog = { dialect: 'postgres', schemas: ['public'], tables: [table('orders'), table('Line Items'), table('unused')], statsAvailable: true, queryCount: 5 };

describe('schema facts', () => {
  it('picks the tables a statement mentions, quoted or not, ignoring strings and comments', () => {
    const sql = `SELECT * FROM ORDERS o JOIN "Line Items" li ON true WHERE note = 'unused' -- unused`;
    expect(tablesMentioned(catalog, sql, 'postgres').map((t) => t.name)).toEqual(['orders', 'Line Items']);
  });
});
