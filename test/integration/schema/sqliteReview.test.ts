// SQLite schema rules on a real database file: triggering tables next to healthy ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/schema/catalog';
import type { Finding } from '../../../src/core/findings';
import { reviewCatalog } from '../../../src/core/schema/review';
import { introspectSqlite } from '../../../src/db/sqlite/catalog';
import { openWritableSqlite, type WritableSqlite } from '../../support/writableSqlite';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-schema-'));
const file = join(dir, 'review.db');
let db: WritableSqlite;
let catalog: Catalog;
let findings: Finding[];

const wide = Array.from({ length: 55 }, (_, k) => `c${k} TEXT`).join(', ');

beforeAll(() => {
  db = openWritableSqlite(file);
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total REAL NOT NULL);
    CREATE INDEX orders_customer_id_idx ON orders (customer_id);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE profile (id INTEGER PRIMARY KEY REFERENCES customers(id), bio TEXT NOT NULL);

    CREATE TABLE "event log" (at TEXT NOT NULL, message TEXT NOT NULL);
    CREATE TABLE lines (id INTEGER PRIMARY KEY, "Order Id" INTEGER NOT NULL REFERENCES orders(id), sku TEXT NOT NULL);
    CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers);
    CREATE INDEX notes_customer ON notes (customer_id);
    CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);
    CREATE INDEX tags_name_a ON tags (name);
    CREATE INDEX tags_name_b ON tags (name);
    CREATE INDEX tags_name_lower ON tags (lower(name));
    CREATE INDEX tags_name_lower2 ON tags (upper(name));
    CREATE INDEX tags_kind ON tags (kind);
    CREATE INDEX tags_kind_name ON tags (kind, name);
    CREATE TABLE wide_t (id INTEGER PRIMARY KEY, ${wide});
    INSERT INTO customers (name) VALUES ('a'), ('b');
    ANALYZE;
  `);
  catalog = introspectSqlite(db);
  findings = reviewCatalog(catalog);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const of = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.object);

describe('SQLite schema review on a real file', () => {
  it('introspects every user table with a constant number of queries', () => {
    expect(catalog.tables.map((t) => t.name).sort()).toEqual(['customers', 'event log', 'lines', 'notes', 'orders', 'profile', 'settings', 'tags', 'wide_t']);
    expect(catalog.queryCount).toBe(5); // tables, columns, indexes, foreign keys, sqlite_stat1
    expect(catalog.tables.find((t) => t.name === 'customers')!.rowEstimate).toBe(2);
    expect(catalog.tables.find((t) => t.name === 'settings')).toMatchObject({ withoutRowid: true, primaryKey: ['key'] });
    for (let k = 0; k < 30; k++) db.exec(`CREATE TABLE extra_${k} (id INTEGER PRIMARY KEY, c INTEGER REFERENCES customers); CREATE INDEX extra_${k}_c ON extra_${k} (c)`);
    const grown = introspectSqlite(db);
    expect(grown.tables).toHaveLength(catalog.tables.length + 30);
    expect(grown.queryCount).toBe(catalog.queryCount);
    for (let k = 0; k < 30; k++) db.exec(`DROP TABLE extra_${k}`);
  });

  it('healthy tables produce no warning or critical finding', () => {
    const healthy = ['customers', 'orders', 'settings', 'profile', 'orders_customer_id_idx'];
    expect(findings.filter((f) => healthy.includes(f.object ?? '') && f.severity !== 'info')).toEqual([]);
  });

  it('sqlite-no-primary-key: the rowid table without a key only', () => {
    expect(of('sqlite-no-primary-key')).toEqual(['"event log"']);
  });

  it('sqlite-fk-without-index: the unindexed key only, not the INTEGER PRIMARY KEY one', () => {
    const f = findings.find((x) => x.rule === 'sqlite-fk-without-index')!;
    expect(of('sqlite-fk-without-index')).toEqual(['lines']);
    expect(f.fix).toBe('CREATE INDEX "lines_Order Id_idx" ON lines ("Order Id");');
  });

  it('nullable-foreign-key, duplicate-index (never on unknown expressions), redundant-index and wide-table', () => {
    expect(of('nullable-foreign-key')).toEqual(['notes']);
    expect(of('duplicate-index')).toEqual(['tags_name_b']);
    expect(of('redundant-index')).toEqual(['tags_kind']);
    expect(of('wide-table')).toEqual(['wide_t']);
  });

  it('PostgreSQL-only rules stay silent', () => {
    for (const rule of ['no-primary-key', 'fk-without-index', 'timestamp-without-tz', 'varchar-length', 'unused-index', 'stale-statistics', 'int-key-overflow']) {
      expect(of(rule), rule).toEqual([]);
    }
  });

  it('every index fix runs on the database (then is rolled back)', () => {
    for (const f of findings.filter((x) => x.fix && !x.fix.includes('/*') && !x.fix.startsWith('--'))) {
      db.exec('BEGIN');
      try {
        db.exec(f.fix!);
      } finally {
        db.exec('ROLLBACK');
      }
    }
  });
});
