// Matching two plans of one statement and merging them into one tree, with the totals before → after.
import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { buildPlanView, flattenPlan, type PlanView } from '../../../src/core/plan/view';
import { diffPlans, formatChange, matchPlans, rowChange, type PlanDiff } from '../../../src/core/plan/viewDiff';
import { load } from './fixtures';
import { partitionedPlanJson } from './generate';

function fromFixture(path: string): PlanView {
  const { plan, findings } = load(path);
  return buildPlanView(flattenPlan(plan, findings));
}

function fromJson(root: Record<string, unknown>, extra: Record<string, unknown> = {}): PlanView {
  const plan = parsePlan([{ Plan: root, ...extra }]);
  return buildPlanView(flattenPlan(plan, analyzePlan(plan)));
}

type Node = Record<string, unknown>;
const scan = (type: string, relation: string, extra: Node = {}): Node => ({ 'Node Type': type, 'Relation Name': relation, Alias: relation, 'Startup Cost': 0, 'Total Cost': 100, 'Plan Rows': 10, 'Plan Width': 8, ...extra });
const op = (type: string, plans: Node[], extra: Node = {}): Node => ({ 'Node Type': type, 'Startup Cost': 0, 'Total Cost': 200, 'Plan Rows': 10, 'Plan Width': 8, Plans: plans, ...extra });

/** The merged rows as `status head(before→after)` lines, indented by depth. */
function lines(d: PlanDiff): string[] {
  return d.rows.map((r) => {
    const b = r.before >= 0 ? d.before.nodes[r.before]!.head : '';
    const a = r.after >= 0 ? d.after.nodes[r.after]!.head : '';
    const what = r.status === 'replaced' ? `${b} → ${a}` : a || b;
    const on = (r.after >= 0 ? d.after.flat.nodes[r.after] : d.before.flat.nodes[r.before])!.relation;
    return `${'  '.repeat(r.depth)}${r.status} ${what}${on ? ` ${on}` : ''}`;
  });
}

