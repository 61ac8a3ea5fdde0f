// MariaDB, measured as bench/explain.bench.ts and bench/plan.bench.ts measure PostgreSQL:
// - EXPLAIN overhead on a warm connection to the real server (dataeng_test, test/fixtures/mysql/seed.sql): plain
//   EXPLAIN against the same EXPLAIN FORMAT=JSON from a bare mysql2 connection (MariaDB's plain EXPLAIN reports no
//   planning time), and ANALYZE against the optimization + execution time the plan itself reports.
// - Plan analysis: JSON.parse alone against parsePlan + analyzePlan on a large ANALYZE FORMAT=JSON plan, built from a
//   live capture (a UNION whose branches are repeated until the plan has over 10,000 nodes).
import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { analyzePlan } from '../src/core/plan/analyze';
import { parsePlan } from '../src/core/plan/parse';
import { openDatabase, parseConnectionUrl } from '../src/db/open';
import { defaultSessionLimits } from '../src/db/types';
import { report, round, summarize } from './harness';

const url = process.env.DATAENG_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/dataeng_test';
const runs = 40;
const queries = [
  'SELECT * FROM orders WHERE customer_id = 42',
  'SELECT c.country, COUNT(*), SUM(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country',
  'SELECT * FROM orders WHERE id = 1234',
];

interface AnalyzeDoc {
  query_optimization?: { r_total_time_ms?: number };
  query_block: { r_total_time_ms?: number; union_result?: { query_specifications: unknown[] } };
}

async function overhead(): Promise<Record<string, number>> {
  const bare = await createConnection({ uri: url });
  const parsed = parseConnectionUrl(url);
  const db = await openDatabase(parsed.config, { limits: defaultSessionLimits, ...(parsed.password ? { password: parsed.password } : {}), env: {} });
  await db.test();
  const plainWall: number[] = [];
  const bareWall: number[] = [];
  const analyzeOverhead: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    for (const sql of queries) {
      const b0 = performance.now();
      await bare.query(`EXPLAIN FORMAT=JSON ${sql}`);
      const bareMs = performance.now() - b0;
      const t0 = performance.now();
      await db.explain(sql, { analyze: false, consentToWrites: false });
      const wall = performance.now() - t0;
      const a0 = performance.now();
      const analyzed = await db.explain(sql, { analyze: true, consentToWrites: false });
      const aWall = performance.now() - a0;
      const doc = analyzed.plan as AnalyzeDoc;
      const server = (doc.query_optimization?.r_total_time_ms ?? 0) + (doc.query_block.r_total_time_ms ?? 0);
      if (i < 5) continue;
      plainWall.push(wall);
      bareWall.push(bareMs);
      analyzeOverhead.push(aWall - server);
    }
  }
  await db.close();
  await bare.end();
  const plain = summarize(plainWall);
  const bareS = summarize(bareWall);
  const analyze = summarize(analyzeOverhead);
  console.log(`plain EXPLAIN: median ${plain.medianMs} ms through the safe path, ${bareS.medianMs} ms from a bare client (+${round(plain.medianMs - bareS.medianMs, 2)} ms)`);
  console.log(`ANALYZE overhead over optimization + execution: median ${analyze.medianMs} ms, p95 ${analyze.p95Ms} ms`);
  return {
    samples: plainWall.length,
    plainWallMedianMs: plain.medianMs,
    plainWallP95Ms: plain.p95Ms,
    bareClientExplainMedianMs: bareS.medianMs,
    extraOverBareClientMedianMs: round(plain.medianMs - bareS.medianMs, 2),
    analyzeOverheadMedianMs: analyze.medianMs,
    analyzeOverheadP95Ms: analyze.p95Ms,
    // START TRANSACTION, EXPLAIN, ROLLBACK (the session limits are set once per session and limit).
    roundTripsPerExplain: 3,
  };
}

function planSpeed(): Record<string, number> {
  const doc = JSON.parse(readFileSync('test/fixtures/plans/mysql/mariadb-union.analyze.json', 'utf8')) as AnalyzeDoc;
  const branches = doc.query_block.union_result!.query_specifications;
  const copies: unknown[] = [];
  while (copies.length * 2 < 10_000) copies.push(...branches);
  doc.query_block.union_result!.query_specifications = copies;
  const json = JSON.stringify(doc);
  const nodes = parsePlan(json, { dialect: 'mysql' }).nodeCount;
  const parseSamples: number[] = [];
  const analyzeSamples: number[] = [];
  const ratios: number[] = [];
  let sink = 0;
  for (let i = 0; i < 18; i++) {
    let t0 = performance.now();
    sink += Object.keys(JSON.parse(json) as object).length;
    const a = performance.now() - t0;
    t0 = performance.now();
    sink += analyzePlan(parsePlan(json, { dialect: 'mysql' })).length;
    const b = performance.now() - t0;
    if (i < 3) continue;
    parseSamples.push(a);
    analyzeSamples.push(b);
    ratios.push(b / a);
  }
  const p = summarize(parseSamples);
  const a = summarize(analyzeSamples);
  const ratio = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!;
  console.log(`plan analysis, ${nodes} nodes (${Math.round(json.length / 1024)} KB): JSON.parse ${p.medianMs} ms, parse + analyze ${a.medianMs} ms (${round(ratio, 1)}× JSON.parse) ${sink > 0 ? '' : ' '}`);
  return { planNodes: nodes, planKb: Math.round(json.length / 1024), jsonParseMedianMs: p.medianMs, parseAnalyzeMedianMs: a.medianMs, parseAnalyzeOverJsonParse: round(ratio, 2) };
}

async function main(): Promise<void> {
  const o = await overhead();
  const s = planSpeed();
  report({ ...o, ...s });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
