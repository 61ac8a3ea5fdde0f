// `no-primary-key`: a PostgreSQL table without a primary key cannot be updated row by row reliably, blocks
// logical replication of UPDATE/DELETE (no replica identity), and invites duplicate rows.
import type { Catalog, CatalogTable } from '../catalog';
import { columnList, quoteIdent, tableSql } from '../quote';
import type { SchemaRule } from './shared';
import { formatRows, makeFinding, tableEvidence, tableScale, usableIndexes } from './shared';

export const noPrimaryKey: SchemaRule = {
  id: 'no-primary-key',
  dialects: ['postgres'],
  description: 'A table without a primary key.',
  check(catalog: Catalog) {
    return catalog.tables
      .filter((t) => t.primaryKey === null)
      .map((t) => {
        const scale = tableScale(t);
        const name = tableSql(t, 'postgres');
        const partitioned = t.kind === 'partitioned' ? ` (partitioned, ${t.partitionCount ?? 0} partitions)` : '';
        return makeFinding(
          'no-primary-key',
          scale === 'large' ? 'critical' : 'warning',
          name,
          `Table ${name}${partitioned} has no primary key (${formatRows(t.rowEstimate ?? t.liveRows ?? null)}): rows cannot be addressed reliably and logical replication cannot replicate its UPDATEs and DELETEs.`,
          primaryKeyFix(t, name),
          { ...tableEvidence(t), partitions: t.partitionCount ?? null },
        );
      });
  },
};

function primaryKeyFix(t: CatalogTable, name: string): string {
  if (t.kind === 'partitioned') {
    return `-- A partitioned table's primary key must include every partition key column; pick the key columns.\nALTER TABLE ${name} ADD PRIMARY KEY (/* key columns, including the partition key */);`;
  }
  // A unique index over NOT NULL columns can become the primary key without rebuilding anything.
  const notNull = new Set(t.columns.filter((c) => !c.nullable).map((c) => c.name));
  const candidate = usableIndexes(t).find(
    (i) => i.unique && i.method === 'btree' && i.predicate === null && !i.hasExpressions && i.columns.every((c) => notNull.has(c)),
  );
  if (candidate) {
    return `-- ${quoteIdent(candidate.name)} is unique over NOT NULL columns (${columnList(candidate.columns)}): promote it.\nALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(`${t.name}_pkey`)} PRIMARY KEY USING INDEX ${quoteIdent(candidate.name)};`;
  }
  return `-- Adds a surrogate key; this rewrites the table under an ACCESS EXCLUSIVE lock.\nALTER TABLE ${name} ADD COLUMN ${quoteIdent(t.columns.some((c) => c.name === 'id') ? `${t.name}_id` : 'id')} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`;
}
