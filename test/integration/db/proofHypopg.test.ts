// Index what-if and the advisor on PostgreSQL 15 with HypoPG, in a database of their own: hypothetical indexes, costs
// only, nothing left behind — no catalog change and no hypothetical index alive in the pooled sessions afterwards.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes, whatIfIndex, type WhatIfIndexResult } from '../../../src/app/proof';
import { RefusedStatementError } from '../../../src/db/errors';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { uniqueName } from './pgSupport';
import { catalogSnapshot, ensureHypopgDatabase, recordingPort, type CatalogSnapshot } from './proofSupport';

const schema = uniqueName('dataeng_hypo');
let url: string;
let admin: pg.Client;
let db: Database;
let before: CatalogSnapshot;

const plain = { request: { analyze: false }, port: { withoutConsent: 'refuse' as const } };

function done<T>(run: { kind: 'done'; result: T } | { kind: 'declined'; reason: string }): T {
  if (run.kind !== 'done') throw new Error(`declined: ${run.reason}`);
  return run.result;
}

/** Index names in a PostgreSQL JSON plan. */
function indexNames(plan: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [(plan as { Plan: unknown }[])[0]!.Plan];
  while (stack.length) {
    const n = stack.pop() as { 'Index Name'?: string; Plans?: unknown[] };
    if (n['Index Name']) out.push(n['Index Name']);
    stack.push(...(n.Plans ?? []));
  }
  return out;
}

