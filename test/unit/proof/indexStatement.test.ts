// The gate every CREATE INDEX of a what-if passes: exactly one CREATE INDEX statement, read with the lexer.
import { describe, expect, it } from 'vitest';
import { parseIndexStatement } from '../../../src/core/proof/indexStatement';

const pg = (sql: string) => parseIndexStatement(sql, 'postgres');
const ok = (sql: string, dialect: 'postgres' | 'sqlite' = 'postgres') => {
  const r = parseIndexStatement(sql, dialect);
  if (!r.ok) throw new Error(r.reason);
  return r.index;
};

describe('parseIndexStatement', () => {
  it('reads the parts of a PostgreSQL CREATE INDEX', () => {
    const i = ok('CREATE UNIQUE INDEX IF NOT EXISTS "Orders_By" ON ONLY sales."Orders" USING btree (customer_id, (lower(email)) DESC NULLS LAST, "Created At") INCLUDE (total, "Note") WITH (fillfactor = 90) TABLESPACE fast WHERE status <> \'done\';');
    expect(i.unique).toBe(true);
    expect(i.name).toBe('Orders_By');
    expect(i.table).toEqual({ schema: 'sales', name: 'Orders', sql: 'sales."Orders"' });
    expect(i.method).toBe('btree');
    expect(i.keys.map((k) => k.column)).toEqual(['customer_id', null, 'Created At']);
    expect(i.keys[1]!.text).toBe('(lower(email)) DESC NULLS LAST');
    expect(i.include).toEqual(['total', 'Note']);
    expect(i.predicate).toBe("status <> 'done'");
    expect(i.written.endsWith("'done'")).toBe(true);
    expect(i.concurrently).toBe(false);
  });

  it('removes CONCURRENTLY for the test and keeps it in what the user applies', () => {
    const i = ok('create index concurrently orders_c_idx on orders using gin (tags)');
    expect(i.concurrently).toBe(true);
    expect(i.text).toBe('create index orders_c_idx on orders using gin (tags)');
    expect(i.written).toBe('create index concurrently orders_c_idx on orders using gin (tags)');
    expect(i.method).toBe('gin');
    expect(ok('CREATE INDEX CONCURRENTLY ON t (a)').text).toBe('CREATE INDEX ON t (a)');
  });

  it('an unnamed PostgreSQL index, and a table called "on"', () => {
    expect(ok('CREATE INDEX ON t (a)').name).toBeNull();
    expect(ok('CREATE INDEX i ON "on" (a)').table.name).toBe('on');
  });

  it('refuses anything that is not exactly one CREATE INDEX', () => {
    const refusals: [string, RegExp][] = [
      ['CREATE INDEX ON t (a); DROP TABLE t', /2 statements/],
      ['CREATE INDEX ON t (a);;', /^(?!x)/],
      ['DROP TABLE t', /only CREATE INDEX/],
      ['CREATE TABLE t (a int)', /not CREATE TABLE/],
      ['CREATE INDEX ON t (a', /not closed/],
      ["CREATE INDEX ON t (a) WHERE b = 'x", /unterminated/],
      ['CREATE INDEX ON t', /parenthesized list/],
      ['CREATE INDEX i ON t (a) RETURNING *', /unexpected "RETURNING"/],
      ['CREATE INDEX s.i ON t (a)', /schema-qualified index name/],
      ['', /no CREATE INDEX/],
      ['-- only a comment', /no CREATE INDEX/],
      ['SELECT 1', /only CREATE INDEX/],
    ];
    for (const [sql, why] of refusals) {
      const r = pg(sql);
      if (sql === 'CREATE INDEX ON t (a);;') {
        expect(r.ok, sql).toBe(true);
        continue;
      }
      expect(r.ok, sql).toBe(false);
      if (!r.ok) expect(r.reason, sql).toMatch(why);
    }
  });

  it('SQLite: a name is required, no CONCURRENTLY, USING or INCLUDE; a schema-qualified name is fine', () => {
    expect(ok('CREATE INDEX main.i ON t (a COLLATE NOCASE DESC) WHERE a > 0', 'sqlite').name).toBe('i');
    for (const sql of ['CREATE INDEX ON t (a)', 'CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX i ON t USING btree (a)', 'CREATE INDEX i ON t (a) INCLUDE (b)']) {
      expect(parseIndexStatement(sql, 'sqlite').ok, sql).toBe(false);
    }
  });
});
