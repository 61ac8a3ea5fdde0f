// Stopping a call reaches exactly that call's statement, on the real server: never a pooled backend that another
// call reused, never another call on the same connection.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExplainCancelledError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { editorDatabase } from '../../../src/vscode/editor/editorDatabase';
import { deadline, runningPid } from './faultSupport';
import { adminClient, testConfig, uniqueName, waitForNoActiveBackend } from './pgSupport';

const appName = uniqueName('dataeng_cancel');
const schema = uniqueName('dataeng_cancel');
let admin: pg.Client;
let db: Database;
const analyze = { analyze: true, consentToWrites: false } as const;

const running = (marker: string): Promise<number> => runningPid(admin, appName, marker);

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // Ignores pg_cancel_backend (it catches query_canceled), so only pg_terminate_backend stops it.
  await admin.query(`CREATE FUNCTION ${schema}.stubborn(seconds float) RETURNS int LANGUAGE plpgsql AS $$
    DECLARE until timestamptz := clock_timestamp() + make_interval(secs => seconds);
    BEGIN
      LOOP
        BEGIN
          PERFORM pg_sleep(0.05);
        EXCEPTION WHEN query_canceled THEN NULL;
        END;
        EXIT WHEN clock_timestamp() > until;
      END LOOP;
      RETURN 1;
    END $$`);
  const { config, password } = testConfig(appName);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}), env: {} });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

describe('PostgreSQL: a stop reaches only its own call', () => {
  it('a pooled backend that the next explain reused is not killed by the previous explain\'s stop', async () => {
    const controller = new AbortController();
    const first = db.explain('SELECT pg_sleep(10) AS m_first', { ...analyze, signal: controller.signal }).catch((e: unknown) => e);
    await running('m_first');
    controller.abort();
    expect(await deadline(first, 15_000, 'the stopped explain')).toBeInstanceOf(ExplainCancelledError);
    // Within the 2 s grace after that stop, the next explain runs on the pool for longer than the grace.
    const next = await deadline(db.explain('SELECT pg_sleep(3) AS m_next', analyze).catch((e: unknown) => e), 20_000, 'the next explain');
    expect(next).not.toBeInstanceOf(Error);
    expect((next as { analyzed: boolean }).analyzed).toBe(true);
  });

  it('Stop in one editor command leaves another explain on the same connection running to completion', async () => {
    const command = new AbortController();
    const fromEditor = editorDatabase(db, { signal: command.signal });
    const a = fromEditor.explain('SELECT pg_sleep(10) AS m_request_a', analyze).catch((e: unknown) => e);
    const b = db.explain('SELECT pg_sleep(2.5) AS m_request_b', analyze).catch((e: unknown) => e);
    await Promise.all([running('m_request_a'), running('m_request_b')]);
    command.abort();
    expect(await deadline(a, 15_000, 'request A')).toBeInstanceOf(ExplainCancelledError);
    const resultB = await deadline(b, 20_000, 'request B');
    expect(resultB).not.toBeInstanceOf(Error);
    expect((resultB as { analyzed: boolean; rolledBack: boolean }).rolledBack).toBe(true);
  });

  it('a statement that ignores the cancel is terminated — exactly its backend, while another call on the connection completes', async () => {
    const controller = new AbortController();
    // A volatile user function: consent is given, as the consent policy asks for it.
    const stubborn = db.explain(`SELECT ${schema}.stubborn(20) AS m_stubborn`, { analyze: true, consentToWrites: true, signal: controller.signal }).catch((e: unknown) => e);
    const other = db.explain('SELECT pg_sleep(4) AS m_bystander', analyze).catch((e: unknown) => e);
    const stubbornPid = await running('m_stubborn');
    const bystanderPid = await running('m_bystander');
    controller.abort();
    const err = await deadline(stubborn, 15_000, 'the stubborn explain');
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect((err as ExplainCancelledError).why).toBe('cancelled');
    const alive = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1)', [[stubbornPid, bystanderPid]]);
    expect(alive.rows.map((r) => r.pid)).not.toContain(stubbornPid);
    expect(await deadline(other, 20_000, 'the bystander')).toMatchObject({ analyzed: true, rolledBack: true });
    expect(await waitForNoActiveBackend(admin, appName)).toEqual([]);
  });

  it('Database.cancel() stops every call on the connection (its documented meaning)', async () => {
    const a = db.explain('SELECT pg_sleep(10) AS m_all_a', analyze).catch((e: unknown) => e);
    const b = db.explain('SELECT pg_sleep(10) AS m_all_b', analyze).catch((e: unknown) => e);
    await Promise.all([running('m_all_a'), running('m_all_b')]);
    await deadline(db.cancel(), 15_000, 'cancel()');
    expect(await a).toBeInstanceOf(ExplainCancelledError);
    expect(await b).toBeInstanceOf(ExplainCancelledError);
    expect((await db.explain('SELECT 1', analyze)).analyzed).toBe(true);
  });
});
