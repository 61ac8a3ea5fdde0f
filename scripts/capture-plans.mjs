// Re-captures the plan fixtures in test/fixtures/plans/ from the local PostgreSQL server and from real SQLite files.
// Usage: node scripts/capture-plans.mjs [--only case,case] [postgres-url]
//        (default url: DATAENG_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/test; --only re-captures just those
//        PostgreSQL cases and skips SQLite, so the other fixtures keep their recorded numbers)
// Everything is built in a scratch schema `plan_fixtures_<random>` that is dropped at the end, and every data-modifying
// statement runs inside a transaction that is rolled back. Tests never run this script: they read the files it writes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const Database = require('better-sqlite3');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outPg = join(root, 'test/fixtures/plans/postgres');
const outSqlite = join(root, 'test/fixtures/plans/sqlite');
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt === -1 ? undefined : new Set(args.splice(onlyAt, 2)[1]?.split(',') ?? []);
const url = args[0] ?? process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `plan_fixtures_${Math.random().toString(36).slice(2, 10)}`;

// The tables are sized so that each rule's condition is real, not simulated: `orders` is larger than a quarter of the
// default shared_buffers (128MB), so sequential scans go through a small ring buffer and read from outside the cache.
const setup = `
create schema ${schema};
set search_path = ${schema};
create table customers (id int primary key, name text, region int);
insert into customers select g, 'customer ' || g, g % 50 from generate_series(1, 20000) g;
-- CREATE TABLE AS writes through a small ring buffer, so most of the table is not left in shared_buffers: the first
-- scans really read blocks from outside the cache, which the cache-read rule needs.
create table orders as
  select g as id, ((g::bigint * 7919) % 20000 + 1)::int as customer_id, (array['new','paid','shipped','cancelled'])[g % 4 + 1] as status,
         (g % 1000) / 10.0 as amount, timestamp '2024-01-01' + g * interval '1 minute' as created_at,
         'note ' || g || ' ' || repeat('x', 120) as note
  from generate_series(1, 300000) g;
alter table orders add primary key (id);
create index orders_customer_id on orders (customer_id);
create table addresses (id int primary key, city text, zip text);
insert into addresses select g, 'city' || (g % 100), 'zip' || (g % 100) from generate_series(1, 100000) g;
create table readings (id int primary key, sensor int, value float8) with (autovacuum_enabled = false);
insert into readings select g, g % 100, g * 0.5 from generate_series(1, 100000) g;
create table parents (id int primary key);
insert into parents select g from generate_series(1, 1000) g;
create table children (id int primary key, parent_id int references parents (id), payload text);
insert into children select g, 501 + g % 500, 'payload' from generate_series(1, 60000) g;
create table tags (id int primary key, customer_ref int, label text);
insert into tags select g, g * 37 % 20000, 'tag' || g from generate_series(1, 300) g;
create table events (id int, tenant int, kind text, payload text) partition by range (tenant);
${Array.from({ length: 24 }, (_, i) => `create table events_p${String(i).padStart(4, '0')} partition of events for values from (${i * 10}) to (${i * 10 + 10});`).join('\n')}
insert into events select g, g % 240, 'kind' || (g % 7), 'p' from generate_series(1, 120000) g;
analyze customers; analyze orders; analyze addresses; analyze readings; analyze parents; analyze children; analyze tags; analyze events;
`;

