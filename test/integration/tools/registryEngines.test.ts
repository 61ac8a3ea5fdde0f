// describe_table through createToolRegistry on the two newer engines: MariaDB (the live server) and DuckDB (a file
// made here, opened read-only by the worker), as the agent and MCP call it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListPort } from '../../../src/app/tools/connectionList';
import { createToolRegistry } from '../../../src/app/tools/registry';
import { agentToolNames, externalToolNames, type ToolCallContext, type ToolRegistry } from '../../../src/core/tools/types';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits } from '../../../src/db/types';
import { ensureSeeded, mariadbUrl, testConfig } from '../db/mysqlSupport';
import { buildWorkers } from '../db/workerSupport';

const tmp = mkdtempSync(join(tmpdir(), 'dataeng-tools-engines-'));
const duckFile = join(tmp, 'shop.duckdb');
let registry: ToolRegistry;
let closeAll: () => Promise<void>;

const ctx = (over: Partial<ToolCallContext> = {}): ToolCallContext => ({ signal: new AbortController().signal, redact: false, ...over });

beforeAll(async () => {
  await ensureSeeded(mariadbUrl);
  const instance = await DuckDBInstance.create(duckFile);
  const c = await instance.connect();
  await c.run(`CREATE TABLE items (id INTEGER PRIMARY KEY, sku VARCHAR NOT NULL, kind VARCHAR DEFAULT 'secret-kind')`);
  await c.run(`CREATE TABLE lines (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items (id), qty INTEGER)`);
  await c.run(`CREATE INDEX lines_item ON lines (item_id)`);
  c.closeSync();
  instance.closeSync();

  const workerDir = await buildWorkers();
  const { config: mariaConfig, password } = testConfig(mariadbUrl);
  const maria = { ...mariaConfig, name: 'maria' };
  const duck = { name: 'duck', driver: 'duckdb' as const, file: duckFile };
  const port = connectionListPort(
    [
      { name: 'maria', config: maria, open: () => openDatabase(maria, { limits: defaultSessionLimits, env: {}, ...(password !== undefined ? { password } : {}) }) },
      { name: 'duck', config: duck, open: () => openDatabase(duck, { limits: defaultSessionLimits, workerDir, cwd: tmp }) },
    ],
    { consent: { withoutConsent: 'refuse' } },
  );
  closeAll = () => port.closeAll();
  registry = createToolRegistry({ database: port }, { offered: [...agentToolNames, ...externalToolNames] });
}, 120_000);

afterAll(async () => {
  await closeAll?.();
  rmSync(tmp, { recursive: true, force: true });
});

describe('describe_table on MariaDB', () => {
  it('describes a table; an unknown or hostile name is an error naming it', async () => {
    const d = await registry.run('describe_table', { table: 'orders' }, ctx({ connection: 'maria' }));
    expect(d.isError, d.text).toBe(false);
    expect(d.text).toContain('table "dataeng_test"."orders" (mysql)');
    expect(d.text).toContain('CREATE INDEX `orders_customer_status` ON `orders` (`customer_id`, `status`) USING BTREE');
    expect(d.text).toContain('"PRIMARY" primary key: PRIMARY KEY (`id`)');
    expect(d.summary).toBe('Described dataeng_test.orders: 6 columns, 4 indexes');
    const missing = await registry.run('describe_table', { table: 'nope' }, ctx({ connection: 'maria' }));
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('"nope" does not exist');
    const hostile = await registry.run('describe_table', { table: "x'; DROP TABLE orders; --" }, ctx({ connection: 'maria' }));
    expect(hostile.isError).toBe(true);
    expect(hostile.text).toContain('does not exist');
    expect((await registry.run('describe_table', { table: 'orders' }, ctx({ connection: 'maria' }))).isError).toBe(false);
  });
});

describe('describe_table on DuckDB', () => {
  it('describes a table with its foreign key and index; redaction hides the default; an unknown name is an error', async () => {
    const d = await registry.run('describe_table', { table: 'lines' }, ctx({ connection: 'duck' }));
    expect(d.isError, d.text).toBe(false);
    expect(d.text).toContain('table "main"."lines" (duckdb)');
    expect(d.text).toContain('CREATE INDEX lines_item ON lines(item_id)');
    expect(d.text).toMatch(/foreign key: FOREIGN KEY \(item_id\) REFERENCES items\s*\(id\)/);
    const items = await registry.run('describe_table', { table: 'items' }, ctx({ connection: 'duck', redact: true }));
    expect(items.isError, items.text).toBe(false);
    expect(items.text).not.toContain('secret-kind');
    expect((await registry.run('describe_table', { table: 'items' }, ctx({ connection: 'duck' }))).text).toContain("default 'secret-kind'");
    const missing = await registry.run('describe_table', { table: "items'--" }, ctx({ connection: 'duck' }));
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('does not exist');
  });
});
