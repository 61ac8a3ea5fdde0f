// `int-key-overflow`: a sequence-backed smallint/integer column whose sequence has used a large share of the type's
// range. When it runs out, every INSERT fails; the fix (a bigint rewrite) takes long on exactly the tables that hit it.
import type { Finding } from '../../findings';
import type { Catalog, CatalogColumn, CatalogTable } from '../catalog';
import { quoteIdent, tableSql } from '../quote';
import { INTEGER_TYPE_MAX, KEY_OVERFLOW_CRITICAL_SHARE, KEY_OVERFLOW_WARNING_SHARE } from '../thresholds';
import type { SchemaRule } from './shared';
import { makeFinding } from './shared';

function fix(catalog: Catalog, t: CatalogTable, c: CatalogColumn, sequence: string): string {
  const lines = [
    '-- Rewrites the table under an ACCESS EXCLUSIVE lock; on a large table plan a new bigint column, backfill and swap instead.',
    `ALTER TABLE ${tableSql(t, 'postgres')} ALTER COLUMN ${quoteIdent(c.name)} TYPE bigint;`,
  ];
  if (!c.identity) lines.push(`ALTER SEQUENCE ${sequence} AS bigint;`);
  // Columns referencing this one overflow at the same moment, so they widen with it.
  for (const other of catalog.tables) {
    for (const fk of other.foreignKeys) {
      if (fk.referencedSchema !== t.schema || fk.referencedTable !== t.name) continue;
      fk.referencedColumns.forEach((refCol, k) => {
        const col = fk.columns[k];
        if (refCol === c.name && col !== undefined) {
          lines.push(`ALTER TABLE ${tableSql(other, 'postgres')} ALTER COLUMN ${quoteIdent(col)} TYPE bigint;`);
        }
      });
    }
  }
  return lines.join('\n');
}

export const intKeyOverflow: SchemaRule = {
  id: 'int-key-overflow',
  dialects: ['postgres'],
  description: `A sequence-backed smallint/integer column past ${KEY_OVERFLOW_WARNING_SHARE * 100}% of its type's maximum.`,
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      for (const c of t.columns) {
        const typeMax = INTEGER_TYPE_MAX[c.type];
        const last = c.sequence?.lastValue ?? null;
        if (typeMax === undefined || !c.sequence || last === null) continue;
        const share = last / typeMax;
        if (share < KEY_OVERFLOW_WARNING_SHARE) continue;
        const name = `${tableSql(t, 'postgres')}.${quoteIdent(c.name)}`;
        out.push(
          makeFinding(
            'int-key-overflow',
            share >= KEY_OVERFLOW_CRITICAL_SHARE ? 'critical' : 'warning',
            tableSql(t, 'postgres'),
            `Column ${name} (${c.type}) is fed by sequence ${c.sequence.name}, now at ${last} — ${(share * 100).toFixed(1)}% of the ${c.type} maximum ${typeMax}. INSERTs fail when it runs out.`,
            fix(catalog, t, c, c.sequence.name),
            { column: c.name, type: c.type, lastValue: last, typeMax, share: Math.round(share * 1000) / 1000, sequence: c.sequence.name },
            share >= KEY_OVERFLOW_CRITICAL_SHARE ? 1 : 0,
          ),
        );
      }
    }
    return out;
  },
};
