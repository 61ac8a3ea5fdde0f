// Proof on the embedded demo database (PGlite, no HypoPG): rolled-back indexes with consent, measured before and
// after, the advisor on the demo's slow queries, a few comparisons — and pg_class / pg_index unchanged afterwards.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes, compareResults, whatIfIndex } from '../../../src/app/proof';
import { split } from '../../../src/core/sql/locate';
import type { DemoDatabase } from '../../../src/db/demo/driver';
import { IndexBuildConsentRequiredError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits } from '../../../src/db/types';
import { recordingPort } from './proofSupport';
import { buildWorkers } from './workerSupport';

const root = mkdtempSync(join(tmpdir(), 'dataeng-proof-demo-'));
let db: DemoDatabase;

/** The demo's slow queries, as the user opens them. */
const queries = split(readFileSync(join(__dirname, '..', '..', '..', 'demo', 'queries.sql'), 'utf8'), 'postgres').map((s) => s.text);
const history = queries[0]!;

function done<T>(run: { kind: 'done'; result: T } | { kind: 'declined'; reason: string }): T {
  if (run.kind !== 'done') throw new Error(`declined: ${run.reason}`);
  return run.result;
}

/** Rows of a catalog table, counted through the safe path (EXPLAIN ANALYZE reports the rows it read). */
async function rows(table: string): Promise<number> {
  const r = await db.explain(`SELECT * FROM ${table}`, { analyze: true, consentToWrites: false });
  return (r.plan as { Plan: { 'Actual Rows': number } }[])[0]!.Plan['Actual Rows'];
}

async function catalogCounts(): Promise<number[]> {
  return [await rows('pg_class'), await rows('pg_index'), (await db.introspect({ schema: 'public' })).tables.reduce((n, t) => n + t.indexes.length, 0)];
}

let before: number[];

beforeAll(async () => {
  const workerDir = await buildWorkers();
  db = (await openDatabase({ name: 'demo', driver: 'demo' }, { limits: defaultSessionLimits, dataDir: join(root, 'demo'), workerDir })) as DemoDatabase;
  await db.start();
  before = await catalogCounts();
}, 600_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('what-if on the demo database', () => {
  it('needs consent that names the table, its size and the SHARE lock', async () => {
    expect(queries).toHaveLength(4);
    const err = await whatIfIndex(db, history, ['CREATE INDEX ON orders (customer_id)'], { request: { analyze: false }, port: { withoutConsent: 'refuse' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexBuildConsentRequiredError);
    expect((err as Error).message).toMatch(/on public\.orders \([\d.]+ (kB|MB), about 50,000 rows\).*SHARE lock/);
  });

  it('builds inside BEGIN … ROLLBACK and measures the slow query before and after', async () => {
    const port = recordingPort('analyze');
    const r = done(await whatIfIndex(db, history, ['CREATE INDEX ON orders (customer_id)'], { request: { setting: 'ask' }, port }));
    expect(port.asked.map((q) => q.kind)).toEqual(['index-build']);
    expect(r.method).toBe('rolled-back-index');
    expect(r.analyzed).toBe(true);
    expect(r.usedIndexes).toEqual(['CREATE INDEX ON orders (customer_id)']);
    expect(r.after.timeMs!).toBeLessThan(r.before.timeMs!);
    expect(await catalogCounts()).toEqual(before);
  });

  it('the advisor on the demo slow queries: a verified index for the ones a missing index slows down', async () => {
    const results = [];
    for (const sql of queries) results.push(done(await adviseIndexes(db, sql, { request: { analyze: true }, port: { preApproved: true, withoutConsent: 'refuse' } })));
    // Order history: orders has no index on customer_id.
    expect(results[0]!.best).toMatch(/ON public\.orders \(customer_id/);
    expect(results[0]!.finding!.fix).toMatch(/measured with a rolled-back index/);
    // Berlin customers: an index serving both conditions (the planner misestimates their correlation).
    expect(results[3]!.best).toMatch(/ON public\.customers \(country, city\)/);
    for (const r of results) for (const c of r.candidates) expect(c.method).toBe('rolled-back-index');
    expect(await catalogCounts()).toEqual(before);
  });
});

describe('compare on the demo database', () => {
  it('catches a LEFT JOIN turned into a JOIN and accepts an equivalent rewrite', async () => {
    const left = await compareResults(db, 'SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id', 'SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id');
    expect(left.verdict).toBe('different');
    expect(left.onlyInOriginal).toBeGreaterThan(0);
    const same = await compareResults(db, "SELECT id, email FROM customers WHERE country = 'DE' AND city = 'Berlin'", "SELECT id, email FROM customers WHERE city = 'Berlin' AND country IN ('DE')");
    expect(same.verdict).toBe('equal');
    expect(same.reason).toMatch(/^Equal on this database \(1,000 rows\)/);
    expect(await catalogCounts()).toEqual(before);
  });
});
