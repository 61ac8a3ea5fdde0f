// Proof, measured: the index what-if (HypoPG and a rolled-back index) and the result comparison on the real
// PostgreSQL server and on the embedded demo database, and the advisor over the demo's slow queries
// (demo/queries.sql), whose results the closing note reports.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adviseIndexes, compareResults, whatIfIndex, type ProofOptions } from '../src/app/proof';
import { split } from '../src/core/sql/locate';
import { openDatabase, parseConnectionUrl } from '../src/db/open';
import { defaultSessionLimits, type Database } from '../src/db/types';
import { report, round, summarize, type Timing } from './harness';

const url = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_bench_proof_${process.pid}`;
const workerDir = join(process.cwd(), 'dist');
const yes: ProofOptions = { request: { analyze: false }, port: { preApproved: true, withoutConsent: 'refuse' } };
const measure: ProofOptions = { request: { analyze: true }, port: { preApproved: true, withoutConsent: 'refuse' } };

function urlFor(database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

function must<T>(run: { kind: 'done'; result: T } | { kind: 'declined'; reason: string }): T {
  if (run.kind !== 'done') throw new Error(run.reason);
  return run.result;
}

async function open(u: string): Promise<Database> {
  const parsed = parseConnectionUrl(u);
  return openDatabase(parsed.config, { limits: defaultSessionLimits, ...(parsed.password ? { password: parsed.password } : {}), env: {} });
}

const setup = [
  `CREATE SCHEMA ${schema}`,
  `CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL)`,
  `INSERT INTO ${schema}.orders SELECT g, 1 + g % 10000, (ARRAY['new','paid','shipped'])[1 + g % 3], g % 500 FROM generate_series(1, 200000) g`,
  `ANALYZE ${schema}.orders`,
];

async function main(): Promise<void> {
  const figures: Record<string, unknown> = {};
  const sql = `SELECT id, total FROM ${schema}.orders WHERE customer_id = 42`;
  const index = `CREATE INDEX ON ${schema}.orders (customer_id)`;

  // PostgreSQL with HypoPG, in its own database.
  const admin = new pg.Client({ connectionString: urlFor('postgres') });
  await admin.connect();
  if (!(await admin.query("SELECT 1 FROM pg_database WHERE datname = 'dataeng_hypopg'")).rowCount) await admin.query('CREATE DATABASE dataeng_hypopg');
  await admin.end();
  const hypoAdmin = new pg.Client({ connectionString: urlFor('dataeng_hypopg') });
  const testAdmin = new pg.Client({ connectionString: url });
  await hypoAdmin.connect();
  await testAdmin.connect();
  await hypoAdmin.query('CREATE EXTENSION IF NOT EXISTS hypopg');
  for (const s of setup) {
    await hypoAdmin.query(s);
    await testAdmin.query(s);
  }
  const hypo = await open(urlFor('dataeng_hypopg'));
  const plain = await open(url);
  try {
    const h = must(await whatIfIndex(hypo, sql, [index], yes));
    figures.hypopgWhatIf = await timed(15, () => whatIfIndex(hypo, sql, [index], yes));
    figures.hypopgSummary = h.summary;
    const rb = must(await whatIfIndex(plain, sql, [index], measure));
    figures.rolledBackWhatIfCostsOnly = await timed(5, () => whatIfIndex(plain, sql, [index], yes));
    figures.rolledBackWhatIfMeasured = await timed(5, () => whatIfIndex(plain, sql, [index], measure));
    figures.rolledBackSummary = rb.summary;
    figures.tableRows = 200000;
    const rewrite = `SELECT id, total FROM ${schema}.orders WHERE customer_id IN (42)`;
    figures.compareEqualPostgres = await timed(10, () => compareResults(plain, sql, rewrite));
    figures.compareDifferentPostgres = await timed(10, () => compareResults(plain, `SELECT DISTINCT customer_id FROM ${schema}.orders`, `SELECT customer_id FROM ${schema}.orders`));
    console.log(`HypoPG what-if: median ${(figures.hypopgWhatIf as Timing).medianMs} ms — ${h.summary}`);
    console.log(`rolled-back what-if (measured): median ${(figures.rolledBackWhatIfMeasured as Timing).medianMs} ms — ${rb.summary}`);
  } finally {
    await hypo.close();
    await plain.close();
    await hypoAdmin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await testAdmin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await hypoAdmin.end();
    await testAdmin.end();
  }

  // The demo database (PGlite): its slow queries, the what-if, the comparison and the advisor.
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-proof-bench-'));
  const demo = await openDatabase({ name: 'demo', driver: 'demo' }, { limits: defaultSessionLimits, dataDir: dir, workerDir });
  try {
    const queries = split(readFileSync(join(process.cwd(), 'demo', 'queries.sql'), 'utf8'), 'postgres').map((s) => s.text);
    await demo.test();
    const history = queries[0]!;
    figures.demoRolledBackWhatIfMeasured = await timed(3, () => whatIfIndex(demo, history, ['CREATE INDEX ON orders (customer_id)'], measure));
    figures.demoCompareEqual = await timed(3, () => compareResults(demo, history, history.replace('WHERE o.customer_id = 42', 'WHERE o.customer_id IN (42)')));
    const advisor: Record<string, unknown>[] = [];
    for (const q of queries) {
      const t0 = performance.now();
      const advice = must(await adviseIndexes(demo, q, measure));
      const ms = performance.now() - t0;
      advisor.push({
        query: q.split('\n')[0]!.slice(0, 60) + (q.includes('\n') ? ' …' : ''),
        ms: round(ms, 0),
        candidates: advice.candidates.map((c) => ({ index: c.index, method: c.method, costBefore: c.before.cost, costAfter: c.after.cost, savedPct: c.savedPct, used: c.used, kept: c.kept })),
        best: advice.best,
        fix: advice.finding?.fix ?? null,
        note: advice.note,
      });
      console.log(`advisor ${round(ms, 0)} ms: ${advice.finding?.fix ?? advice.note}`);
    }
    figures.demoAdvisor = advisor;
  } finally {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  }
  report(figures);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
