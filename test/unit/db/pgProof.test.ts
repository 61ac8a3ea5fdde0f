// The what-if's session discipline, on a scripted session: HypoPG's indexes are reset after the ROLLBACK whatever
// happened, the session is reported unclean (destroyed by the driver) when the reset fails or an index survives it,
// and nothing is begun before consent to a real build.
import { describe, expect, it } from 'vitest';
import { IndexBuildConsentRequiredError, StatementError } from '../../../src/db/errors';
import { whatIfOnSession, type PgProofContext } from '../../../src/db/pgProof';
import type { PgSession } from '../../../src/db/pgTransaction';
import type { WhatIfOptions } from '../../../src/db/types';

const plan = (node: string, extra: Record<string, unknown> = {}) => JSON.stringify([{ Plan: { 'Node Type': node, 'Relation Name': 'orders', 'Total Cost': 100, ...extra } }]);

interface Script {
  hypopg?: boolean;
  explainFails?: number;
  resetFails?: boolean;
  leftAfterReset?: number;
}

function session(script: Script): { session: PgSession; log: string[] } {
  const log: string[] = [];
  let explains = 0;
  const s: PgSession = {
    simple: (sql) => {
      log.push(sql);
      return Promise.resolve();
    },
    extended: (sql) => {
      log.push(sql.startsWith('EXPLAIN') ? 'EXPLAIN' : sql);
      explains++;
      if (script.explainFails === explains) return Promise.reject(Object.assign(new Error('boom'), { code: 'XX000' }));
      return Promise.resolve([[plan(explains === 1 ? 'Seq Scan' : 'Index Scan', { 'Index Name': '<1>btree_orders_c' })]]);
    },
    query: (sql) => {
      if (sql.includes('pg_extension')) return Promise.resolve(script.hypopg === false ? [] : [['public']]);
      if (sql.includes('to_regclass')) return Promise.resolve([['16384', 'public', 'orders', '8192', 1000]]);
      if (sql.includes('hypopg_create_index')) {
        log.push('create');
        return Promise.resolve([['<1>btree_orders_c']]);
      }
      if (sql.includes('hypopg_reset')) {
        log.push('reset');
        return script.resetFails && log.includes('ROLLBACK') ? Promise.reject(new Error('reset failed')) : Promise.resolve([[null]]);
      }
      if (sql.includes('hypopg()')) return Promise.resolve([[script.leftAfterReset ?? 0]]);
      return Promise.resolve([]);
    },
    described: () => Promise.resolve({ rows: [], fields: [] }),
  };
  return { session: s, log };
}

const ctx: PgProofContext = { serverVersionNum: 150000, timeoutMs: 1000, lockTimeoutMs: 100, secrets: [], mayHaveHypopg: true };
const options: WhatIfOptions = { variants: [['CREATE INDEX ON orders (c)']], analyze: false, consentToWrites: false, consentToBuild: false, maxTableBytes: 1e9, confirmAboveCap: false };
const sql = 'SELECT * FROM orders WHERE c = 1';

describe('whatIfOnSession with HypoPG', () => {
  it('plans before and after in a READ ONLY transaction and resets after the ROLLBACK', async () => {
    const { session: s, log } = session({});
    const out = await whatIfOnSession(s, sql, options, ctx);
    expect(out.error).toBeUndefined();
    expect(out).toMatchObject({ rolledBack: true, clean: true });
    expect(out.value!.method).toBe('hypopg');
    expect(out.value!.variants[0]!.indexNames).toEqual(['<1>btree_orders_c']);
    expect(log).toEqual(['BEGIN READ ONLY', 'SET LOCAL statement_timeout = 1000', 'EXPLAIN', 'create', 'EXPLAIN', 'reset', 'ROLLBACK', 'reset']);
  });

  it('a failure mid-way still rolls back and resets; the session stays usable', async () => {
    const { session: s, log } = session({ explainFails: 2 });
    const out = await whatIfOnSession(s, sql, options, ctx);
    expect(out.error).toBeInstanceOf(StatementError);
    expect(out).toMatchObject({ rolledBack: true, clean: true });
    expect(log.slice(-2)).toEqual(['ROLLBACK', 'reset']);
  });

  it('a failed reset, or an index that survives it, marks the session to be destroyed', async () => {
    expect((await whatIfOnSession(session({ resetFails: true }).session, sql, options, ctx)).clean).toBe(false);
    expect((await whatIfOnSession(session({ leftAfterReset: 1 }).session, sql, options, ctx)).clean).toBe(false);
  });
});

describe('whatIfOnSession without HypoPG', () => {
  it('asks for consent before anything is begun, naming the table and its size', async () => {
    const { session: s, log } = session({ hypopg: false });
    const out = await whatIfOnSession(s, sql, options, ctx);
    expect(out.error).toBeInstanceOf(IndexBuildConsentRequiredError);
    expect((out.error as IndexBuildConsentRequiredError).targets).toEqual([{ name: 'public.orders', bytes: 8192, rows: 1000 }]);
    expect(log).toEqual([]);
    const capped = await whatIfOnSession(s, sql, { ...options, consentToBuild: true, maxTableBytes: 100 }, ctx);
    expect((capped.error as IndexBuildConsentRequiredError).aboveCap).toBe(true);
    expect(log).toEqual([]);
  });

  it('with consent: builds in a savepoint rolled back before the end, under lock_timeout', async () => {
    const { session: s, log } = session({ hypopg: false });
    const out = await whatIfOnSession(s, sql, { ...options, consentToBuild: true }, ctx);
    expect(out.value?.method).toBe('rolled-back-index');
    expect(log).toEqual([
      'BEGIN',
      'SET LOCAL statement_timeout = 1000',
      'SET LOCAL lock_timeout = 100',
      'EXPLAIN',
      'SAVEPOINT dataeng_variant',
      'CREATE INDEX ON orders (c)',
      'EXPLAIN',
      'ROLLBACK TO SAVEPOINT dataeng_variant',
      'ROLLBACK',
    ]);
  });
});
