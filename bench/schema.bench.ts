// Schema review at scale: 2,000 tables, 20,000 columns and 4,000 indexes (plus 1,000 foreign keys) in a dedicated
// database on the local server, reviewed (catalog introspection + deterministic rules) several times.
// Usage: npm run bench -- schema   (DATAENG_BENCH_PG_URL overrides the server; the database is created and dropped).
import pg from 'pg';
import { reviewSchema } from '../src/core/schema/review';
import { introspectPostgres } from '../src/db/postgres/catalog';
import { report, round, timeAsync } from './harness';

const serverUrl = process.env.DATAENG_BENCH_PG_URL ?? process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = 'dataeng_bench_schema';
const tables = 2000;
const columnsPerTable = 10;

function urlFor(db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Each table: id primary key + 9 more columns (20,000 in all), one secondary index (4,000 with the primary keys). */
function ddl(k: number): string {
  const cols = ['id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY', 'parent_id bigint', 'name varchar(80) NOT NULL', 'created_at timestamp NOT NULL DEFAULT now()'];
  for (let c = cols.length; c < columnsPerTable; c++) cols.push(`attr_${c} ${c % 2 ? 'integer' : 'text'}`);
  const parent = k > 0 && k % 2 === 0 ? `, FOREIGN KEY (parent_id) REFERENCES app.t_${k - 1} (id)` : '';
  return `CREATE TABLE app.t_${k} (${cols.join(', ')}${parent}); CREATE INDEX t_${k}_name_idx ON app.t_${k} (name); COMMENT ON TABLE app.t_${k} IS 'table ${k}';`;
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ connectionString: urlFor(database) });
  try {
    await client.connect();
    const t0 = performance.now();
    await client.query('CREATE SCHEMA app');
    for (let k = 0; k < tables; k += 100) {
      const batch: string[] = [];
      for (let j = k; j < Math.min(tables, k + 100); j++) batch.push(ddl(j));
      await client.query(batch.join('\n'));
    }
    // A live database is analyzed by autovacuum; so is this one, which also gives relpages-based sizes.
    await client.query('ANALYZE');
    const setupMs = performance.now() - t0;

    let queries = 0;
    let perQueryMs: number[] = [];
    let summary = { tables: 0, columns: 0, indexes: 0, findings: 0 };
    const query = async (sql: string, params?: unknown[]) => {
      queries++;
      const started = performance.now();
      const rows = (await client.query(sql, params)).rows as Record<string, unknown>[];
      perQueryMs.push(round(performance.now() - started, 1));
      return rows;
    };
    let introspectMs = 0;
    let rulesMs = 0;
    const timing = await timeAsync(
      async () => {
        queries = 0;
        perQueryMs = [];
        const a = performance.now();
        const catalog = await introspectPostgres(query, {});
        const b = performance.now();
        const review = reviewSchema(catalog);
        rulesMs = performance.now() - b;
        introspectMs = b - a;
        summary = { tables: review.tables, columns: review.columns, indexes: catalog.tables.reduce((n, t) => n + t.indexes.length, 0), findings: review.findings.length };
      },
      { warmup: 1, runs: 5 },
    );
    console.log(`setup ${round(setupMs / 1000, 1)} s; ${JSON.stringify(summary)}; last run: introspect ${round(introspectMs)} ms (per query ${perQueryMs.join(', ')}), rules ${round(rulesMs)} ms`);
    report({
      tables: summary.tables,
      columns: summary.columns,
      indexes: summary.indexes,
      findings: summary.findings,
      catalogQueries: queries,
      reviewMinMs: timing.minMs,
      reviewMedianMs: timing.medianMs,
      reviewP95Ms: timing.p95Ms,
      lastIntrospectMs: round(introspectMs),
      lastRulesMs: round(rulesMs),
    });
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