// Each case: the statement, the settings it needs (as SET LOCAL inside the capturing transaction), and the EXPLAIN
// option sets to capture. Names become file names.
const A = 'ANALYZE, BUFFERS';
const cases = [
  { name: 'pk-lookup', sql: 'select * from orders where id = 42', options: [A, 'ANALYZE', '', `${A}, VERBOSE, SETTINGS`] },
  { name: 'index-range-limit', sql: 'select * from orders where id between 1000 and 5000 order by id limit 10', options: [A, ''] },
  { name: 'seq-scan-filter', sql: "select * from orders where note = 'note 123 ' || repeat('x', 120)", options: [A, '', `${A}, VERBOSE`, `${A}, SETTINGS`] },
  { name: 'index-filter', sql: 'select * from orders where customer_id between 100 and 3000 and amount < 1', settings: { enable_bitmapscan: 'off', enable_seqscan: 'off' }, options: [A] },
  { name: 'row-misestimate', sql: "select * from addresses where city = 'city7' and zip = 'zip7'", options: [A] },
  { name: 'sort-spill', sql: 'select id, note from orders order by note desc', settings: { work_mem: "'64kB'" }, options: [A, `${A}, SETTINGS`] },
  { name: 'hash-spill', sql: 'select o.id, c.name from orders o join customers c on c.id = o.customer_id', settings: { work_mem: "'64kB'", hash_mem_multiplier: '1', enable_mergejoin: 'off', enable_nestloop: 'off' }, options: [A] },
  { name: 'lossy-bitmap', sql: 'select * from orders where customer_id < 8000', settings: { work_mem: "'64kB'", enable_indexscan: 'off', enable_seqscan: 'off' }, options: [A] },
  { name: 'heap-fetches', sql: 'select id from readings where id < 20000', settings: { enable_seqscan: 'off', enable_bitmapscan: 'off' }, options: [A] },
  { name: 'jit', sql: 'select count(*) from customers where id % 7 = 3', settings: { jit: 'on', jit_above_cost: '0', jit_inline_above_cost: '0', jit_optimize_above_cost: '0' }, options: [A, `${A}, VERBOSE`] },
  { name: 'workers-not-launched', sql: 'select count(*) from orders where amount > 10', settings: { max_parallel_workers: '0', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0', max_parallel_workers_per_gather: '2' }, options: [A] },
  { name: 'parallel', sql: 'select status, count(*) from orders where amount > 10 group by status', settings: { parallel_setup_cost: '0', parallel_tuple_cost: '0', max_parallel_workers_per_gather: '2' }, options: [A, `${A}, VERBOSE`] },
  { name: 'trigger-fk', sql: 'delete from parents where id <= 150', options: [A, `${A}, WAL`] },
  { name: 'nested-loop-inner-scan', sql: 'select t.label, c.name from tags t join customers c on c.region = t.customer_ref % 50 and c.id = t.customer_ref', settings: { enable_hashjoin: 'off', enable_mergejoin: 'off', enable_material: 'off', enable_indexscan: 'off', enable_bitmapscan: 'off' }, options: [A] },
  { name: 'partitions', sql: "select count(*) from events where kind = 'kind3'", options: [A, ''] },
  { name: 'cte-initplan-subplan', sql: 'with big as materialized (select customer_id, sum(amount) total from orders group by customer_id) select c.id, (select max(o.amount) from orders o where o.customer_id = c.id) as top, b.total, (select avg(total) from big) from customers c join big b on b.customer_id = c.id where c.id < 200', options: [A, `${A}, VERBOSE`] },
  { name: 'io-timing', sql: "select count(*) from orders where note like 'note 9%'", settings: { track_io_timing: 'on', max_parallel_workers_per_gather: '0' }, options: [A] },
  { name: 'insert-wal', sql: "insert into tags select g, g, 'new' from generate_series(1000, 3000) g", options: [`${A}, WAL`] },
];

const psqlCases = [
  { name: 'seq-scan-filter', options: A, format: 'TEXT' },
  { name: 'seq-scan-filter', options: A, format: 'JSON' },
  { name: 'cte-initplan-subplan', options: A, format: 'TEXT' },
  { name: 'pk-lookup', options: '', format: 'JSON' },
];

function fileStem(name, options) {
  const tag = options ? options.toLowerCase().replace(/,\s*/g, '-') : 'plain';
  return `${name}.${tag}`;
}

function explainSql(sql, options, format) {
  const opts = [options, `FORMAT ${format}`].filter(Boolean).join(', ');
  return `EXPLAIN (${opts}) ${sql}`;
}

function setLocal(settings = {}) {
  return Object.entries(settings).map(([k, v]) => `set local ${k} = ${v};`).join(' ');
}

async function capturePostgres() {
  mkdirSync(outPg, { recursive: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(setup);
    for (const c of cases) {
      if (only && !only.has(c.name)) continue;
      for (const options of c.options) {
        for (const format of ['JSON', 'TEXT']) {
          await client.query('begin');
          try {
            await client.query(`set local search_path = ${schema}; ${setLocal(c.settings)}`);
            const res = await client.query(explainSql(c.sql, options, format));
            const stem = fileStem(c.name, options);
            if (format === 'JSON') {
              writeFileSync(join(outPg, `${stem}.json`), JSON.stringify(res.rows[0]['QUERY PLAN'], null, 2) + '\n');
            } else {
              writeFileSync(join(outPg, `${stem}.txt`), res.rows.map((r) => r['QUERY PLAN']).join('\n') + '\n');
            }
          } finally {
            await client.query('rollback');
          }
        }
      }
    }
    // psql's own formatting (header, dashes, `+` continuations, row-count footer) is what users paste from a terminal.
    for (const p of psqlCases) {
      if (only && !only.has(p.name)) continue;
      const c = cases.find((x) => x.name === p.name);
      const script = `begin;\nset local search_path = ${schema};\n${setLocal(c.settings)}\n${explainSql(c.sql, p.options, p.format)};\nrollback;\n`;
      const run = spawnSync('psql', ['-X', '-q', url], { input: script, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`psql failed: ${run.stderr}`);
      writeFileSync(join(outPg, `${fileStem(p.name, p.options)}.psql-${p.format.toLowerCase()}.txt`), run.stdout);
    }
  } finally {
    await client.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await client.end();
  }
}

const sqliteSetup = `
create table authors (id integer primary key, name text, country text);
create table books (id integer primary key, author_id integer, title text, year integer, price real);
create index books_year on books (year);
with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000)
insert into books select i, i % 500 + 1, 'title ' || i, 1900 + i % 120, (i % 90) + 0.99 from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 500)
insert into authors select i, 'author ' || i, 'country ' || (i % 40) from n;
create table reviews (id integer primary key, book_ref integer, stars integer);
with recursive n(i) as (select 1 union all select i + 1 from n where i < 5000)
insert into reviews select i, i * 3 % 20000, i % 5 + 1 from n;
`;

const sqliteCases = [
  { name: 'pk-lookup', sql: 'select * from books where id = 42' },
  { name: 'index-range-limit', sql: 'select * from books where year between 1950 and 1960 order by year limit 10' },
  { name: 'full-scan', sql: "select * from books where title = 'title 77'" },
  { name: 'temp-btree', sql: 'select author_id, count(*) from books group by author_id order by count(*) desc' },
  { name: 'auto-index', sql: 'select b.title, r.stars from reviews r join books b on b.title = r.book_ref' },
  { name: 'correlated-subquery', sql: 'select a.name, (select count(*) from books b where b.author_id = a.id) from authors a' },
  { name: 'compound', sql: 'select name from authors where id < 10 union select title from books where year = 1990' },
];

function captureSqlite() {
  mkdirSync(outSqlite, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-plans-'));
  const file = join(dir, 'books.db');
  try {
    const db = new Database(file);
    db.exec(sqliteSetup);
    db.exec('analyze');
    for (const c of sqliteCases) {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all();
      writeFileSync(join(outSqlite, `${c.name}.rows.json`), JSON.stringify(rows, null, 2) + '\n');
      const raw = db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).raw(true).all();
      writeFileSync(join(outSqlite, `${c.name}.arrays.json`), JSON.stringify(raw) + '\n');
    }
    db.close();
    // The sqlite3 shell prints the same plan as a tree; it is a different SQLite version, which is realistic too.
    for (const c of sqliteCases) {
      const run = spawnSync('sqlite3', [file, `EXPLAIN QUERY PLAN ${c.sql};`], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr}`);
      writeFileSync(join(outSqlite, `${c.name}.tree.txt`), run.stdout);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await capturePostgres();
if (!only) captureSqlite();
console.log(`plans written to ${outPg} and ${outSqlite}`);
