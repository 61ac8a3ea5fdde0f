// Index what-if on PostgreSQL without HypoPG (the `test` database never has it): a real index built inside
// BEGIN … ROLLBACK, only with consent that names the table, its size and the SHARE lock; a second confirmation above
// the size cap; true EXPLAIN ANALYZE before and after when allowed; lock_timeout and statement_timeout; and nothing
// left behind — pg_class and pg_index are the same before and after every test.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes, whatIfIndex } from '../../../src/app/proof';
import { ExplainCancelledError, IndexBuildConsentRequiredError, StatementError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { adminClient, pgUrl, scalar, tableChecksum, testConfig, uniqueName } from './pgSupport';
import { catalogSnapshot, recordingPort, type CatalogSnapshot } from './proofSupport';

const schema = uniqueName('dataeng_rb');
const table = `${schema}.orders`;
const sql = `SELECT id, total FROM ${table} WHERE customer_id = 42`;
const index = `CREATE INDEX ON ${table} (customer_id)`;
let admin: pg.Client;
let db: Database;
let before: CatalogSnapshot;
let checksum: string;

function done<T>(run: { kind: 'done'; result: T } | { kind: 'declined'; reason: string }): T {
  if (run.kind !== 'done') throw new Error(`declined: ${run.reason}`);
  return run.result;
}

beforeAll(async () => {
  admin = await adminClient();
  expect(await scalar<string>(admin, "SELECT count(*)::text FROM pg_extension WHERE extname = 'hypopg'")).toBe('0');
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${table} (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL)`);
  await admin.query(`INSERT INTO ${table} SELECT g, 1 + g % 4000, (ARRAY['new','paid'])[1 + g % 2], g % 300 FROM generate_series(1, 40000) g`);
  await admin.query(`ANALYZE ${table}`);
  before = await catalogSnapshot(admin, schema);
  checksum = await tableChecksum(admin, table);
  const { config, password } = testConfig('dataeng-test-rolledback');
  db = await openDatabase(config, { limits: { ...defaultSessionLimits, lockTimeoutMs: 300 }, ...(password ? { password } : {}), env: {} });
});

afterEach(async () => {
  // Nothing is ever left behind: the catalog and the rows are as they were.
  expect(await catalogSnapshot(admin, schema)).toEqual(before);
  expect(await tableChecksum(admin, table)).toBe(checksum);
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

describe('what-if with a rolled-back index', () => {
  it('refuses to build without consent, naming the table, its size and the SHARE lock', async () => {
    const err = await whatIfIndex(db, sql, [index], { request: { analyze: false }, port: { withoutConsent: 'refuse' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexBuildConsentRequiredError);
    const e = err as IndexBuildConsentRequiredError;
    expect(e.aboveCap).toBe(false);
    expect(e.targets).toEqual([{ name: table, bytes: expect.any(Number) as number, rows: 40000 }]);
    expect(e.message).toMatch(new RegExp(`on ${schema}\\.orders \\(\\d+(\\.\\d)? (kB|MB), about 40,000 rows\\)`));
    expect(e.message).toMatch(/SHARE lock, so writes to the table wait/);
  });

  it('asks once, builds, measures before and after with EXPLAIN ANALYZE, and rolls back', async () => {
    const port = recordingPort('analyze');
    const r = done(await whatIfIndex(db, sql, [index], { request: { setting: 'ask' }, port }));
    expect(port.asked).toHaveLength(1);
    const q = port.asked[0]!;
    expect(q.kind).toBe('index-build');
    expect(q.modal).toBe(true);
    expect(q.offersMeasure).toBe(true);
    expect(q.message).toContain(`${table} (`);
    expect(q.message).toMatch(/Writes to the table wait/);
    expect(q.detail).toMatch(/SHARE lock/);
    expect(r.method).toBe('rolled-back-index');
    expect(r.analyzed).toBe(true);
    expect(r.before.timeMs).toBeGreaterThan(0);
    expect(r.after.timeMs).toBeGreaterThan(0);
    expect(r.after.cost!).toBeLessThan(r.before.cost!);
    expect(r.usedIndexes).toEqual([index]);
    expect(r.summary).toMatch(/^verified: cost [\d,]+ → [\d.,]+ \(−[\d.]+%\), measured with a rolled-back index: [\d.,]+ m?s → [\d.,]+ m?s$/);
  });

  it('"costs only" builds without executing the statement; dismissing builds nothing', async () => {
    const plain = done(await whatIfIndex(db, sql, [index], { request: { setting: 'ask' }, port: recordingPort('plain') }));
    expect(plain.analyzed).toBe(false);
    expect(plain.before.timeMs).toBeUndefined();
    expect(plain.summary).toMatch(/estimated costs; the statement was not executed/);
    const dismissed = await whatIfIndex(db, sql, [index], { request: { setting: 'ask' }, port: recordingPort('dismissed') });
    expect(dismissed.kind).toBe('declined');
  });

  it('--yes (consent up front) asks nothing; the readsOnly setting measures without asking about the read', async () => {
    const cli = done(await whatIfIndex(db, sql, [index], { request: { analyze: true }, port: { preApproved: true, withoutConsent: 'refuse' } }));
    expect(cli.analyzed).toBe(true);
    const port = recordingPort('analyze');
    const editor = done(await whatIfIndex(db, sql, [index], { request: { setting: 'readsOnly' }, port }));
    expect(editor.analyzed).toBe(true);
    expect(port.asked.map((q) => q.kind)).toEqual(['index-build']);
  });

  it('above the size cap asks a second time, and a dismissal builds nothing', async () => {
    const port = recordingPort((q) => (q.kind === 'index-build-above-cap' ? 'dismissed' : 'plain'));
    const run = await whatIfIndex(db, sql, [index], { request: { setting: 'ask' }, port, maxTableBytes: 1024 });
    expect(run.kind).toBe('declined');
    expect(port.asked.map((q) => q.kind)).toEqual(['index-build', 'index-build-above-cap']);
    expect(port.asked[1]!.message).toMatch(/larger than 1 kB \(dataeng\.verify\.maxTableBytes\)/);
    const confirmed = done(await whatIfIndex(db, sql, [index], { request: { setting: 'ask' }, port: recordingPort('plain'), maxTableBytes: 1024 }));
    expect(confirmed.usedIndexes).toEqual([index]);
    // Without anyone to ask (the CLI), above the cap is refused even with --yes.
    const err = await whatIfIndex(db, sql, [index], { request: { analyze: false }, port: { preApproved: true, withoutConsent: 'refuse' }, maxTableBytes: 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexBuildConsentRequiredError);
    expect((err as IndexBuildConsentRequiredError).aboveCap).toBe(true);
  });

  it('measures a write only with consent that names it, and rolls it back', async () => {
    const del = `DELETE FROM ${table} WHERE customer_id = 42`;
    const port = recordingPort('analyze');
    const r = done(await whatIfIndex(db, del, [index], { request: { setting: 'ask' }, port }));
    expect(port.asked[0]!.reasons.join('\n')).toMatch(/it changes data/);
    expect(r.analyzed).toBe(true);
    // Both runs deleted the same rows: "before" was undone before the index was built.
    const rows = (p: unknown): number => (p as { Plan: { Plans: { 'Actual Rows': number }[] } }[])[0]!.Plan.Plans[0]!['Actual Rows'];
    expect(rows(r.plans.before)).toBe(10);
    expect(rows(r.plans.after)).toBe(10);
  });

  it('waits for a writer at most lock_timeout', async () => {
    const blocker = new pg.Client({ connectionString: pgUrl, application_name: 'dataeng-test-blocker' });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`UPDATE ${table} SET total = total WHERE id = 1`);
      const started = Date.now();
      const err = await whatIfIndex(db, sql, [index], { request: { analyze: false }, port: { preApproved: true, withoutConsent: 'refuse' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StatementError);
      expect((err as Error).message).toMatch(/lock_timeout/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    // The connection works on.
    expect(done(await whatIfIndex(db, sql, [index], { request: { analyze: false }, port: { preApproved: true, withoutConsent: 'refuse' } })).usedIndexes).toHaveLength(1);
  });

  it('stops a step at the statement timeout', async () => {
    const slow = `SELECT id, pg_sleep(0.05) FROM ${table} WHERE customer_id = 42`;
    const err = await whatIfIndex(db, slow, [index], { request: { analyze: true }, port: { preApproved: true, withoutConsent: 'refuse' }, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect((err as ExplainCancelledError).why).toBe('timeout');
  });
});

describe('index advisor with rolled-back indexes', () => {
  it('asks once for all candidates, keeps the best and measures it', async () => {
    const port = recordingPort('analyze');
    const advice = done(await adviseIndexes(db, `SELECT id FROM ${table} WHERE customer_id = 42 AND status = 'paid'`, { request: { setting: 'ask' }, port }));
    expect(port.asked.map((q) => q.kind)).toEqual(['index-build']);
    expect(advice.best).toMatch(/\(customer_id, status\)|\(status, customer_id\)|\(customer_id\)/);
    const best = advice.candidates.find((c) => c.index === advice.best)!;
    expect(best.method).toBe('rolled-back-index');
    expect(best.before.timeMs).toBeGreaterThan(0);
    expect(advice.finding!.fix).toMatch(/; -- verified: cost [\d,]+ → [\d.,]+ \(−[\d.]+%\), measured with a rolled-back index: [\d.,]+ m?s → [\d.,]+ m?s$/);
  });
});
