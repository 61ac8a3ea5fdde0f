// The database goes away and the product keeps its head: a clear message within the connect or statement timeout,
// nothing hangs, the next call on the same Database works, Stop always works, and `rolledBack` tells the truth.
// The shared server is never restarted: restarts run on a private cluster (privatePostgres.ts); a server that stalls
// or closes at a chosen moment is our own (fakePgServer.ts).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { ConnectionError, ExplainCancelledError, SessionEndedError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database, type ExplainResult } from '../../../src/db/types';
import { defaultAnswer, startFakePgServer, startStalledListener } from './fakePgServer';
import { deadline, runningPid, until } from './faultSupport';
import { adminClient, tableChecksum, testConfig, uniqueName, waitForNoActiveBackend } from './pgSupport';
import { startPrivatePostgres, type PrivatePostgres } from './privatePostgres';

const analyze = { analyze: true, consentToWrites: false } as const;
const settled = <T>(p: Promise<T>): Promise<T | Error> => p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));

describe('PostgreSQL: the backend killed during EXPLAIN ANALYZE (pg_terminate_backend from an admin session)', () => {
  const appName = uniqueName('dataeng_kill');
  const schema = uniqueName('dataeng_kill');
  let admin: pg.Client;
  let db: Database;

  beforeAll(async () => {
    admin = await adminClient();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, qty int NOT NULL)`);
    await admin.query(`INSERT INTO ${schema}.items SELECT g, g FROM generate_series(1, 400) g`);
    const { config, password } = testConfig(appName);
    db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}), env: {} });
  });

  afterAll(async () => {
    await db?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('says the session ended and the server aborted the transaction (rolledBack false); the data is unchanged; the next call works', { timeout: 60_000 }, async () => {
    const before = await tableChecksum(admin, `${schema}.items`);
    const write = settled(db.explain(`UPDATE ${schema}.items SET qty = qty + 1 WHERE pg_sleep(0.02) IS NOT NULL`, { analyze: true, consentToWrites: true }));
    const pid = await runningPid(admin, appName, `${schema}.items`);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const err = await deadline(write, 15_000, 'the killed explain');
    expect(err).toBeInstanceOf(SessionEndedError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as SessionEndedError).rolledBack).toBe(false);
    expect((err as Error).message).toMatch(/terminating connection due to administrator command/);
    expect((err as Error).message).toMatch(/server aborted the transaction: nothing was committed/);
    expect(await tableChecksum(admin, `${schema}.items`)).toBe(before);
    const next = await deadline(db.explain(`SELECT count(*) FROM ${schema}.items`, analyze), 15_000, 'the next explain');
    expect(next).toMatchObject({ analyzed: true, rolledBack: true });
    expect(await waitForNoActiveBackend(admin, appName)).toEqual([]);
  });
});

describe('PostgreSQL: the server restarted (a private cluster)', () => {
  let cluster: PrivatePostgres;
  let db: Database;

  beforeAll(async () => {
    cluster = await startPrivatePostgres();
    db = await openDatabase(cluster.config('private'), { limits: defaultSessionLimits, env: {} });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await cluster?.remove();
  });

  it('a restart between calls: the next call works on the same Database (pooled sessions are replaced)', async () => {
    expect((await db.explain('SELECT 1', analyze)).rolledBack).toBe(true);
    for (const mode of ['fast', 'immediate'] as const) {
      await cluster.restart(mode);
      expect(await deadline(db.explain('SELECT 1', analyze), 20_000, `the call after a ${mode} restart`)).toMatchObject({ analyzed: true, rolledBack: true });
      expect((await db.test()).version).toMatch(/PostgreSQL/);
    }
  }, 120_000);

  it('a restart during a statement: a clear error saying the server aborted the transaction, no crash, then the next call works', async () => {
    const inFlight = settled(db.explain('SELECT pg_sleep(20)', analyze));
    // The restart comes once the statement runs on the server.
    const watcher = new pg.Client({ connectionString: cluster.url, application_name: 'watcher' });
    await watcher.connect();
    try {
      await runningPid(watcher, 'dataeng', 'pg_sleep(20)');
    } finally {
      await watcher.end();
    }
    await cluster.restart('fast');
    const err = await deadline(inFlight, 20_000, 'the interrupted explain');
    expect(err).toBeInstanceOf(SessionEndedError);
    expect((err as SessionEndedError).rolledBack).toBe(false);
    expect((err as Error).message).toMatch(/server aborted the transaction/);
    expect(await deadline(db.explain('SELECT 1', analyze), 20_000, 'the next explain')).toMatchObject({ rolledBack: true });
  }, 120_000);

  it('a stopped server fails fast with host, port and cause; once it is back, the same Database works again', async () => {
    await cluster.stop('fast');
    const err = await deadline(settled(db.explain('SELECT 1', analyze)), 20_000, 'the call to a stopped server');
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain(`127.0.0.1:${cluster.port}`);
    await cluster.start();
    expect(await deadline(db.explain('SELECT 1', analyze), 20_000, 'the call after the start')).toMatchObject({ rolledBack: true });
  }, 120_000);
});

describe('PostgreSQL: a server that accepts TCP and never answers', () => {
  it('a clear message within the connect timeout', async () => {
    const stalled = await startStalledListener();
    const db = await openDatabase({ name: 'stalled', driver: 'postgres', host: '127.0.0.1', port: stalled.port, user: 'u', database: 'd' }, { limits: defaultSessionLimits, env: { PGCONNECT_TIMEOUT: '2' } });
    try {
      const err = await deadline(settled(db.test()), 30_000, 'test() against a stalled server');
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${stalled.port}: no answer within 2 s \\(connect timeout`));
    } finally {
      await deadline(db.close(), 10_000, 'close()');
      await stalled.close();
    }
  });

  it('Stop works while connecting, even with no connect timeout (PGCONNECT_TIMEOUT=0), and close() does not hang', { timeout: 60_000 }, async () => {
    const stalled = await startStalledListener();
    const db = await openDatabase({ name: 'stalled', driver: 'postgres', host: '127.0.0.1', port: stalled.port, user: 'u', database: 'd' }, { limits: defaultSessionLimits, env: { PGCONNECT_TIMEOUT: '0' } });
    try {
      const calls: ((signal: AbortSignal) => Promise<unknown>)[] = [
        (signal) => db.explain('SELECT 1', { ...analyze, signal }),
        (signal) => db.test(signal),
        (signal) => db.introspect({ signal }),
      ];
      for (const call of calls) {
        const controller = new AbortController();
        const accepted = stalled.accepted();
        const pending = settled(call(controller.signal));
        await until(() => stalled.accepted() > accepted || accepted > 0, 'the connection attempt');
        controller.abort();
        const err = await deadline(pending, 10_000, 'a call stopped while connecting');
        expect(err).toBeInstanceOf(ExplainCancelledError);
        expect((err as ExplainCancelledError).why).toBe('cancelled');
      }
    } finally {
      await deadline(db.close(), 10_000, 'close()');
      await stalled.close();
    }
  });
});

