// `wide-table`: very many columns usually mean several entities or optional attribute groups in one row; every
// row carries its null bitmap and every UPDATE rewrites the whole row.
import type { Catalog } from '../catalog';
import { tableSql } from '../quote';
import { VERY_WIDE_TABLE_COLUMNS, WIDE_TABLE_COLUMNS } from '../thresholds';
import type { SchemaRule } from './shared';
import { makeFinding, tableEvidence } from './shared';

export const wideTable: SchemaRule = {
  id: 'wide-table',
  dialects: ['postgres', 'sqlite', 'duckdb'],
  description: `A table with ${WIDE_TABLE_COLUMNS} or more columns.`,
  check(catalog: Catalog) {
    return catalog.tables
      .filter((t) => t.columns.length >= WIDE_TABLE_COLUMNS)
      .map((t) => {
        const name = tableSql(t, catalog.dialect);
        return makeFinding(
          'wide-table',
          t.columns.length >= VERY_WIDE_TABLE_COLUMNS ? 'warning' : 'info',
          name,
          `Table ${name} has ${t.columns.length} columns: consider moving optional or rarely read column groups to 1:1 side tables.`,
          `-- Move a group of optional columns of ${name} to a side table keyed by its primary key, then drop them here.`,
          { ...tableEvidence(t), columns: t.columns.length },
        );
      });
  },
};
