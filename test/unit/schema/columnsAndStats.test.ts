import { describe, expect, it } from 'vitest';
import { intKeyOverflow } from '../../../src/core/schema/rules/intKeyOverflow';
import { staleStatistics } from '../../../src/core/schema/rules/staleStatistics';
import { timestampWithoutTz } from '../../../src/core/schema/rules/timestampWithoutTz';
import { varcharLength } from '../../../src/core/schema/rules/varcharLength';
import { wideTable } from '../../../src/core/schema/rules/wideTable';
import { catalog, column, fk, table } from './catalogFixtures';

describe('stale-statistics', () => {
  it('flags a never-analyzed table with rows, scaled by rows', () => {
    const t = table('events', { lastAnalyzed: null, rowEstimate: null, liveRows: 200 });
    expect(staleStatistics.check(catalog([t]))[0]).toMatchObject({ rule: 'stale-statistics', severity: 'info', object: 'public.events', fix: 'ANALYZE public.events;' });
    expect(staleStatistics.check(catalog([{ ...t, liveRows: 50_000 }]))[0]!.severity).toBe('warning');
    expect(staleStatistics.check(catalog([{ ...t, liveRows: 3_000_000 }]))[0]!.severity).toBe('critical');
  });

  it('ignores never-analyzed tables below the autoanalyze base threshold', () => {
    expect(staleStatistics.check(catalog([table('tiny', { lastAnalyzed: null, rowEstimate: null, liveRows: 10 })]))).toEqual([]);
  });

  it('flags modifications past twice the autoanalyze trigger, and not below it', () => {
    // 2 × (50 + 0.1 × 100,000) = 20,100.
    const t = (mods: number) => table('orders', { rowEstimate: 100_000, liveRows: 100_000, modificationsSinceAnalyze: mods });
    expect(staleStatistics.check(catalog([t(20_100)]))).toEqual([]);
    expect(staleStatistics.check(catalog([t(20_101)]))[0]).toMatchObject({ severity: 'warning', evidence: { threshold: 20_100 } });
    expect(staleStatistics.check(catalog([t(150_000)]))[0]!.severity).toBe('critical');
  });

  it('skips partitioned parents, which autovacuum never analyzes', () => {
    expect(staleStatistics.check(catalog([table('p', { kind: 'partitioned', lastAnalyzed: null, liveRows: 10_000 })]))).toEqual([]);
  });
});

describe('int-key-overflow', () => {
  const seq = (lastValue: number | null) => ({ name: 'public.orders_id_seq', lastValue, maxValue: 2_147_483_647 });

  it('warns past half of integer, is critical past 80%, and widens referencing columns too', () => {
    const orders = table('orders', { columns: [column('id', 'integer', { sequence: seq(1_200_000_000) })] });
    const lines = table('lines', { columns: [column('id', 'bigint'), column('order_id', 'integer')], foreignKeys: [fk('lines_order_fk', ['order_id'], 'orders')] });
    const [f] = intKeyOverflow.check(catalog([orders, lines]));
    expect(f).toMatchObject({ rule: 'int-key-overflow', severity: 'warning', object: 'public.orders' });
    expect(f!.fix).toContain('ALTER TABLE public.orders ALTER COLUMN id TYPE bigint;');
    expect(f!.fix).toContain('ALTER SEQUENCE public.orders_id_seq AS bigint;');
    expect(f!.fix).toContain('ALTER TABLE public.lines ALTER COLUMN order_id TYPE bigint;');
    const critical = intKeyOverflow.check(catalog([table('orders', { columns: [column('id', 'integer', { sequence: seq(2_000_000_000) })] })]));
    expect(critical[0]!.severity).toBe('critical');
  });

  it('uses the smallint range and leaves identity sequences to ALTER COLUMN', () => {
    const t = table('flags', { columns: [column('id', 'smallint', { identity: 'always', sequence: { name: 'public.flags_id_seq', lastValue: 30_000, maxValue: 32_767 } })] });
    const [f] = intKeyOverflow.check(catalog([t]));
    expect(f!.severity).toBe('critical');
    expect(f!.fix).not.toContain('ALTER SEQUENCE');
  });

  it('stays quiet for bigint keys, unused sequences and low values', () => {
    const t = table('ok', {
      columns: [
        column('id', 'bigint', { sequence: { name: 's1', lastValue: 5_000_000_000, maxValue: 9e18 } }),
        column('b', 'integer', { sequence: seq(null) }),
        column('c', 'integer', { sequence: seq(1_000) }),
      ],
    });
    expect(intKeyOverflow.check(catalog([t]))).toEqual([]);
  });
});

describe('timestamp-without-tz', () => {
  it('suggests timestamptz with the same precision', () => {
    const t = table('logs', { columns: [column('id'), column('At', 'timestamp(3) without time zone'), column('ok', 'timestamp with time zone')] });
    const findings = timestampWithoutTz.check(catalog([t]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', object: 'public.logs' });
    expect(findings[0]!.fix).toContain(`ALTER TABLE public.logs ALTER COLUMN "At" TYPE timestamptz(3) USING "At" AT TIME ZONE 'UTC';`);
  });
});

describe('varchar-length', () => {
  it('suggests text plus a CHECK validated separately, and rtrim for char(n)', () => {
    const t = table('users', { columns: [column('id'), column('name', 'character varying(80)'), column('code', 'character(3)'), column('bio', 'text'), column('tags', 'character varying(10)[]')] });
    const findings = varcharLength.check(catalog([t]));
    expect(findings.map((f) => f.evidence.column)).toEqual(['name', 'code']);
    expect(findings[0]!.fix).toBe(
      'ALTER TABLE public.users ALTER COLUMN name TYPE text;\nALTER TABLE public.users ADD CONSTRAINT users_name_length CHECK (char_length(name) <= 80) NOT VALID;\nALTER TABLE public.users VALIDATE CONSTRAINT users_name_length;',
    );
    expect(findings[1]!.fix).toContain('TYPE text USING rtrim(code)');
    expect(findings.every((f) => f.severity === 'info')).toBe(true);
  });
});

describe('wide-table', () => {
  const cols = (n: number) => Array.from({ length: n }, (_, k) => column(`c${k}`, 'text'));
  it('is information from 50 columns and a warning from 100', () => {
    expect(wideTable.check(catalog([table('w', { columns: cols(49) })]))).toEqual([]);
    expect(wideTable.check(catalog([table('w', { columns: cols(50) })]))[0]).toMatchObject({ severity: 'info', evidence: { columns: 50 } });
    expect(wideTable.check(catalog([table('w', { columns: cols(120) })]))[0]!.severity).toBe('warning');
  });
});
