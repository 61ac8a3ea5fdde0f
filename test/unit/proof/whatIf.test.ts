// What a what-if reports from the raw plans: costs, times, the indexes used, and the one-line summary.
import { describe, expect, it } from 'vitest';
import { parseIndexStatement, type IndexStatement } from '../../../src/core/proof/indexStatement';
import { formatCost, formatMs, formatPct, summarizeVariant, verifiedLine, type WhatIfRaw } from '../../../src/core/proof/whatIf';

const idx = (sql: string, dialect: 'postgres' | 'sqlite' = 'postgres'): IndexStatement => {
  const p = parseIndexStatement(sql, dialect);
  if (!p.ok) throw new Error(p.reason);
  return p.index;
};

const seqScan = [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Total Cost': 18334.0, 'Plan Rows': 5 } }];
const indexScan = (name: string) => [{ Plan: { 'Node Type': 'Index Scan', 'Relation Name': 'orders', 'Index Name': name, 'Total Cost': 12.4, 'Plan Rows': 5 } }];

describe('summarizeVariant', () => {
  it('PostgreSQL: costs, saving, and the index used by its name in the plan', () => {
    const raw: WhatIfRaw = { method: 'hypopg', dialect: 'postgres', analyzed: false, before: seqScan, variants: [{ plan: indexScan('<13556>btree_orders_customer_id'), indexNames: ['<13556>btree_orders_customer_id', '<13557>btree_orders_note'] }], tables: [], warnings: [], rolledBack: true };
    const a = idx('CREATE INDEX ON orders (customer_id)');
    const b = idx('CREATE INDEX ON orders (note)');
    const s = summarizeVariant(raw, 0, [a, b]);
    expect(s.before).toEqual({ cost: 18334 });
    expect(s.after).toEqual({ cost: 12.4 });
    expect(s.savedPct).toBe(99.9);
    expect(s.usedIndexes).toEqual([a.written]);
    expect(verifiedLine('hypopg', s)).toBe('verified: cost 18,334 → 12.4 (−99.9%) with HypoPG');
  });

  it('a measured rolled-back index reads like the issue says', () => {
    const s = { before: { cost: 1234, timeMs: 41 }, after: { cost: 8.5, timeMs: 0.3 }, savedPct: 99.3, planChange: null };
    expect(verifiedLine('rolled-back-index', s)).toBe('verified: cost 1,234 → 8.5 (−99.3%), measured with a rolled-back index: 41 ms → 0.3 ms');
    expect(verifiedLine('rolled-back-index', { ...s, before: { cost: 1234 }, after: { cost: 8.5 } })).toBe('verified: cost 1,234 → 8.5 (−99.3%) with a rolled-back index (estimated costs; the statement was not executed)');
  });

  it('SQLite: no costs; the steps that changed and the times on the copy', () => {
    const rows = (detail: string) => [{ id: 2, parent: 0, notused: 0, detail }];
    const raw: WhatIfRaw = { method: 'in-memory-copy', dialect: 'sqlite', analyzed: true, before: rows('SCAN orders'), beforeTimeMs: 41, variants: [{ plan: rows('SEARCH orders USING INDEX o_c (customer_id=?)'), indexNames: ['o_c'], timeMs: 0.3 }], tables: [], warnings: [], rolledBack: true };
    const s = summarizeVariant(raw, 0, [idx('CREATE INDEX o_c ON orders (customer_id)', 'sqlite')]);
    expect(s.before.cost).toBeNull();
    expect(s.removedFullScan).toBe(true);
    expect(s.timeSavedPct).toBe(99.3);
    expect(verifiedLine('in-memory-copy', s)).toBe('verified on an in-memory copy of the database: SCAN orders → SEARCH orders USING INDEX o_c (customer_id=?), 41 ms → 0.3 ms');
  });

  it('formats numbers as people read them', () => {
    expect([formatCost(18334.2), formatCost(12.44), formatCost(0.04)]).toEqual(['18,334', '12.4', '0']);
    expect([formatMs(41.2), formatMs(0.31), formatMs(2.45), formatMs(12_345)]).toEqual(['41 ms', '0.31 ms', '2.5 ms', '12.3 s']);
    expect([formatPct(99.94), formatPct(-12.5), formatPct(0)]).toEqual(['−99.9%', '+12.5%', '±0%']);
  });
});