describe('diffPlans', () => {
  it('matches every node of one plan captured twice (plain and analyzed)', () => {
    const d = diffPlans(fromFixture('postgres/cte-initplan-subplan.analyze-buffers.txt'), fromFixture('postgres/cte-initplan-subplan.analyze-buffers.json'));
    expect(d.counts).toEqual({ matched: 11, replaced: 0, added: 0, removed: 0 });
    expect(d.rows.map((r) => [r.before, r.after])).toEqual(d.rows.map((_, i) => [i, i]));
    const partitions = diffPlans(fromFixture('postgres/partitions.plain.json'), fromFixture('postgres/partitions.analyze-buffers.json'));
    expect(partitions.counts.matched).toBe(26);
  });

  it('shows a sequential scan replaced by an index scan as one row, and a new bitmap index scan as added', () => {
    const before = fromJson(op('Aggregate', [scan('Seq Scan', 'orders', { Filter: '(customer_id = 42)', 'Total Cost': 5000 })], { 'Total Cost': 5001 }));
    const indexScan = fromJson(op('Aggregate', [scan('Index Scan', 'orders', { 'Index Name': 'orders_customer_idx', 'Total Cost': 8 })], { 'Total Cost': 9 }));
    expect(lines(diffPlans(before, indexScan))).toEqual(['matched Aggregate', '  replaced Seq Scan → Index Scan orders']);
    const bitmap = fromJson(op('Aggregate', [scan('Bitmap Heap Scan', 'orders', { Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'orders_customer_idx', 'Parent Relationship': 'Outer', 'Total Cost': 4, 'Plan Rows': 10, 'Plan Width': 0 }] })]));
    const d = diffPlans(before, bitmap);
    expect(lines(d)).toEqual(['matched Aggregate', '  replaced Seq Scan → Bitmap Heap Scan orders', '    added Bitmap Index Scan']);
    expect(d.counts).toEqual({ matched: 1, replaced: 1, added: 1, removed: 0 });
  });

  it('keeps a scan matched when the join order changes, and shows a join algorithm change as a replaced step', () => {
    const before = fromJson(op('Hash Join', [scan('Seq Scan', 'orders'), op('Hash', [scan('Seq Scan', 'customers')])], { 'Join Type': 'Inner' }));
    const after = fromJson(op('Nested Loop', [scan('Seq Scan', 'customers'), scan('Index Scan', 'orders', { 'Index Name': 'orders_customer_idx' })], { 'Join Type': 'Inner' }));
    const d = diffPlans(before, after);
    expect(lines(d)).toEqual(['replaced Hash Join → Nested Loop', '  matched Seq Scan customers', '  replaced Seq Scan → Index Scan orders', '  removed Hash']);
    const { afterToBefore } = matchPlans(before, after);
    expect(Array.from(afterToBefore)).toEqual([0, 3, 1]);
  });

  it('sees through a layer that went away or came (a Gather above the sort, a Limit above the scan)', () => {
    const sortKey = { 'Sort Key': ['created_at DESC'] };
    const before = fromJson(op('Limit', [op('Gather Merge', [op('Sort', [scan('Seq Scan', 'orders', { 'Parallel Aware': true })], sortKey)], { 'Workers Planned': 2 })]));
    const after = fromJson(op('Limit', [op('Sort', [scan('Bitmap Heap Scan', 'orders', { Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'i', 'Total Cost': 4, 'Plan Rows': 10, 'Plan Width': 0 }] })], sortKey)]));
    expect(lines(diffPlans(before, after))).toEqual(['matched Limit', '  matched Sort', '    replaced Parallel Seq Scan → Bitmap Heap Scan orders', '      added Bitmap Index Scan', '  removed Gather Merge']);
    expect(lines(diffPlans(after, before))).toEqual(['matched Limit', '  added Gather Merge', '    matched Sort', '      replaced Bitmap Heap Scan → Parallel Seq Scan orders', '        removed Bitmap Index Scan']);
  });

  it('puts removed nodes under their old parent, with their own removed children', () => {
    const before = fromJson(op('Sort', [op('Hash Join', [scan('Seq Scan', 'a'), op('Hash', [scan('Seq Scan', 'b')])], { 'Join Type': 'Inner' })], { 'Sort Key': ['x'] }));
    const after = fromJson(op('Sort', [scan('Seq Scan', 'a')], { 'Sort Key': ['x'] }));
    const d = diffPlans(before, after);
    expect(lines(d)).toEqual(['matched Sort', '  matched Seq Scan a', '  removed Hash Join', '    removed Hash', '      removed Seq Scan b']);
    d.rows.forEach((r, i) => {
      if (r.parent >= 0) expect(d.rows[r.parent]!.end).toBeGreaterThanOrEqual(r.end);
      expect(r.end).toBeGreaterThan(i);
    });
  });

  it('adds a new root above the old one (a Limit) and finds the old root below it', () => {
    const d = diffPlans(fromFixture('postgres/pk-lookup.plain.json'), fromFixture('postgres/index-range-limit.analyze-buffers.json'));
    expect(lines(d)).toEqual(['added Limit', '  matched Index Scan orders']);
  });

  it('an old root that matches nothing is shown removed under the new root', () => {
    const d = diffPlans(fromJson(op('Aggregate', [scan('Seq Scan', 'a')])), fromJson(scan('Seq Scan', 'b')));
    expect(lines(d)).toEqual(['added Seq Scan b', '  removed Aggregate', '    removed Seq Scan a']);
  });

  it('gives totals before → after and per-row changes in time, cost and rows', () => {
    const before = fromFixture('postgres/seq-scan-filter.analyze-buffers.json');
    const after = fromFixture('postgres/pk-lookup.analyze-buffers.json');
    const d = diffPlans(before, after);
    const totals = Object.fromEntries(d.totals.map((t) => [t.label, [t.before, t.after]]));
    expect(totals['Execution time']).toEqual([before.flat.executionMs, after.flat.executionMs]);
    expect(totals['Total cost']).toEqual([before.flat.nodes[0]!.totalCost, after.flat.nodes[0]!.totalCost]);
    expect(totals['Nodes']).toEqual([before.flat.nodeCount, after.flat.nodeCount]);
    expect(totals['Warnings and critical findings']![0]).toBeGreaterThan(0);
    const scanRow = d.rows.find((r) => r.before >= 0 && r.after >= 0 && d.after.flat.nodes[r.after]!.relation === 'orders')!;
    const change = rowChange(d, scanRow);
    expect(change.time).toEqual([before.flat.nodes[scanRow.before]!.exclusiveMs, after.flat.nodes[scanRow.after]!.exclusiveMs]);
    expect(change.cost![0]).toBeGreaterThan(change.cost![1]!);
    expect(change.rows).toEqual([before.flat.nodes[scanRow.before]!.actualRows! * before.flat.nodes[scanRow.before]!.loops!, 1]);
  });

  it('compares SQLite plans by step, table and index', () => {
    const d = diffPlans(fromFixture('sqlite/full-scan.tree.txt'), fromFixture('sqlite/pk-lookup.tree.txt'));
    expect(d.rows[0]).toMatchObject({ before: 0, after: 0, status: 'matched' });
    expect(d.counts.replaced + d.counts.added + d.counts.removed).toBeGreaterThan(0);
  });

  it('stays linear on two 10,000-partition plans', () => {
    const a = parsePlan(partitionedPlanJson(10_000));
    const v = buildPlanView(flattenPlan(a));
    const t0 = performance.now();
    const d = diffPlans(v, v);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(d.counts.matched).toBe(10_002);
  });
});

describe('formatChange', () => {
  it('says how a number changed', () => {
    const cases: [number | undefined, number | undefined, string][] = [
      [100, 60, '−40%'],
      [100, 112, '+12%'],
      [100, 103.3, '+3.3%'],
      [100, 100, '='],
      [3, 3.001, '≈'],
      [100, 50, '÷2'],
      [1000, 1, '÷1,000'],
      [10, 35, '×3.5'],
      [undefined, 5, 'new'],
      [5, undefined, 'gone'],
      [0, 5, '+∞'],
    ];
    expect(cases.map(([b, a]) => formatChange(b, a))).toEqual(cases.map(([, , s]) => s));
  });
});
