// The proof card and what decides which blocks of an answer get Verify rewrite or Try index.
import { describe, expect, it } from 'vitest';
import { indexCard, planMethod, proofActionFor, proofEvidence, rewriteCard, sqlCodeBlocks, stoppedCard } from '../../../src/core/proof/card';
import type { CompareOutcome } from '../../../src/core/proof/compare';

const outcome = (extra: Partial<CompareOutcome>): CompareOutcome => ({
  verdict: 'equal',
  rows: { original: 12345, rewrite: 12345 },
  onlyInOriginal: 0,
  onlyInRewrite: 0,
  orderMatches: null,
  reason: 'Equal on this database (12,345 rows); this is evidence for this data, not a proof for all data.',
  samples: { onlyInOriginal: [], onlyInRewrite: [] },
  columns: { original: [], rewrite: [] },
  warnings: [],
  ...extra,
});

describe('proofActionFor', () => {
  it('a read is a rewrite to verify, a CREATE INDEX an index to try, anything else nothing', () => {
    expect(proofActionFor('SELECT 1;\n')).toBe('verifyRewrite');
    expect(proofActionFor('-- faster:\nWITH x AS (SELECT 1) SELECT * FROM x')).toBe('verifyRewrite');
    expect(proofActionFor('CREATE UNIQUE INDEX CONCURRENTLY i ON t (a);')).toBe('tryIndex');
    for (const code of ['UPDATE t SET a = 1', 'CREATE TABLE t (a int)', 'SELECT 1; SELECT 2', 'VACUUM t', "SELECT 'x", '', 'EXPLAIN SELECT 1']) {
      expect(proofActionFor(code), code).toBeNull();
    }
  });
});

describe('sqlCodeBlocks', () => {
  it('finds fenced SQL blocks (or unlabelled ones), not other languages', () => {
    const md = ['Text', '```sql', 'SELECT 1', '```', '```python', 'print(1)', '```', '~~~', 'CREATE INDEX ON t (a);', '~~~', '````pgsql', 'SELECT 2', '```', '````'].join('\n');
    expect(sqlCodeBlocks(md)).toEqual(['SELECT 1', 'CREATE INDEX ON t (a);', 'SELECT 2\n```']);
  });
});

describe('cards', () => {
  it('a rewrite: rows equal ✓ with the count, the plans\' cost and time, diff available', () => {
    const c = rewriteCard('p1', outcome({}), { analyzed: true, before: { cost: 1453, timeMs: 24 }, after: { cost: 83.3, timeMs: 0.14 }, savedPct: 94.3, timeSavedPct: 99.4 });
    expect([c.title, c.tone, c.rows, c.cost, c.time, c.canShowDiff]).toEqual(['Rewrite returns the same rows ✓', 'good', 'rows equal ✓ (12,345)', 'cost 1,453 → 83.3 (−94.3%)', '24 ms → 0.14 ms', true]);
    expect(c.notes[0]).toMatch(/not a proof for all data/);
  });

  it('says how the plans were measured on each engine, never PostgreSQL\'s method elsewhere', () => {
    const plans = { before: { cost: 10, timeMs: 2 }, after: { cost: 5, timeMs: 1 }, savedPct: 50, timeSavedPct: 50 };
    expect(rewriteCard('m1', outcome({}), { ...plans, analyzed: true }).method).toBe('EXPLAIN ANALYZE of both, rolled back');
    expect(rewriteCard('m2', outcome({}), { ...plans, analyzed: true, dialect: 'postgres', rolledBack: true }).method).toBe('EXPLAIN ANALYZE of both, rolled back');
    const duck = rewriteCard('m3', outcome({}), { ...plans, analyzed: true, dialect: 'duckdb', rolledBack: false }).method!;
    expect(duck).toMatch(/^EXPLAIN ANALYZE of both \(DuckDB's profiler; .*nothing to roll back\)$/);
    expect(duck).not.toMatch(/, rolled back/);
    expect(planMethod({ analyzed: false, dialect: 'duckdb' })).toBe("EXPLAIN of both (DuckDB's estimated plan; nothing ran)");
    expect(planMethod({ analyzed: true, dialect: 'mysql', rolledBack: true })).toBe('both executed with ANALYZE (MariaDB) or EXPLAIN ANALYZE (MySQL), each in a transaction that was rolled back');
    expect(planMethod({ analyzed: false, dialect: 'mysql', rolledBack: true })).toMatch(/^EXPLAIN FORMAT=JSON of both/);
    expect(planMethod({ analyzed: false, dialect: 'sqlite', rolledBack: false })).toBe('EXPLAIN QUERY PLAN of both (no costs; nothing ran)');
  });

  it('a rewrite that differs: ✗ with counts, samples kept locally; the model gets the counts only', () => {
    const c = rewriteCard('p2', outcome({ verdict: 'different', rows: { original: 10, rewrite: 12 }, onlyInOriginal: 1, onlyInRewrite: 3, reason: 'The results differ.', samples: { onlyInOriginal: [['secret']], onlyInRewrite: [] } }), null);
    expect([c.title, c.tone, c.rows]).toEqual(['Rewrite returns different rows ✗', 'bad', 'rows different ✗: 1 only in the original, 3 only in the rewrite']);
    expect(c.samples?.onlyInOriginal).toEqual([['secret']]);
    expect(proofEvidence('SELECT  a\nFROM t', c)).toBe('Rewrite: Rewrite returns different rows — rows different ✗: 1 only in the original, 3 only in the rewrite.\n  The results differ.\n  SQL: SELECT a FROM t');
  });

  it('an index: used and cheaper ✓, or not used ✗', () => {
    const base = { method: 'hypopg' as const, before: { cost: 18334 }, after: { cost: 12.4 }, savedPct: 99.9, timeSavedPct: null, usedIndexes: ['CREATE INDEX ON t (a)'], warnings: ['w'] };
    const used = indexCard('p3', base);
    expect([used.title, used.tone, used.cost, used.method]).toEqual(['Index used: cost −99.9% ✓', 'good', 'cost 18,334 → 12.4 (−99.9%)', 'HypoPG (estimated costs; nothing was built)']);
    const unused = indexCard('p4', { ...base, usedIndexes: [], after: { cost: 18334 }, savedPct: 0 });
    expect([unused.title, unused.tone]).toEqual(['Index not used by the planner ✗', 'bad']);
    expect(stoppedCard('p5', 'index', 'declined', 'why').title).toBe('Index not tested');
  });
});
