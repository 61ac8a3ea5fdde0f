// Proof on SQLite: the what-if on an in-memory copy, the advisor, and the comparison corpus on the read-only file —
// whose bytes never change.
import Sqlite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes, compareResults, whatIfIndex } from '../../../src/app/proof';
import { IndexBuildConsentRequiredError, RefusedStatementError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { corpus, corpusSetup, floatRows } from './compareCorpus';
import { recordingPort } from './proofSupport';
import { buildWorkers } from './workerSupport';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-proof-sqlite-'));
const file = join(dir, 'shop.db');
let db: Database;
let hash: string;

const fileHash = (): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const plain = { request: { analyze: false }, port: { withoutConsent: 'refuse' as const } };

function done<T>(run: { kind: 'done'; result: T } | { kind: 'declined'; reason: string }): T {
  if (run.kind !== 'done') throw new Error(`declined: ${run.reason}`);
  return run.result;
}

beforeAll(async () => {
  const workerDir = await buildWorkers();
  const w = new Sqlite(file);
  for (const sql of corpusSetup('')) w.exec(sql);
  w.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id int NOT NULL, kind text NOT NULL, at text NOT NULL)');
  const f = w.prepare('INSERT INTO floats VALUES (?, ?)');
  const big = w.prepare('INSERT INTO events VALUES (?, ?, ?, ?)');
  w.transaction(() => {
    for (const [id, x] of floatRows) f.run(id, x);
    for (let i = 1; i <= 50_000; i++) big.run(i, 1 + (i % 2000), ['view', 'cart', 'buy'][i % 3], `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  })();
  w.close();
  hash = fileHash();
  db = await openDatabase({ name: 'shop', driver: 'sqlite', file }, { limits: defaultSessionLimits, workerDir });
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what-if on SQLite (in-memory copy)', () => {
  it('compares the plans before and after, times a read on the copy, and leaves the file as it was', async () => {
    const index = 'CREATE INDEX events_customer_idx ON events (customer_id)';
    const r = done(await whatIfIndex(db, 'SELECT id, kind FROM events WHERE customer_id = 42', [index], { request: { analyze: true }, port: { withoutConsent: 'refuse' } }));
    expect(r.method).toBe('in-memory-copy');
    expect(r.before.cost).toBeNull();
    expect(r.analyzed).toBe(true);
    expect(r.before.timeMs).toBeGreaterThan(0);
    expect(r.after.timeMs).toBeLessThan(r.before.timeMs!);
    expect(r.usedIndexes).toEqual([index]);
    expect(r.summary).toMatch(/^verified on an in-memory copy of the database: SCAN events → SEARCH events USING INDEX events_customer_idx \(customer_id=\?\), [\d.,]+ m?s → [\d.,]+ m?s$/);
    expect(JSON.stringify(r.plans.before)).toMatch(/SCAN events/);
    expect(fileHash()).toBe(hash);
    // The index only ever existed in the copy.
    const again = done(await whatIfIndex(db, 'SELECT id FROM events WHERE customer_id = 7', ['CREATE INDEX other_idx ON events (kind)'], plain));
    expect(JSON.stringify(again.plans.before)).not.toMatch(/events_customer_idx/);
  });

  it('refuses a database larger than the cap unless confirmed again', async () => {
    const err = await whatIfIndex(db, 'SELECT * FROM events WHERE kind = ?', ['CREATE INDEX k ON events (kind)'], { ...plain, maxTableBytes: 4096 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexBuildConsentRequiredError);
    expect((err as IndexBuildConsentRequiredError).kind).toBe('copy');
    const port = recordingPort('analyze');
    const r = done(await whatIfIndex(db, 'SELECT * FROM events WHERE kind = ?', ['CREATE INDEX k ON events (kind)'], { request: { analyze: false }, port, maxTableBytes: 4096 }));
    expect(port.asked.map((q) => q.kind)).toEqual(['index-build-above-cap']);
    expect(r.usedIndexes).toHaveLength(1);
    expect(fileHash()).toBe(hash);
  });

  it('refuses index text that is not exactly one CREATE INDEX', async () => {
    for (const index of ['CREATE INDEX a ON events (kind); DROP TABLE events', 'DROP TABLE events', 'CREATE INDEX ON events (kind)']) {
      await expect(whatIfIndex(db, 'SELECT 1 FROM events', [index], plain), index).rejects.toBeInstanceOf(RefusedStatementError);
    }
    expect(fileHash()).toBe(hash);
  });

  it('the advisor finds and verifies an index for a full scan', async () => {
    const advice = done(await adviseIndexes(db, "SELECT e.id FROM events e WHERE e.kind = 'buy' AND e.customer_id = 42 ORDER BY e.at", { request: { analyze: true }, port: { withoutConsent: 'refuse' } }));
    expect(advice.best).toMatch(/^CREATE INDEX \S+ ON events \((kind, customer_id|customer_id, kind)/);
    expect(advice.finding!.fix).toMatch(/-- verified on an in-memory copy of the database: SCAN e/);
    expect(fileHash()).toBe(hash);
  });
});

describe('compare on SQLite: the corpus, on the read-only file', () => {
  for (const c of corpus('').filter((x) => !x.dialects || x.dialects.includes('sqlite'))) {
    it(c.name, async () => {
      const outcome = await compareResults(db, c.original, c.rewrite);
      const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
      expect(expected, `${outcome.verdict}: ${outcome.reason}`).toContain(outcome.verdict);
      c.check?.(outcome);
    });
  }

  it('SQLite volatility: random(), randomblob() and the current time are never compared', async () => {
    for (const sql of ['SELECT randomblob(4)', "SELECT datetime('now')", 'SELECT changes()']) {
      const o = await compareResults(db, sql, 'SELECT 1');
      expect(o.verdict, sql).toBe('cannot-verify');
    }
  });

  it('refuses anything but a read', async () => {
    await expect(compareResults(db, 'DELETE FROM orders', 'SELECT 1')).rejects.toBeInstanceOf(RefusedStatementError);
  });

  it('left the file byte for byte as it was', () => {
    expect(fileHash()).toBe(hash);
  });
});
