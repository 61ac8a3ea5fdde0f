// Direct access to the real PostgreSQL test server, to check from outside what the extension did (or did not) do.
import pg from 'pg';

export const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl, application_name: 'dataeng-e2e-observer' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Backends currently connected with this application_name (or one starting with it, e.g. "-cancel"). */
export function backendsNamed(applicationName: string): Promise<number> {
  return withPg(async (c) => {
    const { rows } = await c.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE $1',
      [`${applicationName.replace(/[%_\\]/g, '\\$&')}%`],
    );
    return Number(rows[0]?.n ?? 0);
  });
}

/** A `dataeng.connections` entry for the test server, tagged with a unique application_name. */
export function connectionSetting(name: string, applicationName: string): Record<string, unknown> {
  const url = new URL(pgUrl);
  return {
    name,
    driver: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
    application_name: applicationName,
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`;
}
