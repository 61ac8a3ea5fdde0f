// The one consent policy against the real PostgreSQL server: what runs, what asks, what is refused, and that a
// statement with side effects a rollback does not undo never runs without consent that names them, and leaves the
// pooled session as clean as a new one when it does run.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainWithConsent, type ConsentQuestion } from '../../../src/app/consent';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { ConsentRequiredError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { adminClient, pgUrl, scalar, testConfig, uniqueName } from '../db/pgSupport';

const schema = uniqueName('dataeng_consent');
const appName = uniqueName('dataeng_consent_app');
let db: Database;
let admin: pg.Client;

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.t (id int)`);
  await admin.query(`INSERT INTO ${schema}.t VALUES (1), (2)`);
  // A user function whose effect escapes the rollback: the classifier cannot know it, the catalog can.
  await admin.query(`CREATE FUNCTION ${schema}.grab() RETURNS int VOLATILE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_lock(4242); RETURN 1; END $$`);
  await admin.query(`CREATE FUNCTION ${schema}.pure(x int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT x + 1'`);
  const { config, password } = testConfig(appName);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}), env: {} });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

const count = async () => scalar<number>(admin, `SELECT count(*)::int FROM ${schema}.t`);
/** Advisory locks held by our own sessions (application_name), which a rollback does not release. */
const ourAdvisoryLocks = async () =>
  scalar<number>(
    admin,
    `SELECT count(*)::int FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND a.application_name = $1`,
    [appName],
  );

function asker(answer: 'analyze' | 'plain' | 'dismissed') {
  const asked: ConsentQuestion[] = [];
  return { asked, ask: (q: ConsentQuestion) => Promise.resolve((asked.push(q), answer)) };
}

describe('explainWithConsent: the editor setting', () => {
  it('never: plain EXPLAIN, nothing asked', async () => {
    const a = asker('analyze');
    const o = await explainWithConsent(db, `select * from ${schema}.t`, { setting: 'never' }, { ask: a.ask, withoutConsent: 'plain' });
    expect(o.kind === 'explained' && o.result.analyzed).toBe(false);
    expect(a.asked).toEqual([]);
  });

  it('readsOnly: a read is analyzed without asking', async () => {
    const a = asker('plain');
    const o = await explainWithConsent(db, `select * from ${schema}.t`, { setting: 'readsOnly' }, { ask: a.ask, withoutConsent: 'plain' });
    expect(o.kind === 'explained' && o.result.analyzed).toBe(true);
    expect(a.asked).toEqual([]);
  });

  it('ask: the answer decides; a dismissed question runs nothing', async () => {
    const yes = await explainWithConsent(db, `select * from ${schema}.t`, { setting: 'ask' }, { ask: asker('analyze').ask, withoutConsent: 'plain' });
    const no = await explainWithConsent(db, `select * from ${schema}.t`, { setting: 'ask' }, { ask: asker('plain').ask, withoutConsent: 'plain' });
    const gone = await explainWithConsent(db, `select * from ${schema}.t`, { setting: 'ask' }, { ask: asker('dismissed').ask, withoutConsent: 'plain' });
    expect([yes.kind === 'explained' && yes.result.analyzed, no.kind === 'explained' && no.result.analyzed, gone.kind]).toEqual([true, false, 'declined']);
  });

  it('readsOnly with a write asks in a modal, and a yes runs it inside a rolled-back transaction', async () => {
    const a = asker('analyze');
    const o = await explainWithConsent(db, `delete from ${schema}.t`, { setting: 'readsOnly' }, { ask: a.ask, withoutConsent: 'plain' });
    expect(a.asked.map((q) => q.modal)).toEqual([true]);
    expect(o.kind === 'explained' && o.result.analyzed && o.result.rolledBack).toBe(true);
    expect(await count()).toBe(2);
  });
});

