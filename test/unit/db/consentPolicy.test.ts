import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../../src/core/sql/classify';
import { decideAnalyze } from '../../../src/db/consentPolicy';

const pg = (sql: string) => classifyStatement(sql, 'postgres');

describe('decideAnalyze', () => {
  it('never: always plain, with a note when the user wrote EXPLAIN ANALYZE', () => {
    expect(decideAnalyze(pg('SELECT 1'), 'postgres', 'never')).toEqual({ action: 'plain' });
    const d = decideAnalyze(pg('EXPLAIN ANALYZE SELECT 1'), 'postgres', 'never');
    expect(d.action).toBe('plain');
    expect(d.action === 'plain' && d.note).toMatch(/not executed/);
  });

  it('readsOnly: reads run without asking, writes always ask with a modal', () => {
    expect(decideAnalyze(pg('SELECT 1'), 'postgres', 'readsOnly')).toEqual({ action: 'analyze' });
    const d = decideAnalyze(pg("INSERT INTO t (a) VALUES (1)"), 'postgres', 'readsOnly');
    expect(d.action).toBe('ask');
    if (d.action !== 'ask') return;
    expect(d.modal).toBe(true);
    expect(d.message).toMatch(/execute this INSERT statement and then roll it back/);
    expect(d.detail).toMatch(/sequences/);
  });

  it('ask: reads ask without a modal, writes with one', () => {
    const read = decideAnalyze(pg('SELECT 1'), 'postgres', 'ask');
    expect(read.action === 'ask' && read.modal).toBe(false);
    const write = decideAnalyze(pg('DELETE FROM t'), 'postgres', 'ask');
    expect(write.action === 'ask' && write.modal).toBe(true);
    const lock = decideAnalyze(pg('SELECT * FROM t FOR UPDATE'), 'postgres', 'readsOnly');
    expect(lock.action === 'ask' && lock.modal).toBe(true);
  });

  it('SQLite never analyzes', () => {
    expect(decideAnalyze(classifyStatement('DELETE FROM t', 'sqlite'), 'sqlite', 'readsOnly')).toEqual({ action: 'plain' });
  });
});
