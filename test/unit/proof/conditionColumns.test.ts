// Columns an index could serve, read from plan conditions and SQL with the lexer.
import { describe, expect, it } from 'vitest';
import { conditionColumns, sortColumns } from '../../../src/core/proof/conditionColumns';

const cols = (cond: string, dialect: 'postgres' | 'sqlite' = 'postgres') => conditionColumns(cond, dialect).map((c) => `${c.qualifier ? `${c.qualifier}.` : ''}${c.column}:${c.kind}${c.joinsColumn ? ':join' : ''}`);

describe('conditionColumns', () => {
  it('reads PostgreSQL plan conditions', () => {
    expect(cols('(customer_id = 42)')).toEqual(['customer_id:equality']);
    expect(cols("((o.created_at >= '2023-10-01 00:00:00+00'::timestamp with time zone) AND (o.created_at < '2024-01-01 00:00:00+00'::timestamp with time zone))")).toEqual(['o.created_at:range', 'o.created_at:range']);
    expect(cols('(oi.order_id = o.id)')).toEqual(['oi.order_id:equality:join', 'o.id:equality:join']);
    expect(cols("((status = 'paid'::text) AND (customer_id = 1))")).toEqual(['status:equality', 'customer_id:equality']);
    expect(cols("((email)::text = 'a@b'::text)")).toEqual(['email:equality']);
    expect(cols("(status = ANY ('{new,paid}'::text[]))")).toEqual(['status:equality']);
    expect(cols('(deleted_at IS NULL)')).toEqual(['deleted_at:equality']);
    expect(cols('(42 = customer_id)')).toEqual(['customer_id:equality']);
  });

  it('reads SQL and SQLite conditions, BETWEEN and IN lists', () => {
    expect(cols("o.customer_id = 42 AND o.created BETWEEN '2024-01-01' AND '2024-02-01' AND kind IN ('a', 'b')", 'sqlite')).toEqual(['o.customer_id:equality', 'o.created:range', 'kind:equality']);
    expect(cols('customer_id=?', 'sqlite')).toEqual(['customer_id:equality']);
    expect(cols('[Order Id] = 3 AND `x` > 1', 'sqlite')).toEqual(['Order Id:equality', 'x:range']);
  });

  it('yields nothing for what a plain B-tree on the column would not serve', () => {
    for (const cond of ["(lower(email) = 'x'::text)", '((a = 1) OR (b = 2))', "(name ~~ 'abc%'::text)", '(a <> 1)', '(NOT flag)', '((created_at)::date = CURRENT_DATE)', '(a IS NOT NULL)', "name LIKE 'x%'"]) {
      expect(cols(cond), cond).toEqual([]);
    }
    expect(cols('((a = 1) AND ((b = 2) OR (c = 3)))')).toEqual(['a:equality']);
  });

  it('never throws and stays linear on pathological input', () => {
    const deep = `${'('.repeat(5000)}a = 1${')'.repeat(5000)}`;
    expect(cols(deep)).toEqual(['a:equality']);
    const wide = Array.from({ length: 3000 }, (_, i) => `(c${i} = ${i})`).join(' AND ');
    expect(cols(wide)).toHaveLength(3000);
    for (const junk of ["'", '((', ')))', 'AND AND', '= = =', '']) expect(() => cols(junk)).not.toThrow();
  });
});

describe('sortColumns', () => {
  it('reads plain sort keys up to the first expression', () => {
    expect(sortColumns(['o.created_at DESC', 'id'], 'postgres')).toEqual([
      { column: 'created_at', qualifier: 'o', descending: true },
      { column: 'id', qualifier: null, descending: false },
    ]);
    expect(sortColumns(['(count(*)) DESC', 'id'], 'postgres')).toEqual([]);
    expect(sortColumns(['a NULLS FIRST', 'lower(b)', 'c'], 'postgres').map((c) => c.column)).toEqual(['a']);
  });
});
