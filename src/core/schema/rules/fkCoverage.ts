// Whether an index can serve the lookups a foreign key needs (ON DELETE/UPDATE of the parent, joins from the child).
//
// Decision: an index covers a foreign key when its leading key columns, taken as a SET, are exactly the foreign-key
// columns. Order among the leading columns does not matter for the equality lookups the referential checks make
// (`WHERE a = $1 AND b = $2`), so an index on (b, a, c) covers a key on (a, b). Partial indexes do not count (they
// miss rows), expression keys do not count, and only btree indexes (or a hash index on a single column) support the
// equality search.
import type { CatalogForeignKey, CatalogTable } from '../catalog';
import { keyTokens, usableIndexes } from './shared';

export function coveringIndexes(table: CatalogTable, fk: CatalogForeignKey): string[] {
  const wanted = new Set(fk.columns);
  const names: string[] = [];
  for (const index of usableIndexes(table)) {
    if (index.predicate !== null) continue;
    const n = fk.columns.length;
    if (index.method !== 'btree' && !(index.method === 'hash' && n === 1)) continue;
    if (index.columns.length < n) continue;
    const tokens = keyTokens(index);
    const lead = index.columns.slice(0, n);
    if (tokens.slice(0, n).some((t) => t.startsWith('expr:'))) continue;
    if (new Set(lead).size === n && lead.every((c) => wanted.has(c))) names.push(index.name);
  }
  return names;
}

/** SQLite: an INTEGER PRIMARY KEY is the rowid itself, a b-tree key with no separate index entry. */
export function coveredByRowid(table: CatalogTable, fk: CatalogForeignKey): boolean {
  if (table.withoutRowid || table.primaryKey?.length !== 1 || fk.columns.length !== 1) return false;
  const pk = table.primaryKey[0];
  const column = table.columns.find((c) => c.name === pk);
  return pk === fk.columns[0] && column !== undefined && /^integer$/i.test(column.type.trim());
}