describe('PostgreSQL: a server that stops answering in the middle of a statement (our own server)', () => {
  it('the timeout still ends the call: cancel, terminate, then the session is closed; the next call works', { timeout: 60_000 }, async () => {
    const server = await startFakePgServer({ answer: (sql, session) => (/pg_sleep\(600\)/.test(sql) ? 'stall' : defaultAnswer(sql, session)) });
    const db = await openDatabase({ name: 'fake', driver: 'postgres', host: '127.0.0.1', port: server.port, user: 'u', database: 'd', ssl: 'disable' }, { limits: defaultSessionLimits, env: {} });
    try {
      const err = await deadline(settled(db.explain('SELECT pg_sleep(600)', { ...analyze, timeoutMs: 300 })), 30_000, 'a call to a server that stopped answering');
      expect(err).toBeInstanceOf(ExplainCancelledError);
      expect((err as ExplainCancelledError).why).toBe('timeout');
      expect((err as ExplainCancelledError).rolledBack).toBe(false);
      expect((err as Error).message).toMatch(/stopped by the timeout; the session ended before ROLLBACK could run, so the server aborted the transaction/);
      // The ladder ran: a cancel and a terminate of that session's backend, from side sessions.
      const sideStatements = server.sessions.flatMap((s) => s.statements).join('\n');
      expect(sideStatements).toMatch(/pg_cancel_backend/);
      expect(sideStatements).toMatch(/pg_terminate_backend/);
      expect(await deadline(db.explain('SELECT 1', analyze), 15_000, 'the next call')).toMatchObject({ rolledBack: true });
    } finally {
      await deadline(db.close(), 10_000, 'close()');
      await server.close();
    }
  });

  it('Stop ends such a call too', { timeout: 60_000 }, async () => {
    const server = await startFakePgServer({ answer: (sql, session) => (/pg_sleep\(600\)/.test(sql) ? 'stall' : defaultAnswer(sql, session)) });
    const db = await openDatabase({ name: 'fake', driver: 'postgres', host: '127.0.0.1', port: server.port, user: 'u', database: 'd', ssl: 'disable' }, { limits: defaultSessionLimits, env: {} });
    try {
      const controller = new AbortController();
      const pending = settled(db.explain('SELECT pg_sleep(600)', { ...analyze, signal: controller.signal }));
      await until(() => server.sessions.some((s) => s.statements.some((q) => q.includes('pg_sleep(600)'))), 'the statement to reach the server');
      controller.abort();
      const err = await deadline(pending, 30_000, 'a stopped call to a server that stopped answering');
      expect(err).toBeInstanceOf(ExplainCancelledError);
      expect((err as ExplainCancelledError).why).toBe('cancelled');
    } finally {
      await deadline(db.close(), 10_000, 'close()');
      await server.close();
    }
  });
});

