import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../../src/core/sql/classify';
import { inferDialect } from '../../../src/core/sql/dialect';
import { tokenize } from '../../../src/core/sql/lexer';
import { split, statementAt } from '../../../src/core/sql/locate';

const my = (sql: string) => classifyStatement(sql, 'mysql');
const kinds = (sql: string) => tokenize(sql, 'mysql').filter((t) => t.kind !== 'whitespace').map((t) => `${t.kind}:${sql.slice(t.start, t.end)}`);

describe('mysql lexer', () => {
  it('reads backticks, # comments, backslash escapes and variables', () => {
    expect(kinds("SELECT `a``b` FROM t # x;y\n")).toEqual(['word:SELECT', 'quotedIdent:`a``b`', 'word:FROM', 'word:t', 'lineComment:# x;y']);
    expect(kinds("'it\\'s;' \"q\\\";\"")).toEqual(["string:'it\\'s;'", 'string:"q\\";"']);
    expect(kinds('@x := @@session.sql_mode')).toEqual(['word:@x', 'operator::=', 'word:@@session', 'punct:.', 'word:sql_mode']);
  });

  it('starts a -- comment only before a space or control character', () => {
    expect(kinds('SELECT 1--1')).toEqual(['word:SELECT', 'number:1', 'operator:-', 'operator:-', 'number:1']);
    expect(kinds('SELECT 1 -- c;')).toEqual(['word:SELECT', 'number:1', 'lineComment:-- c;']);
    expect(kinds('SELECT 1 --')).toEqual(['word:SELECT', 'number:1', 'lineComment:--']);
  });
});

describe('mysql locate', () => {
  it('splits at ; but not inside strings, backticks or # comments', () => {
    const t = "SELECT ';' # ;\n, `;`; SELECT 2";
    expect(split(t, 'mysql').map((s) => s.text)).toEqual(["SELECT ';' # ;\n, `;`", 'SELECT 2']);
  });

  it('follows DELIMITER in scripts', () => {
    const t = 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nSELECT 3;\nDELIMITER $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\n';
    expect(split(t, 'mysql').map((s) => s.text)).toEqual([
      'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END',
      'SELECT 3',
      'CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END',
    ]);
    expect(statementAt(t, t.indexOf('SELECT 3'), 'mysql')?.text).toBe('SELECT 3');
  });
});

describe('mysql classify', () => {
  it('reads EXPLAIN, EXPLAIN FORMAT=JSON, EXPLAIN ANALYZE and MariaDB ANALYZE', () => {
    expect(my('EXPLAIN FORMAT=JSON SELECT 1').statement).toBe('SELECT 1');
    expect(my('EXPLAIN ANALYZE SELECT 1').userExplain?.analyze).toBe(true);
    const a = my('ANALYZE FORMAT=JSON UPDATE t SET a = 1');
    expect(a.userExplain?.analyze).toBe(true);
    expect(a.kind).toBe('update');
    expect(a.effect).toBe('write');
    expect(my('ANALYZE TABLE t').refusal).toMatch(/statistics/);
  });

  it('refuses more than one statement, DDL, transaction control and server files', () => {
    expect(my('SELECT 1; SELECT 2').refusal).toMatch(/2 statements/);
    expect(my("SELECT 1 # ;\n").refusal).toBeNull();
    expect(my('COMMIT').refusal).toMatch(/transaction/);
    expect(my('DROP TABLE t').refusal).toMatch(/commit schema changes implicitly/);
    expect(my('CREATE TABLE t2 AS SELECT * FROM t').refusal).toMatch(/implicitly/);
    expect(my("SELECT * FROM t INTO OUTFILE '/tmp/x'").refusal).toMatch(/OUTFILE/);
    expect(my("SELECT a INTO DUMPFILE '/tmp/x' FROM t").refusal).toMatch(/DUMPFILE/);
    expect(my("LOAD DATA INFILE '/tmp/x' INTO TABLE t").refusal).toMatch(/LOAD DATA/);
    expect(my('SELECT /*!50000 SLEEP(1) */ 1').refusal).toMatch(/executable comment/);
    expect(my('SELECT /*+ NO_INDEX_MERGE(t) */ 1 FROM t').refusal).toBeNull();
    expect(my('SET autocommit = 1').refusal).toMatch(/transaction/);
  });

  it('names locks and functions whose effects survive the rollback', () => {
    expect(my('SELECT * FROM t LOCK IN SHARE MODE').effect).toBe('lock');
    expect(my('SELECT * FROM t FOR UPDATE').effect).toBe('lock');
    expect(my("SELECT GET_LOCK('x', 1)").sideEffects[0]).toMatch(/GET_LOCK/);
    expect(my('SELECT SLEEP(0.1)').sideEffects).toEqual([]);
    expect(my('SELECT f(1) FROM t').calledFunctions).toEqual(['f']);
  });

  it('is the dialect of a mysql connection', () => {
    expect(inferDialect({ driver: 'mysql', fileName: 'a.sql' })).toBe('mysql');
  });
});
