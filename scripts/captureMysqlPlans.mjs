// Re-creates the live MariaDB plan fixtures in test/fixtures/plans/mysql/: each query of the list below, explained with
// EXPLAIN FORMAT=JSON and ANALYZE FORMAT=JSON (inside START TRANSACTION READ ONLY … ROLLBACK) on dataeng_test
// (test/fixtures/mysql/seed.sql). Usage: node scripts/captureMysqlPlans.mjs [mysql://root@127.0.0.1:3306/dataeng_test]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export const queries = {
  fullScan: "SELECT * FROM orders WHERE note = 'gift' AND total > 100",
  filesort: 'SELECT id, total FROM orders WHERE status = \'paid\' ORDER BY total DESC LIMIT 20',
  temporary: 'SELECT note, COUNT(*) FROM orders GROUP BY note',
  joinBuffer: 'SELECT STRAIGHT_JOIN e.kind, c.email FROM events e JOIN customers c ON c.email = e.kind',
  indexMerge: 'SELECT * FROM orders WHERE customer_id = 42 OR id < 10',
  dependentSubquery: 'SELECT c.id, (SELECT MAX(o.total) FROM orders o WHERE o.customer_id = c.id AND o.note IS NOT NULL) AS m FROM customers c WHERE c.country = \'JP\'',
  derived: 'SELECT d.customer_id, d.n FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) d WHERE d.n > 9',
  union: "SELECT id FROM customers WHERE country = 'DE' UNION SELECT customer_id FROM orders WHERE status = 'new'",
  join: "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'new' AND c.country = 'FR'",
  inSubquery: "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 140)",
};

const url = process.argv[2] ?? 'mysql://root@127.0.0.1:3306/dataeng_test';
const out = new URL('../test/fixtures/plans/mysql/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const conn = await mysql.createConnection({ uri: url, multipleStatements: false });
const [[{ v }]] = await conn.query('SELECT VERSION() AS v');
const manifest = { server: v, capturedWith: 'node scripts/captureMysqlPlans.mjs', queries: {} };
for (const [name, sql] of Object.entries(queries)) {
  for (const mode of ['explain', 'analyze']) {
    await conn.query('START TRANSACTION READ ONLY');
    const [rows] = await conn.query(`${mode === 'explain' ? 'EXPLAIN' : 'ANALYZE'} FORMAT=JSON ${sql}`);
    await conn.query('ROLLBACK');
    const text = Object.values(rows[0])[0];
    writeFileSync(join(out, `mariadb-${name}.${mode}.json`), JSON.stringify(JSON.parse(text), null, 2) + '\n');
  }
  manifest.queries[name] = sql;
}
writeFileSync(join(out, 'mariadb-manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
await conn.end();
console.log(`captured ${Object.keys(queries).length * 2} plans from ${v}`);
