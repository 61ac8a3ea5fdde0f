import { describe, expect, it } from 'vitest';
import { preorder } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { fixture, fixtureFiles } from './fixtures';

describe('inclusive and exclusive time', () => {
  it('multiplies per-loop time by loops (nested loop inner side, 300 loops)', () => {
    const plan = parsePlan(fixture('postgres/nested-loop-inner-scan.analyze-buffers.txt'));
    const inner = plan.root.children[1]!;
    expect(inner.loops).toBe(300);
    expect(inner.inclusiveMs).toBeCloseTo(inner.actualTotalMs! * 300, 6);
    expect(plan.root.exclusiveMs).toBeCloseTo(plan.root.inclusiveMs! - inner.inclusiveMs! - plan.root.children[0]!.inclusiveMs!, 6);
  });

  it('divides by the processes under a Gather: workers report per-process averages and loops count processes', () => {
    const plan = parsePlan(fixture('postgres/seq-scan-filter.analyze-buffers.txt'));
    const gather = plan.root;
    const scan = gather.children[0]!;
    expect(scan.loops).toBe(3);
    // Wall-clock time of the parallel scan is its per-process average, not three times it.
    expect(scan.inclusiveMs).toBeCloseTo(scan.actualTotalMs!, 6);
    expect(scan.inclusiveMs!).toBeLessThanOrEqual(gather.inclusiveMs!);
    expect(gather.exclusiveMs).toBeCloseTo(gather.inclusiveMs! - scan.inclusiveMs!, 6);
  });

  it('uses the launched processes when no workers started (loops = 1, leader only)', () => {
    const plan = parsePlan(fixture('postgres/workers-not-launched.analyze-buffers.json'));
    const scan = preorder(plan.root).find((n) => n.nodeType === 'Seq Scan')!;
    expect(scan.loops).toBe(1);
    expect(scan.inclusiveMs).toBeCloseTo(scan.actualTotalMs!, 6);
  });

  it("counts a SubPlan's and an InitPlan's time in the node that runs them, and a CTE's in the CTE Scans that read it", () => {
    const plan = parsePlan(fixture('postgres/cte-initplan-subplan.analyze-buffers.json'));
    const root = plan.root;
    const [cte, init, cteScan, hash, sub] = root.children;
    expect(cte!.subplanName).toBe('CTE big');
    expect(sub!.parentRelationship).toBe('SubPlan');
    // The root pays for the InitPlan, the SubPlan (199 loops) and its data-flow children, but not for the CTE directly.
    const expectedRoot = root.inclusiveMs! - init!.inclusiveMs! - cteScan!.inclusiveMs! - hash!.inclusiveMs! - sub!.inclusiveMs!;
    expect(root.exclusiveMs).toBeCloseTo(Math.max(0, expectedRoot), 6);
    expect(sub!.inclusiveMs).toBeCloseTo(sub!.actualTotalMs! * 199, 6);
    // The CTE's own time is taken out of the CTE Scans, so no time is counted twice and none is negative.
    const scans = preorder(root).filter((n) => n.nodeType === 'CTE Scan');
    expect(scans).toHaveLength(2);
    const scanExclusive = scans.reduce((s, n) => s + n.exclusiveMs!, 0);
    const scanInclusive = scans.reduce((s, n) => s + n.inclusiveMs!, 0);
    expect(scanExclusive).toBeCloseTo(Math.max(0, scanInclusive - cte!.inclusiveMs!), 6);
    const totalExclusive = preorder(root).reduce((s, n) => s + n.exclusiveMs!, 0);
    expect(totalExclusive).toBeLessThanOrEqual(root.inclusiveMs! * 1.001);
  });

  it.each(fixtureFiles('postgres').filter((f) => /analyze/.test(f) && !/cte/.test(f)))('%s: exclusive times add up to the root time', (file) => {
    const plan = parsePlan(fixture(file));
    const nodes = preorder(plan.root);
    const sum = nodes.reduce((s, n) => s + (n.exclusiveMs ?? 0), 0);
    // Clamping at zero can only add time; rounding in the printed numbers allows a little slack either way.
    expect(sum).toBeGreaterThanOrEqual(plan.root.inclusiveMs! * 0.98);
    expect(sum).toBeLessThanOrEqual(plan.root.inclusiveMs! * 1.1 + 0.05);
  });

  it('computes exclusive cost as total cost minus the children, never negative', () => {
    const plan = parsePlan(fixture('postgres/hash-spill.analyze-buffers.json'));
    const [outer, hash] = plan.root.children;
    expect(plan.root.exclusiveCost).toBeCloseTo(plan.root.totalCost! - outer!.totalCost! - hash!.totalCost!, 6);
    for (const n of preorder(plan.root)) expect(n.exclusiveCost!).toBeGreaterThanOrEqual(0);
  });
});
