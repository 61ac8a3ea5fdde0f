// Shared helpers for the database integration tests: the real server's URL, a unique schema per file,
// and a checksum of a table's rows to prove nothing changed.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { parseConnectionUrl } from '../../../src/db/open';
import type { ConnectionConfig } from '../../../src/db/types';

export const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A configuration for the test server with our own application_name, so pg_stat_activity can find our sessions. */
export function testConfig(applicationName: string): { config: ConnectionConfig; password?: string } {
  const parsed = parseConnectionUrl(pgUrl, 'test');
  return { ...parsed, config: { ...parsed.config, application_name: applicationName } };
}

/** A plain admin client for setup, checks and teardown (not the code under test). */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgUrl, application_name: 'dataeng-test-admin' });
  await client.connect();
  return client;
}

/** The single value of a one-row, one-column query. */
export async function scalar<T>(client: pg.Client, sql: string, params: unknown[] = []): Promise<T> {
  const res = await client.query<Record<string, T>>(sql, params);
  const row = res.rows[0];
  if (!row) throw new Error(`no row from ${sql}`);
  return Object.values(row)[0] as T;
}

export async function tableChecksum(client: pg.Client, qualified: string): Promise<string> {
  const res = await client.query(`SELECT to_jsonb(t) AS r FROM ${qualified} t`);
  const rows = res.rows.map((r: { r: unknown }) => JSON.stringify(r.r)).sort();
  return createHash('sha256').update(rows.join('\n')).digest('hex');
}

/** Backends of an application that are running something (not idle), polled until none or the deadline. */
export async function waitForNoActiveBackend(client: pg.Client, applicationName: string, deadlineMs = 10_000): Promise<unknown[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await client.query<{ pid: number; state: string; query: string }>(
      "SELECT pid, state, query FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle' AND pid <> pg_backend_pid()",
      [applicationName],
    );
    if (res.rows.length === 0 || Date.now() > until) return res.rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}
