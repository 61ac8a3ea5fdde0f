// The one dialect decision: explicit, then the connection's driver, then the file name, then PostgreSQL.
import { describe, expect, it } from 'vitest';
import { dialectOfDriver, dialectOfFileName, inferDialect } from '../../../src/core/sql/dialect';

describe('inferDialect', () => {
  it('an explicit dialect always wins', () => {
    expect(inferDialect({ explicit: 'sqlite', driver: 'postgres', fileName: 'a.pgsql' })).toBe('sqlite');
    expect(inferDialect({ explicit: 'postgres', fileName: 'a.sqlite' })).toBe('postgres');
  });

  it('the connection the SQL runs on beats the file name', () => {
    expect(inferDialect({ driver: 'sqlite', fileName: 'queries.sql' })).toBe('sqlite');
    expect(inferDialect({ driver: 'demo', fileName: 'queries.sqlite' })).toBe('postgres');
  });

  it('without a connection the extension decides, and anything else is PostgreSQL', () => {
    for (const name of ['x.sqlite', 'X.SQLITE3', '/a/b.db3', 'c:\\w\\app.db']) expect(inferDialect({ fileName: name })).toBe('sqlite');
    for (const name of ['x.sql', 'x.pgsql', 'x.psql', 'notes.txt', 'sqlite']) expect(inferDialect({ fileName: name })).toBe('postgres');
    expect(inferDialect({})).toBe('postgres');
  });

  it('an unknown driver falls through to the file name', () => {
    expect(dialectOfDriver('oracle')).toBeUndefined();
    expect(inferDialect({ driver: 'oracle', fileName: 'a.sqlite' })).toBe('sqlite');
    expect(dialectOfFileName('a.sql')).toBeUndefined();
  });
});
