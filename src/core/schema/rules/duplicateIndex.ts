// `duplicate-index`: two indexes on the same table with the same key (columns or expressions, operator classes,
// collations, order), the same method, the same INCLUDE columns and the same predicate. One of them only costs writes.
import type { Finding } from '../../findings';
import type { Catalog, CatalogIndex } from '../catalog';
import { indexSql, quoteIdent } from '../quote';
import { HUGE_INDEX_BYTES } from '../thresholds';
import type { SchemaRule } from './shared';
import { dropIndexSql, formatBytes, keyTokens, makeFinding, usableIndexes } from './shared';

export function indexSignature(i: CatalogIndex): string {
  return JSON.stringify([i.method, keyTokens(i), [...(i.include ?? [])].sort(), i.predicate]);
}

/** Which index of a duplicate group to keep: the primary key, then a constraint's index, then a unique one, then by name. */
function keepRank(i: CatalogIndex): number {
  return (i.primary ? 8 : 0) + (i.constraint ? 4 : 0) + (i.unique ? 2 : 0);
}

export const duplicateIndex: SchemaRule = {
  id: 'duplicate-index',
  dialects: ['postgres', 'sqlite', 'mysql'],
  description: 'Two indexes with the same key, method, INCLUDE columns and predicate.',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      const groups = new Map<string, CatalogIndex[]>();
      for (const i of usableIndexes(t)) {
        const key = indexSignature(i);
        groups.set(key, [...(groups.get(key) ?? []), i]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        const sorted = [...group].sort((a, b) => keepRank(b) - keepRank(a) || a.name.localeCompare(b.name));
        const keep = sorted[0]!;
        for (const extra of sorted.slice(1)) {
          const object = indexSql(t, extra.name, catalog.dialect);
          out.push(
            makeFinding(
              'duplicate-index',
              extra.sizeBytes !== null && extra.sizeBytes >= HUGE_INDEX_BYTES ? 'critical' : 'warning',
              object,
              `Index ${object} (${formatBytes(extra.sizeBytes)}) duplicates ${quoteIdent(keep.name)}: same key, method and predicate. It slows every write and answers no query the other cannot.`,
              dropIndexSql(t, extra, catalog.dialect),
              { duplicateOf: keep.name, sizeBytes: extra.sizeBytes, unique: extra.unique, definition: extra.definition },
            ),
          );
        }
      }
    }
    return out;
  },
};
