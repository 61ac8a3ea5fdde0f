// The result-equivalence corpus: the classic traps (rewrites that look equivalent and are not) and rewrites that are
// equivalent, written once for PostgreSQL and SQLite. `{s}` is the table prefix (the test's schema, or nothing).
import { expect } from 'vitest';
import type { CompareOutcome, CompareVerdict } from '../../../src/core/proof/compare';
import type { Dialect } from '../../../src/core/sql/dialect';

export interface CompareCase {
  name: string;
  original: string;
  rewrite: string;
  /** The verdict, or the verdicts any of which is right (LIMIT with ties depends on the plan). */
  expect: CompareVerdict | CompareVerdict[];
  dialects?: Dialect[];
  check?: (outcome: CompareOutcome) => void;
}

/** The tables, as portable SQL (one statement per entry). */
export function corpusSetup(s: string): string[] {
  return [
    `CREATE TABLE ${s}customers (id int PRIMARY KEY, name text NOT NULL, country text)`,
    `INSERT INTO ${s}customers VALUES (1, 'ann', 'DE'), (2, 'bob', 'DE'), (3, 'cy', 'FR'), (4, 'dee', NULL), (5, 'eve', 'US')`,
    `CREATE TABLE ${s}orders (id int PRIMARY KEY, customer_id int, amount int NOT NULL, created text NOT NULL)`,
    `INSERT INTO ${s}orders VALUES (1, 1, 10, '2024-01-01'), (2, 1, 20, '2024-01-02'), (3, 2, 30, '2024-01-02'), (4, NULL, 40, '2024-01-02'), (5, 3, 50, '2024-01-03'), (6, 3, 60, '2024-01-04')`,
    `CREATE TABLE ${s}blocked (customer_id int)`,
    `INSERT INTO ${s}blocked VALUES (2), (NULL)`,
    `CREATE TABLE ${s}floats (id int PRIMARY KEY, x double precision NOT NULL)`,
  ];
}

/** 1/1 … 1/1000: summed forwards and backwards, the results differ in the last bits. */
export const floatRows: [number, number][] = Array.from({ length: 1000 }, (_, i) => [i + 1, 1 / (i + 1)]);

