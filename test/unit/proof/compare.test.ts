// The pure half of result comparison: what may be compared, the SQL around the statements, order with ties, verdicts.
import { describe, expect, it } from 'vitest';
import {
  bagCountSql,
  checkOrder,
  compareVerdict,
  differOnlyInBoundaryTies,
  orderKeyColumns,
  prepareComparison,
  type CompareFacts,
  type PreparedComparison,
} from '../../../src/core/proof/compare';
import { statementClauses } from '../../../src/core/proof/statementClauses';

function prepared(o: string, r: string, dialect: 'postgres' | 'sqlite' = 'postgres'): PreparedComparison {
  const p = prepareComparison(o, r, dialect);
  if ('refusal' in p) throw new Error(p.refusal);
  return p;
}

function facts(o: string, r: string, extra: Partial<CompareFacts>): CompareFacts {
  const col = { name: 'a', type: 'integer', typeId: 23 };
  return {
    dialect: 'postgres',
    prepared: prepared(o, r),
    volatileFunctions: [],
    columns: { original: [col], rewrite: [col] },
    counts: { original: 3, rewrite: 3, onlyInOriginal: 0, onlyInRewrite: 0 },
    comparedAsText: false,
    roundedCounts: null,
    samples: { onlyInOriginal: [], onlyInRewrite: [] },
    ordered: null,
    ...extra,
  };
}

describe('prepareComparison', () => {
  it('takes two reads, and refuses anything else with the reason', () => {
    expect('refusal' in prepareComparison('SELECT 1', 'VALUES (1)', 'postgres')).toBe(false);
    const refusals: [string, RegExp][] = [
      ['DELETE FROM t', /DELETE statement; only reads/],
      ['SELECT * FROM t FOR UPDATE', /locking read/],
      ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', /only reads/],
      ['SELECT 1; SELECT 2', /2 statements/],
      ['SELECT $1', /bind parameters/],
      ['EXPLAIN SELECT 1', /EXPLAIN/],
      ['SELECT * INTO x FROM t', /only reads/],
    ];
    for (const [sql, why] of refusals) {
      const p = prepareComparison(sql, 'SELECT 1', 'postgres');
      expect('refusal' in p && p.refusal, sql).toMatch(why);
    }
  });

  it('knows from the text what makes a result change between runs', () => {
    expect(prepared("SELECT pg_advisory_lock(1)", 'SELECT 1').volatility.join()).toMatch(/advisory lock/);
    expect(prepared('SELECT * FROM t TABLESAMPLE SYSTEM (1)', 'SELECT 1').volatility.join()).toMatch(/TABLESAMPLE/);
    expect(prepared('SELECT * FROM t TABLESAMPLE SYSTEM (1) REPEATABLE (7)', 'SELECT 1').volatility).toEqual([]);
    expect(prepared("SELECT date('now')", 'SELECT 1', 'sqlite').volatility.join()).toMatch(/current time/);
    expect(prepared('SELECT random()', 'SELECT 1', 'sqlite').volatility.join()).toMatch(/random\(\)/);
  });
});

describe('the comparison SQL', () => {
  it('PostgreSQL: EXCEPT ALL both ways around the two statements, each on its own lines', () => {
    const sql = bagCountSql(prepared('SELECT a -- a comment\nFROM t; -- after', 'SELECT a FROM u'), 'postgres', { columns: [{ name: 'a', type: 'integer', typeId: 23 }], materialized: true });
    expect(sql.match(/EXCEPT ALL/g)).toHaveLength(2);
    expect(sql).toContain('AS MATERIALIZED (\nSELECT a -- a comment\nFROM t\n)');
  });

  it('SQLite: per-row counts of both sides (no EXCEPT, which would remove duplicates)', () => {
    const sql = bagCountSql(prepared('SELECT a FROM t', 'SELECT a FROM u', 'sqlite'), 'sqlite', { columns: [{ name: 'a', type: null }], materialized: true });
    expect(sql).not.toMatch(/EXCEPT/);
    expect(sql).toMatch(/GROUP BY c1/);
  });
});

describe('order and ties', () => {
  const rows = (...r: (string | null)[][]) => r;
  it('rows tied on the sort key may come in any order; other moves do not match', () => {
    const original = rows(['1', 'a'], ['2', 'b'], ['3', 'b'], ['4', 'c']);
    expect(checkOrder(original, rows(['1', 'a'], ['3', 'b'], ['2', 'b'], ['4', 'c']), [1])).toEqual({ result: 'match' });
    expect(checkOrder(original, rows(['2', 'b'], ['1', 'a'], ['3', 'b'], ['4', 'c']), [1])).toEqual({ result: 'mismatch', position: 1 });
    expect(checkOrder(original, rows(['1', 'a'], ['3', 'b'], ['2', 'b'], ['4', 'c']), null)).toEqual({ result: 'unknown' });
  });

  it('a difference only among rows tied at the LIMIT boundary', () => {
    expect(differOnlyInBoundaryTies(rows(['1', 'a'], ['2', 'b']), rows(['1', 'a'], ['3', 'b']), [1])).toBe(true);
    expect(differOnlyInBoundaryTies(rows(['1', 'a'], ['2', 'b']), rows(['1', 'a'], ['3', 'c']), [1])).toBe(false);
    expect(differOnlyInBoundaryTies(rows(['1', 'a'], ['2', 'b']), rows(['9', 'a'], ['2', 'b']), [1])).toBe(false);
  });

  it('maps ORDER BY items to output columns, or gives up on expressions and ambiguity', () => {
    const columns = [{ name: 'id', type: null }, { name: 'n', type: null }, { name: 'Name', type: null }];
    const keys = (sql: string) => orderKeyColumns(statementClauses(sql, 'postgres').orderBy!, columns, 'postgres');
    expect(keys('SELECT 1 ORDER BY n DESC, t.id, 3')).toEqual([1, 0, 2]);
    expect(keys('SELECT 1 ORDER BY "Name"')).toEqual([2]);
    expect(keys('SELECT 1 ORDER BY name')).toBeNull();
    expect(keys('SELECT 1 ORDER BY lower(x)')).toBeNull();
    expect(keys('SELECT 1 ORDER BY 4')).toBeNull();
  });
});

