// The one consent policy for index what-ifs: nothing asked where nothing is built (HypoPG, SQLite's copy); a real
// build asks once (with measuring offered as the analyze setting allows), above the cap asks again, --yes consents,
// and without anyone to ask a refusal says why.
import { describe, expect, it } from 'vitest';
import { indexBuildQuestion, whatIfWithConsent, type ConsentAnswer, type ConsentQuestion } from '../../../src/app/consent';
import type { WhatIfRaw } from '../../../src/core/proof/whatIf';
import { IndexBuildConsentRequiredError } from '../../../src/db/errors';
import type { Database, WhatIfOptions } from '../../../src/db/types';

const target = { name: 'public.orders', bytes: 3 * 1024 * 1024, rows: 50000 };

/** A database without HypoPG: it demands consent to build, and a second confirmation above the cap. */
function fakeDb(dialect: 'postgres' | 'sqlite' = 'postgres', hypopg = false): Database & { calls: WhatIfOptions[] } {
  const calls: WhatIfOptions[] = [];
  const raw = (o: WhatIfOptions): WhatIfRaw => ({ method: hypopg ? 'hypopg' : dialect === 'sqlite' ? 'in-memory-copy' : 'rolled-back-index', dialect, analyzed: o.analyze, before: [], variants: [], tables: [], warnings: [], rolledBack: true });
  return {
    dialect,
    config: { name: 'x', driver: dialect },
    calls,
    whatIf: (_sql: string, o: WhatIfOptions) => {
      calls.push(o);
      if (dialect === 'sqlite') {
        if (target.bytes > o.maxTableBytes && !o.confirmAboveCap) return Promise.reject(new IndexBuildConsentRequiredError([target], true, o.maxTableBytes, 'copy'));
        return Promise.resolve(raw(o));
      }
      if (!hypopg && !o.consentToBuild) return Promise.reject(new IndexBuildConsentRequiredError([target], false, o.maxTableBytes));
      if (!hypopg && target.bytes > o.maxTableBytes && !o.confirmAboveCap) return Promise.reject(new IndexBuildConsentRequiredError([target], true, o.maxTableBytes));
      return Promise.resolve(raw(o));
    },
  } as unknown as Database & { calls: WhatIfOptions[] };
}

function port(answer: ConsentAnswer | ((q: ConsentQuestion) => ConsentAnswer)) {
  const asked: ConsentQuestion[] = [];
  return { asked, ask: (q: ConsentQuestion) => Promise.resolve((asked.push(q), typeof answer === 'function' ? answer(q) : answer)), withoutConsent: 'refuse' as const };
}

const sql = 'SELECT * FROM orders WHERE customer_id = 42';
const variants = [['CREATE INDEX ON orders (customer_id)']];
const big = { maxTableBytes: 1e12 };

describe('whatIfWithConsent', () => {
  it('HypoPG: nothing is built, so nothing is asked', async () => {
    const p = port('dismissed');
    const out = await whatIfWithConsent(fakeDb('postgres', true), sql, variants, { setting: 'ask' }, p, big);
    expect(out.kind).toBe('tested');
    expect(p.asked).toEqual([]);
  });

  it('a real build asks once, offering to measure a read under "ask"; the answer decides measuring', async () => {
    const measure = port('analyze');
    const db = fakeDb();
    const out = await whatIfWithConsent(db, sql, variants, { setting: 'ask' }, measure, big);
    expect(out.kind === 'tested' && out.grants).toEqual({ build: true, aboveCap: false, measure: true, writes: false });
    expect(measure.asked).toHaveLength(1);
    expect(measure.asked[0]!).toMatchObject({ kind: 'index-build', modal: true, offersMeasure: true });
    expect(db.calls.at(-1)).toMatchObject({ consentToBuild: true, analyze: true });
    const costs = fakeDb();
    await whatIfWithConsent(costs, sql, variants, { setting: 'ask' }, port('plain'), big);
    expect(costs.calls.at(-1)).toMatchObject({ consentToBuild: true, analyze: false });
  });

  it('"never" never measures; a write needs its reasons named in the same question', async () => {
    const never = port('analyze');
    const db = fakeDb();
    await whatIfWithConsent(db, sql, variants, { setting: 'never' }, never, big);
    expect(never.asked[0]!.offersMeasure).toBe(false);
    expect(db.calls.at(-1)!.analyze).toBe(false);
    const write = port('analyze');
    const wdb = fakeDb();
    await whatIfWithConsent(wdb, 'DELETE FROM orders WHERE customer_id = 42', variants, { setting: 'ask' }, write, big);
    expect(write.asked[0]!.reasons.join('\n')).toMatch(/it builds an index on public\.orders \(3\.0 MB\).*\n.*it changes data/);
    expect(wdb.calls.at(-1)).toMatchObject({ analyze: true, consentToWrites: true });
  });

  it('above the cap asks a second time; dismissing declines', async () => {
    const p = port((q) => (q.kind === 'index-build-above-cap' ? 'dismissed' : 'plain'));
    const out = await whatIfWithConsent(fakeDb(), sql, variants, { setting: 'ask' }, p, { maxTableBytes: 1024 });
    expect(out.kind).toBe('declined');
    expect(p.asked.map((q) => q.kind)).toEqual(['index-build', 'index-build-above-cap']);
  });

  it('the CLI: --yes builds without asking; without it the refusal is the driver\'s error', async () => {
    expect((await whatIfWithConsent(fakeDb(), sql, variants, { analyze: true }, { preApproved: true, withoutConsent: 'refuse' }, big)).kind).toBe('tested');
    await expect(whatIfWithConsent(fakeDb(), sql, variants, { analyze: false }, { withoutConsent: 'refuse' }, big)).rejects.toBeInstanceOf(IndexBuildConsentRequiredError);
    const quiet = await whatIfWithConsent(fakeDb(), sql, variants, { setting: 'readsOnly' }, { withoutConsent: 'plain' }, big);
    expect(quiet.kind === 'declined' && quiet.reason).toMatch(/nothing was built/);
  });

  it('SQLite: the copy needs no consent below the cap, a confirmation above it, and times reads unless "never"', async () => {
    const db = fakeDb('sqlite');
    const p = port('analyze');
    await whatIfWithConsent(db, sql, variants, { setting: 'ask' }, p, big);
    expect(p.asked).toEqual([]);
    expect(db.calls.at(-1)!.analyze).toBe(true);
    await whatIfWithConsent(db, sql, variants, { setting: 'ask' }, p, { maxTableBytes: 1024 });
    expect(p.asked.map((q) => q.kind)).toEqual(['index-build-above-cap']);
    expect(p.asked[0]!.message).toMatch(/Copy it into memory/);
  });

  it('the build question names the table, its size and that writes wait', () => {
    const q = indexBuildQuestion({ targets: [target] }, true);
    expect(q.message).toMatch(/on public\.orders \(3\.0 MB, about 50,000 rows\).*Writes to the table wait/);
    expect(q.detail).toMatch(/SHARE lock on public\.orders/);
  });
});
