// `stale-statistics`: a table with rows that was never analyzed, or modified far more since its last ANALYZE than
// autovacuum's defaults allow. The planner then estimates from nothing or from an old picture of the data.
// Partitioned parents are skipped: autovacuum never analyzes them and their partitions are not listed separately.
import type { Finding, Severity } from '../../findings';
import type { Catalog, CatalogTable } from '../catalog';
import { tableSql } from '../quote';
import { ANALYZE_BASE_THRESHOLD, ANALYZE_SCALE_FACTOR, LARGE_TABLE_ROWS, SMALL_TABLE_ROWS, STALE_MULTIPLIER } from '../thresholds';
import type { SchemaRule } from './shared';
import { formatRows, knownRows, makeFinding, tableEvidence } from './shared';

function severityFor(rows: number): Severity {
  if (rows >= LARGE_TABLE_ROWS) return 'critical';
  return rows >= SMALL_TABLE_ROWS ? 'warning' : 'info';
}

function finding(t: CatalogTable): Finding | null {
  const rows = knownRows(t) ?? 0;
  const name = tableSql(t, 'postgres');
  const evidence = { ...tableEvidence(t), lastAnalyzed: t.lastAnalyzed, modificationsSinceAnalyze: t.modificationsSinceAnalyze };
  if (t.lastAnalyzed === null) {
    if (rows < ANALYZE_BASE_THRESHOLD) return null;
    return makeFinding(
      'stale-statistics',
      severityFor(rows),
      name,
      `Table ${name} has ${formatRows(rows)} but has never been analyzed: the planner guesses its row counts and value distributions.`,
      `ANALYZE ${name};`,
      evidence,
    );
  }
  const mods = t.modificationsSinceAnalyze ?? 0;
  const limit = STALE_MULTIPLIER * (ANALYZE_BASE_THRESHOLD + ANALYZE_SCALE_FACTOR * rows);
  if (mods <= limit) return null;
  return makeFinding(
    'stale-statistics',
    // Modifications exceeding the table's own size mean the statistics describe a different table.
    mods >= rows && rows >= SMALL_TABLE_ROWS ? 'critical' : severityFor(Math.max(rows, mods)),
    name,
    `Table ${name} had ${mods} row modifications since its last ANALYZE (${t.lastAnalyzed}), against ${formatRows(rows)}: its statistics are stale and autovacuum has not caught up.`,
    `ANALYZE ${name};`,
    { ...evidence, threshold: Math.round(limit) },
  );
}

export const staleStatistics: SchemaRule = {
  id: 'stale-statistics',
  dialects: ['postgres'],
  description: 'A table never analyzed while holding rows, or modified well past the autoanalyze threshold since.',
  check(catalog: Catalog) {
    return catalog.tables.filter((t) => t.kind === 'table').flatMap((t) => finding(t) ?? []);
  },
};
