// `nullable-foreign-key`: a foreign-key column that allows NULL. Often an optional relationship on purpose, so it
// is information only; when the relationship is mandatory, NOT NULL lets the planner and readers rely on it.
import type { Finding } from '../../findings';
import type { Catalog } from '../catalog';
import { columnList, quoteIdent, tableSql } from '../quote';
import type { SchemaRule } from './shared';
import { makeFinding, tableEvidence } from './shared';

export const nullableForeignKey: SchemaRule = {
  id: 'nullable-foreign-key',
  dialects: ['postgres', 'sqlite'],
  description: 'A foreign key with a nullable column (an optional relationship: make it NOT NULL if it is mandatory).',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      for (const fk of t.foreignKeys) {
        const nullable = fk.columns.filter((c) => t.columns.find((col) => col.name === c)?.nullable === true);
        if (nullable.length === 0) continue;
        const name = tableSql(t, catalog.dialect);
        const fix =
          catalog.dialect === 'sqlite'
            ? `-- SQLite cannot add NOT NULL in place: rebuild ${name} with ${columnList(nullable)} declared NOT NULL.`
            : [
                `-- Fails if NULLs exist. On a large table, add CHECK (... IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ skips the scan).`,
                ...nullable.map((c) => `ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c)} SET NOT NULL;`),
              ].join('\n');
        out.push(
          makeFinding(
            'nullable-foreign-key',
            'info',
            name,
            `Foreign key ${quoteIdent(fk.name)} on ${name} has nullable column(s) ${columnList(nullable)}: rows may reference nothing. Fine for an optional relationship; otherwise declare NOT NULL.`,
            fix,
            { ...tableEvidence(t), foreignKey: fk.name, columns: nullable.join(', ') },
          ),
        );
      }
    }
    return out;
  },
};
