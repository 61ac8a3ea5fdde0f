// Identifier quoting for the SQL in fixes. Database names are data: they are quoted whenever they are not plain
// lower-case words, so a name with spaces, quotes, capitals or a keyword yields valid, unambiguous SQL.
import type { Dialect } from '../sql/dialect';
import type { CatalogTable } from './catalog';
import { MAX_IDENTIFIER_BYTES } from './thresholds';

// PostgreSQL reserved key words (Appendix C, "reserved" column) plus the SQLite key words that are not in it.
const reserved = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation ' +
    'column concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze ' +
    'from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references ' +
    'returning right select session_user similar some symmetric system_user table tablesample then to trailing true union ' +
    'unique user using variadic verbose when where window with ' +
    'abort action add after alter attach autoincrement before begin between by cascade commit conflict database deferred ' +
    'delete detach drop each escape exclusive exists explain fail glob if ignore immediate index indexed insert instead ' +
    'match no of plan pragma query raise recursive regexp reindex release rename replace restrict rollback row savepoint ' +
    'set temp temporary transaction trigger update vacuum values view virtual without'
  ).split(' '),
);

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !reserved.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** A MySQL/MariaDB identifier: always in backticks (any name is valid there), a backtick doubled. */
export function mysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** The table as SQL: `schema.table` in PostgreSQL and MySQL (its database), the bare name in SQLite (one `main` schema). */
export function tableSql(table: Pick<CatalogTable, 'schema' | 'name'>, dialect: Dialect): string {
  if (dialect === 'mysql') return `${mysqlIdent(table.schema)}.${mysqlIdent(table.name)}`;
  return dialect === 'sqlite' ? quoteIdent(table.name) : `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/** An index lives in its table's schema in PostgreSQL. */
export function indexSql(table: Pick<CatalogTable, 'schema'>, indexName: string, dialect: Dialect): string {
  if (dialect === 'mysql') return mysqlIdent(indexName);
  return dialect === 'sqlite' ? quoteIdent(indexName) : `${quoteIdent(table.schema)}.${quoteIdent(indexName)}`;
}

export function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(', ');
}

/** A conventional name for a new index (`table_col1_col2_idx`), cut to the identifier limit on a character boundary. */
export function newIndexName(table: string, columns: readonly string[]): string {
  const suffix = '_idx';
  const base = `${table}_${columns.join('_')}`;
  let out = '';
  let bytes = suffix.length;
  for (const ch of base) {
    const cp = ch.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > MAX_IDENTIFIER_BYTES) break;
    bytes += size;
    out += ch;
  }
  return out + suffix;
}
