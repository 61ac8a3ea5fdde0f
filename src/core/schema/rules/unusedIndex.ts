// `unused-index`: an index with no recorded scans since statistics were last reset. Only when the database has usage
// statistics at all; never for unique, primary-key or constraint indexes (they enforce rules, scanned or not), and
// never for the only index that covers a foreign key (dropping it would trade this finding for fk-without-index).
import type { Finding } from '../../findings';
import type { Catalog, CatalogTable } from '../catalog';
import { indexSql } from '../quote';
import { LARGE_INDEX_BYTES } from '../thresholds';
import { coveringIndexes } from './fkCoverage';
import type { SchemaRule } from './shared';
import { dropIndexSql, formatBytes, makeFinding, usableIndexes } from './shared';

function soleFkIndexes(t: CatalogTable): Set<string> {
  const names = new Set<string>();
  for (const fk of t.foreignKeys) {
    const covering = coveringIndexes(t, fk);
    if (covering.length === 1) names.add(covering[0]!);
  }
  return names;
}

export const unusedIndex: SchemaRule = {
  id: 'unused-index',
  dialects: ['postgres', 'mysql'],
  description: 'An index never scanned since statistics were reset (only when statistics exist).',
  check(catalog: Catalog) {
    if (!catalog.statsAvailable) return [];
    const out: Finding[] = [];
    const since = catalog.statsSince ? `since ${catalog.statsSince}` : 'since statistics began';
    for (const t of catalog.tables) {
      const keep = soleFkIndexes(t);
      for (const i of usableIndexes(t)) {
        if (i.scans !== 0 || i.unique || i.primary || i.constraint || keep.has(i.name)) continue;
        const object = indexSql(t, i.name, catalog.dialect);
        out.push(
          makeFinding(
            'unused-index',
            i.sizeBytes !== null && i.sizeBytes >= LARGE_INDEX_BYTES ? 'warning' : 'info',
            object,
            `Index ${object} (${formatBytes(i.sizeBytes)}) has not been scanned ${since} on this server. Check replicas (they keep their own counters) before dropping it.`,
            dropIndexSql(t, i, catalog.dialect),
            { scans: 0, sizeBytes: i.sizeBytes, statsSince: catalog.statsSince ?? null, definition: i.definition },
          ),
        );
      }
    }
    return out;
  },
};
