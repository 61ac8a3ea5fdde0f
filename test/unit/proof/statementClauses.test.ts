// The top level of a query: its own ORDER BY and LIMIT, tables, WHERE and ON — never a subquery's or a window's.
import { describe, expect, it } from 'vitest';
import { statementClauses } from '../../../src/core/proof/statementClauses';

const pg = (sql: string) => statementClauses(sql, 'postgres');

describe('statementClauses', () => {
  it('reads the ORDER BY items and whether a LIMIT cuts the result', () => {
    const c = pg('SELECT o.id, count(*) AS n FROM orders o GROUP BY o.id ORDER BY n DESC, o.id, 1 NULLS LAST, lower(x) LIMIT 10');
    expect(c.orderBy!.map((i) => [i.column, i.position, i.descending])).toEqual([
      ['n', null, true],
      ['id', null, false],
      [null, 1, false],
      [null, null, false],
    ]);
    expect(c.limited).toBe(true);
    expect(c.withTies).toBe(false);
  });

  it('ignores ORDER BY and LIMIT inside subqueries, CTEs, windows and aggregates', () => {
    const c = pg('WITH x AS (SELECT * FROM t ORDER BY a LIMIT 5) SELECT string_agg(b, \',\' ORDER BY b), row_number() OVER (ORDER BY c) FROM (SELECT * FROM x LIMIT 3) s');
    expect(c.orderBy).toBeNull();
    expect(c.limited).toBe(false);
  });

  it('FETCH FIRST … WITH TIES, LIMIT ALL, and a UNION sorted as a whole', () => {
    expect(pg('SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES').withTies).toBe(true);
    expect(pg('SELECT a FROM t ORDER BY a LIMIT ALL').limited).toBe(false);
    const u = pg('SELECT a FROM t UNION SELECT a FROM u ORDER BY 1');
    expect(u.orderBy!.map((i) => i.position)).toEqual([1]);
    expect(pg('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT a FROM u').orderBy).toBeNull();
  });

  it('reads tables with aliases, WHERE and ON conditions', () => {
    const c = statementClauses("SELECT * FROM orders o JOIN customers AS c ON c.id = o.customer_id LEFT JOIN \"Items\" i USING (x), events WHERE o.status = 'x' AND c.id > 3 ORDER BY o.created", 'sqlite');
    expect(c.tables).toEqual([
      { schema: null, name: 'orders', alias: 'o' },
      { schema: null, name: 'customers', alias: 'c' },
      { schema: null, name: 'Items', alias: 'i' },
    ]);
    expect(c.on).toEqual(['c.id = o.customer_id']);
    expect(c.where).toEqual(["o.status = 'x' AND c.id > 3"]);
    expect(pg('SELECT DISTINCT ON (a) a, b FROM public.t ORDER BY a, b').tables).toEqual([{ schema: 'public', name: 't', alias: null }]);
    expect(pg('SELECT DISTINCT ON (a) a, b FROM public.t ORDER BY a, b').on).toEqual([]);
  });
});
