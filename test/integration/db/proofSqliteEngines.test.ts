// Proof on SQLite through every engine that runs on this Node: each makes its own in-memory copy for a what-if
// (better-sqlite3 and node:sqlite 24 serialize, node:sqlite 22 VACUUM INTO a temporary file, sql.js copies the bytes it
// holds) and compares results on the read-only file. The file's bytes never change. CI runs this file on Node 20, 22
// and 24 (vitest.hosts.config.ts), so the node:sqlite paths run where better-sqlite3 cannot load.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, whatIfIndex } from '../../../src/app/proof';
import { SqliteDatabase } from '../../../src/db/sqlite/driver';
import type { SqliteEngineName } from '../../../src/db/sqlite/engine';
import { defaultSessionLimits } from '../../../src/db/types';
import { betterSqlite3Loads, nodeSqliteLoads, openWritableSqlite } from '../../support/writableSqlite';
import { buildWorkers } from './workerSupport';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-proof-engines-'));
const file = join(dir, 'shop.db');
let workerDir: string;
let hash: string;
const sha256 = (): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const engines: SqliteEngineName[] = [...(betterSqlite3Loads() ? (['better-sqlite3'] as const) : []), ...(nodeSqliteLoads() ? (['node:sqlite'] as const) : []), 'sql.js'];

beforeAll(async () => {
  workerDir = await buildWorkers();
  const w = openWritableSqlite(file);
  w.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, kind TEXT NOT NULL);
          INSERT INTO events (customer_id, kind)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
            SELECT i % 500, CASE WHEN i % 3 THEN 'view' ELSE 'buy' END FROM n;`);
  w.close();
  hash = sha256();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(engines)('proof on SQLite through %s', (engine) => {
  it('what-if: the index is used on the copy, and the file is unchanged', async () => {
    const db = new SqliteDatabase({ name: 'shop', driver: 'sqlite', file }, { limits: defaultSessionLimits, workerDir, engines: [engine] });
    try {
      const index = 'CREATE INDEX events_customer_idx ON events (customer_id)';
      const run = await whatIfIndex(db, 'SELECT id, kind FROM events WHERE customer_id = 42', [index], { request: { analyze: true }, port: { withoutConsent: 'refuse' } });
      expect(run.kind).toBe('done');
      if (run.kind !== 'done') return;
      expect(run.result.method).toBe('in-memory-copy');
      expect(run.result.usedIndexes).toEqual([index]);
      expect(JSON.stringify(run.result.plans.before)).toMatch(/SCAN events/);
      expect(JSON.stringify(run.result.plans.after)).toMatch(/events_customer_idx/);
      // A second what-if starts from the file again: the first index never reached it.
      const again = await whatIfIndex(db, 'SELECT id FROM events WHERE customer_id = 7', ['CREATE INDEX other_idx ON events (kind)'], { request: { analyze: false }, port: { withoutConsent: 'refuse' } });
      expect(again.kind === 'done' && JSON.stringify(again.result.plans.before)).not.toMatch(/events_customer_idx/);
      expect(sha256()).toBe(hash);
    } finally {
      await db.close();
    }
  });

  it('compare: an equal rewrite and a different one, on the read-only file', async () => {
    const db = new SqliteDatabase({ name: 'shop', driver: 'sqlite', file }, { limits: defaultSessionLimits, workerDir, engines: [engine] });
    try {
      const equal = await compareResults(db, "SELECT customer_id FROM events WHERE kind = 'buy'", "SELECT customer_id FROM events WHERE kind IN ('buy')");
      expect(equal.verdict, equal.reason).toBe('equal');
      const different = await compareResults(db, 'SELECT customer_id FROM events', 'SELECT DISTINCT customer_id FROM events');
      expect(different.verdict).toBe('different');
      expect(different.rows.original).toBe(5000);
      expect(sha256()).toBe(hash);
    } finally {
      await db.close();
    }
  });
});