export function corpus(s: string): CompareCase[] {
  return [
    // ---- the traps --------------------------------------------------------------------------------------------
    {
      name: 'NOT IN vs NOT EXISTS with a NULL in the subquery',
      original: `SELECT id FROM ${s}customers WHERE id NOT IN (SELECT customer_id FROM ${s}blocked)`,
      rewrite: `SELECT id FROM ${s}customers c WHERE NOT EXISTS (SELECT 1 FROM ${s}blocked b WHERE b.customer_id = c.id)`,
      expect: 'different',
      check: (o) => {
        expect(o.rows).toEqual({ original: 0, rewrite: 4 });
        expect(o.onlyInRewrite).toBe(4);
        expect(o.samples.onlyInRewrite.length).toBe(4);
      },
    },
    {
      name: 'UNION vs UNION ALL',
      original: `SELECT country FROM ${s}customers WHERE id <= 3 UNION SELECT country FROM ${s}customers WHERE id >= 2`,
      rewrite: `SELECT country FROM ${s}customers WHERE id <= 3 UNION ALL SELECT country FROM ${s}customers WHERE id >= 2`,
      expect: 'different',
      check: (o) => {
        expect(o.onlyInOriginal).toBe(0);
        expect(o.onlyInRewrite).toBe(3);
      },
    },
    {
      name: 'LEFT JOIN turned into JOIN',
      original: `SELECT c.id, o.id FROM ${s}customers c LEFT JOIN ${s}orders o ON o.customer_id = c.id`,
      rewrite: `SELECT c.id, o.id FROM ${s}customers c JOIN ${s}orders o ON o.customer_id = c.id`,
      expect: 'different',
      check: (o) => {
        expect(o.onlyInOriginal).toBe(2);
        expect(o.samples.onlyInOriginal.map((r) => r[1])).toEqual([null, null]);
      },
    },
    {
      name: 'a dropped DISTINCT',
      original: `SELECT DISTINCT customer_id FROM ${s}orders`,
      rewrite: `SELECT customer_id FROM ${s}orders`,
      expect: 'different',
      check: (o) => expect([o.onlyInOriginal, o.onlyInRewrite, o.rows.original, o.rows.rewrite]).toEqual([0, 2, 4, 6]),
    },
    {
      name: 'COUNT(*) vs COUNT(col)',
      original: `SELECT count(*) FROM ${s}orders`,
      rewrite: `SELECT count(customer_id) FROM ${s}orders`,
      expect: 'different',
      check: (o) => {
        expect(o.samples.onlyInOriginal).toEqual([['6']]);
        expect(o.samples.onlyInRewrite).toEqual([['5']]);
      },
    },
    {
      name: 'an IN subquery turned into a JOIN that duplicates rows',
      original: `SELECT c.id, c.name FROM ${s}customers c WHERE c.id IN (SELECT customer_id FROM ${s}orders)`,
      rewrite: `SELECT c.id, c.name FROM ${s}customers c JOIN ${s}orders o ON o.customer_id = c.id`,
      expect: 'different',
      check: (o) => expect([o.rows.original, o.rows.rewrite, o.onlyInOriginal, o.onlyInRewrite]).toEqual([3, 5, 0, 2]),
    },
    {
      name: 'LIMIT with ties (tie broken one way)',
      original: `SELECT id, created FROM ${s}orders ORDER BY created LIMIT 2`,
      rewrite: `SELECT id, created FROM ${s}orders ORDER BY created, id LIMIT 2`,
      expect: ['nondeterministic', 'equal'],
    },
    {
      name: 'LIMIT with ties (tie broken the other way)',
      original: `SELECT id, created FROM ${s}orders ORDER BY created LIMIT 2`,
      rewrite: `SELECT id, created FROM ${s}orders ORDER BY created, id DESC LIMIT 2`,
      expect: ['nondeterministic', 'equal'],
    },
    {
      name: 'float sums in a different order',
      original: `SELECT sum(x) AS total FROM (SELECT x FROM ${s}floats ORDER BY id) AS f`,
      rewrite: `SELECT sum(x) AS total FROM (SELECT x FROM ${s}floats ORDER BY id DESC) AS f`,
      expect: 'equal',
    },
    {
      name: 'LIMIT without ORDER BY',
      original: `SELECT id FROM ${s}orders LIMIT 2`,
      rewrite: `SELECT id FROM ${s}orders ORDER BY id DESC LIMIT 2`,
      expect: 'nondeterministic',
    },
    {
      name: 'the same rows in reversed order',
      original: `SELECT id, created FROM ${s}orders ORDER BY created, id`,
      rewrite: `SELECT id, created FROM ${s}orders ORDER BY created DESC, id DESC`,
      expect: 'different',
      check: (o) => {
        expect(o.orderMatches).toBe(false);
        expect(o.onlyInOriginal).toBe(0);
      },
    },
    {
      name: 'a rewrite that drops the ORDER BY',
      original: `SELECT id FROM ${s}orders ORDER BY amount DESC`,
      rewrite: `SELECT id FROM ${s}orders`,
      expect: 'different',
      check: (o) => {
        expect(o.orderMatches).toBe(false);
        expect(o.reason).toMatch(/rewrite does not/);
      },
    },
    {
      name: 'a different number of columns',
      original: `SELECT id, name FROM ${s}customers`,
      rewrite: `SELECT id FROM ${s}customers`,
      expect: 'different',
      check: (o) => {
        expect(o.reason).toMatch(/1 column and the original 2/);
        expect(o.rows.original).toBeNull();
      },
    },
    {
      name: 'a changed column type',
      original: `SELECT id FROM ${s}customers`,
      rewrite: `SELECT id::bigint FROM ${s}customers`,
      expect: 'different',
      dialects: ['postgres'],
      check: (o) => expect(o.reason).toMatch(/column types differ: column 1 is integer in the original and bigint in the rewrite \(the values compare equal\)/),
    },
    // ---- equivalent rewrites ----------------------------------------------------------------------------------
    {
      name: 'OR of equalities vs IN',
      original: `SELECT id FROM ${s}customers WHERE country = 'DE' OR country = 'FR'`,
      rewrite: `SELECT id FROM ${s}customers WHERE country IN ('DE', 'FR')`,
      expect: 'equal',
      check: (o) => expect(o.reason).toMatch(/^Equal on this database \(3 rows\)/),
    },
    {
      name: 'NOT IN over a NULL-free subquery vs NOT EXISTS',
      original: `SELECT id FROM ${s}customers WHERE id NOT IN (SELECT customer_id FROM ${s}orders WHERE customer_id IS NOT NULL)`,
      rewrite: `SELECT id FROM ${s}customers c WHERE NOT EXISTS (SELECT 1 FROM ${s}orders o WHERE o.customer_id = c.id)`,
      expect: 'equal',
    },
    {
      name: 'IN subquery vs EXISTS',
      original: `SELECT id, name FROM ${s}customers WHERE id IN (SELECT customer_id FROM ${s}orders)`,
      rewrite: `SELECT id, name FROM ${s}customers c WHERE EXISTS (SELECT 1 FROM ${s}orders o WHERE o.customer_id = c.id)`,
      expect: 'equal',
    },
    {
      name: 'JOIN with DISTINCT vs IN',
      original: `SELECT DISTINCT c.id, c.name FROM ${s}customers c JOIN ${s}orders o ON o.customer_id = c.id`,
      rewrite: `SELECT id, name FROM ${s}customers WHERE id IN (SELECT customer_id FROM ${s}orders)`,
      expect: 'equal',
    },
    {
      name: 'LEFT JOIN … IS NULL vs NOT EXISTS',
      original: `SELECT c.id FROM ${s}customers c LEFT JOIN ${s}orders o ON o.customer_id = c.id WHERE o.id IS NULL`,
      rewrite: `SELECT c.id FROM ${s}customers c WHERE NOT EXISTS (SELECT 1 FROM ${s}orders o WHERE o.customer_id = c.id)`,
      expect: 'equal',
    },
    {
      name: 'ties in any order under ORDER BY',
      original: `SELECT id, created FROM ${s}orders ORDER BY created`,
      rewrite: `SELECT id, created FROM ${s}orders ORDER BY created, id DESC`,
      expect: 'equal',
      check: (o) => expect(o.orderMatches).toBe(true),
    },
    {
      name: 'HAVING vs a filtered subquery',
      original: `SELECT customer_id, count(*) AS n FROM ${s}orders GROUP BY customer_id HAVING count(*) > 1`,
      rewrite: `SELECT * FROM (SELECT customer_id, count(*) AS n FROM ${s}orders GROUP BY customer_id) AS t WHERE n > 1`,
      expect: 'equal',
    },
    {
      name: 'a CTE vs a subquery, duplicates kept',
      original: `WITH big AS (SELECT customer_id FROM ${s}orders WHERE amount >= 20) SELECT customer_id FROM big`,
      rewrite: `SELECT customer_id FROM (SELECT customer_id FROM ${s}orders WHERE amount >= 20) AS big`,
      expect: 'equal',
      check: (o) => expect(o.rows.original).toBe(5),
    },
    // ---- volatile statements are not run ---------------------------------------------------------------------
    {
      name: 'random()',
      original: `SELECT id, random() FROM ${s}customers`,
      rewrite: `SELECT id, 0.5 FROM ${s}customers`,
      expect: 'cannot-verify',
      check: (o) => expect(o.reason).toMatch(/random\(\)/),
    },
  ];
}
