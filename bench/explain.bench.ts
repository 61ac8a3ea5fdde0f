// Overhead of the safe EXPLAIN path over the server's own work, on a warm connection to the real PostgreSQL.
// Plain EXPLAIN: our wall time minus the planning time the server reports for the same statement.
// EXPLAIN ANALYZE: our wall time minus (Planning Time + Execution Time) from the plan itself.
import pg from 'pg';
import { parseConnectionUrl, openDatabase } from '../src/db/open';
import { defaultSessionLimits } from '../src/db/types';
import { report, round, summarize } from './harness';

const url = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_bench_${process.pid}`;
const runs = 40;

const queries = [
  `SELECT * FROM ${schema}.orders WHERE customer_id = 42`,
  `SELECT c.country, count(*), sum(o.total) FROM ${schema}.orders o JOIN ${schema}.customers c ON c.id = o.customer_id GROUP BY c.country`,
  `SELECT * FROM ${schema}.orders WHERE id = 1234`,
];

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: url, application_name: 'dataeng-bench-admin' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    await admin.query(`CREATE TABLE ${schema}.customers (id int PRIMARY KEY, country text)`);
    await admin.query(`INSERT INTO ${schema}.customers SELECT g, (ARRAY['DE','US','FR'])[1 + g % 3] FROM generate_series(1, 5000) g`);
    await admin.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int, total numeric)`);
    await admin.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 5000, g % 100 FROM generate_series(1, 50000) g`);
    await admin.query(`ANALYZE ${schema}.customers, ${schema}.orders`);

    const parsed = parseConnectionUrl(url);
    const db = await openDatabase(parsed.config, { limits: defaultSessionLimits, ...(parsed.password ? { password: parsed.password } : {}), env: {} });
    await db.test();

    const plainOverhead: number[] = [];
    const plainWall: number[] = [];
    const bareWall: number[] = [];
    const analyzeOverhead: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      for (const sql of queries) {
        // The server's planning time for the same statement, from a bare client (EXPLAIN SUMMARY reports it).
        const b0 = performance.now();
        const bare = await admin.query<{ 'QUERY PLAN': { 'Planning Time': number }[] }>(`EXPLAIN (SUMMARY, FORMAT JSON) ${sql}`);
        const bareMs = performance.now() - b0;
        const planning = bare.rows[0]!['QUERY PLAN'][0]!['Planning Time'];

        const t0 = performance.now();
        await db.explain(sql, { analyze: false, consentToWrites: false });
        const wall = performance.now() - t0;

        const a0 = performance.now();
        const analyzed = await db.explain(sql, { analyze: true, consentToWrites: false });
        const aWall = performance.now() - a0;
        const top = (analyzed.plan as { 'Planning Time': number; 'Execution Time': number }[])[0]!;
        if (i < 5) continue;
        plainWall.push(wall);
        bareWall.push(bareMs);
        plainOverhead.push(wall - planning);
        analyzeOverhead.push(aWall - top['Planning Time'] - top['Execution Time']);
      }
    }
    await db.close();
    const plain = summarize(plainOverhead);
    const analyze = summarize(analyzeOverhead);
    console.log(`plain EXPLAIN overhead over planning: median ${plain.medianMs} ms, p95 ${plain.p95Ms} ms`);
    console.log(`EXPLAIN ANALYZE overhead over planning + execution: median ${analyze.medianMs} ms, p95 ${analyze.p95Ms} ms`);
    report({
      samples: plainOverhead.length,
      plainOverheadMedianMs: plain.medianMs,
      plainOverheadP95Ms: plain.p95Ms,
      plainWallMedianMs: summarize(plainWall).medianMs,
      bareClientExplainMedianMs: summarize(bareWall).medianMs,
      analyzeOverheadMedianMs: analyze.medianMs,
      analyzeOverheadP95Ms: analyze.p95Ms,
      roundTripsPerExplain: 3,
      extraOverBareClientMedianMs: round(summarize(plainWall).medianMs - summarize(bareWall).medianMs, 2),
    });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
