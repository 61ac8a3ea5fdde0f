// DuckDB's dialect: the classification that lets only reads through, and relative file paths made absolute.
import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../../src/core/sql/classify';
import { inferDialect } from '../../../src/core/sql/dialect';
import { isRelativeFilePath, joinPath, resolveDuckdbPaths } from '../../../src/core/sql/duckdbPaths';
import { tokenize } from '../../../src/core/sql/lexer';

describe('DuckDB classification', () => {
  it.each([
    `SELECT * FROM 'data/*.parquet'`,
    `FROM orders SELECT id`,
    `WITH x AS (SELECT 1) SELECT * FROM x`,
    `PIVOT orders ON customer_id USING sum(price)`,
    `EXPLAIN ANALYZE SELECT 1`,
    `EXPLAIN (FORMAT JSON) SELECT 1`,
    `(SELECT 1)`,
  ])('lets the read %s through', (sql) => {
    const c = classifyStatement(sql, 'duckdb');
    expect(c.refusal).toBeNull();
    expect(c.effect).toBe('read');
  });

  it('reads a user-written EXPLAIN ANALYZE as a request to execute', () => {
    const c = classifyStatement(`EXPLAIN ANALYZE SELECT * FROM t`, 'duckdb');
    expect(c.userExplain?.analyze).toBe(true);
    expect(c.statement).toBe('SELECT * FROM t');
  });

  it.each([
    [`COPY t TO 'x.csv'`, /COPY is refused/],
    [`EXPORT DATABASE 'd'`, /EXPORT is refused/],
    [`INSTALL httpfs`, /INSTALL is refused/],
    [`LOAD spatial`, /LOAD is refused/],
    [`ATTACH 'x.duckdb'`, /ATTACH is refused/],
    [`SET memory_limit = '1GB'`, /SET is refused/],
    [`RESET memory_limit`, /RESET is refused/],
    [`PRAGMA threads = 1`, /PRAGMA is refused/],
    [`CALL pragma_version()`, /CALL is refused/],
    [`INSERT INTO t VALUES (1)`, /INSERT is refused/],
    [`CREATE TABLE t AS SELECT 1`, /CREATE is refused/],
    [`BEGIN`, /transaction control/],
    [`WITH x AS (SELECT 1) DELETE FROM t`, /only read/],
    [`SELECT * FROM query('DROP TABLE t')`, /SQL given as text/],
    [`SELECT 1; SELECT 2`, /2 statements/],
  ])('refuses %s', (sql, why) => {
    expect(classifyStatement(sql, 'duckdb').refusal).toMatch(why);
  });

  it('lexes ? as a parameter, and PostgreSQL-style strings and comments', () => {
    const kinds = tokenize(`SELECT ? /* a /* nested */ b */ , 'x'`, 'duckdb').map((t) => t.kind).filter((k) => k !== 'whitespace');
    expect(kinds).toEqual(['word', 'param', 'blockComment', 'punct', 'string']);
  });

  it('is the dialect of a duckdb connection and of .duckdb files', () => {
    expect(inferDialect({ driver: 'duckdb' })).toBe('duckdb');
    expect(inferDialect({ fileName: 'x.duckdb' })).toBe('duckdb');
  });
});

describe('relative paths', () => {
  it('knows what DuckDB would resolve against the working directory', () => {
    expect(isRelativeFilePath('data/x.parquet')).toBe(true);
    expect(isRelativeFilePath('./x.csv')).toBe(true);
    for (const p of ['/abs/x.csv', '~/x.csv', 's3://b/x.parquet', 'https://h/x.csv', 'C:\\x.csv', '']) expect(isRelativeFilePath(p)).toBe(false);
    expect(joinPath('/ws/', './data/x.csv')).toBe('/ws/data/x.csv');
    expect(joinPath('C:\\ws', 'data/x.csv')).toBe('C:\\ws\\data\\x.csv');
  });

  it('rewrites strings after FROM/JOIN and the first argument of file functions only', () => {
    const sql = `SELECT * FROM 'a.parquet' JOIN read_csv(['b.csv', 'c''s.csv'], delim = ',') USING (id) WHERE name = 'a.parquet'`;
    const r = resolveDuckdbPaths(sql, '/ws');
    expect(r.sql).toBe(`SELECT * FROM '/ws/a.parquet' JOIN read_csv(['/ws/b.csv', '/ws/c''s.csv'], delim = ',') USING (id) WHERE name = 'a.parquet'`);
    expect(r.rewritten.map((x) => x.from)).toEqual(['a.parquet', 'b.csv', "c's.csv"]);
  });

  it('leaves absolute paths, URLs and tables alone', () => {
    const sql = `SELECT * FROM '/abs/a.parquet', read_parquet('s3://b/x.parquet'), orders`;
    expect(resolveDuckdbPaths(sql, '/ws')).toEqual({ sql, rewritten: [] });
  });
});
