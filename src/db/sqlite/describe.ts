// describe_table on SQLite, for every engine (any `{ all(sql) }`). The table's name never enters SQL: the pragmas run
// as table-valued functions over sqlite_schema's own `name` column (as the catalog does), and rows are picked by name
// here. SQLite keeps no per-column statistics like pg_stats; its row estimate is sqlite_stat1's, after ANALYZE.
import { parseTableName, type DescribedConstraint, type DescribedIndex, type TableDescription } from '../../core/schema/tableDescription';
import { StatementError } from '../errors';
import type { SqliteQueryRunner } from './catalog';

const objectsSql = `SELECT m.type AS type, m.name AS name, m.tbl_name AS tbl, m.sql AS sql FROM sqlite_schema m
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

const columnsSql = `SELECT m.name AS tbl, c.cid, c.name, c.type, c."notnull" AS not_null, c.dflt_value, c.pk, c.hidden
FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) c WHERE m.type IN ('table', 'view') ORDER BY m.name, c.cid`;

const indexesSql = `SELECT m.name AS tbl, il.name AS idx, il."unique" AS is_unique, il.origin, il.partial, s.sql AS sql,
  (SELECT group_concat(coalesce(ix.name, '<expression>'), ', ') FROM pragma_index_info(il.name) ix) AS cols
FROM sqlite_schema m JOIN pragma_index_list(m.name) il
LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table' ORDER BY m.name, il.name`;

const foreignKeysSql = `SELECT m.name AS tbl, f.id, f.seq, f."table" AS ref_table, f."from" AS col, f."to" AS ref_col, f.on_delete, f.on_update
FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq`;

const hasStat1Sql = `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'`;
const stat1Sql = `SELECT tbl, idx, stat FROM sqlite_stat1`;
const pagesSql = `SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size) AS bytes`;

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return v instanceof Uint8Array ? `<${v.length} bytes>` : JSON.stringify(v);
}
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Describes one table or view; throws StatementError naming it when the database has none by that name. */
export function describeSqlite(db: SqliteQueryRunner, table: string): TableDescription {
  const parsed = parseTableName(table);
  if (!parsed) throw new StatementError(`cannot read ${JSON.stringify(table)} as a table name (use name, main.name or "quoted name")`);
  if (parsed.schema !== undefined && parsed.schema.toLowerCase() !== 'main') {
    throw new StatementError(`SQLite has one schema here, main; ${JSON.stringify(parsed.schema)} is not it`);
  }
  const objects = db.all(objectsSql);
  // SQLite matches names case-insensitively (ASCII), quoted or not.
  const wanted = parsed.name.toLowerCase();
  const object = objects.find((o) => str(o.name).toLowerCase() === wanted);
  if (!object) throw new StatementError(`table ${JSON.stringify(table)} does not exist in this database`);
  const name = str(object.name);
  const isView = object.type === 'view';
  const notes: string[] = ['SQLite keeps no per-column statistics (n_distinct, null_frac, correlation); check constraints are part of the CREATE TABLE statement'];

  const columns = db.all(columnsSql).filter((c) => str(c.tbl) === name && Number(c.hidden ?? 0) === 0);
  const constraints: DescribedConstraint[] = [];
  const pkColumns = columns.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => str(c.name));
  if (pkColumns.length) constraints.push({ name: 'primary key', kind: 'primary key', definition: `PRIMARY KEY (${pkColumns.map(ident).join(', ')})` });

  const indexes: DescribedIndex[] = [];
  if (!isView) {
    for (const r of db.all(indexesSql).filter((r) => str(r.tbl) === name)) {
      const origin = str(r.origin);
      const cols = str(r.cols);
      indexes.push({
        name: str(r.idx),
        // Indexes SQLite made itself for UNIQUE and PRIMARY KEY have no SQL.
        definition: r.sql ? str(r.sql) : `(automatic index for ${origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} on ${cols})`,
        unique: Number(r.is_unique) === 1,
        primary: origin === 'pk',
        bytes: null,
        scans: null,
      });
      if (origin === 'u') constraints.push({ name: str(r.idx), kind: 'unique', definition: `UNIQUE (${cols})` });
    }
    const fks = new Map<string, { cols: string[]; refCols: string[]; ref: string; onDelete: string; onUpdate: string }>();
    for (const r of db.all(foreignKeysSql).filter((r) => str(r.tbl) === name)) {
      const key = str(r.id);
      const fk = fks.get(key) ?? { cols: [], refCols: [], ref: str(r.ref_table), onDelete: str(r.on_delete), onUpdate: str(r.on_update) };
      fk.cols.push(str(r.col));
      if (r.ref_col !== null && r.ref_col !== undefined) fk.refCols.push(str(r.ref_col));
      fks.set(key, fk);
    }
    for (const [id, fk] of fks) {
      const actions = [fk.onDelete && fk.onDelete !== 'NO ACTION' ? `ON DELETE ${fk.onDelete}` : '', fk.onUpdate && fk.onUpdate !== 'NO ACTION' ? `ON UPDATE ${fk.onUpdate}` : ''].filter(Boolean).join(' ');
      constraints.push({
        name: `foreign key ${id}`,
        kind: 'foreign key',
        definition: `FOREIGN KEY (${fk.cols.map(ident).join(', ')}) REFERENCES ${ident(fk.ref)}${fk.refCols.length ? ` (${fk.refCols.map(ident).join(', ')})` : ''}${actions ? ` ${actions}` : ''}`,
      });
    }
  }

  let rowEstimate: number | null = null;
  if (!isView && Number(db.all(hasStat1Sql)[0]?.n ?? 0) > 0) {
    const stat = db.all(stat1Sql).find((r) => str(r.tbl) === name);
    const first = stat ? Number(str(stat.stat).split(' ')[0]) : NaN;
    if (Number.isFinite(first)) rowEstimate = first;
  }
  if (rowEstimate === null && !isView) notes.push('no row estimate: sqlite_stat1 has none for this table (run ANALYZE)');
  const dbBytes = Number(db.all(pagesSql)[0]?.bytes ?? NaN);
  if (Number.isFinite(dbBytes)) notes.push(`the whole database file is ${dbBytes.toLocaleString('en-US')} bytes (SQLite reports no per-table size without dbstat)`);

  return {
    dialect: 'sqlite',
    schema: 'main',
    name,
    kind: isView ? 'view' : 'table',
    rowEstimate,
    totalBytes: null,
    tableBytes: null,
    lastAnalyze: null,
    lastAutoanalyze: null,
    lastVacuum: null,
    lastAutovacuum: null,
    comment: null,
    columns: columns.map((c) => ({
      name: str(c.name),
      type: str(c.type),
      nullable: Number(c.not_null) !== 1 && !(Number(c.pk) > 0 && /^integer$/i.test(str(c.type).trim())),
      default: c.dflt_value === null || c.dflt_value === undefined ? null : str(c.dflt_value),
      primaryKey: Number(c.pk) > 0,
      stats: null,
    })),
    indexes,
    constraints,
    notes,
  };
}
