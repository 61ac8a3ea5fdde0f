// describe_table on MySQL and MariaDB, from information_schema (plus mysql.innodb_table_stats and MariaDB's
// mysql.column_stats when this user may read them). The table's name is data: every query takes it as a bound
// parameter, never as SQL text.
import { parseTableName, type DescribedColumn, type DescribedConstraint, type DescribedIndex, type TableDescription } from '../../core/schema/tableDescription';
import { StatementError } from '../errors';
import type { MysqlQuery } from './catalog';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('utf8') : null);
const str = (v: unknown): string => text(v) ?? '';
const numOrNull = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const ident = (s: string): string => `\`${s.replace(/`/g, '``')}\``;

/** A table name as MySQL writes it: `db.table`, `` `my db`.`my table` ``, or a bare name in the current database. */
export function parseMysqlTableName(table: string): { schema?: string; name: string } {
  // A text that is no name at all (spaces, quotes, semicolons…) is looked up as it is, and simply not found.
  return parseTableName(table, '`"') ?? { name: table.trim() };
}

const kinds: Record<string, string> = { 'BASE TABLE': 'table', VIEW: 'view', 'SYSTEM VERSIONED': 'system-versioned table', SEQUENCE: 'sequence', 'SYSTEM VIEW': 'system view', TEMPORARY: 'temporary table' };

/** Runs one optional query: a table this user may not read (or this server lacks) gives null instead of an error. */
async function readable(query: MysqlQuery, sql: string, params: unknown[]): Promise<Record<string, unknown>[] | null> {
  try {
    return await query(sql, params);
  } catch {
    return null;
  }
}

