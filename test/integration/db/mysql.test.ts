// The MySQL/MariaDB driver against the live MariaDB server (and MySQL when DATAENG_TEST_MYSQL_URL is set): the safe
// path, the hostile suite, plans into the model, cancel and timeout, catalog and result comparison.
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { reviewCatalog } from '../../../src/core/schema/review';
import { ConsentRequiredError, ExplainCancelledError, RefusedStatementError, StatementError } from '../../../src/db/errors';
import { MysqlDatabase } from '../../../src/db/mysql/driver';
import { defaultSessionLimits } from '../../../src/db/types';
import { adminConnection, databaseChecksum, ensureSeeded, mariadbUrl, mysqlUrl, testConfig } from './mysqlSupport';

const servers: [string, string][] = [['MariaDB', mariadbUrl]];
if (mysqlUrl) servers.push(['MySQL', mysqlUrl]);

describe.each(servers)('%s', (label, url) => {
  let db: MysqlDatabase;
  let admin: Connection;
  const plain = { analyze: false, consentToWrites: false };
  const analyze = { analyze: true, consentToWrites: false };
  const consented = { analyze: true, consentToWrites: true };

  beforeAll(async () => {
    await ensureSeeded(url);
    const { config, password } = testConfig(url);
    db = new MysqlDatabase(config, { limits: defaultSessionLimits, ...(password !== undefined ? { password } : {}), optionFile: null });
    admin = await adminConnection(url);
  });
  afterAll(async () => {
    await db.close();
    await admin.end();
  });

  it('tests the connection and reports the server', async () => {
    const info = await db.test();
    expect(info.dialect).toBe('mysql');
    expect(info.database).toBe('dataeng_test');
    expect(db.flavor).toBe(label === 'MariaDB' ? 'mariadb' : 'mysql');
  });

  it('explains without executing, and the plan reads into the model with findings', async () => {
    const r = await db.explain("SELECT * FROM orders WHERE note = 'gift' ORDER BY total", plain);
    expect(r.analyzed).toBe(false);
    expect(r.rolledBack).toBe(true);
    expect(r.planFormat).toBe('mysql-json');
    const plan = parsePlan(r.plan, { dialect: 'mysql' });
    expect(plan.nodeCount).toBeGreaterThan(1);
    expect(analyzePlan(plan).map((f) => f.rule)).toContain('mysql-filesort');
  });

  it('analyzes a read inside READ ONLY … ROLLBACK, with actual rows and times', async () => {
    const r = await db.explain("SELECT * FROM orders WHERE note = 'gift' AND total > 100", analyze);
    expect(r.analyzed).toBe(true);
    expect(r.rolledBack).toBe(true);
    const plan = parsePlan(r.plan, { dialect: 'mysql' });
    expect(plan.analyzed).toBe(true);
    expect(analyzePlan(plan).map((f) => f.rule)).toContain('mysql-full-scan');
  });

  describe('the hostile suite: refused or rolled back, the data byte for byte the same', () => {
    let before: string;
    beforeAll(async () => {
      before = await databaseChecksum(admin);
    });
    afterAll(async () => {
      expect(await databaseChecksum(admin)).toBe(before);
    });

    it.each([
      ['two statements', 'SELECT 1; DELETE FROM orders'],
      ['a COMMIT after a write', 'DELETE FROM orders; COMMIT'],
      ['a COMMIT trick in a comment-looking string', "UPDATE orders SET note = 'x' WHERE id = 1; COMMIT; -- '"],
      ['a # comment hiding nothing: still two', 'SELECT 1 # ;\n; DROP TABLE events'],
      ['DDL', 'DROP TABLE events'],
      ['DDL behind EXPLAIN', 'EXPLAIN DROP TABLE events'],
      ['CREATE TABLE … AS', 'CREATE TABLE evil AS SELECT * FROM orders'],
      ['TRUNCATE', 'TRUNCATE TABLE events'],
      ['INTO OUTFILE', "SELECT * FROM orders INTO OUTFILE '/tmp/dataeng_evil.csv'"],
      ['INTO DUMPFILE', "SELECT note INTO DUMPFILE '/tmp/dataeng_evil.bin' FROM orders LIMIT 1"],
      ['LOAD DATA', "LOAD DATA INFILE '/etc/passwd' INTO TABLE events"],
      ['an executable comment', 'SELECT 1 /*!50000 , SLEEP(5) */'],
      ['COMMIT alone', 'COMMIT'],
      ['SET autocommit', 'SET autocommit = 1'],
      ['LOCK TABLES', 'LOCK TABLES orders WRITE'],
      ['a procedure call', 'CALL mysql.some_proc()'],
    ])('refuses %s before anything reaches the server', async (_name, sql) => {
      for (const options of [plain, consented]) {
        await expect(db.explain(sql, options)).rejects.toBeInstanceOf(RefusedStatementError);
      }
    });

    it('a write under ANALYZE needs consent, and with it is executed and rolled back', async () => {
      await expect(db.explain("UPDATE orders SET note = 'changed' WHERE id <= 100", analyze)).rejects.toBeInstanceOf(ConsentRequiredError);
      const r = await db.explain("UPDATE orders SET note = 'changed' WHERE id <= 100", consented);
      expect(r.analyzed).toBe(true);
      expect(r.rolledBack).toBe(true);
      const [rows] = await admin.query("SELECT COUNT(*) AS n FROM orders WHERE note = 'changed'");
      expect(Number((rows as { n: number }[])[0]!.n)).toBe(0);
      const ins = await db.explain("INSERT INTO events (kind, payload, at) VALUES ('evil', 'x', NOW())", consented);
      expect(ins.rolledBack).toBe(true);
      expect(ins.warnings.join(' ')).toMatch(/AUTO_INCREMENT/);
      await db.explain('DELETE FROM order_items WHERE qty > 2', consented);
    });

    it('an executed write is refused when it names a table without transactions (MyISAM) or a view, even with consent', async () => {
      await expect(db.explain("UPDATE legacy_log SET msg = 'changed'", consented)).rejects.toThrow(/legacy_log \(MyISAM\)/);
      await expect(db.explain("INSERT INTO events (kind) SELECT msg FROM `legacy_log`", consented)).rejects.toBeInstanceOf(RefusedStatementError);
      // A plain EXPLAIN of it executes nothing and stays possible.
      expect((await db.explain("UPDATE legacy_log SET msg = 'changed'", plain)).analyzed).toBe(false);
    });

    it('a user-written ANALYZE is never passed through: without a request to analyze it is a plain EXPLAIN', async () => {
      const r = await db.explain('ANALYZE DELETE FROM orders', plain);
      expect(r.analyzed).toBe(false);
      expect(r.warnings.join(' ')).toMatch(/estimated plan only/);
    });

    it('functions whose effects survive the rollback need consent (GET_LOCK), and the session reset releases the lock', async () => {
      await expect(db.explain("SELECT GET_LOCK('dataeng_test_lock', 0)", analyze)).rejects.toBeInstanceOf(ConsentRequiredError);
      await db.explain("SELECT GET_LOCK('dataeng_test_lock', 0)", consented);
      const [rows] = await admin.query("SELECT IS_FREE_LOCK('dataeng_test_lock') AS f");
      expect(Number((rows as { f: number }[])[0]!.f)).toBe(1);
    });

    it('a write classified as a read is stopped by READ ONLY (a stored function that writes)', async () => {
      await admin.query('DROP FUNCTION IF EXISTS dataeng_sneaky');
      await admin.query("CREATE FUNCTION dataeng_sneaky() RETURNS INT MODIFIES SQL DATA BEGIN UPDATE orders SET note = 'sneaky' WHERE id = 1; RETURN 1; END");
      try {
        await expect(db.explain('SELECT dataeng_sneaky()', analyze)).rejects.toBeInstanceOf(ConsentRequiredError);
        await expect(db.explain('SELECT dataeng_sneaky()', consented)).rejects.toBeInstanceOf(StatementError);
      } finally {
        await admin.query('DROP FUNCTION IF EXISTS dataeng_sneaky');
      }
    });
  });

  it('a timeout stops the statement on the server and rolls back', async () => {
    const started = Date.now();
    const err = await db.explain('SELECT SLEEP(5)', { ...analyze, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect((err as ExplainCancelledError).why).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('an AbortSignal mid-query stops it with KILL QUERY on a second connection', async () => {
    const controller = new AbortController();
    const running = db.explain('SELECT SLEEP(10)', { ...analyze, signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const err = await running;
    expect(err).toBeInstanceOf(ExplainCancelledError);
    const [rows] = await admin.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(10)%' AND INFO NOT LIKE '%PROCESSLIST%'");
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(0);
    // The next call on the same Database works.
    expect((await db.explain('SELECT 1', plain)).rolledBack).toBe(true);
  });

  it('introspects the catalog and reviews it', async () => {
    const catalog = await db.introspect({});
    expect(catalog.dialect).toBe('mysql');
    expect(catalog.tables.map((t) => t.name)).toContain('orders');
    const rules = reviewCatalog(catalog).map((f) => `${f.rule} ${f.object ?? ''}`);
    expect(rules.join('\n')).toMatch(/no-primary-key .*events/);
    expect(rules.join('\n')).toMatch(/mysql-myisam .*legacy_log/);
    expect(rules.join('\n')).toMatch(/mysql-utf8mb3 .*legacy_log/);
    expect(rules.join('\n')).toMatch(/mysql-float-money .*prices/);
    expect(rules.join('\n')).toMatch(/int-key-overflow .*tags/);
    expect(rules.join('\n')).toMatch(/redundant-index .*orders_customer/);
  });

  it('asks for a password once when the server wants one, saves it only after the login worked, and never shows it', async () => {
    const user = `dataeng_pw_${process.pid}`;
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'Sup3r-s3cret'`);
    await admin.query(`GRANT SELECT ON dataeng_test.* TO '${user}'@'%'`);
    try {
      const { config } = testConfig(url);
      const asked: string[] = [];
      const saved: string[] = [];
      const withPrompt = new MysqlDatabase({ ...config, user }, {
        limits: defaultSessionLimits,
        optionFile: null,
        askPassword: (reason) => (asked.push(reason), Promise.resolve('Sup3r-s3cret')),
        onPasswordAccepted: (pw) => (saved.push(pw), Promise.resolve()),
      });
      expect((await withPrompt.test()).database).toBe('dataeng_test');
      expect(asked).toEqual(['required']);
      expect(saved).toEqual(['Sup3r-s3cret']);
      await withPrompt.close();
      const wrong = new MysqlDatabase({ ...config, user }, { limits: defaultSessionLimits, optionFile: null, password: 'Sup3r-wrong' });
      const err = (await wrong.test().catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/Access denied/);
      expect(err.message).not.toContain('Sup3r-wrong');
      await wrong.close();
      const fromEnv = new MysqlDatabase({ ...config, user }, { limits: defaultSessionLimits, optionFile: null, env: { MYSQL_PWD: 'Sup3r-s3cret' } });
      expect((await fromEnv.test()).dialect).toBe('mysql');
      await fromEnv.close();
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    }
  });

  it('compares results inside one consistent snapshot', async () => {
    const same = await db.compare('SELECT customer_id FROM orders WHERE status = \'new\'', 'SELECT customer_id FROM orders WHERE status IN (\'new\')', {});
    expect(same.counts).toMatchObject({ onlyInOriginal: 0, onlyInRewrite: 0 });
    const diff = await db.compare('SELECT id FROM orders WHERE total > 100', 'SELECT id FROM orders WHERE total >= 100', {});
    expect(diff.counts!.onlyInRewrite).toBeGreaterThan(0);
    await expect(db.compare('DELETE FROM orders', 'SELECT 1', {})).rejects.toBeInstanceOf(RefusedStatementError);
  });
});
