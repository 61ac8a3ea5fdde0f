// Helpers for the proof tests: a dedicated database with HypoPG (never `test`, whose rolled-back-index path must stay
// without it), snapshots of the catalog to prove nothing was left behind, and consent ports that record questions.
import pg from 'pg';
import type { ConsentAnswer, ConsentPort, ConsentQuestion } from '../../../src/app/consent';
import { pgUrl } from './pgSupport';

/** The database the HypoPG tests use; created (with the extension) by the tests themselves. */
export const hypopgDatabase = 'dataeng_hypopg';

export function urlFor(database: string): string {
  const u = new URL(pgUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates the HypoPG database and extension if missing; safe when several test files race to do it. */
export async function ensureHypopgDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: urlFor('postgres'), application_name: 'dataeng-test-admin' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [hypopgDatabase]);
    if (!exists.rowCount) {
      try {
        await admin.query(`CREATE DATABASE ${hypopgDatabase}`);
      } catch (err) {
        // Another test file created it first.
        if (!/already exists|duplicate key/.test((err as Error).message)) throw err;
      }
    }
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: urlFor(hypopgDatabase), application_name: 'dataeng-test-admin' });
  await db.connect();
  try {
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS hypopg');
    } catch (err) {
      if (!/already exists|duplicate key/.test((err as Error).message)) {
        throw new Error(`HypoPG is not available (${(err as Error).message}); scripts/setup-test-env.sh installs postgresql-15-hypopg`);
      }
    }
  } finally {
    await db.end();
  }
  return urlFor(hypopgDatabase);
}

export interface CatalogSnapshot {
  classes: number;
  indexes: number;
  /** Relations in the test's schema, by name. */
  names: string[];
}

/** What pg_class and pg_index hold: counts for the whole database and the relation names of one schema. */
export async function catalogSnapshot(client: pg.Client, schema: string): Promise<CatalogSnapshot> {
  const classes = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_class')).rows[0]!.n);
  const indexes = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_index')).rows[0]!.n);
  const names = (await client.query<{ relname: string }>('SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1', [schema])).rows.map((r) => r.relname);
  return { classes, indexes, names };
}

/** A consent port that answers every question the same way and remembers what it was asked. */
export function recordingPort(answer: ConsentAnswer | ((q: ConsentQuestion) => ConsentAnswer), extra: Partial<ConsentPort> = {}): ConsentPort & { asked: ConsentQuestion[] } {
  const asked: ConsentQuestion[] = [];
  return {
    asked,
    ask: (q) => {
      asked.push(q);
      return Promise.resolve(typeof answer === 'function' ? answer(q) : answer);
    },
    withoutConsent: 'refuse',
    ...extra,
  };
}
