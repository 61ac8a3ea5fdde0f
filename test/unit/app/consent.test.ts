// The one consent policy, decided purely: what runs, what asks (and how), for every face's kind of request.
import { describe, expect, it } from 'vitest';
import { decideAnalyze } from '../../../src/app/consent';
import { classifyStatement } from '../../../src/core/sql/classify';

const pg = (sql: string) => classifyStatement(sql, 'postgres');

describe('decideAnalyze: the editor setting', () => {
  it('never: always plain, with a note when the user wrote EXPLAIN ANALYZE', () => {
    expect(decideAnalyze(pg('SELECT 1'), 'postgres', { setting: 'never' })).toEqual({ action: 'plain' });
    const d = decideAnalyze(pg('EXPLAIN ANALYZE SELECT 1'), 'postgres', { setting: 'never' });
    expect(d.action).toBe('plain');
    expect(d.action === 'plain' && d.note).toMatch(/not executed/);
  });

  it('readsOnly: reads run without asking, writes always ask in a modal that names the reason', () => {
    expect(decideAnalyze(pg('SELECT 1'), 'postgres', { setting: 'readsOnly' })).toEqual({ action: 'analyze', consented: false });
    const d = decideAnalyze(pg('INSERT INTO t (a) VALUES (1)'), 'postgres', { setting: 'readsOnly' });
    expect(d.action).toBe('ask');
    if (d.action !== 'ask') return;
    expect(d.question.modal).toBe(true);
    expect(d.question.message).toMatch(/execute this INSERT statement and then roll it back/);
    expect(d.question.reasons).toEqual(['it changes data (the changes are rolled back)']);
    expect(d.question.detail).toMatch(/sequences/);
  });

  it('ask: reads ask without a modal, writes and row locks with one', () => {
    const read = decideAnalyze(pg('SELECT 1'), 'postgres', { setting: 'ask' });
    expect(read.action === 'ask' && read.question.modal).toBe(false);
    const write = decideAnalyze(pg('DELETE FROM t'), 'postgres', { setting: 'ask' });
    expect(write.action === 'ask' && write.question.modal).toBe(true);
    const lock = decideAnalyze(pg('SELECT * FROM t FOR UPDATE'), 'postgres', { setting: 'readsOnly' });
    expect(lock.action === 'ask' && lock.question.reasons).toEqual(['it takes row locks (released by the rollback)']);
  });

  it('readsOnly never runs a read with side effects on its own: the modal names each one', () => {
    const cases: [string, RegExp][] = [
      ['SELECT pg_terminate_backend(123)', /pg_terminate_backend\(\) acts immediately/],
      ['SELECT pg_cancel_backend(123)', /pg_cancel_backend\(\) acts immediately/],
      ["SELECT * FROM dblink('dbname=x', 'delete from t') AS r(a int)", /dblink\(\) runs SQL over a separate connection/],
      ["SELECT dblink_exec('dbname=x', 'delete from t')", /dblink_exec\(\)/],
      ['SELECT pg_advisory_lock(42)', /session-level advisory lock/],
      ["SELECT nextval('s')", /nextval\(\) advances a sequence/],
      ["SELECT setval('s', 10)", /setval\(\) changes a sequence/],
      ["SELECT lo_import('/etc/passwd')", /lo_import\(\) reads a file/],
      ["SELECT lo_export(1, '/tmp/x')", /lo_export\(\) writes a file/],
      ["SELECT pg_read_file('/etc/passwd')", /pg_read_file\(\) reads the database server's file system/],
      ["SELECT pg_read_binary_file('x')", /pg_read_binary_file/],
      ["SELECT * FROM pg_ls_dir('.')", /pg_ls_dir/],
      ["SELECT pg_stat_file('x')", /pg_stat_file/],
      ['SELECT pg_reload_conf()', /pg_reload_conf\(\) acts immediately/],
      ['SELECT pg_rotate_logfile()', /pg_rotate_logfile/],
      ["SELECT set_config('work_mem', '1GB', false)", /set_config\(…, false\) changes a setting for the rest of the session/],
      ['SELECT pg_catalog.pg_terminate_backend(1)', /pg_terminate_backend/],
      ['SELECT "pg_terminate_backend"(1)', /pg_terminate_backend/],
    ];
    for (const [sql, reason] of cases) {
      const d = decideAnalyze(pg(sql), 'postgres', { setting: 'readsOnly' });
      expect(d.action, sql).toBe('ask');
      if (d.action !== 'ask') continue;
      expect(d.question.modal, sql).toBe(true);
      expect(d.question.reasons.join('\n'), sql).toMatch(reason);
      expect(d.question.detail, sql).toMatch(reason);
    }
  });

  it('harmless look-alikes stay plain reads', () => {
    for (const sql of ["SELECT set_config('work_mem', '64MB', true)", 'SELECT pg_advisory_xact_lock(1)', "SELECT 'pg_terminate_backend(1)'", 'SELECT now(), count(*) FROM t']) {
      expect(decideAnalyze(pg(sql), 'postgres', { setting: 'readsOnly' }), sql).toEqual({ action: 'analyze', consented: false });
    }
  });

  it('SQLite never analyzes', () => {
    expect(decideAnalyze(classifyStatement('DELETE FROM t', 'sqlite'), 'sqlite', { setting: 'readsOnly' })).toEqual({ action: 'plain' });
  });
});

describe('decideAnalyze: an explicit request (CLI --analyze, a tool, MCP)', () => {
  it('a read runs, anything more asks unless consent was given up front', () => {
    expect(decideAnalyze(pg('SELECT 1'), 'postgres', { analyze: true })).toEqual({ action: 'analyze', consented: false });
    expect(decideAnalyze(pg('DELETE FROM t'), 'postgres', { analyze: true }).action).toBe('ask');
    expect(decideAnalyze(pg('DELETE FROM t'), 'postgres', { analyze: true }, true)).toEqual({ action: 'analyze', consented: true });
    expect(decideAnalyze(pg("SELECT pg_read_file('x')"), 'postgres', { analyze: true }, true)).toEqual({ action: 'analyze', consented: true });
    expect(decideAnalyze(pg('DELETE FROM t'), 'postgres', { analyze: false })).toEqual({ action: 'plain' });
  });
});