describe('explainWithConsent: side effects a rollback does not undo', () => {
  it('a session advisory lock is refused without consent, and nothing runs', async () => {
    const err = await explainWithConsent(db, 'SELECT pg_advisory_lock(4242)', { analyze: true }, { withoutConsent: 'refuse' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsentRequiredError);
    expect((err as Error).message).toMatch(/session-level advisory lock/);
    expect(await ourAdvisoryLocks()).toBe(0);
  });

  it('with consent it runs, and the pooled session is left clean: no advisory lock, no session setting', async () => {
    const o = await explainWithConsent(db, "SELECT pg_advisory_lock(4242), set_config('work_mem', '77MB', false)", { analyze: true }, { preApproved: true, withoutConsent: 'refuse' });
    expect(o.kind === 'explained' && o.result.analyzed).toBe(true);
    expect(o.kind === 'explained' && o.result.warnings.join('\n')).toMatch(/advisory lock/);
    expect(await ourAdvisoryLocks()).toBe(0);
    // The pool hands back the most recently released session first: none of them may still carry work_mem = 77MB,
    // which EXPLAIN (SETTINGS) would list as a changed planner setting.
    for (let i = 0; i < 4; i++) {
      const plain = await db.explain('SELECT 1', { analyze: false, consentToWrites: false });
      expect(JSON.stringify(plain.plan)).not.toMatch(/77MB/);
    }
  });

  it('the editor asks in a modal that names the reason; "plain" explains without running it', async () => {
    const a = asker('plain');
    const o = await explainWithConsent(db, 'SELECT pg_terminate_backend(pg_backend_pid())', { setting: 'readsOnly' }, { ask: a.ask, withoutConsent: 'plain' });
    expect(a.asked).toHaveLength(1);
    expect(a.asked[0]!.modal).toBe(true);
    expect(a.asked[0]!.detail).toMatch(/pg_terminate_backend\(\) acts immediately/);
    expect(o.kind === 'explained' && o.result.analyzed).toBe(false);
  });

  it('a volatile user function is found in the catalog and needs the same consent, naming it', async () => {
    const refused = await explainWithConsent(db, `SELECT ${schema}.grab()`, { analyze: true }, { withoutConsent: 'refuse' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConsentRequiredError);
    expect((refused as Error).message).toContain(`${schema}.grab() is a VOLATILE user function`);
    expect(await ourAdvisoryLocks()).toBe(0);

    const a = asker('analyze');
    const o = await explainWithConsent(db, `SELECT ${schema}.grab()`, { setting: 'readsOnly' }, { ask: a.ask, withoutConsent: 'plain' });
    expect(a.asked.map((q) => q.modal)).toEqual([true]);
    expect(a.asked[0]!.reasons.join('\n')).toContain(`${schema}.grab()`);
    expect(o.kind === 'explained' && o.result.analyzed).toBe(true);
    expect(await ourAdvisoryLocks()).toBe(0);
  });

  it('immutable user functions and plain EXPLAIN need no consent', async () => {
    const o = await explainWithConsent(db, `SELECT ${schema}.pure(id) FROM ${schema}.t`, { analyze: true }, { withoutConsent: 'refuse' });
    expect(o.kind === 'explained' && o.result.analyzed).toBe(true);
    const plain = await explainWithConsent(db, 'SELECT pg_terminate_backend(1)', { analyze: false }, { withoutConsent: 'refuse' });
    expect(plain.kind === 'explained' && plain.result.analyzed).toBe(false);
  });

  it('without anyone to ask and "plain", a write falls back to the estimated plan with a note naming the reason', async () => {
    const o = await explainWithConsent(db, `delete from ${schema}.t`, { analyze: true }, { withoutConsent: 'plain' });
    expect(o.kind === 'explained' && o.result.analyzed).toBe(false);
    expect(o.kind === 'explained' && o.result.warnings[0]).toMatch(/Consent to execute the statement was not given.*changes data/);
    expect(await count()).toBe(2);
  });
});

describe('dataeng explain --analyze: side effects need --yes', () => {
  async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readFile: () => Promise.reject(new Error('no files')), env: {}, cwd: process.cwd() };
    return { code: await main(['explain', ...argv], io), out, err };
  }

  it('pg_terminate_backend: exit 3 with the reason, and the victim session survives', async () => {
    const victim = await adminClient();
    try {
      const pid = await scalar<number>(victim, 'SELECT pg_backend_pid()');
      const r = await cli(['--url', pgUrl, '--analyze', `SELECT pg_terminate_backend(${pid})`]);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/refused: .*pg_terminate_backend\(\) acts immediately.*needs --yes/);
      expect(await scalar<number>(victim, 'SELECT 1')).toBe(1);
    } finally {
      await victim.end();
    }
  });

  it('a volatile user function found on the server: exit 3 naming it', async () => {
    const r = await cli(['--url', pgUrl, '--analyze', `SELECT ${schema}.grab()`]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${schema}.grab() is a VOLATILE user function`);
  });
});
