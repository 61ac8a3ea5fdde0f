// Re-captures the DuckDB plan fixtures in test/fixtures/plans/duckdb/ from the real DuckDB (@duckdb/node-api), on data
// it generates in a temporary folder: a database file, Parquet and CSV files. Each case is written twice: EXPLAIN
// (FORMAT JSON) as `<case>.explain.json` and EXPLAIN (ANALYZE, FORMAT JSON) as `<case>.analyze.json`, plus an index
// (`cases.json`) with the SQL, the DuckDB version and the file names. Usage: node scripts/capture-duckdb-plans.mjs
// Temporary paths in the plans are replaced by `/data`, so the fixtures do not depend on where they were captured.
// Tests never run this script: they read the files it writes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DuckDBInstance } = require('@duckdb/node-api');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test/fixtures/plans/duckdb');
const work = mkdtempSync(join(tmpdir(), 'dataeng-duckdb-capture-'));
const data = join(work, 'data');
mkdirSync(data);

// 60 columns make `SELECT *` over Parquet wide; `events` is large enough that a sort under a small memory_limit spills.
const wideColumns = Array.from({ length: 60 }, (_, i) => `(i * ${i + 1}) % 1000 AS c${i}`).join(', ');
const setup = [
  `CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR, country VARCHAR, signup_date VARCHAR)`,
  `INSERT INTO customers SELECT i, 'customer ' || i, ['DE', 'FR', 'US', 'JP'][i % 4 + 1], '2024-01-' || lpad((i % 28 + 1)::VARCHAR, 2, '0') FROM range(1, 20001) t(i)`,
  `CREATE TABLE orders AS SELECT i AS id, i % 20000 + 1 AS customer_id, (i % 997) * 1.25 AS price, DATE '2024-01-01' + (i % 366)::INTEGER AS ordered_on, CASE WHEN i % 10 = 0 THEN 'returned' ELSE 'shipped' END AS status FROM range(1000000) t(i)`,
  `COPY orders TO '${data}/orders.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100000)`,
  `COPY orders TO '${data}/orders.csv' (HEADER)`,
  `COPY (SELECT i AS id, ${wideColumns} FROM range(200000) t(i)) TO '${data}/wide.parquet' (FORMAT parquet)`,
  `COPY (SELECT i AS id, md5(i::VARCHAR) AS payload, random() AS r FROM range(3000000) t(i)) TO '${data}/events.parquet' (FORMAT parquet)`,
];

/** name → [SQL, settings to apply first] */
const cases = {
  'table-scan-filter': [`SELECT count(*) FROM orders WHERE status = 'returned'`],
  'join-aggregate': [`SELECT c.country, sum(o.price) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country`],
  'parquet-pushdown': [`SELECT customer_id, sum(price) FROM '${data}/orders.parquet' WHERE customer_id = 7 GROUP BY customer_id`],
  'parquet-no-pushdown': [`SELECT count(*) FROM '${data}/orders.parquet' WHERE customer_id + 0 = 7 OR price * 2 > 2400`],
  'parquet-function-filter': [`SELECT count(*) FROM '${data}/orders.parquet' WHERE strftime(ordered_on, '%Y-%m') = '2024-03'`],
  'parquet-select-star-wide': [`SELECT * FROM '${data}/wide.parquet' WHERE id < 1000`],
  'csv-scanned-twice': [`SELECT a.status, count(*) FROM '${data}/orders.csv' a JOIN (SELECT customer_id, max(price) AS m FROM '${data}/orders.csv' GROUP BY customer_id) b ON a.customer_id = b.customer_id AND a.price = b.m GROUP BY a.status`],
  'misestimate-join': [`SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.price > 1000 AND c.country = 'DE'`],
  'sort-spill': [`SELECT * FROM '${data}/events.parquet' ORDER BY payload`, [`SET memory_limit = '128MB'`, `SET threads = 1`, `SET preserve_insertion_order = false`]],
  'window-limit': [`SELECT id, price, rank() OVER (PARTITION BY customer_id ORDER BY price DESC) AS r FROM orders ORDER BY id LIMIT 10`],
};

async function main() {
  const dbFile = join(work, 'shop.duckdb');
  const setupInstance = await DuckDBInstance.create(dbFile);
  const setupConnection = await setupInstance.connect();
  for (const s of setup) await setupConnection.run(s);
  const version = (await setupConnection.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;
  setupConnection.closeSync();
  setupInstance.closeSync();
  mkdirSync(out, { recursive: true });
  const index = { duckdb: version, capturedWith: 'scripts/capture-duckdb-plans.mjs', cases: {} };
  const scrub = (text) => text.split(data).join('/data');
  for (const [name, [sql, settings = []]] of Object.entries(cases)) {
    // A fresh instance per case: the profiler's system_peak_* figures are peaks since the instance started.
    const instance = await DuckDBInstance.create(dbFile, { temp_directory: join(work, `tmp-${name}`) });
    const c = await instance.connect();
    for (const s of settings) await c.run(s);
    for (const analyze of [false, true]) {
      const rows = (await c.runAndReadAll(`EXPLAIN (${analyze ? 'ANALYZE, ' : ''}FORMAT JSON) ${sql}`)).getRowObjectsJson();
      const value = rows.find((r) => r.explain_key === (analyze ? 'analyzed_plan' : 'physical_plan'))?.explain_value;
      if (typeof value !== 'string') throw new Error(`${name}: no plan`);
      // Pretty-printed once more so the files diff well; the content is DuckDB's.
      writeFileSync(join(out, `${name}.${analyze ? 'analyze' : 'explain'}.json`), JSON.stringify(JSON.parse(scrub(value)), null, 2) + '\n');
    }
    c.closeSync();
    instance.closeSync();
    index.cases[name] = { sql: scrub(sql), settings };
    console.log(`captured ${name}`);
  }
  writeFileSync(join(out, 'cases.json'), JSON.stringify(index, null, 2) + '\n');
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