beforeAll(async () => {
  url = await ensureHypopgDatabase();
  admin = new pg.Client({ connectionString: url, application_name: 'dataeng-test-admin' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, total numeric NOT NULL, note text)`);
  await admin.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 5000, (ARRAY['new','paid','shipped'])[1 + g % 3], timestamptz '2023-01-01' + g * interval '5 minutes', g % 500, repeat('x', 40) FROM generate_series(1, 60000) g`);
  await admin.query(`ANALYZE ${schema}.orders`);
  before = await catalogSnapshot(admin, schema);
  const parsed = parseConnectionUrl(url);
  db = await openDatabase({ ...parsed.config, application_name: 'dataeng-test-hypopg' }, { limits: defaultSessionLimits, env: {} });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

describe('what-if with HypoPG', () => {
  let result: WhatIfIndexResult;

  it('tests a hypothetical index: costs before and after, the index the planner used, both plans', async () => {
    const sql = `SELECT id, total FROM ${schema}.orders WHERE customer_id = 42`;
    const index = `CREATE INDEX ON ${schema}.orders (customer_id)`;
    result = done(await whatIfIndex(db, sql, [index], plain));
    expect(result.method).toBe('hypopg');
    expect(result.analyzed).toBe(false);
    expect(result.before.cost).toBeGreaterThan(1000);
    expect(result.after.cost!).toBeLessThan(result.before.cost! / 10);
    expect(result.before.timeMs).toBeUndefined();
    expect(result.usedIndexes).toEqual([index]);
    expect(result.savedPct).toBeGreaterThan(90);
    expect(result.summary).toMatch(/^verified: cost [\d,]+ → [\d.,]+ \(−\d+(\.\d)?%\) with HypoPG$/);
    expect(indexNames(result.plans.after).join()).toMatch(/^<\d+>btree_/);
    expect(indexNames(result.plans.before)).toEqual([]);
    expect(result.warnings.join('\n')).toMatch(/estimated costs/);
  });

  it('asks nothing and builds nothing: no consent question, catalog unchanged', async () => {
    const port = recordingPort('dismissed');
    done(await whatIfIndex(db, `SELECT * FROM ${schema}.orders WHERE status = 'paid' AND customer_id = 7`, [`CREATE INDEX ON ${schema}.orders (customer_id, status)`], { request: { setting: 'ask' }, port }));
    expect(port.asked).toEqual([]);
    expect(await catalogSnapshot(admin, schema)).toEqual(before);
  });

  it('leaves no hypothetical index alive in the session it used', async () => {
    done(await whatIfIndex(db, `SELECT id FROM ${schema}.orders WHERE customer_id = 42`, [`CREATE INDEX ON ${schema}.orders (customer_id)`], plain));
    // The pool hands out its most recently released session first: the next call runs on the what-if's own session,
    // and counts the hypothetical indexes there (EXPLAIN ANALYZE reports the rows hypopg_list_indexes returned).
    const listed = await db.explain('SELECT * FROM hypopg_list_indexes', { analyze: true, consentToWrites: true });
    expect((listed.plan as { Plan: { 'Actual Rows': number } }[])[0]!.Plan['Actual Rows']).toBe(0);
  });

  it('leaves no hypothetical index alive in any pooled session', async () => {
    // Every session of the pool (3) plans the query at once; a hypothetical index left in any would show in its plan.
    const sql = `SELECT id FROM ${schema}.orders WHERE customer_id = 42`;
    const plans = await Promise.all([1, 2, 3].map(() => db.explain(sql, { analyze: false, consentToWrites: false })));
    for (const p of plans) expect(indexNames(p.plan)).toEqual([]);
    // The session the what-if ran on is the pool's most recent one, which the next call gets: its "before" plan too.
    const again = done(await whatIfIndex(db, sql, [`CREATE INDEX ON ${schema}.orders (status)`], plain));
    expect(indexNames(again.plans.before)).toEqual([]);
    expect(await catalogSnapshot(admin, schema)).toEqual(before);
  });

  it('removes CONCURRENTLY for the test and says so; reports an index the planner ignored', async () => {
    const r = done(await whatIfIndex(db, `SELECT * FROM ${schema}.orders WHERE customer_id = 42`, [`CREATE INDEX CONCURRENTLY orders_note_idx ON ${schema}.orders (note)`], plain));
    expect(r.usedIndexes).toEqual([]);
    expect(r.summary).toMatch(/did not use the index/);
    expect(r.warnings.join('\n')).toMatch(/CONCURRENTLY was removed for the test/);
  });

  it('tests several indexes together and says which were used', async () => {
    const a = `CREATE INDEX ON ${schema}.orders (customer_id)`;
    const b = `CREATE INDEX ON ${schema}.orders (note)`;
    const r = done(await whatIfIndex(db, `SELECT * FROM ${schema}.orders WHERE customer_id = 42`, [a, b], plain));
    expect(r.usedIndexes).toEqual([a]);
    expect(r.indexes).toEqual([{ statement: a, used: true }, { statement: b, used: false }]);
  });

  it('validates every index statement: exactly one CREATE INDEX, nothing else', async () => {
    const sql = `SELECT * FROM ${schema}.orders WHERE customer_id = 1`;
    const cases = [
      `CREATE INDEX ON ${schema}.orders (customer_id); DROP TABLE ${schema}.orders`,
      `DROP TABLE ${schema}.orders`,
      `CREATE TABLE ${schema}.x (a int)`,
      `CREATE INDEX ON ${schema}.orders (customer_id`,
      '',
    ];
    for (const index of cases) await expect(whatIfIndex(db, sql, [index], plain), index).rejects.toBeInstanceOf(RefusedStatementError);
    await expect(db.whatIf!(sql, { variants: [[`CREATE INDEX ON ${schema}.orders (id); SELECT 1`]], analyze: false, consentToWrites: false, consentToBuild: false, maxTableBytes: 1e12, confirmAboveCap: false })).rejects.toBeInstanceOf(RefusedStatementError);
    expect((await catalogSnapshot(admin, schema)).names).toContain('orders');
  });

  it('plans a write without executing it', async () => {
    const r = done(await whatIfIndex(db, `DELETE FROM ${schema}.orders WHERE customer_id = 42`, [`CREATE INDEX ON ${schema}.orders (customer_id)`], { request: { analyze: true }, port: { withoutConsent: 'refuse' } }));
    expect(r.method).toBe('hypopg');
    expect(r.analyzed).toBe(false);
    expect(r.usedIndexes).toHaveLength(1);
    expect(Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.orders`)).rows[0]!.n)).toBe(60000);
  });
});

describe('index advisor with HypoPG', () => {
  it('finds, tests and recommends an index for a filtered, sorted scan', async () => {
    const sql = `SELECT id, created_at FROM ${schema}.orders WHERE customer_id = 42 AND status = 'paid' ORDER BY created_at DESC LIMIT 20`;
    const advice = done(await adviseIndexes(db, sql, plain));
    expect(advice.candidates.length).toBeGreaterThan(0);
    expect(advice.best).toMatch(/^CREATE INDEX CONCURRENTLY \S+ ON \S+\.orders \(customer_id, status/);
    const best = advice.candidates.find((c) => c.index === advice.best)!;
    expect(best.method).toBe('hypopg');
    expect(best.savedPct).toBeGreaterThanOrEqual(50);
    expect(advice.finding?.fix).toMatch(/-- verified: cost [\d,]+ → [\d.,]+ \(−[\d.]+%\) with HypoPG$/);
    expect(await catalogSnapshot(admin, schema)).toEqual(before);
  });

  it('skips a candidate an existing index covers, and says nothing helps when nothing does', async () => {
    const advice = done(await adviseIndexes(db, `SELECT * FROM ${schema}.orders WHERE id = 5`, plain));
    expect(advice.best).toBeNull();
    expect(advice.candidates).toEqual([]);
  });
});
