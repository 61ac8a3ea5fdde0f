// What every schema rule shares: the rule shape, how big a table is, and how a finding is built.
import type { Finding, Severity } from '../../findings';
import type { Dialect } from '../../sql/dialect';
import type { Catalog, CatalogIndex, CatalogTable } from '../catalog';
import { indexSql, quoteIdent, tableSql } from '../quote';
import { LARGE_TABLE_BYTES, LARGE_TABLE_ROWS, SMALL_TABLE_BYTES, SMALL_TABLE_ROWS } from '../thresholds';

export interface SchemaRule {
  /** Stable id, shown to users and used in tests and settings. */
  id: string;
  dialects: readonly Dialect[];
  /** One sentence for docs and the report. */
  description: string;
  check(catalog: Catalog): Finding[];
}

export type TableScale = 'empty' | 'small' | 'medium' | 'large' | 'unknown';

/** Rows as best known: the planner's estimate, else the statistics collector's live count (set before any ANALYZE). */
export function knownRows(table: CatalogTable): number | null {
  return table.rowEstimate ?? table.liveRows ?? null;
}

/** How big a table is, from its rows when known, else from its size on disk. */
export function tableScale(table: CatalogTable): TableScale {
  const rows = knownRows(table);
  if (rows !== null) {
    if (rows === 0) return table.totalBytes !== null && table.totalBytes >= LARGE_TABLE_BYTES ? 'large' : 'empty';
    if (rows < SMALL_TABLE_ROWS) return 'small';
    return rows >= LARGE_TABLE_ROWS ? 'large' : 'medium';
  }
  if (table.totalBytes !== null) {
    if (table.totalBytes < SMALL_TABLE_BYTES) return 'small';
    return table.totalBytes >= LARGE_TABLE_BYTES ? 'large' : 'medium';
  }
  return 'unknown';
}

/** Severity of a missing-index style problem: cheap on small tables, serious on large ones, unknown is a warning. */
export function severityByScale(scale: TableScale): Severity {
  if (scale === 'large') return 'critical';
  if (scale === 'empty' || scale === 'small') return 'info';
  return 'warning';
}

const baseScore: Record<Severity, number> = { critical: 4, warning: 2, info: 1 };

export function makeFinding(
  rule: string,
  severity: Severity,
  object: string,
  message: string,
  fix: string | undefined,
  evidence: Finding['evidence'],
  scoreBonus = 0,
): Finding {
  const finding: Finding = { rule, severity, score: Math.min(5, baseScore[severity] + scoreBonus), object, message, evidence };
  if (fix !== undefined) finding.fix = fix;
  return finding;
}

export function tableEvidence(table: CatalogTable): Finding['evidence'] {
  return { rows: knownRows(table), totalBytes: table.totalBytes };
}

/** Indexes that can serve lookups at all: a failed CREATE INDEX CONCURRENTLY leaves an invalid one behind. */
export function usableIndexes(table: CatalogTable): CatalogIndex[] {
  return table.indexes.filter((i) => i.valid !== false);
}

/** The comparable key tokens of an index (introspection fills columnKeys; hand-made catalogs may only have columns). */
export function keyTokens(index: CatalogIndex): string[] {
  return index.columnKeys ?? index.columns.map((c) => `col:${c}`);
}

/** DROP INDEX for a fix: CONCURRENTLY where PostgreSQL allows it (not on a partitioned table's index). */
export function dropIndexSql(table: CatalogTable, index: CatalogIndex, dialect: Dialect): string {
  const name = indexSql(table, index.name, dialect);
  if (dialect === 'mysql') return `ALTER TABLE ${tableSql(table, 'mysql')} ${index.primary ? 'DROP PRIMARY KEY' : `DROP INDEX ${name}`};`;
  if (index.constraint) {
    return `-- ${quoteIdent(index.name)} backs constraint ${quoteIdent(index.constraint)}: drop the constraint, which drops the index.\nALTER TABLE ${tableRef(table, dialect)} DROP CONSTRAINT ${quoteIdent(index.constraint)};`;
  }
  if (dialect === 'sqlite') return `DROP INDEX ${name};`;
  if (table.kind === 'partitioned') return `-- CONCURRENTLY is not supported for the index of a partitioned table.\nDROP INDEX ${name};`;
  return `DROP INDEX CONCURRENTLY ${name};`;
}

function tableRef(table: CatalogTable, dialect: Dialect): string {
  return dialect === 'sqlite' ? quoteIdent(table.name) : `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

export function formatRows(n: number | null): string {
  if (n === null) return 'an unknown number of rows';
  if (n >= 1_000_000) return `~${(n / 1_000_000).toFixed(1)}M rows`;
  if (n >= 10_000) return `~${Math.round(n / 1000)}k rows`;
  return `${n} row${n === 1 ? '' : 's'}`;
}

export function formatBytes(n: number | null): string {
  if (n === null) return 'unknown size';
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}
