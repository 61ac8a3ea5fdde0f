// Catalog introspection for MySQL and MariaDB from information_schema: a fixed number of queries whatever the number of
// tables (tables, columns, index columns, foreign keys, and index usage when performance_schema is on).
import type { Catalog, CatalogColumn, CatalogIndex, CatalogTable } from '../../core/schema/catalog';

export type MysqlQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** The largest value of an integer type as information_schema spells it (`int(11) unsigned`, `bigint`). */
export function integerMax(columnType: string): number | null {
  const m = /^(tinyint|smallint|mediumint|int|integer|bigint)\b/i.exec(columnType);
  if (!m) return null;
  const bits = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32, bigint: 64 }[m[1]!.toLowerCase() as 'int'];
  const unsigned = /unsigned/i.test(columnType);
  return unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
}

/** A cell as text: information_schema gives strings, numbers and (with dateStrings) date strings. */
const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('utf8') : null);
const str = (v: unknown): string => text(v) ?? '';
const strOrNull = (v: unknown): string | null => text(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

const systemSchemas = ['mysql', 'information_schema', 'performance_schema', 'sys'];

export async function introspectMysql(query: MysqlQuery, options: { schema?: string } = {}): Promise<Catalog> {
  // The schema asked for, else the connection's database, else every user schema.
  const [dbRow] = await query('SELECT DATABASE() AS d');
  const database = strOrNull(dbRow?.['d']);
  const scope = options.schema ?? database;
  const where = scope !== null && scope !== undefined ? 'TABLE_SCHEMA = ?' : `TABLE_SCHEMA NOT IN (${systemSchemas.map(() => '?').join(', ')})`;
  const params = scope !== null && scope !== undefined ? [scope] : systemSchemas;
  let queryCount = 1;
  const tables = await query(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, ENGINE AS engine, TABLE_ROWS AS \`rows\`, DATA_LENGTH + INDEX_LENGTH AS bytes,
            TABLE_COMMENT AS comment, AUTO_INCREMENT AS ai, TABLE_COLLATION AS collation, UPDATE_TIME AS updated
       FROM information_schema.TABLES WHERE ${where} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    params,
  );
  const columns = await query(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS def, EXTRA AS extra, COLUMN_COMMENT AS comment, CHARACTER_SET_NAME AS charset
       FROM information_schema.COLUMNS WHERE ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    params,
  );
  const stats = await query(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, SEQ_IN_INDEX AS seq, COLUMN_NAME AS c,
            SUB_PART AS sub, INDEX_TYPE AS method, COLLATION AS dir
       FROM information_schema.STATISTICS WHERE ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    params,
  );
  const fks = await query(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, CONSTRAINT_NAME AS n, COLUMN_NAME AS c, REFERENCED_TABLE_SCHEMA AS rs,
            REFERENCED_TABLE_NAME AS rt, REFERENCED_COLUMN_NAME AS rc
       FROM information_schema.KEY_COLUMN_USAGE WHERE ${where} AND REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    params,
  );
  queryCount += 4;
  // Index usage: only meaningful when performance_schema collects it (off by default on MariaDB).
  let usage: Map<string, number> | null = null;
  const [ps] = await query('SELECT @@performance_schema AS on_');
  queryCount++;
  if (Number(ps?.['on_']) === 1) {
    const rows = await query(
      `SELECT OBJECT_SCHEMA AS s, OBJECT_NAME AS t, INDEX_NAME AS i, COUNT_STAR AS n
         FROM performance_schema.table_io_waits_summary_by_index_usage WHERE INDEX_NAME IS NOT NULL AND ${where.replace(/TABLE_SCHEMA/g, 'OBJECT_SCHEMA')}`,
      params,
    );
    queryCount++;
    usage = new Map(rows.map((r) => [`${str(r['s'])}.${str(r['t'])}.${str(r['i'])}`, Number(r['n'])]));
  }

  const byName = new Map<string, CatalogTable>();
  const autoIncrement = new Map<string, number | null>();
  for (const r of tables) {
    const t: CatalogTable = {
      schema: str(r['s']),
      name: str(r['t']),
      kind: 'table',
      comment: strOrNull(r['comment']) || null,
      rowEstimate: numOrNull(r['rows']),
      totalBytes: numOrNull(r['bytes']),
      columns: [],
      primaryKey: null,
      indexes: [],
      foreignKeys: [],
      lastAnalyzed: null,
      modificationsSinceAnalyze: null,
      engine: strOrNull(r['engine']),
      collation: strOrNull(r['collation']),
    };
    byName.set(`${t.schema}.${t.name}`, t);
    autoIncrement.set(`${t.schema}.${t.name}`, numOrNull(r['ai']));
  }
  for (const r of columns) {
    const key = `${str(r['s'])}.${str(r['t'])}`;
    const t = byName.get(key);
    if (!t) continue;
    const type = str(r['type']);
    const isAuto = /auto_increment/i.test(str(r['extra']));
    const next = autoIncrement.get(key) ?? null;
    const col: CatalogColumn = {
      name: str(r['c']),
      type,
      nullable: str(r['nullable']) === 'YES',
      default: strOrNull(r['def']),
      // AUTO_INCREMENT is the next value to hand out: the last one used is one less.
      sequence: isAuto ? { name: 'AUTO_INCREMENT', lastValue: next !== null ? next - 1 : null, maxValue: integerMax(type) } : null,
      comment: strOrNull(r['comment']) || null,
      charset: strOrNull(r['charset']),
    };
    t.columns.push(col);
  }
  const indexes = new Map<string, CatalogIndex & { table: CatalogTable }>();
  for (const r of stats) {
    const t = byName.get(`${str(r['s'])}.${str(r['t'])}`);
    if (!t) continue;
    const name = str(r['i']);
    const key = `${t.schema}.${t.name}.${name}`;
    let ix = indexes.get(key);
    if (!ix) {
      const used = usage?.get(key);
      ix = {
        table: t,
        name,
        columns: [],
        columnKeys: [],
        method: str(r['method']).toLowerCase(),
        unique: Number(r['nu']) === 0,
        primary: name === 'PRIMARY',
        constraint: name === 'PRIMARY' || Number(r['nu']) === 0 ? name : null,
        predicate: null,
        hasExpressions: false,
        definition: '',
        sizeBytes: null,
        scans: usage ? (used ?? 0) : null,
      };
      indexes.set(key, ix);
    }
    const column = strOrNull(r['c']);
    if (column === null) ix.hasExpressions = true;
    const sub = numOrNull(r['sub']);
    ix.columns.push(column ?? '(expression)');
    ix.columnKeys!.push(`${column ?? '(expression)'}${sub !== null ? `(${sub})` : ''} ${str(r['dir']) === 'D' ? 'DESC' : 'ASC'}`);
  }
  for (const { table, ...ix } of indexes.values()) {
    const cols = ix.columns.map((c, i) => `\`${c}\`${/\((\d+)\)/.exec(ix.columnKeys![i]!)?.[0] ?? ''}`).join(', ');
    ix.definition = ix.primary ? `PRIMARY KEY (${cols})` : `${ix.unique ? 'UNIQUE ' : ''}INDEX \`${ix.name}\` (${cols}) USING ${ix.method.toUpperCase()}`;
    table.indexes.push(ix);
    if (ix.primary) table.primaryKey = [...ix.columns];
  }
  const fkMap = new Map<string, { table: CatalogTable; fk: CatalogTable['foreignKeys'][number] }>();
  for (const r of fks) {
    const t = byName.get(`${str(r['s'])}.${str(r['t'])}`);
    if (!t) continue;
    const key = `${t.schema}.${t.name}.${str(r['n'])}`;
    let e = fkMap.get(key);
    if (!e) {
      e = { table: t, fk: { name: str(r['n']), columns: [], referencedSchema: str(r['rs']), referencedTable: str(r['rt']), referencedColumns: [] } };
      fkMap.set(key, e);
      t.foreignKeys.push(e.fk);
    }
    e.fk.columns.push(str(r['c']));
    e.fk.referencedColumns.push(str(r['rc']));
  }
  return {
    dialect: 'mysql',
    schemas: scope !== null && scope !== undefined ? [scope] : [...new Set([...byName.values()].map((t) => t.schema))],
    tables: [...byName.values()],
    statsAvailable: usage !== null && [...usage.values()].some((n) => n > 0),
    queryCount,
    ...(database !== null ? { database } : {}),
  };
}
