import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../../src/core/sql/classify';

const pg = (sql: string) => classifyStatement(sql, 'postgres');
const lite = (sql: string) => classifyStatement(sql, 'sqlite');

describe('classifyStatement: statement count', () => {
  it('accepts one statement with or without a trailing semicolon', () => {
    expect(pg('SELECT 1').statementCount).toBe(1);
    expect(pg('SELECT 1;').refusal).toBeNull();
    expect(pg('SELECT 1;  -- done\n').statement).toBe('SELECT 1');
  });

  it('refuses two statements, whatever the second one is', () => {
    const c = pg('SELECT 1; DROP TABLE t');
    expect(c.statementCount).toBe(2);
    expect(c.refusal).toMatch(/2 statements/);
    expect(pg('DELETE FROM t; COMMIT').refusal).toMatch(/2 statements/);
    expect(pg('SELECT 1;;SELECT 2;').statementCount).toBe(2);
  });

  it('does not count a semicolon inside strings, quoted identifiers, comments or dollar quotes', () => {
    for (const sql of [
      "SELECT 'a; COMMIT; DROP TABLE t'",
      'SELECT 1 AS "x;y"',
      'SELECT 1 /* ; COMMIT; */',
      'SELECT 1 -- ; COMMIT\n',
      'SELECT $$; DROP TABLE t;$$',
      "SELECT E'\\'; COMMIT; --'",
    ]) {
      const c = pg(sql);
      expect(c.statementCount, sql).toBe(1);
      expect(c.refusal, sql).toBeNull();
      expect(c.effect, sql).toBe('read');
    }
  });

  it('refuses empty text and unterminated literals', () => {
    expect(pg('  -- nothing\n').refusal).toMatch(/no SQL statement/);
    expect(pg(';;').refusal).toMatch(/no SQL statement/);
    expect(pg("SELECT 'abc").refusal).toMatch(/unterminated string/);
    expect(pg('SELECT 1 /* open').refusal).toMatch(/unterminated comment/);
  });
});

describe('classifyStatement: transaction control and unsafe statements', () => {
  it.each(['BEGIN', 'START TRANSACTION', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT s', 'RELEASE SAVEPOINT s', "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'", 'SET TRANSACTION READ WRITE', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE'])(
    'refuses %s as transaction control',
    (sql) => {
      expect(pg(sql).refusal).toMatch(/transaction control/);
    },
  );

  it('refuses transaction control under a user EXPLAIN too', () => {
    expect(pg('EXPLAIN COMMIT').refusal).toMatch(/transaction control/);
  });

  it.each([
    ['VACUUM t', 'vacuum'],
    ['CREATE INDEX CONCURRENTLY i ON t (a)', 'create index concurrently'],
    ['CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)', 'create index concurrently'],
    ['DROP INDEX CONCURRENTLY i', 'drop index concurrently'],
    ['CREATE DATABASE d', 'create database'],
    ['DROP DATABASE d', 'drop database'],
    ['ALTER SYSTEM SET work_mem = 1', 'alter system'],
    ["CREATE TABLESPACE x LOCATION '/tmp'", 'create tablespace'],
    ['REINDEX TABLE CONCURRENTLY t', 'reindex'],
    ['CLUSTER', 'cluster'],
  ])('refuses %s: it cannot run in a transaction block', (sql, kind) => {
    const c = pg(sql);
    expect(c.kind).toBe(kind);
    expect(c.refusal).toMatch(/cannot run inside a transaction block/);
  });

  it.each(['CREATE TABLE t (a int)', 'DROP TABLE t', 'ALTER TABLE t ADD b int', 'TRUNCATE t', 'COPY t FROM STDIN', 'DO $$ BEGIN END $$', 'CALL p()', 'GRANT SELECT ON t TO u', 'SET work_mem = 1', 'ANALYZE t', 'LOCK t', 'SHOW work_mem'])(
    'refuses %s as not explainable',
    (sql) => {
      expect(pg(sql).refusal).toMatch(/not explainable/);
    },
  );

  it('refuses EXECUTE with the reason', () => {
    expect(pg('EXECUTE q(1)').refusal).toMatch(/prepared statement/);
  });

  it('treats TRUNCATE and COPY as writes even though they are refused', () => {
    expect(pg('TRUNCATE t').effect).toBe('write');
  });
});

describe('classifyStatement: effects', () => {
  it.each([
    ['SELECT * FROM t', 'select', 'read'],
    ['(SELECT 1) UNION (SELECT 2)', 'select', 'read'],
    ['VALUES (1), (2)', 'values', 'read'],
    ['TABLE t', 'table', 'read'],
    ['INSERT INTO t VALUES (1)', 'insert', 'write'],
    ['UPDATE t SET a = 1', 'update', 'write'],
    ['DELETE FROM t', 'delete', 'write'],
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', 'merge', 'write'],
    ['SELECT * INTO t2 FROM t', 'select into', 'write'],
    ['CREATE TABLE t2 AS SELECT * FROM t', 'create table as', 'write'],
    ['CREATE TEMP TABLE t2 AS SELECT 1', 'create table as', 'write'],
    ['CREATE MATERIALIZED VIEW mv AS SELECT 1', 'create materialized view', 'write'],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'with select', 'write'],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'with insert', 'write'],
    ['WITH x AS (SELECT 1 AS a) SELECT a FROM x', 'with select', 'read'],
    ['SELECT * FROM t FOR UPDATE', 'select', 'lock'],
    ['SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED', 'select', 'lock'],
    ['SELECT * FROM t FOR SHARE', 'select', 'lock'],
    ['DECLARE c CURSOR FOR SELECT 1', 'declare', 'read'],
  ])('%s → %s / %s', (sql, kind, effect) => {
    const c = pg(sql);
    expect(c.refusal).toBeNull();
    expect(c.kind).toBe(kind);
    expect(c.effect).toBe(effect);
  });

  it('ignores write keywords inside strings and quoted identifiers', () => {
    expect(pg(`SELECT 'DELETE FROM t', "update" FROM t`).effect).toBe('read');
  });

  it('detects bind parameters', () => {
    expect(pg('SELECT * FROM t WHERE id = $1').hasParameters).toBe(true);
    expect(pg("SELECT '$1'").hasParameters).toBe(false);
    expect(pg('SELECT * FROM t WHERE a = $2 AND b = $1').maxParameter).toBe(2);
  });
});

