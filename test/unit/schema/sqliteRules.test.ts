import { describe, expect, it } from 'vitest';
import { reviewCatalog } from '../../../src/core/schema/review';
import { sqliteFkWithoutIndex } from '../../../src/core/schema/rules/fkWithoutIndex';
import { sqliteNoPrimaryKey } from '../../../src/core/schema/rules/sqliteNoPrimaryKey';
import { catalog, column, fk, index, pkIndex, table } from './catalogFixtures';

const sqlite = (tables: Parameters<typeof catalog>[0]) => catalog(tables, { dialect: 'sqlite', schemas: ['main'], statsAvailable: false, statsSince: null });
const t = (name: string, extra: Parameters<typeof table>[1] = {}) => table(name, { schema: 'main', rowEstimate: null, liveRows: null, totalBytes: null, lastAnalyzed: null, modificationsSinceAnalyze: null, indexes: [], columns: [column('id', 'INTEGER')], ...extra });

describe('sqlite-no-primary-key', () => {
  it('flags a rowid table without a primary key, with a rebuild script', () => {
    const [f] = sqliteNoPrimaryKey.check(sqlite([t('log entries', { primaryKey: null })]));
    expect(f).toMatchObject({ rule: 'sqlite-no-primary-key', severity: 'warning', object: '"log entries"' });
    expect(f!.fix).toContain('ALTER TABLE "log entries_new" RENAME TO "log entries";');
  });

  it('never flags WITHOUT ROWID tables or tables with a key', () => {
    expect(sqliteNoPrimaryKey.check(sqlite([t('w', { primaryKey: null, withoutRowid: true }), t('k')]))).toEqual([]);
  });
});

describe('sqlite-fk-without-index', () => {
  it('flags an unindexed key with a plain CREATE INDEX (SQLite has no CONCURRENTLY)', () => {
    const child = t('child', { columns: [column('id', 'INTEGER'), column('parent_id', 'INTEGER')], foreignKeys: [fk('child_fk0', ['parent_id'], 'parent')] });
    const [f] = sqliteFkWithoutIndex.check(sqlite([t('parent'), child]));
    expect(f).toMatchObject({ rule: 'sqlite-fk-without-index', severity: 'warning', object: 'child', fix: 'CREATE INDEX child_parent_id_idx ON child (parent_id);' });
  });

  it('counts an INTEGER PRIMARY KEY (the rowid) and ordinary indexes as covering', () => {
    const oneToOne = t('profile', { foreignKeys: [fk('p_fk0', ['id'], 'users')] });
    const indexed = t('child', { columns: [column('id', 'INTEGER'), column('parent_id', 'INTEGER')], foreignKeys: [fk('c_fk0', ['parent_id'], 'parent')], indexes: [index('child_parent', ['parent_id'])] });
    expect(sqliteFkWithoutIndex.check(sqlite([oneToOne, indexed]))).toEqual([]);
  });
});

describe('dialects', () => {
  it('runs only the rules of the catalog dialect', () => {
    const rules = new Set(reviewCatalog(sqlite([t('a', { primaryKey: null, columns: [column('x', 'timestamp without time zone'), column('y', 'character varying(5)')] })])).map((f) => f.rule));
    expect(rules).toEqual(new Set(['sqlite-no-primary-key']));
    const pgRules = new Set(reviewCatalog(catalog([table('a', { primaryKey: null, indexes: [pkIndex('a', ['id'])].slice(1) })])).map((f) => f.rule));
    expect(pgRules).toEqual(new Set(['no-primary-key']));
  });
});
