// The demo database's worker thread: PGlite (PostgreSQL in WASM) runs here, so seeding and long statements
// never block the extension host, and a timeout or cancel can stop it by terminating the thread.
import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workerData } from 'node:worker_threads';
import { introspectPostgres } from '../postgres/catalog';
import { describePostgres } from '../postgres/describe';
import { ConnectionError } from '../errors';
import { explainInTransaction, type PgSession } from '../pgTransaction';
import { compareOnSession, whatIfOnSession, type PgProofContext, type ProofOutcome } from '../pgProof';
import type { SafeExplain } from '../safePath';
import type { WhatIfOptions } from '../types';
import type { WorkerFailure } from '../workerProtocol';
import { toFailure } from '../workerHost';
import { serveRequests } from '../workerHost';
import { demoFinishSql, demoSeedSql } from './seed';

const { dataDir } = workerData as { dataDir: string };
let db: PGlite | undefined;
let info: { version: string; versionNum: number; seededNow: boolean; openMs: number; createMs: number } | undefined;

function lockPath(): string {
  return `${dataDir}.lock`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One process at a time: PGlite's data directory must never be opened twice. */
function takeLock(): void {
  mkdirSync(dirname(dataDir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath(), String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockPath(), 'utf8'));
      if (owner === process.pid) return;
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new ConnectionError({ driver: 'demo', file: dataDir }, `the demo database is in use by another process (pid ${owner})`);
      }
      rmSync(lockPath(), { force: true });
    }
  }
}

const seededMarker = (): string => join(dataDir, 'seeded.json');

/**
 * Opens the database, seeding it first when the marker is missing. The marker is written only after seeding
 * finished, so it is the commit point: a crash or a terminated worker mid-seed leaves no marker, and the next
 * start wipes the half-seeded directory and seeds again.
 */
async function init(): Promise<NonNullable<typeof info>> {
  if (db && info) return info;
  const started = performance.now();
  takeLock();
  const pgdata = join(dataDir, 'pgdata');
  const seededNow = !existsSync(seededMarker());
  if (seededNow) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  db = await PGlite.create(pgdata);
  const createMs = performance.now() - started;
  if (seededNow) {
    await db.exec(demoSeedSql);
    await db.exec(demoFinishSql);
    writeFileSync(seededMarker(), JSON.stringify({ seededAt: new Date().toISOString() }));
  }
  const row = (await db.query<{ v: string; n: string }>("SELECT version() AS v, current_setting('server_version_num') AS n")).rows[0];
  info = { version: row?.v ?? 'PostgreSQL (PGlite)', versionNum: Number(row?.n ?? 0), seededNow, openMs: performance.now() - started, createMs };
  return info;
}

function session(handle: PGlite): PgSession {
  return {
    simple: async (sql) => void (await handle.exec(sql)),
    // query() with a parameter array uses Parse/Bind/Execute: PostgreSQL refuses a second statement there.
    extended: async (sql) => (await handle.query<unknown[]>(sql, [], { rowMode: 'array' })).rows,
    query: async (sql, params) => (await handle.query<unknown[]>(sql, params, { rowMode: 'array' })).rows,
    described: async (sql) => {
      const res = await handle.query<unknown[]>(sql, [], { rowMode: 'array' });
      return { rows: res.rows, fields: res.fields.map((f) => ({ name: f.name, typeId: f.dataTypeID })) };
    },
  };
}

/** The demo database has no HypoPG: a what-if builds real indexes and rolls them back. */
function proofContext(current: { versionNum: number }, timeoutMs: number, lockTimeoutMs: number): PgProofContext {
  return { serverVersionNum: current.versionNum, timeoutMs, lockTimeoutMs, secrets: [], mayHaveHypopg: false };
}

/** A proof outcome as a reply: the error travels as a typed failure, the transaction's end as flags. */
function proofReply<T>(outcome: ProofOutcome<T>): { value?: T; rolledBack: boolean; clean: boolean; error?: WorkerFailure } {
  return { ...(outcome.value !== undefined ? { value: outcome.value } : {}), rolledBack: outcome.rolledBack, clean: outcome.clean, ...(outcome.error ? { error: toFailure(outcome.error) } : {}) };
}

serveRequests({
  init: () => init(),
  explain: async (args) => {
    const { safe } = args as { safe: SafeExplain };
    const current = await init();
    const outcome = await explainInTransaction(session(db!), safe, current.versionNum);
    return { plan: outcome.plan, rolledBack: outcome.rolledBack, clean: outcome.clean, ...(outcome.error ? { error: toFailure(outcome.error) } : {}) };
  },
  whatIf: async (args) => {
    const { sql, options, timeoutMs, lockTimeoutMs } = args as { sql: string; options: WhatIfOptions; timeoutMs: number; lockTimeoutMs: number };
    const current = await init();
    return proofReply(await whatIfOnSession(session(db!), sql, options, proofContext(current, timeoutMs, lockTimeoutMs)));
  },
  compare: async (args) => {
    const { original, rewrite, timeoutMs } = args as { original: string; rewrite: string; timeoutMs: number };
    const current = await init();
    return proofReply(await compareOnSession(session(db!), original, rewrite, proofContext(current, timeoutMs, 0)));
  },
  introspect: async (args) => {
    const { schema } = args as { schema?: string };
    await init();
    const handle = db!;
    await handle.exec('BEGIN READ ONLY');
    try {
      const query = async (sql: string, params?: unknown[]): Promise<Record<string, unknown>[]> =>
        (await handle.query<Record<string, unknown>>(sql, params ?? [])).rows;
      return await introspectPostgres(query, schema !== undefined ? { schema } : { schema: 'public' });
    } finally {
      await handle.exec('ROLLBACK');
    }
  },
  describeTable: async (args) => {
    const { table, mostCommonValues } = args as { table: string; mostCommonValues: boolean };
    await init();
    const handle = db!;
    await handle.exec('BEGIN READ ONLY');
    try {
      return await describePostgres(async (sql, params) => (await handle.query<Record<string, unknown>>(sql, params ?? [])).rows, table, { mostCommonValues });
    } finally {
      await handle.exec('ROLLBACK');
    }
  },
  close: async () => {
    await db?.close();
    db = undefined;
    info = undefined;
    rmSync(lockPath(), { force: true });
    return null;
  },
});
