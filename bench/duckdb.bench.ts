// DuckDB, measured as explain.bench.ts and plan.bench.ts measure PostgreSQL. Data made by DuckDB itself in a
// temporary folder (a database file and a Parquet file).
// - EXPLAIN overhead: the safe path (worker thread, sandbox, classification, one-statement check, path resolution) on a
//   warm connection, against a bare in-process DuckDB connection running the same EXPLAIN (FORMAT JSON); DuckDB does
//   not report planning time, so the bare client's wall time is the baseline. EXPLAIN ANALYZE: our wall time minus the
//   query's latency from the profile itself.
// - Plan analysis: a real EXPLAIN ANALYZE profile of a UNION ALL of many Parquet scans (thousands of operators),
//   JSON.parse alone against parsePlan + analyzePlan on the same text, interleaved, ratio per pair.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyzePlan } from '../src/core/plan/analyze';
import { parsePlan } from '../src/core/plan/parse';
import { openDatabase } from '../src/db/open';
import { defaultSessionLimits } from '../src/db/types';
import { report, round, summarize } from './harness';

const runs = 40;
const UNION_BRANCHES = Number(process.env.DUCKDB_BENCH_BRANCHES ?? 1000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-duckdb-bench-'));
  const file = join(dir, 'shop.duckdb');
  try {
    const writer = await DuckDBInstance.create(file);
    const w = await writer.connect();
    await w.run(`CREATE TABLE customers AS SELECT i AS id, ['DE', 'US', 'FR'][i % 3 + 1] AS country FROM range(1, 5001) t(i)`);
    await w.run(`CREATE TABLE orders AS SELECT i AS id, i % 5000 + 1 AS customer_id, i % 100 AS total FROM range(1, 50001) t(i)`);
    await w.run(`COPY orders TO '${join(dir, 'orders.parquet')}' (FORMAT parquet)`);
    w.closeSync();
    writer.closeSync();

    const queries = [
      `SELECT * FROM orders WHERE customer_id = 42`,
      `SELECT c.country, count(*), sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country`,
      `SELECT customer_id, sum(total) FROM 'orders.parquet' WHERE customer_id < 100 GROUP BY 1`,
    ];
    const bareInstance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const bare = await bareInstance.connect();
    const bareSql = (sql: string): string => sql.replace(`'orders.parquet'`, `'${join(dir, 'orders.parquet')}'`);
    const db = await openDatabase({ name: 'bench', driver: 'duckdb', file }, { limits: defaultSessionLimits, cwd: dir });
    await db.test();
    const plainOverhead: number[] = [];
    const plainWall: number[] = [];
    const bareWall: number[] = [];
    const analyzeOverhead: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      for (const sql of queries) {
        const b0 = performance.now();
        await bare.runAndReadAll(`EXPLAIN (FORMAT JSON) ${bareSql(sql)}`);
        const bareMs = performance.now() - b0;
        const t0 = performance.now();
        await db.explain(sql, { analyze: false, consentToWrites: false });
        const wall = performance.now() - t0;
        const a0 = performance.now();
        const analyzed = await db.explain(sql, { analyze: true, consentToWrites: false });
        const aWall = performance.now() - a0;
        const latencyMs = (JSON.parse(analyzed.plan as string) as { latency: number }).latency * 1000;
        if (i < 5) continue;
        plainWall.push(wall);
        bareWall.push(bareMs);
        plainOverhead.push(wall - bareMs);
        analyzeOverhead.push(aWall - latencyMs);
      }
    }

    // A large real profile: one scan of the Parquet file per UNION ALL branch.
    const union = Array.from({ length: UNION_BRANCHES }, (_, i) => `SELECT id, total FROM '${join(dir, 'orders.parquet')}' WHERE customer_id = ${i}`).join(' UNION ALL ');
    const profileRows = (await bare.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT JSON) ${union}`)).getRowObjectsJson();
    const value = profileRows[0]?.explain_value;
    if (typeof value !== 'string') throw new Error('DuckDB returned no profile');
    const profile = value;
    await db.close();
    bare.closeSync();
    bareInstance.closeSync();

    const parseSamples: number[] = [];
    const analyzeSamples: number[] = [];
    const ratios: number[] = [];
    let nodes = 0;
    let sink = 0;
    for (let i = 0; i < 18; i++) {
      let t0 = performance.now();
      sink += Object.keys(JSON.parse(profile) as object).length;
      const a = performance.now() - t0;
      t0 = performance.now();
      const plan = parsePlan(profile);
      sink += analyzePlan(plan).length;
      const b = performance.now() - t0;
      nodes = plan.nodeCount;
      if (i < 3) continue;
      parseSamples.push(a);
      analyzeSamples.push(b);
      ratios.push(b / a);
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

    const plain = summarize(plainOverhead);
    const analyze = summarize(analyzeOverhead);
    console.log(`plain EXPLAIN overhead over a bare in-process EXPLAIN: median ${plain.medianMs} ms, p95 ${plain.p95Ms} ms`);
    console.log(`EXPLAIN ANALYZE overhead over the query's latency: median ${analyze.medianMs} ms, p95 ${analyze.p95Ms} ms`);
    console.log(`plan analysis of a ${nodes}-operator profile (${(profile.length / 1024).toFixed(0)} KB): JSON.parse ${summarize(parseSamples).medianMs} ms, parse + analyze ${summarize(analyzeSamples).medianMs} ms (${round(median(ratios), 2)}× JSON.parse)`);
    report({
      samples: plainOverhead.length,
      plainOverheadMedianMs: plain.medianMs,
      plainOverheadP95Ms: plain.p95Ms,
      plainWallMedianMs: summarize(plainWall).medianMs,
      bareClientExplainMedianMs: summarize(bareWall).medianMs,
      analyzeOverheadMedianMs: analyze.medianMs,
      analyzeOverheadP95Ms: analyze.p95Ms,
      profileNodes: nodes,
      profileKb: round(profile.length / 1024, 0),
      jsonParseMedianMs: summarize(parseSamples).medianMs,
      parseAnalyzeMedianMs: summarize(analyzeSamples).medianMs,
      parseAnalyzeOverJsonParse: round(median(ratios), 2),
      sink: sink > 0,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
