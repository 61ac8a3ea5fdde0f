// `fk-without-index` (PostgreSQL) and `sqlite-fk-without-index`: no index leads with the referencing columns, so
// every DELETE or key UPDATE on the parent scans the whole child table (and holds its locks for that long).
import type { Finding } from '../../findings';
import type { Dialect } from '../../sql/dialect';
import type { Catalog, CatalogForeignKey, CatalogTable } from '../catalog';
import { columnList, quoteIdent, tableSql } from '../quote';
import { newIndexName } from '../quote';
import { coveredByRowid, coveringIndexes } from './fkCoverage';
import type { SchemaRule } from './shared';
import { formatRows, knownRows, makeFinding, severityByScale, tableEvidence, tableScale } from './shared';

function check(catalog: Catalog, rule: string, dialect: Dialect): Finding[] {
  const out: Finding[] = [];
  for (const t of catalog.tables) {
    for (const fk of t.foreignKeys) {
      if (coveringIndexes(t, fk).length > 0 || (dialect === 'sqlite' && coveredByRowid(t, fk))) continue;
      const name = tableSql(t, dialect);
      const parent = dialect === 'sqlite' ? quoteIdent(fk.referencedTable) : `${quoteIdent(fk.referencedSchema)}.${quoteIdent(fk.referencedTable)}`;
      const scale = tableScale(t);
      out.push(
        makeFinding(
          rule,
          // SQLite rarely knows row counts; an unindexed key there is a warning unless ANALYZE says the table is small.
          severityByScale(scale),
          name,
          `Foreign key ${quoteIdent(fk.name)} on ${name} (${columnList(fk.columns)}) → ${parent} has no index leading with its columns: each DELETE or key UPDATE on ${parent} scans ${name} (${formatRows(knownRows(t))}).`,
          indexFix(t, fk, dialect),
          { ...tableEvidence(t), foreignKey: fk.name, columns: fk.columns.join(', '), referenced: parent },
          scale === 'large' ? 1 : 0,
        ),
      );
    }
  }
  return out;
}

function indexFix(t: CatalogTable, fk: CatalogForeignKey, dialect: Dialect): string {
  const index = quoteIdent(newIndexName(t.name, fk.columns));
  const target = `${tableSql(t, dialect)} (${columnList(fk.columns)})`;
  if (dialect === 'sqlite') return `CREATE INDEX ${index} ON ${target};`;
  if (t.kind === 'partitioned') {
    return `-- CONCURRENTLY is not supported on a partitioned table; this blocks writes while it builds. To avoid that, create it ON ONLY the parent, build each partition's index CONCURRENTLY and ATTACH it.\nCREATE INDEX ${index} ON ${target};`;
  }
  return `CREATE INDEX CONCURRENTLY ${index} ON ${target};`;
}

export const fkWithoutIndex: SchemaRule = {
  id: 'fk-without-index',
  dialects: ['postgres'],
  description: 'A foreign key whose columns no index leads with (leading columns compared as a set).',
  check: (catalog) => check(catalog, 'fk-without-index', 'postgres'),
};

export const sqliteFkWithoutIndex: SchemaRule = {
  id: 'sqlite-fk-without-index',
  dialects: ['sqlite'],
  description: 'A SQLite foreign key whose columns no index leads with.',
  check: (catalog) => check(catalog, 'sqlite-fk-without-index', 'sqlite'),
};