describe('classifyStatement: a user-written EXPLAIN', () => {
  it('strips EXPLAIN, EXPLAIN ANALYZE VERBOSE and option lists, returning the inner statement', () => {
    const a = pg('EXPLAIN SELECT 1');
    expect(a.statement).toBe('SELECT 1');
    expect(a.userExplain).toEqual({ analyze: false, options: [] });
    const b = pg('explain analyze verbose DELETE FROM t WHERE id = 1;');
    expect(b.statement).toBe('DELETE FROM t WHERE id = 1');
    expect(b.userExplain).toEqual({ analyze: true, options: ['ANALYZE', 'VERBOSE'] });
    expect(b.effect).toBe('write');
    const c = pg('EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) UPDATE t SET a = 1');
    expect(c.statement).toBe('UPDATE t SET a = 1');
    expect(c.userExplain?.analyze).toBe(true);
    expect(c.userExplain?.options).toEqual(['ANALYZE', 'BUFFERS', 'FORMAT TEXT']);
    expect(pg('EXPLAIN (ANALYZE false, COSTS off) SELECT 1').userExplain?.analyze).toBe(false);
    expect(pg('EXPLAIN (ANALYZE on) SELECT 1').userExplain?.analyze).toBe(true);
    expect(pg('EXPLAIN ANALYSE SELECT 1').userExplain?.analyze).toBe(true);
  });

  it('records the statement offset in the original text', () => {
    const sql = '  EXPLAIN (COSTS OFF)\n  SELECT 42';
    const c = pg(sql);
    expect(sql.slice(c.statementStart, c.statementStart + c.statement.length)).toBe('SELECT 42');
  });

  it('refuses EXPLAIN without a statement, EXPLAIN EXPLAIN, and an unclosed option list', () => {
    expect(pg('EXPLAIN').refusal).toMatch(/not followed/);
    expect(pg('EXPLAIN ANALYZE').refusal).toMatch(/not followed/);
    expect(pg('EXPLAIN EXPLAIN SELECT 1').refusal).toMatch(/EXPLAIN of an EXPLAIN/);
    expect(pg('EXPLAIN (ANALYZE SELECT 1').refusal).toMatch(/not closed/);
  });

  it('refuses DDL under EXPLAIN as not explainable', () => {
    expect(pg('EXPLAIN ANALYZE DROP TABLE t').refusal).toMatch(/not explainable/);
  });
});

describe('classifyStatement: warnings about effects that survive a rollback', () => {
  it('warns about sequences on INSERT and MERGE; nextval/setval/dblink/advisory locks are side effects that need consent', () => {
    expect(pg('INSERT INTO t (a) VALUES (1)').analyzeWarnings.join('\n')).toMatch(/sequences/);
    expect(pg("SELECT nextval('s')").sideEffects.join('\n')).toMatch(/nextval\(\) advances a sequence/);
    expect(pg("SELECT setval('s', 1)").sideEffects.join('\n')).toMatch(/setval/);
    expect(pg("SELECT * FROM dblink('x', 'delete from t') AS r(a int)").sideEffects.join('\n')).toMatch(/separate connection/);
    expect(pg('SELECT pg_advisory_lock(1)').sideEffects.join('\n')).toMatch(/advisory lock/);
    expect(pg('SELECT pg_advisory_xact_lock(1)').sideEffects).toEqual([]);
  });

  it('lists the functions a statement calls, qualified or quoted, for the catalog lookup of volatile ones', () => {
    expect(pg('SELECT s.f(x), "G"(1), count(*) FROM t WHERE x IN (1, 2) AND exists (select 1)').calledFunctions).toEqual(['f', 'G', 'count']);
    expect(pg("SELECT 'f(1)' -- g(2)\n").calledFunctions).toEqual([]);
  });

  it('states that a read is executed inside a READ ONLY transaction', () => {
    expect(pg('SELECT f(x) FROM t').analyzeWarnings.join('\n')).toMatch(/READ ONLY transaction that is rolled back/);
  });
});

describe('classifyStatement: SQLite', () => {
  it('strips EXPLAIN QUERY PLAN and EXPLAIN', () => {
    const c = lite('EXPLAIN QUERY PLAN SELECT * FROM t');
    expect(c.statement).toBe('SELECT * FROM t');
    expect(c.userExplain?.options).toEqual(['QUERY PLAN']);
    expect(lite('explain select 1').statement).toBe('select 1');
  });

  it('accepts queries and DML, refuses transaction control and statements without a plan', () => {
    expect(lite('REPLACE INTO t VALUES (1)').effect).toBe('write');
    expect(lite('SELECT 1').refusal).toBeNull();
    expect(lite('BEGIN').refusal).toMatch(/transaction control/);
    expect(lite('PRAGMA journal_mode = wal').refusal).toMatch(/no query plan/);
    expect(lite('SELECT 1; DELETE FROM t').refusal).toMatch(/2 statements/);
    expect(lite('SELECT ?1, :name, @x').hasParameters).toBe(true);
  });
});
