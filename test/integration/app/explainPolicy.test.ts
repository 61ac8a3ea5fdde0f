// The ANALYZE policy against real PostgreSQL: what runs, what asks, and that writes never run without consent.
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainWithPolicy } from '../../../src/app/explainPolicy';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';

const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_policy_${process.pid}_${Date.now().toString(36)}`;
let db: Database;
let pg: Client;
const signal = new AbortController().signal;

beforeAll(async () => {
  const { config, password } = parseConnectionUrl(pgUrl);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}) });
  pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  await pg.query(`create schema ${schema}; create table ${schema}.t (id int); insert into ${schema}.t values (1), (2)`);
});
afterAll(async () => {
  await pg?.query(`drop schema if exists ${schema} cascade`);
  await pg?.end();
  await db?.close();
});

const count = async () => ((await pg.query(`select count(*)::int as n from ${schema}.t`)).rows[0] as { n: number }).n;

describe('explainWithPolicy', () => {
  it('never: plain EXPLAIN, nothing asked', async () => {
    const asked: string[] = [];
    const r = await explainWithPolicy(db, `select * from ${schema}.t`, { mode: 'never', confirm: (q) => Promise.resolve(asked.push(q) > 0) }, signal);
    expect(r.analyzed).toBe(false);
    expect(asked).toEqual([]);
  });

  it('readsOnly: a read is analyzed without asking', async () => {
    const asked: string[] = [];
    const r = await explainWithPolicy(db, `select * from ${schema}.t`, { mode: 'readsOnly', confirm: (q) => Promise.resolve(asked.push(q) < 0) }, signal);
    expect(r.analyzed).toBe(true);
    expect(asked).toEqual([]);
  });

  it('ask: the answer decides; a declined question gives the plain plan', async () => {
    const yes = await explainWithPolicy(db, `select * from ${schema}.t`, { mode: 'ask', confirm: () => Promise.resolve(true) }, signal);
    const no = await explainWithPolicy(db, `select * from ${schema}.t`, { mode: 'ask', confirm: () => Promise.resolve(false) }, signal);
    expect([yes.analyzed, no.analyzed]).toEqual([true, false]);
  });

  it('readsOnly with a write asks, and a yes runs it inside a rolled-back transaction', async () => {
    const asked: string[] = [];
    const r = await explainWithPolicy(db, `delete from ${schema}.t`, { mode: 'readsOnly', confirm: (q) => Promise.resolve(asked.push(q) > 0) }, signal);
    expect(asked.length).toBe(1);
    expect(r.analyzed).toBe(true);
    expect(r.rolledBack).toBe(true);
    expect(await count()).toBe(2);
  });

  it('always without consent (CLI --analyze without --yes): a write falls back to the plain plan with a note', async () => {
    const notes: string[] = [];
    const r = await explainWithPolicy(db, `delete from ${schema}.t`, { mode: 'always', note: (t) => notes.push(t) }, signal);
    expect(r.analyzed).toBe(false);
    expect(notes[0]).toMatch(/needs explicit consent.*plain EXPLAIN/);
    expect(await count()).toBe(2);
  });
});
