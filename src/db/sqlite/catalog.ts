// SQLite catalog introspection: the per-table pragmas are used as table-valued functions joined to sqlite_schema,
// so the number of queries is constant (four, five with sqlite_stat1) whatever the number of tables.
import type { Catalog, CatalogColumn, CatalogIndex, CatalogTable } from '../../core/schema/catalog';
import type { SqliteRow } from './engine';

// Internal tables (sqlite_sequence, sqlite_stat1…) are SQLite's, not the user's.
const userTables = `m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

const tablesSql = `SELECT m.name AS name, m.sql AS sql, tl.wr AS wr,
  EXISTS (SELECT 1 FROM sqlite_schema s WHERE s.type = 'table' AND s.name = 'sqlite_stat1') AS has_stat1
FROM sqlite_schema m LEFT JOIN pragma_table_list tl ON tl.schema = 'main' AND tl.name = m.name
WHERE ${userTables} ORDER BY m.name`;

const columnsSql = `SELECT m.name AS tbl, c.cid, c.name, c.type, c."notnull" AS not_null, c.dflt_value, c.pk, c.hidden
FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) c
WHERE ${userTables} ORDER BY m.name, c.cid`;

// index_xinfo lists key columns (key = 1) then the rowid or primary key it points to (key = 0); cid -2 is an expression.
const indexesSql = `SELECT m.name AS tbl, il.name AS idx, il."unique" AS is_unique, il.origin, il.partial,
  ix.seqno, ix.cid, ix.name AS col, ix."desc" AS is_desc, ix.coll, s.sql AS sql
FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ix
LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = il.name
WHERE ${userTables} AND ix.key = 1 ORDER BY m.name, il.name, ix.seqno`;

const foreignKeysSql = `SELECT m.name AS tbl, f.id, f.seq, f."table" AS ref_table, f."from" AS col, f."to" AS ref_col
FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
WHERE ${userTables} ORDER BY m.name, f.id, f.seq`;

const statSql = `SELECT tbl, idx, stat FROM sqlite_stat1`;

type Row = SqliteRow;

/** What introspection needs from a handle: any engine's connection (engine.ts), or anything else that runs a query. */
export interface SqliteQueryRunner {
  all(sql: string): SqliteRow[];
}

export function introspectSqlite(db: SqliteQueryRunner): Catalog {
  let queryCount = 0;
  const all = (sql: string): Row[] => {
    queryCount++;
    return db.all(sql);
  };
  const tableRows = all(tablesSql);
  const byName = new Map<string, CatalogTable>();
  const tables: CatalogTable[] = [];
  for (const r of tableRows) {
    const name = String(r.name);
    const table: CatalogTable = {
      schema: 'main',
      name,
      kind: 'table',
      comment: null,
      rowEstimate: null,
      totalBytes: null,
      columns: [],
      primaryKey: null,
      indexes: [],
      foreignKeys: [],
      lastAnalyzed: null,
      modificationsSinceAnalyze: null,
      withoutRowid: r.wr === 1 || (r.wr == null && /\bwithout\s+rowid\s*;?\s*$/i.test(String(r.sql ?? ''))),
    };
    byName.set(name, table);
    tables.push(table);
  }

  const pk = new Map<string, { position: number; name: string }[]>();
  for (const r of all(columnsSql)) {
    const table = byName.get(String(r.tbl));
    if (!table) continue;
    const column: CatalogColumn = {
      name: String(r.name),
      type: String(r.type ?? ''),
      // A primary-key column of a rowid table may hold NULL unless declared NOT NULL (a documented SQLite quirk),
      // except INTEGER PRIMARY KEY, which is the rowid itself.
      nullable: r.not_null !== 1 && !(Number(r.pk) > 0 && /^integer$/i.test(String(r.type ?? '').trim())),
      default: r.dflt_value == null ? null : String(r.dflt_value),
      sequence: null,
      comment: null,
    };
    table.columns.push(column);
    if (Number(r.pk) > 0) {
      const list = pk.get(table.name) ?? [];
      list.push({ position: Number(r.pk), name: column.name });
      pk.set(table.name, list);
    }
  }
  for (const [name, cols] of pk) {
    const table = byName.get(name);
    if (table) table.primaryKey = cols.sort((a, b) => a.position - b.position).map((c) => c.name);
  }

  const indexes = new Map<string, CatalogIndex>();
  for (const r of all(indexesSql)) {
    const table = byName.get(String(r.tbl));
    if (!table) continue;
    const key = `${table.name}\u0000${String(r.idx)}`;
    let index = indexes.get(key);
    if (!index) {
      const sql = r.sql == null ? null : String(r.sql);
      index = {
        name: String(r.idx),
        columns: [],
        columnKeys: [],
        include: [],
        method: 'btree',
        unique: r.is_unique === 1,
        primary: r.origin === 'pk',
        constraint: r.origin === 'pk' || r.origin === 'u' ? String(r.idx) : null,
        valid: true,
        predicate: r.partial === 1 && sql ? partialPredicate(sql) : null,
        hasExpressions: false,
        definition: sql ?? `-- automatic index for a ${r.origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} constraint on ${table.name}`,
        sizeBytes: null,
        scans: null,
      };
      indexes.set(key, index);
      table.indexes.push(index);
    }
    const expression = Number(r.cid) === -2;
    if (expression) index.hasExpressions = true;
    const column = expression ? `(expression ${String(r.seqno)})` : String(r.col);
    index.columns.push(column);
    // pragma_index_xinfo does not show an expression's text, so expression keys are made unique to their index:
    // two expression indexes are never reported as duplicates on guesswork.
    const token = expression ? `expr:${index.name}#${String(r.seqno)}` : `col:${column}`;
    index.columnKeys?.push(`${token}|${String(r.coll ?? '')}|${String(r.is_desc ?? 0)}`);
  }

  const fks = new Map<string, CatalogTable['foreignKeys'][number]>();
  for (const r of all(foreignKeysSql)) {
    const table = byName.get(String(r.tbl));
    if (!table) continue;
    const key = `${table.name}\u0000${String(r.id)}`;
    let fk = fks.get(key);
    if (!fk) {
      fk = { name: `${table.name}_fk${String(r.id)}`, columns: [], referencedSchema: 'main', referencedTable: String(r.ref_table), referencedColumns: [] };
      fks.set(key, fk);
      table.foreignKeys.push(fk);
    }
    fk.columns.push(String(r.col));
    // `to` is NULL when the foreign key names only the parent table and so refers to its primary key.
    if (r.ref_col != null) fk.referencedColumns.push(String(r.ref_col));
  }
  for (const fk of fks.values()) {
    if (fk.referencedColumns.length === 0) fk.referencedColumns = byName.get(fk.referencedTable)?.primaryKey ?? [];
  }

  // ANALYZE leaves row counts in sqlite_stat1: the first number of each row is the table's row count.
  if (tableRows.some((r) => r.has_stat1 === 1)) {
    for (const r of all(statSql)) {
      const table = byName.get(String(r.tbl));
      const rows = Number(String(r.stat ?? '').split(' ')[0]);
      if (table && Number.isFinite(rows)) table.rowEstimate = rows;
    }
  }

  return { dialect: 'sqlite', schemas: ['main'], tables, statsAvailable: false, queryCount };
}

/** The WHERE clause of a partial index, taken from its CREATE INDEX text (SQLite keeps the original SQL). */
function partialPredicate(sql: string): string | null {
  const m = /\bwhere\b([\s\S]*)$/i.exec(sql);
  return m?.[1]?.trim() ?? null;
}
