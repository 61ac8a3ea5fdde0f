// describeTable on DuckDB through the worker: a database file made here (then only ever opened read-only) with a
// primary key, a foreign key, a CHECK, a default, an index, a view and a second schema; and an in-memory connection,
// which has no tables and says to query the file instead.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTableDescription } from '../../../src/core/schema/tableDescription';
import { DuckdbDatabase } from '../../../src/db/duckdb/driver';
import { StatementError } from '../../../src/db/errors';
import { defaultSessionLimits } from '../../../src/db/types';
import { buildWorkers } from './workerSupport';

const root = mkdtempSync(join(tmpdir(), 'dataeng-duckdb-describe-'));
const file = join(root, 'shop.duckdb');
let fileDb: DuckdbDatabase;
let memoryDb: DuckdbDatabase;
let hashBefore: string;
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  const workerDir = await buildWorkers();
  mkdirSync(join(root, 'data'), { recursive: true });
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  await c.run(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR NOT NULL UNIQUE)`);
  await c.run(`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), status VARCHAR DEFAULT 'new', qty INTEGER CHECK (qty > 0))`);
  await c.run(`CREATE INDEX orders_status ON orders (status)`);
  await c.run(`CREATE TABLE y (id INTEGER)`);
  await c.run(`CREATE VIEW paid AS SELECT * FROM orders WHERE status = 'paid'`);
  await c.run(`CREATE SCHEMA archive`);
  await c.run(`CREATE TABLE archive.orders (id BIGINT, note VARCHAR)`);
  await c.run(`INSERT INTO customers SELECT i, 'c' || i || '@example.com' FROM range(1, 101) t(i)`);
  await c.run(`INSERT INTO orders SELECT i, i % 100 + 1, 'new', 1 FROM range(1, 1001) t(i)`);
  await c.run(`COPY orders TO '${join(root, 'data', 'orders.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  instance.closeSync();
  hashBefore = sha256(file);
  const options = { limits: defaultSessionLimits, workerDir, allowedDirs: [root], baseDir: root };
  fileDb = new DuckdbDatabase({ name: 'file', driver: 'duckdb', file }, options);
  memoryDb = new DuckdbDatabase({ name: 'mem', driver: 'duckdb', file: ':memory:' }, options);
}, 60_000);

afterAll(async () => {
  await fileDb?.close();
  await memoryDb?.close();
  if (hashBefore) expect(sha256(file)).toBe(hashBefore);
  rmSync(root, { recursive: true, force: true });
});

describe('DuckDB describeTable', () => {
  it('describes columns, primary key, foreign key, check, default, index and the row estimate', async () => {
    const d = await fileDb.describeTable('orders');
    expect(d).toMatchObject({ dialect: 'duckdb', schema: 'main', name: 'orders', kind: 'table', rowEstimate: 1000 });
    expect(d.columns.map((c) => [c.name, c.type, c.nullable, c.default, c.primaryKey])).toEqual([
      ['id', 'INTEGER', false, null, true],
      ['customer_id', 'INTEGER', false, null, false],
      ['status', 'VARCHAR', true, "'new'", false],
      ['qty', 'INTEGER', true, null, false],
    ]);
    expect(d.constraints.map((c) => c.kind)).toEqual(['primary key', 'foreign key', 'check']);
    expect(d.constraints.find((c) => c.kind === 'foreign key')!.definition).toMatch(/^FOREIGN KEY \(customer_id\) REFERENCES customers\s*\(id\)$/);
    expect(d.constraints.find((c) => c.kind === 'check')!.definition).toContain('qty > 0');
    expect(d.indexes).toEqual([{ name: 'orders_status', definition: 'CREATE INDEX orders_status ON orders(status)', unique: false, primary: false, bytes: null, scans: null }]);
    const text = formatTableDescription(d, { redact: true });
    expect(text).toContain('table "main"."orders" (duckdb)');
    expect(text).toContain('about 1,000 rows');
    expect(text).not.toContain("'new'");
    const customers = await fileDb.describeTable('CUSTOMERS');
    expect(customers.name).toBe('customers');
    expect(customers.constraints.map((c) => c.kind)).toEqual(['primary key', 'unique']);
  });

  it('reads a schema-qualified name, and a view', async () => {
    const archived = await fileDb.describeTable('archive.orders');
    expect(archived.schema).toBe('archive');
    expect(archived.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id BIGINT', 'note VARCHAR']);
    expect(archived.constraints).toEqual([]);
    const view = await fileDb.describeTable('"main"."paid"');
    expect(view.kind).toBe('view');
    expect(view.columns).toHaveLength(4);
    expect(view.rowEstimate).toBeNull();
  });

  it('an unknown table, or a hostile name, is just "not found", and the file is unchanged', async () => {
    await expect(fileDb.describeTable('nope')).rejects.toThrow(/table "nope" does not exist in the DuckDB database/);
    const hostile = "x'; DROP TABLE y; --";
    await expect(fileDb.describeTable(hostile)).rejects.toBeInstanceOf(StatementError);
    await expect(fileDb.describeTable(hostile)).rejects.toThrow('does not exist');
    await expect(fileDb.describeTable('nope.orders')).rejects.toThrow('does not exist');
    expect((await fileDb.describeTable('y')).columns.map((c) => c.name)).toEqual(['id']);
    expect(sha256(file)).toBe(hashBefore);
  });

  it('on an in-memory connection over files, a name that is no table says to query the file instead', async () => {
    await expect(memoryDb.describeTable('data/orders.parquet')).rejects.toThrow(/in-memory database for querying files.*reads like a file path.*query the file instead/);
    await expect(memoryDb.describeTable('orders')).rejects.toThrow(/table "orders" does not exist: .*query the file instead/);
  });
});
