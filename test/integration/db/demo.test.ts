// The embedded demo PostgreSQL (PGlite): seeded on first use in a fresh directory, then the same safe path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoDatabase } from '../../../src/db/demo/driver';
import { ConsentRequiredError, ExplainCancelledError, RefusedStatementError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits } from '../../../src/db/types';
import { deadline } from './faultSupport';
import { buildWorkers } from './workerSupport';

const root = mkdtempSync(join(tmpdir(), 'dataeng-demo-'));
const dataDir = join(root, 'demo');
let db: DemoDatabase;
let workerDir: string;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}
const rootOf = (plan: unknown): PlanNode => (plan as { Plan: PlanNode }[])[0]!.Plan;

async function count(table: string): Promise<number> {
  // Counting goes through the safe path too: EXPLAIN ANALYZE reports the rows the aggregate read.
  const r = await db.explain(`SELECT * FROM ${table}`, { analyze: true, consentToWrites: false });
  return rootOf(r.plan)['Actual Rows']!;
}

beforeAll(async () => {
  workerDir = await buildWorkers();
  db = (await openDatabase({ name: 'demo', driver: 'demo' }, { limits: defaultSessionLimits, dataDir, workerDir })) as DemoDatabase;
  const info = await db.start();
  expect(info.seededNow).toBe(true);
}, 600_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('demo database (PGlite)', () => {
  it('is seeded with the shop schema and a few hundred thousand rows', async () => {
    const sizes = await Promise.all(['customers', 'products', 'orders', 'order_items', 'events'].map(count));
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(200_000);
    expect(total).toBeLessThan(1_000_000);
  });

  it('has the planted problems: no index on orders.customer_id, a misestimated correlation', async () => {
    const join = await db.explain('SELECT * FROM orders WHERE customer_id = 42', { analyze: false, consentToWrites: false });
    expect(rootOf(join.plan)['Node Type']).toBe('Seq Scan');
    const corr = await db.explain("SELECT * FROM customers WHERE country = 'DE' AND city = 'Berlin'", { analyze: true, consentToWrites: false });
    const node = rootOf(corr.plan);
    expect(node['Actual Rows']! / node['Plan Rows']).toBeGreaterThan(3);
  });

  it('introspects the demo catalog', async () => {
    const catalog = await db.introspect({ schema: 'public' });
    expect(catalog.dialect).toBe('postgres');
  });

  it('rolls back EXPLAIN ANALYZE of a write and needs consent for it', async () => {
    const before = await count('events');
    for (const sql of ["DELETE FROM events WHERE kind = 'page_view'", "UPDATE orders SET status = 'archived' WHERE status = 'delivered'"]) {
      await expect(db.explain(sql, { analyze: true, consentToWrites: false })).rejects.toBeInstanceOf(ConsentRequiredError);
      const r = await db.explain(sql, { analyze: true, consentToWrites: true });
      expect(r.analyzed).toBe(true);
      expect(r.rolledBack).toBe(true);
      expect(rootOf(r.plan)['Node Type']).toBe('ModifyTable');
    }
    expect(await count('events')).toBe(before);
    expect(await count("orders WHERE status = 'archived'")).toBe(0);
  });

  it('plans a statement with $1 as a generic plan (PostgreSQL 16+)', async () => {
    const r = await db.explain('SELECT * FROM orders WHERE id = $1', { analyze: false, consentToWrites: false });
    expect(rootOf(r.plan)['Node Type']).toBe('Index Scan');
  });

  it('refuses multiple statements and transaction control', async () => {
    await expect(db.explain('SELECT 1; DROP TABLE orders', { analyze: false, consentToWrites: false })).rejects.toBeInstanceOf(RefusedStatementError);
    await expect(db.explain('COMMIT', { analyze: false, consentToWrites: false })).rejects.toBeInstanceOf(RefusedStatementError);
  });

  it('a timeout stops the worker, and the database reopens (warm) for the next call', async () => {
    const err = await db.explain('SELECT pg_sleep(30)', { analyze: true, consentToWrites: false, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplainCancelledError);
    const info = await db.start();
    expect(info.seededNow).toBe(false);
    expect(await count('products')).toBe(1000);
  }, 120_000);

  it('a second open of the same directory is warm: no seeding', async () => {
    await db.close();
    db = (await openDatabase({ name: 'demo', driver: 'demo' }, { limits: defaultSessionLimits, dataDir, workerDir })) as DemoDatabase;
    const info = await db.start();
    expect(info.seededNow).toBe(false);
  }, 120_000);
});

describe('demo database (PGlite): faults and cancellation, through the Database interface', () => {
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
  const settled = <T>(p: Promise<T>): Promise<T | Error> => p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));

  it('Database.cancel() stops the worker mid-statement: the error says the transaction was discarded (rolledBack false); the next call works', async () => {
    await db.start();
    const pending = settled(db.explain('SELECT pg_sleep(30)', { analyze: true, consentToWrites: false }));
    await tick();
    await db.cancel();
    const err = await deadline(pending, 30_000, 'the cancelled explain');
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect((err as ExplainCancelledError).rolledBack).toBe(false);
    expect((err as Error).message).toMatch(/stopped with the transaction open, which discards it: nothing was committed/);
    expect(await count('products')).toBe(1000);
  }, 120_000);

  it('Stop of the running explain leaves the explain queued behind it running to completion', async () => {
    await db.start();
    const controller = new AbortController();
    const a = settled(db.explain('SELECT pg_sleep(30)', { analyze: true, consentToWrites: false, signal: controller.signal }));
    const b = settled(db.explain('SELECT * FROM products', { analyze: true, consentToWrites: false }));
    await tick();
    controller.abort();
    expect(await deadline(a, 30_000, 'explain A')).toBeInstanceOf(ExplainCancelledError);
    const resultB = await deadline(b, 120_000, 'explain B');
    expect(resultB).not.toBeInstanceOf(Error);
    expect(rootOf((resultB as { plan: unknown }).plan)['Actual Rows']).toBe(1000);
  }, 180_000);

  it('Stop of a queued explain drops only it; the running one completes', async () => {
    await db.start();
    const controller = new AbortController();
    const a = settled(db.explain('SELECT * FROM products', { analyze: true, consentToWrites: false }));
    const b = settled(db.explain('SELECT pg_sleep(30)', { analyze: true, consentToWrites: false, signal: controller.signal }));
    await tick();
    controller.abort();
    expect(await deadline(b, 30_000, 'explain B')).toBeInstanceOf(ExplainCancelledError);
    const resultA = await deadline(a, 60_000, 'explain A');
    expect(resultA).not.toBeInstanceOf(Error);
    expect((resultA as { rolledBack: boolean }).rolledBack).toBe(true);
  }, 120_000);
});
