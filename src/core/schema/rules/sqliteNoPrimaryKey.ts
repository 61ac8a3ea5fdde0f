// `sqlite-no-primary-key`: a rowid table without a declared primary key. Its implicit rowid may change on VACUUM
// (unless aliased by INTEGER PRIMARY KEY), so nothing stable identifies a row. WITHOUT ROWID tables always have one.
import type { Catalog } from '../catalog';
import { quoteIdent, tableSql } from '../quote';
import type { SchemaRule } from './shared';
import { makeFinding, tableEvidence } from './shared';

export const sqliteNoPrimaryKey: SchemaRule = {
  id: 'sqlite-no-primary-key',
  dialects: ['sqlite'],
  description: 'A SQLite rowid table without an explicit primary key.',
  check(catalog: Catalog) {
    return catalog.tables
      .filter((t) => !t.withoutRowid && t.primaryKey === null)
      .map((t) => {
        const name = tableSql(t, 'sqlite');
        const fresh = quoteIdent(`${t.name}_new`);
        return makeFinding(
          'sqlite-no-primary-key',
          'warning',
          name,
          `Table ${name} has no primary key: its implicit rowid can change on VACUUM, so no column identifies a row stably.`,
          [
            '-- SQLite cannot add a primary key in place: rebuild the table (see "Making Other Kinds Of Table Schema Changes").',
            'BEGIN;',
            `CREATE TABLE ${fresh} (id INTEGER PRIMARY KEY, /* the columns of ${name} */);`,
            `INSERT INTO ${fresh} (/* columns */) SELECT /* columns */ FROM ${name};`,
            `DROP TABLE ${name};`,
            `ALTER TABLE ${fresh} RENAME TO ${name};`,
            'COMMIT;',
          ].join('\n'),
          tableEvidence(t),
        );
      });
  },
};
