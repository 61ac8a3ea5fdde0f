// `redundant-index`: a btree index whose key is a strict prefix of another btree index's key (same predicate), so the
// longer index serves every lookup the shorter one does. Unique and constraint-backing indexes are never redundant:
// they enforce something the longer index does not.
import type { Finding } from '../../findings';
import type { Catalog, CatalogIndex } from '../catalog';
import { indexSql, quoteIdent } from '../quote';
import { LARGE_INDEX_BYTES } from '../thresholds';
import type { SchemaRule } from './shared';
import { dropIndexSql, formatBytes, keyTokens, makeFinding, usableIndexes } from './shared';

function isStrictPrefix(short: readonly string[], long: readonly string[]): boolean {
  return short.length < long.length && short.every((t, k) => long[k] === t);
}

function covers(longer: CatalogIndex, shorter: CatalogIndex): boolean {
  if (longer.method !== 'btree' || longer.predicate !== shorter.predicate) return false;
  if (!isStrictPrefix(keyTokens(shorter), keyTokens(longer))) return false;
  // The shorter index's INCLUDE columns must be available from the longer one, or index-only scans would be lost.
  const available = new Set([...longer.columns, ...(longer.include ?? [])]);
  return (shorter.include ?? []).every((c) => available.has(c));
}

export const redundantIndex: SchemaRule = {
  id: 'redundant-index',
  dialects: ['postgres', 'sqlite', 'mysql'],
  description: 'A non-unique btree index whose key is a prefix of another btree index on the same table.',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      const indexes = usableIndexes(t);
      for (const shorter of indexes) {
        if (shorter.method !== 'btree' || shorter.unique || shorter.primary || shorter.constraint) continue;
        const longer = indexes.find((other) => other !== shorter && covers(other, shorter));
        if (!longer) continue;
        const object = indexSql(t, shorter.name, catalog.dialect);
        out.push(
          makeFinding(
            'redundant-index',
            shorter.sizeBytes !== null && shorter.sizeBytes >= LARGE_INDEX_BYTES ? 'warning' : 'info',
            object,
            `Index ${object} (${formatBytes(shorter.sizeBytes)}) is a prefix of ${quoteIdent(longer.name)}, which serves the same lookups; dropping it saves writes and space.`,
            dropIndexSql(t, shorter, catalog.dialect),
            { coveredBy: longer.name, sizeBytes: shorter.sizeBytes, definition: shorter.definition },
          ),
        );
      }
    }
    return out;
  },
};
