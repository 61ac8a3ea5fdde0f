// Shared helpers for the MariaDB/MySQL integration tests: the servers' URLs, the seeded test database, and a checksum
// of every table's rows to prove nothing changed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { parseConnectionUrl } from '../../../src/db/open';
import type { ConnectionConfig } from '../../../src/db/types';

/** The MariaDB test database (scripts/setup-test-env.sh starts the server and creates it). */
export const mariadbUrl = process.env.DATAENG_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/dataeng_test';
/** A MySQL 8 server, when one is available: its live tests run only then. */
export const mysqlUrl = process.env.DATAENG_TEST_MYSQL_URL;

export function testConfig(url: string): { config: ConnectionConfig; password?: string } {
  return parseConnectionUrl(url, 'test');
}

/** A plain admin session for setup and checks (not the code under test); may run several statements. */
export async function adminConnection(url: string): Promise<Connection> {
  const conn = await createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), multipleStatements: true });
  conn.on('error', () => undefined);
  return conn;
}

/** Loads test/fixtures/mysql/seed.sql once per run when the tables are missing. */
export async function ensureSeeded(url: string): Promise<void> {
  const conn = await createConnection({ uri: url.replace(/\/[^/]*$/, '/').replace(/^mariadb:/, 'mysql:'), multipleStatements: true });
  try {
    const [rows] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dataeng_test' AND TABLE_NAME IN ('orders', 'customers', 'order_items', 'events', 'legacy_log', 'prices', 'tags')");
    if (Number((rows as { n: number }[])[0]?.n) === 7) return;
    await conn.query(readFileSync(join(__dirname, '../../fixtures/mysql/seed.sql'), 'utf8'));
  } finally {
    await conn.end();
  }
}

/** A checksum of every row of every table in the test database (and the AUTO_INCREMENT counters apart). */
export async function databaseChecksum(conn: Connection): Promise<string> {
  const [tables] = await conn.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1");
  const hash = createHash('sha256');
  for (const { t } of tables as { t: string }[]) {
    const [rows] = await conn.query(`SELECT * FROM \`${t.replace(/`/g, '``')}\``);
    hash.update(t);
    for (const line of (rows as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort()) hash.update(line);
  }
  return hash.digest('hex');
}