describe('rolledBack tells the truth', () => {
  it('the session dies right at ROLLBACK after a successful EXPLAIN: rolledBack false, and a warning says the server aborted it', async () => {
    let closeAtRollback = true;
    const server = await startFakePgServer({
      answer: (sql, session) => {
        if (/^ROLLBACK/i.test(sql) && closeAtRollback) {
          closeAtRollback = false;
          return 'close';
        }
        return defaultAnswer(sql, session);
      },
    });
    const db = await openDatabase({ name: 'fake', driver: 'postgres', host: '127.0.0.1', port: server.port, user: 'u', database: 'd', ssl: 'disable' }, { limits: defaultSessionLimits, env: {} });
    try {
      const result: ExplainResult = await deadline(db.explain('SELECT 1', analyze), 15_000, 'the explain');
      expect(result.rolledBack).toBe(false);
      expect(result.warnings.join('\n')).toMatch(/ROLLBACK did not run: the session ended before ROLLBACK could run, so the server aborted the transaction: nothing was committed/);
      // The dead session was dropped; the next call gets a new one and rolls back normally.
      const next = await deadline(db.explain('SELECT 1', analyze), 15_000, 'the next explain');
      expect(next.rolledBack).toBe(true);
      expect(next.warnings.join('\n')).not.toMatch(/ROLLBACK did not run/);
    } finally {
      await deadline(db.close(), 10_000, 'close()');
      await server.close();
    }
  });

  it('the CLI prints the truth: rolledBack false with the warning, exit 0', async () => {
    const server = await startFakePgServer({ answer: (sql, session) => (/^ROLLBACK/i.test(sql) ? 'close' : defaultAnswer(sql, session)) });
    try {
      let out = '';
      let err = '';
      const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readFile: () => Promise.resolve(''), env: {}, cwd: process.cwd() };
      const code = await deadline(main(['explain', '--url', `postgres://u@127.0.0.1:${server.port}/d?sslmode=disable`, 'SELECT 1'], io), 30_000, 'dataeng explain');
      expect(err).toBe('');
      expect(code).toBe(0);
      const json = JSON.parse(out) as { rolledBack: boolean; warnings: string[] };
      expect(json.rolledBack).toBe(false);
      expect(json.warnings.join('\n')).toMatch(/the server aborted the transaction: nothing was committed/);
    } finally {
      await server.close();
    }
  });
});
