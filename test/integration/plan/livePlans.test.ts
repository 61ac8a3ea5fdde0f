// Captures plans live from the real PostgreSQL server and a real SQLite file and runs the rules on them, so a change
// in what the server prints (or in the parsers) is caught even though the unit tests read stored fixtures.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/findings';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';

const url = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `plan_live_${Math.random().toString(36).slice(2, 10)}`;
let client: pg.Client;

async function explain(sql: string, settings: Record<string, string>, format: 'JSON' | 'TEXT'): Promise<Finding[]> {
  await client.query('begin');
  try {
    await client.query(`set local search_path = ${schema}`);
    for (const [k, v] of Object.entries(settings)) await client.query(`set local ${k} = ${v}`);
    const res = await client.query<{ 'QUERY PLAN': unknown }>(`explain (analyze, buffers, format ${format}) ${sql}`);
    // FORMAT JSON comes back as one row holding the parsed document; FORMAT TEXT as one text row per plan line.
    const cells = res.rows.map((r) => r['QUERY PLAN']);
    const lines = cells.filter((c): c is string => typeof c === 'string');
    if (format === 'TEXT') expect(lines).toHaveLength(cells.length);
    const input = format === 'JSON' ? JSON.stringify(cells[0]) : lines.join('\n');
    const plan = parsePlan(input);
    expect(plan.format).toBe(format.toLowerCase());
    return analyzePlan(plan);
  } finally {
    await client.query('rollback');
  }
}

function serious(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity !== 'info').map((f) => f.rule);
}

describe('rules on plans captured live from PostgreSQL', () => {
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`
      create schema ${schema};
      set search_path = ${schema};
      create table items (id int primary key, grp int, note text);
      insert into items select g, g % 100, 'note ' || g from generate_series(1, 100000) g;
      create table tags (id int primary key, item_ref int);
      insert into tags select g, g * 37 % 5000 from generate_series(1, 150) g;
      create table lookup (id int primary key, grp int, label text);
      insert into lookup select g, g % 50, 'label ' || g from generate_series(1, 5000) g;
      create table parents (id int primary key);
      insert into parents select g from generate_series(1, 400) g;
      create table children (id int primary key, parent_id int references parents (id));
      insert into children select g, 201 + g % 200 from generate_series(1, 20000) g;
      analyze items; analyze tags; analyze lookup; analyze parents; analyze children;
    `);
  });
  afterAll(async () => {
    await client?.query(`drop schema if exists ${schema} cascade`);
    await client?.end();
  });

  for (const format of ['JSON', 'TEXT'] as const) {
    it(`${format}: a selective filter on a sequential scan → seq-scan-filter`, async () => {
      const findings = await explain("select * from items where note = 'note 777'", { max_parallel_workers_per_gather: '0' }, format);
      expect(serious(findings)).toContain('seq-scan-filter');
    });

    it(`${format}: a sort larger than work_mem → sort-spill`, async () => {
      const findings = await explain('select * from items order by note desc', { work_mem: "'64kB'", max_parallel_workers_per_gather: '0' }, format);
      expect(serious(findings)).toContain('sort-spill');
    });

    it(`${format}: deleting parents of an unindexed foreign key → trigger-time`, async () => {
      const findings = await explain('delete from parents where id <= 100', {}, format);
      const f = findings.find((x) => x.rule === 'trigger-time');
      expect(f?.evidence.trigger).toBe('children_parent_id_fkey');
      expect(f?.severity).not.toBe('info');
    });

    it(`${format}: a forced nested loop over a sequential scan → nested-loop-inner-scan and join-filter`, async () => {
      const findings = await explain(
        'select * from tags t join lookup l on l.grp = t.item_ref % 50 and l.id = t.item_ref',
        { enable_hashjoin: 'off', enable_mergejoin: 'off', enable_material: 'off', enable_indexscan: 'off', enable_bitmapscan: 'off', max_parallel_workers_per_gather: '0' },
        format,
      );
      expect(serious(findings)).toEqual(expect.arrayContaining(['nested-loop-inner-scan', 'join-filter']));
    });

    it(`${format}: a primary-key lookup stays clean`, async () => {
      const findings = await explain('select * from items where id = 4242', {}, format);
      expect(serious(findings)).toEqual([]);
    });
  }
});

describe('rules on plans captured live from a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-plan-live-'));
  const db = new Database(join(dir, 'live.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  db.exec(`
    create table a (id integer primary key, x integer, y text);
    create table b (id integer primary key, a_ref integer, z text);
    create index a_x on a (x);
    with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into a select i, i % 50, 'y' || i from n;
    with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) insert into b select i, i % 70, 'y' || i from n;
    analyze;
  `);

  const rows = (sql: string) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all();
  it('finds the full scan, the temp b-tree, the automatic index and the correlated subquery', () => {
    expect(serious(analyzePlan(parsePlan(rows("select * from a where y = 'q'"))))).toContain('sqlite-full-scan');
    expect(serious(analyzePlan(parsePlan(rows('select y, count(*) from a group by y'))))).toContain('sqlite-temp-btree');
    expect(serious(analyzePlan(parsePlan(rows('select a.y, b.z from b join a on a.y = b.z'))))).toContain('sqlite-auto-index');
    expect(serious(analyzePlan(parsePlan(rows('select (select count(*) from b where b.a_ref = a.id) from a'))))).toContain('sqlite-correlated-subquery');
  });

  it('keeps primary-key and index range lookups clean', () => {
    expect(analyzePlan(parsePlan(rows('select * from a where id = 3')))).toEqual([]);
    expect(analyzePlan(parsePlan(rows('select * from a where x > 10 order by x limit 5')))).toEqual([]);
  });
});
