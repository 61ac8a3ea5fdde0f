// Schema review: every rule for the catalog's dialect, findings sorted. Pure and deterministic.
import type { Finding } from '../findings';
import { sortFindings } from '../findings';
import type { Catalog } from './catalog';
import { duckdbDoubleMoney, duckdbNoPrimaryKey, duckdbVarcharDate } from './rules/duckdbRules';
import { duplicateIndex } from './rules/duplicateIndex';
import { fkWithoutIndex, sqliteFkWithoutIndex } from './rules/fkWithoutIndex';
import { intKeyOverflow } from './rules/intKeyOverflow';
import { mysqlSchemaRules } from './rules/mysqlSchemaRules';
import { noPrimaryKey } from './rules/noPrimaryKey';
import { nullableForeignKey } from './rules/nullableForeignKey';
import { redundantIndex } from './rules/redundantIndex';
import type { SchemaRule } from './rules/shared';
import { sqliteNoPrimaryKey } from './rules/sqliteNoPrimaryKey';
import { staleStatistics } from './rules/staleStatistics';
import { timestampWithoutTz } from './rules/timestampWithoutTz';
import { unusedIndex } from './rules/unusedIndex';
import { varcharLength } from './rules/varcharLength';
import { wideTable } from './rules/wideTable';

export const schemaRules: readonly SchemaRule[] = [
  noPrimaryKey,
  fkWithoutIndex,
  nullableForeignKey,
  duplicateIndex,
  redundantIndex,
  unusedIndex,
  staleStatistics,
  intKeyOverflow,
  timestampWithoutTz,
  varcharLength,
  wideTable,
  sqliteNoPrimaryKey,
  sqliteFkWithoutIndex,
  duckdbNoPrimaryKey,
  duckdbVarcharDate,
  duckdbDoubleMoney,
  ...mysqlSchemaRules,
];

export function reviewCatalog(catalog: Catalog): Finding[] {
  return sortFindings(schemaRules.filter((r) => r.dialects.includes(catalog.dialect)).flatMap((r) => r.check(catalog)));
}

/** The shape `dataeng review-schema` prints and the views show: counts plus the findings. */
export interface SchemaReview {
  tables: number;
  columns: number;
  findings: Finding[];
}

export function reviewSchema(catalog: Catalog): SchemaReview {
  return {
    tables: catalog.tables.length,
    columns: catalog.tables.reduce((n, t) => n + t.columns.length, 0),
    findings: reviewCatalog(catalog),
  };
}
