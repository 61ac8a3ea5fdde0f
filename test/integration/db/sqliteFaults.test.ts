// The SQLite worker thread under faults, through the public Database interface only: a stopped or terminated worker
// is replaced and the next call works; stopping one call leaves the others of the same database running.
import Sqlite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExplainCancelledError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { deadline } from './faultSupport';
import { buildWorkers } from './workerSupport';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-sqlite-faults-'));
const file = join(dir, 'shop.db');
let workerDir: string;
const plain = { analyze: false, consentToWrites: false } as const;
/** One turn of the event loop: the calls have reached the worker client, and a fresh worker cannot have answered yet. */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const settled = <T>(p: Promise<T>): Promise<T | Error> => p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));

async function open(): Promise<Database> {
  return openDatabase({ name: 'lite', driver: 'sqlite', file }, { limits: defaultSessionLimits, workerDir });
}

beforeAll(async () => {
  workerDir = await buildWorkers();
  const w = new Sqlite(file);
  w.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, country TEXT)');
  w.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite worker faults', () => {
  it('Database.cancel() terminates a busy worker; the next call on the same Database works', async () => {
    const db = await open();
    try {
      const pending = settled(db.explain('SELECT * FROM customers WHERE country = 1', plain));
      await tick();
      await db.cancel();
      expect(await deadline(pending, 10_000, 'the cancelled call')).toBeInstanceOf(ExplainCancelledError);
      expect(await deadline(db.explain('SELECT * FROM customers', plain), 10_000, 'the next call')).toMatchObject({ planFormat: 'sqlite-rows' });
    } finally {
      await db.close();
    }
  });

  it('a timeout terminates the worker and the next call works', async () => {
    const db = await open();
    try {
      // A fresh worker cannot start, load the native module and open the file within 1 ms.
      const err = await deadline(settled(db.explain('SELECT * FROM customers', { ...plain, timeoutMs: 1 })), 10_000, 'the timed-out call');
      expect(err).toBeInstanceOf(ExplainCancelledError);
      expect((err as ExplainCancelledError).why).toBe('timeout');
      expect(await deadline(db.explain('SELECT * FROM customers', plain), 10_000, 'the next call')).toMatchObject({ planFormat: 'sqlite-rows' });
    } finally {
      await db.close();
    }
  });

  it('Stop of the running call leaves the call queued behind it running to completion (on a fresh worker)', async () => {
    const db = await open();
    try {
      const controller = new AbortController();
      const a = settled(db.explain('SELECT * FROM customers WHERE id = 1', { ...plain, signal: controller.signal }));
      const b = settled(db.explain('SELECT email FROM customers', plain));
      await tick();
      controller.abort();
      expect(await deadline(a, 10_000, 'call A')).toBeInstanceOf(ExplainCancelledError);
      const resultB = await deadline(b, 10_000, 'call B');
      expect(resultB).not.toBeInstanceOf(Error);
      expect(resultB).toMatchObject({ planFormat: 'sqlite-rows', statement: 'SELECT email FROM customers' });
    } finally {
      await db.close();
    }
  });

  it('Stop of a queued call drops only that call; the one running is not interrupted', async () => {
    const db = await open();
    try {
      const controller = new AbortController();
      const a = settled(db.explain('SELECT * FROM customers WHERE id = 1', plain));
      const b = settled(db.explain('SELECT email FROM customers', { ...plain, signal: controller.signal }));
      await tick();
      controller.abort();
      expect(await deadline(b, 10_000, 'call B')).toBeInstanceOf(ExplainCancelledError);
      expect(await deadline(a, 10_000, 'call A')).toMatchObject({ planFormat: 'sqlite-rows' });
      expect(await deadline(db.explain('SELECT 1', plain), 10_000, 'the next call')).toMatchObject({ planFormat: 'sqlite-rows' });
    } finally {
      await db.close();
    }
  });
});