/** Describes one table or view; throws StatementError naming it when there is none by that name. */
export async function describeMysql(query: MysqlQuery, table: string, options: { flavor: 'mariadb' | 'mysql' | undefined }): Promise<TableDescription> {
  const parsed = parseMysqlTableName(table);
  const [dbRow] = await query('SELECT DATABASE() AS d');
  const schema = parsed.schema ?? text(dbRow?.['d']);
  if (schema === null) throw new StatementError(`no database is selected on this connection; name the table as database.table (${JSON.stringify(table)} has no database part)`);

  const found = await query(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS type, ENGINE AS engine, TABLE_ROWS AS \`rows\`, DATA_LENGTH AS data,
            INDEX_LENGTH AS idx, UPDATE_TIME AS updated, TABLE_COMMENT AS comment
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [schema, parsed.name],
  );
  // information_schema may compare names without case (lower_case_table_names): the exact spelling wins.
  const row = found.find((r) => str(r.t) === parsed.name && str(r.s) === schema) ?? (found.length === 1 ? found[0] : undefined);
  if (!row) throw new StatementError(`table ${JSON.stringify(table)} does not exist in database ${JSON.stringify(schema)} (or this user cannot see it)`);
  const s = str(row.s);
  const t = str(row.t);
  const key = [s, t];
  const type = str(row.type);
  const isView = type === 'VIEW' || type === 'SYSTEM VIEW';
  const notes: string[] = [];
  const engine = text(row.engine);
  if (engine) notes.push(`storage engine ${engine}`);

  const columnRows = await query(
    `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, COLUMN_KEY AS k, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    key,
  );
  const indexRows = await query(
    `SELECT INDEX_NAME AS i, NON_UNIQUE AS nu, SEQ_IN_INDEX AS seq, COLUMN_NAME AS c, SUB_PART AS sub, INDEX_TYPE AS method, CARDINALITY AS card
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
    key,
  );
  const constraintRows = await query(
    `SELECT tc.CONSTRAINT_NAME AS n, tc.CONSTRAINT_TYPE AS type, k.COLUMN_NAME AS c, k.REFERENCED_TABLE_SCHEMA AS rs,
            k.REFERENCED_TABLE_NAME AS rt, k.REFERENCED_COLUMN_NAME AS rc, r.UPDATE_RULE AS on_update, r.DELETE_RULE AS on_delete
       FROM information_schema.TABLE_CONSTRAINTS tc
       LEFT JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND k.TABLE_SCHEMA = tc.TABLE_SCHEMA AND k.TABLE_NAME = tc.TABLE_NAME
       LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON tc.CONSTRAINT_TYPE = 'FOREIGN KEY' AND r.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND r.TABLE_NAME = tc.TABLE_NAME
      WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE <> 'CHECK'
      ORDER BY tc.CONSTRAINT_TYPE = 'PRIMARY KEY' DESC, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    key,
  );
  // CHECK constraints: MariaDB 10.2+ keeps the table's name in CHECK_CONSTRAINTS; MySQL 8.0.16+ only through TABLE_CONSTRAINTS.
  const checks =
    options.flavor === 'mariadb'
      ? await readable(query, 'SELECT CONSTRAINT_NAME AS n, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME', key)
      : await readable(
          query,
          `SELECT cc.CONSTRAINT_NAME AS n, cc.CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS cc
             JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
            WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ? ORDER BY cc.CONSTRAINT_NAME`,
          key,
        );
  if (checks === null) notes.push('check constraints could not be read (information_schema.CHECK_CONSTRAINTS is missing on this server version)');

  const indexes: DescribedIndex[] = [];
  const byIndex = new Map<string, Record<string, unknown>[]>();
  for (const r of indexRows) byIndex.set(str(r.i), [...(byIndex.get(str(r.i)) ?? []), r]);
  const cardinalities: string[] = [];
  for (const [name, parts] of byIndex) {
    const first = parts[0]!;
    const primary = name === 'PRIMARY';
    const unique = Number(first.nu) === 0;
    const method = str(first.method);
    const cols = parts.map((p) => (p.c === null || p.c === undefined ? '<expression>' : `${ident(str(p.c))}${p.sub !== null && p.sub !== undefined ? `(${str(p.sub)})` : ''}`)).join(', ');
    const using = method && method !== 'FULLTEXT' && method !== 'SPATIAL' ? ` USING ${method}` : '';
    const prefix = primary ? 'PRIMARY KEY' : method === 'FULLTEXT' ? `CREATE FULLTEXT INDEX ${ident(name)} ON ${ident(t)}` : method === 'SPATIAL' ? `CREATE SPATIAL INDEX ${ident(name)} ON ${ident(t)}` : `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${ident(name)} ON ${ident(t)}`;
    indexes.push({ name, definition: `${prefix} (${cols})${using}`, unique, primary, bytes: null, scans: null });
    const card = numOrNull(parts[parts.length - 1]!.card);
    if (card !== null) cardinalities.push(`${name} ${Math.round(card).toLocaleString('en-US')}`);
  }
  if (cardinalities.length) notes.push(`index cardinality estimates (distinct values of the whole key): ${cardinalities.join(', ')}`);

  const constraints: DescribedConstraint[] = [];
  const byConstraint = new Map<string, Record<string, unknown>[]>();
  for (const r of constraintRows) byConstraint.set(`${str(r.type)}\u0000${str(r.n)}`, [...(byConstraint.get(`${str(r.type)}\u0000${str(r.n)}`) ?? []), r]);
  const pkColumns = new Set<string>();
  for (const parts of byConstraint.values()) {
    const first = parts[0]!;
    const kind = str(first.type);
    const name = str(first.n);
    const cols = parts.filter((p) => p.c !== null && p.c !== undefined).map((p) => str(p.c));
    const colList = cols.map(ident).join(', ');
    if (kind === 'PRIMARY KEY') {
      cols.forEach((c) => pkColumns.add(c));
      constraints.push({ name, kind: 'primary key', definition: `PRIMARY KEY (${colList})` });
    } else if (kind === 'UNIQUE') {
      constraints.push({ name, kind: 'unique', definition: `UNIQUE (${colList})` });
    } else if (kind === 'FOREIGN KEY') {
      const refSchema = str(first.rs);
      const ref = `${refSchema && refSchema !== s ? `${ident(refSchema)}.` : ''}${ident(str(first.rt))}`;
      const refCols = parts.filter((p) => p.rc !== null && p.rc !== undefined).map((p) => ident(str(p.rc))).join(', ');
      const actions = [['ON DELETE', str(first.on_delete)], ['ON UPDATE', str(first.on_update)]]
        .filter(([, rule]) => rule && rule !== 'RESTRICT' && rule !== 'NO ACTION')
        .map(([what, rule]) => `${what} ${rule}`)
        .join(' ');
      constraints.push({ name, kind: 'foreign key', definition: `FOREIGN KEY (${colList}) REFERENCES ${ref} (${refCols})${actions ? ` ${actions}` : ''}` });
    } else {
      constraints.push({ name, kind: 'other', definition: `${kind}${colList ? ` (${colList})` : ''}` });
    }
  }
  for (const c of checks ?? []) constraints.push({ name: str(c.n), kind: 'check', definition: `CHECK (${str(c.clause)})` });

  // When the optimizer's statistics were last updated: InnoDB's persistent statistics, if this user may read them.
  let lastAnalyze: string | null = null;
  if (!isView && engine?.toLowerCase() === 'innodb') {
    const stats = await readable(query, 'SELECT last_update AS at FROM mysql.innodb_table_stats WHERE database_name = ? AND table_name = ?', key);
    if (stats === null) notes.push('last statistics update unknown: mysql.innodb_table_stats is not readable for this user');
    else lastAnalyze = text(stats[0]?.at);
  }
  const updated = text(row.updated);
  if (updated) notes.push(`last modified ${updated} (information_schema UPDATE_TIME)`);

  // Column statistics: MariaDB's engine-independent statistics (ANALYZE TABLE … PERSISTENT FOR ALL), when present and readable.
  const rowEstimate = isView ? null : numOrNull(row.rows);
  const columnStats = new Map<string, DescribedColumn['stats']>();
  if (options.flavor === 'mariadb' && !isView) {
    const cs = await readable(query, 'SELECT column_name AS c, nulls_ratio AS nf, avg_frequency AS freq, hist_type AS ht FROM mysql.column_stats WHERE db_name = ? AND table_name = ?', key);
    if (cs === null) notes.push('column statistics: none readable (mysql.column_stats is not readable for this user)');
    else if (!cs.length) notes.push('column statistics: none (MariaDB collects them with ANALYZE TABLE … PERSISTENT FOR ALL)');
    else {
      for (const r of cs) {
        const nullFrac = numOrNull(r.nf);
        const freq = numOrNull(r.freq);
        const nDistinct = freq !== null && freq > 0 && rowEstimate !== null ? Math.max(1, Math.round((rowEstimate * (1 - (nullFrac ?? 0))) / freq)) : null;
        columnStats.set(str(r.c), { nDistinct, nullFrac, correlation: null, mostCommonValues: null, mostCommonFreqs: null });
      }
      const histograms = cs.filter((r) => r.ht !== null && r.ht !== undefined).map((r) => `${str(r.c)} (${str(r.ht)})`);
      notes.push(`column statistics from mysql.column_stats (n_distinct estimated from avg_frequency)${histograms.length ? `; histograms on ${histograms.join(', ')}` : '; no histograms'}`);
    }
  } else if (!isView) {
    notes.push('column statistics: none read (MySQL histograms are not read here)');
  }

  const columns: DescribedColumn[] = columnRows.map((c) => {
    const name = str(c.c);
    let def = text(c.def);
    // MariaDB spells "no default, nullable" as the word NULL (a string default is quoted there).
    if (options.flavor === 'mariadb' && def === 'NULL') def = null;
    const extra = str(c.extra).trim();
    return {
      name,
      type: `${str(c.type)}${extra ? ` ${extra.toLowerCase()}` : ''}`,
      nullable: str(c.nullable).toUpperCase() === 'YES',
      default: def,
      primaryKey: pkColumns.has(name) || (pkColumns.size === 0 && str(c.k) === 'PRI'),
      stats: columnStats.get(name) ?? null,
    };
  });

  const data = numOrNull(row.data);
  const idx = numOrNull(row.idx);
  if (!isView && /^innodb$/i.test(engine ?? '')) notes.push('the row count is an estimate (InnoDB samples it; ANALYZE TABLE refreshes it)');
  return {
    dialect: 'mysql',
    schema: s,
    name: t,
    kind: kinds[type] ?? type.toLowerCase(),
    rowEstimate,
    totalBytes: data !== null && idx !== null ? data + idx : null,
    tableBytes: data,
    lastAnalyze,
    lastAutoanalyze: null,
    lastVacuum: null,
    lastAutovacuum: null,
    comment: text(row.comment) || null,
    columns,
    indexes,
    constraints,
    notes,
  };
}
