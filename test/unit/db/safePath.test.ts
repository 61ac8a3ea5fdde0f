import { describe, expect, it } from 'vitest';
import { ConsentRequiredError, RefusedStatementError } from '../../../src/db/errors';
import { planSafeExplain, postgresExplainSql } from '../../../src/db/safePath';

const plain = { analyze: false, consentToWrites: false };
const analyze = { analyze: true, consentToWrites: false };
const consented = { analyze: true, consentToWrites: true };

describe('planSafeExplain', () => {
  it('runs every plain EXPLAIN, and ANALYZE of a read, in a READ ONLY transaction', () => {
    expect(planSafeExplain('DELETE FROM t', 'postgres', plain).readOnly).toBe(true);
    expect(planSafeExplain('SELECT 1', 'postgres', plain).readOnly).toBe(true);
    expect(planSafeExplain('SELECT 1', 'postgres', analyze).readOnly).toBe(true);
    expect(planSafeExplain('DELETE FROM t', 'postgres', consented).readOnly).toBe(false);
  });

  it('needs consent for writes and row locks under ANALYZE', () => {
    expect(() => planSafeExplain('UPDATE t SET a = 1', 'postgres', analyze)).toThrow(ConsentRequiredError);
    expect(() => planSafeExplain('SELECT * FROM t FOR UPDATE', 'postgres', analyze)).toThrow(ConsentRequiredError);
    expect(() => planSafeExplain('EXPLAIN ANALYZE DELETE FROM t', 'postgres', analyze)).toThrow(ConsentRequiredError);
  });

  it('refuses what the classifier refuses, and ANALYZE with bind parameters', () => {
    expect(() => planSafeExplain('SELECT 1; SELECT 2', 'postgres', plain)).toThrow(RefusedStatementError);
    expect(() => planSafeExplain('SELECT * FROM t WHERE id = $1', 'postgres', analyze)).toThrow(/bind parameters/);
  });

  it('SQLite: analyze becomes a warning, never an execution', () => {
    const s = planSafeExplain('DELETE FROM t', 'sqlite', consented);
    expect(s.analyze).toBe(false);
    expect(s.warnings.join('\n')).toMatch(/SQLite has no EXPLAIN ANALYZE/);
  });
});

describe('postgresExplainSql', () => {
  it('builds one EXPLAIN with JSON, and never double-prefixes a user EXPLAIN', () => {
    const s = planSafeExplain('EXPLAIN (ANALYZE, VERBOSE, FORMAT TEXT) DELETE FROM t', 'postgres', consented);
    const { sql, prefixLength } = postgresExplainSql(s, 150000);
    expect(sql).toBe('EXPLAIN (ANALYZE, BUFFERS, VERBOSE, SETTINGS, WAL, FORMAT JSON) DELETE FROM t');
    expect(sql.slice(prefixLength)).toBe('DELETE FROM t');
    expect(sql.match(/EXPLAIN/g)).toHaveLength(1);
  });

  it('leaves out options the server version lacks', () => {
    expect(postgresExplainSql(planSafeExplain('SELECT 1', 'postgres', plain), 110000).sql).toBe('EXPLAIN (FORMAT JSON) SELECT 1');
  });

  it('plans a $n statement by PREPARE + EXPLAIN EXECUTE with NULLs (generic plan), refused before 12', () => {
    const p = planSafeExplain('SELECT * FROM t WHERE a = $2 AND b = $1', 'postgres', plain);
    const built = postgresExplainSql(p, 150000);
    expect(built.prepare?.sql).toBe('PREPARE dataeng_generic_plan AS SELECT * FROM t WHERE a = $2 AND b = $1');
    expect(built.sql).toBe('EXPLAIN (SETTINGS, FORMAT JSON) EXECUTE dataeng_generic_plan(NULL, NULL)');
    expect(() => postgresExplainSql(p, 110000)).toThrow(/before 12/);
  });
});
