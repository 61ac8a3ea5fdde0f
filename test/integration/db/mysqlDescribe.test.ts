// describeTable on the live MariaDB server (and MySQL when DATAENG_TEST_MYSQL_URL is set): the seeded tables, plus a
// database of its own with a foreign key and a CHECK, so the shared test database stays as seeded.
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTableDescription } from '../../../src/core/schema/tableDescription';
import { StatementError } from '../../../src/db/errors';
import { MysqlDatabase } from '../../../src/db/mysql/driver';
import { defaultSessionLimits } from '../../../src/db/types';
import { adminConnection, ensureSeeded, mariadbUrl, mysqlUrl, testConfig } from './mysqlSupport';

const servers: [string, string][] = [['MariaDB', mariadbUrl]];
if (mysqlUrl) servers.push(['MySQL', mysqlUrl]);

const other = `dataeng_describe_${process.pid}`;

describe.each(servers)('%s describeTable', (label, url) => {
  let db: MysqlDatabase;
  let admin: Connection;

  beforeAll(async () => {
    await ensureSeeded(url);
    admin = await adminConnection(url);
    await admin.query(`DROP DATABASE IF EXISTS ${other}; CREATE DATABASE ${other}`);
    await admin.query(`CREATE TABLE ${other}.parent (id INT NOT NULL PRIMARY KEY, code VARCHAR(20) NOT NULL, UNIQUE KEY parent_code (code)) ENGINE=InnoDB`);
    await admin.query(
      `CREATE TABLE ${other}.\`child table\` (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL, qty INT NOT NULL DEFAULT 1,
         note VARCHAR(50) DEFAULT 'none', CONSTRAINT child_qty CHECK (qty > 0), KEY child_parent_qty (parent_id, qty),
         CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES ${other}.parent (id) ON DELETE CASCADE) ENGINE=InnoDB`,
    );
    await admin.query(`CREATE TABLE ${other}.y (id INT PRIMARY KEY)`);
    await admin.query(`INSERT INTO ${other}.parent VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
    await admin.query(`INSERT INTO ${other}.\`child table\` (parent_id, qty) VALUES (1, 1), (1, 2), (2, 5)`);
    await admin.query(`ANALYZE TABLE ${other}.parent, ${other}.\`child table\``);
    const { config, password } = testConfig(url);
    db = new MysqlDatabase(config, { limits: defaultSessionLimits, ...(password !== undefined ? { password } : {}), optionFile: null });
  });
  afterAll(async () => {
    await db?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${other}`);
    await admin?.end();
  });

  it('describes a seeded table in the current database by its bare name', async () => {
    const d = await db.describeTable('orders');
    expect(d.dialect).toBe('mysql');
    expect(d.schema).toBe('dataeng_test');
    expect(d.name).toBe('orders');
    expect(d.kind).toBe('table');
    expect(d.rowEstimate).toBeGreaterThan(0);
    expect(d.totalBytes).toBeGreaterThan(0);
    expect(d.columns.find((c) => c.name === 'id')).toMatchObject({ primaryKey: true, nullable: false });
    expect(d.indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['PRIMARY', 'orders_customer', 'orders_customer_status', 'orders_status']));
    expect(d.indexes.find((i) => i.name === 'orders_customer_status')!.definition).toBe('CREATE INDEX `orders_customer_status` ON `orders` (`customer_id`, `status`) USING BTREE');
    expect(d.constraints[0]).toMatchObject({ kind: 'primary key', definition: 'PRIMARY KEY (`id`)' });
    expect(d.notes.join('\n')).toContain('storage engine InnoDB');
    const legacy = await db.describeTable('`legacy_log`');
    expect(legacy.notes.join('\n')).toMatch(/storage engine (MyISAM|Aria)/);
  });

  it('describes columns, primary key, foreign key, check, unique and indexes of a qualified, quoted name', async () => {
    const d = await db.describeTable(`${other}.\`child table\``);
    expect(d.schema).toBe(other);
    expect(d.name).toBe('child table');
    expect(d.columns.map((c) => c.name)).toEqual(['id', 'parent_id', 'qty', 'note']);
    expect(d.columns[0]).toMatchObject({ primaryKey: true, nullable: false, default: null });
    expect(d.columns[0]!.type).toMatch(/^int(\(11\))? auto_increment$/);
    expect(d.columns[2]).toMatchObject({ nullable: false, default: '1', primaryKey: false });
    expect(d.columns[3]).toMatchObject({ nullable: true });
    expect(d.columns[3]!.default).toMatch(/^'?none'?$/);
    const kinds = d.constraints.map((c) => `${c.kind}:${c.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['primary key:PRIMARY', 'foreign key:child_parent', 'check:child_qty']));
    expect(d.constraints.find((c) => c.name === 'child_parent')!.definition).toBe('FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE');
    expect(d.constraints.find((c) => c.name === 'child_qty')!.definition).toMatch(/^CHECK \(.*qty.* > 0\)$/);
    expect(d.indexes.find((i) => i.name === 'child_parent_qty')).toMatchObject({ unique: false, primary: false });
    expect(d.indexes.find((i) => i.name === 'PRIMARY')).toMatchObject({ unique: true, primary: true });
    const parent = await db.describeTable(`${other}.parent`);
    expect(parent.constraints.find((c) => c.kind === 'unique')).toMatchObject({ name: 'parent_code', definition: 'UNIQUE (`code`)' });
    expect(parent.indexes.find((i) => i.name === 'parent_code')!.definition).toBe('CREATE UNIQUE INDEX `parent_code` ON `parent` (`code`) USING BTREE');
    if (label === 'MariaDB') expect(parent.lastAnalyze ?? parent.notes.join('\n')).toMatch(/\d{4}-\d\d-\d\d|innodb_table_stats/);
    const text = formatTableDescription(d, { redact: false });
    expect(text).toContain(`table "${other}"."child table" (mysql)`);
    expect(text).toContain('columns (4):');
  });

  it('reads column statistics when MariaDB has them, and says none otherwise', async () => {
    const before = await db.describeTable(`${other}.parent`);
    if (label !== 'MariaDB') return;
    expect(before.notes.join('\n')).toMatch(/column statistics: none|column statistics from mysql\.column_stats/);
    await admin.query(`ANALYZE TABLE ${other}.parent PERSISTENT FOR ALL`);
    const after = await db.describeTable(`${other}.parent`);
    const code = after.columns.find((c) => c.name === 'code')!;
    expect(code.stats).toMatchObject({ nullFrac: 0, nDistinct: 3 });
  });

  it('an unknown table, or a hostile name, is just "not found", and nothing is dropped', async () => {
    await expect(db.describeTable('nope')).rejects.toThrow(/table "nope" does not exist in database "dataeng_test"/);
    const hostile = "x'; DROP TABLE y; --";
    await expect(db.describeTable(hostile)).rejects.toBeInstanceOf(StatementError);
    await expect(db.describeTable(hostile)).rejects.toThrow('does not exist');
    await expect(db.describeTable(`${other}.y'; DROP TABLE ${other}.y; --`)).rejects.toThrow('does not exist');
    await expect(db.describeTable('no_such_db.orders')).rejects.toThrow(/does not exist in database "no_such_db"/);
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'y'`, [other]);
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(1);
    // The session is still usable after a not-found.
    expect((await db.describeTable(`${other}.y`)).columns.map((c) => c.name)).toEqual(['id']);
  });
});