describe('compareVerdict', () => {
  it('equal states its scope', () => {
    const v = compareVerdict(facts('SELECT a FROM t', 'SELECT a FROM u', { counts: { original: 12345, rewrite: 12345, onlyInOriginal: 0, onlyInRewrite: 0 } }));
    expect(v.verdict).toBe('equal');
    expect(v.reason).toBe('Equal on this database (12,345 rows); this is evidence for this data, not a proof for all data.');
    expect(v.orderMatches).toBeNull();
  });

  it('volatility wins over everything and nothing is counted', () => {
    const v = compareVerdict(facts('SELECT a FROM t', 'SELECT a FROM u', { volatileFunctions: ['public.f() is VOLATILE: …'], counts: null }));
    expect(v.verdict).toBe('cannot-verify');
    expect(v.rows).toEqual({ original: null, rewrite: null });
  });

  it('different counts, column counts and types', () => {
    expect(compareVerdict(facts('SELECT a FROM t', 'SELECT a FROM u', { counts: { original: 3, rewrite: 4, onlyInOriginal: 0, onlyInRewrite: 1 } })).verdict).toBe('different');
    const cols = compareVerdict(facts('SELECT a, b FROM t', 'SELECT a FROM u', { columns: { original: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'text' }], rewrite: [{ name: 'a', type: 'integer' }] }, counts: null }));
    expect(cols.reason).toMatch(/1 column and the original 2/);
    const types = compareVerdict(facts('SELECT a FROM t', 'SELECT a FROM u', { columns: { original: [{ name: 'a', type: 'integer' }], rewrite: [{ name: 'a', type: 'numeric' }] } }));
    expect(types.verdict).toBe('different');
    expect(types.reason).toMatch(/integer in the original and numeric in the rewrite/);
  });

  it('floating-point rounding only: equal, with a warning', () => {
    const v = compareVerdict(facts('SELECT a FROM t', 'SELECT a FROM u', { counts: { original: 1, rewrite: 1, onlyInOriginal: 1, onlyInRewrite: 1 }, roundedCounts: { original: 1, rewrite: 1, onlyInOriginal: 0, onlyInRewrite: 0 } }));
    expect(v.verdict).toBe('equal');
    expect(v.warnings.join()).toMatch(/10 significant digits/);
  });

  it('LIMIT without ORDER BY: a difference is nondeterministic; with WITH TIES, ties are not an excuse', () => {
    const diff = { counts: { original: 2, rewrite: 2, onlyInOriginal: 1, onlyInRewrite: 1 } };
    expect(compareVerdict(facts('SELECT a FROM t LIMIT 2', 'SELECT a FROM t ORDER BY a LIMIT 2', diff)).verdict).toBe('nondeterministic');
    const ordered = { original: [['1'], ['2']], rewrite: [['1'], ['3']], truncated: false };
    expect(compareVerdict(facts('SELECT a FROM t ORDER BY a FETCH FIRST 2 ROWS WITH TIES', 'SELECT a FROM t ORDER BY a LIMIT 2', { ...diff, ordered })).verdict).toBe('different');
  });

  it('ordered results: no ORDER BY in the rewrite, a different order, an order on expressions', () => {
    const ordered = { original: [['1'], ['2'], ['3']], rewrite: [['3'], ['2'], ['1']], truncated: false };
    expect(compareVerdict(facts('SELECT a FROM t ORDER BY a', 'SELECT a FROM t', { ordered })).orderMatches).toBe(false);
    const reversed = compareVerdict(facts('SELECT a FROM t ORDER BY a', 'SELECT a FROM t ORDER BY a DESC', { ordered }));
    expect([reversed.verdict, reversed.orderMatches]).toEqual(['different', false]);
    const expr = compareVerdict(facts('SELECT a FROM t ORDER BY a % 2', 'SELECT a FROM t ORDER BY a % 2, a DESC', { ordered }));
    expect(expr.verdict).toBe('cannot-verify');
    const same = compareVerdict(facts('SELECT a FROM t ORDER BY a', 'SELECT a FROM t ORDER BY 1', { ordered: { ...ordered, rewrite: ordered.original } }));
    expect([same.verdict, same.orderMatches]).toEqual(['equal', true]);
  });
});
