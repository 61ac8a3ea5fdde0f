// Folding repeated siblings, visible rows, collapse and expand, search and reveal, on real and generated plans.
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { buildPlanView, flattenPlan, foldSummary, searchText, type PlanView } from '../../../src/core/plan/view';
import {
  collapseAll,
  expandAll,
  findFolds,
  FOLD_MIN_RUN,
  indexFolds,
  newTreeState,
  reveal,
  rowTarget,
  searchItems,
  visibleRows,
  type TreeItem,
} from '../../../src/core/plan/viewTree';
import { load } from './fixtures';
import { deepPlanJson, partitionedPlanJson } from './generate';

function planView(text: string): PlanView {
  const plan = parsePlan(text);
  return buildPlanView(flattenPlan(plan, analyzePlan(plan)));
}

function folded(v: PlanView) {
  return indexFolds(v.nodes, findFolds(v.nodes, (i) => v.nodes[i]!.head));
}

/** A tree from a list of [parent, key] pairs in preorder. */
function tree(spec: [number, string][]): { items: TreeItem[]; keys: string[] } {
  const items: TreeItem[] = spec.map(([parent]) => ({ parent, depth: 0, end: 0 }));
  items.forEach((it, i) => {
    it.depth = it.parent < 0 ? 0 : items[it.parent]!.depth + 1;
    it.end = i + 1;
  });
  for (let i = items.length - 1; i > 0; i--) {
    const p = items[i]!.parent;
    if (items[i]!.end > items[p]!.end) items[p]!.end = items[i]!.end;
  }
  return { items, keys: spec.map(([, k]) => k) };
}

describe('folding repeated siblings', () => {
  it('folds the 24 partitions of a real Append into one row that says what it stands for', () => {
    const { plan, findings } = load('postgres/partitions.analyze-buffers.json');
    const v = buildPlanView(flattenPlan(plan, findings));
    const f = folded(v);
    expect(f.folds).toHaveLength(1);
    expect(f.folds[0]).toMatchObject({ parent: 1, start: 2, end: 26 });
    expect(f.folds[0]!.members).toHaveLength(24);
    const s = foldSummary(v, f.folds[0]!);
    expect(s).toMatchObject({ head: 'Seq Scan', count: 24, first: 'events_p0000 events_1', last: 'events_p0023 events_24' });
    expect(s.metric).toBeCloseTo(v.nodes.slice(2).reduce((sum, n) => sum + (n.metric ?? 0), 0), 6);
    expect(s.actualRows).toBe(v.flat.nodes.slice(2).reduce((sum, n) => sum + n.actualRows! * n.loops!, 0));
    expect(visibleRows(v.nodes, f, newTreeState())).toEqual([0, 1, -1]);
  });

  it(`folds from ${FOLD_MIN_RUN} like siblings in a row, only runs of the same shape, subtrees included`, () => {
    // root → A A A (three: not folded) · B(x) B(x) B(x) B(x) (folded) · B(y) (a different shape ends the run)
    const spec: [number, string][] = [[-1, 'root'], [0, 'A'], [0, 'A'], [0, 'A']];
    for (let i = 0; i < 4; i++) spec.push([0, 'B'], [spec.length, 'x']);
    spec.push([0, 'B'], [spec.length, 'y']);
    const { items, keys } = tree(spec);
    const folds = findFolds(items, (i) => keys[i]!);
    expect(folds).toHaveLength(1);
    expect(folds[0]).toMatchObject({ parent: 0, members: [4, 6, 8, 10], start: 4, end: 12 });
    const rows = visibleRows(items, indexFolds(items, folds), newTreeState());
    expect(rows).toEqual([0, 1, 2, 3, -1, 12, 13]);
  });

  it('an expanded fold keeps its row as a header above its members', () => {
    const { plan } = load('postgres/partitions.analyze-buffers.json');
    const v = buildPlanView(flattenPlan(plan));
    const f = folded(v);
    const state = newTreeState();
    state.expandedFolds.add(0);
    const rows = visibleRows(v.nodes, f, state);
    expect(rows.slice(0, 4)).toEqual([0, 1, -1, 2]);
    expect(rows).toHaveLength(27);
    expect(rowTarget(-1)).toEqual({ fold: 0 });
    expect(rowTarget(5)).toEqual({ node: 5 });
  });

  it('folds 10,000 partitions into one row, and reveals the slow one inside when asked', () => {
    const v = planView(partitionedPlanJson(10_000));
    const f = folded(v);
    expect(f.folds).toHaveLength(1);
    expect(f.folds[0]!.members).toHaveLength(10_000);
    const state = newTreeState();
    expect(visibleRows(v.nodes, f, state)).toHaveLength(3);
    // The generated plan makes partition 4321 (node #4324) slow, which the rules flag.
    const slow = v.byId.get('#4324')!;
    expect(v.nodes[slow]!.findings.length).toBeGreaterThan(0);
    expect(foldSummary(v, f.folds[0]!).rules.length).toBeGreaterThan(0);
    expect(reveal(v.nodes, f, state, slow)).toBe(true);
    const rows = visibleRows(v.nodes, f, state);
    expect(rows).toContain(slow);
    expect(reveal(v.nodes, f, state, slow)).toBe(false);
  });
});

describe('collapse and expand', () => {
  it('a collapsed node hides its subtree; collapse all keeps the root open; expand all shows everything', () => {
    const { plan } = load('postgres/cte-initplan-subplan.analyze-buffers.json');
    const v = buildPlanView(flattenPlan(plan));
    const f = folded(v);
    const state = newTreeState();
    expect(visibleRows(v.nodes, f, state)).toHaveLength(11);
    state.collapsed.add(1); // #2 HashAggregate over #3
    expect(visibleRows(v.nodes, f, state)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 10]);
    collapseAll(v.nodes, state);
    expect(visibleRows(v.nodes, f, state)).toEqual([0, 1, 3, 5, 6, 8]);
    expect(reveal(v.nodes, f, state, 10)).toBe(true);
    expect(visibleRows(v.nodes, f, state)).toEqual([0, 1, 3, 5, 6, 8, 9, 10]);
    expandAll(state);
    expect(visibleRows(v.nodes, f, state)).toHaveLength(11);
  });

  it('walks a 10,000-deep plan without recursion', () => {
    const v = planView(deepPlanJson(10_000));
    const f = folded(v);
    expect(f.folds).toHaveLength(0);
    const state = newTreeState();
    expect(visibleRows(v.nodes, f, state)).toHaveLength(10_001);
    collapseAll(v.nodes, state);
    expect(visibleRows(v.nodes, f, state)).toEqual([0, 1]);
    reveal(v.nodes, f, state, 10_000);
    expect(visibleRows(v.nodes, f, state)).toHaveLength(10_001);
  });
});

describe('search', () => {
  it('finds nodes by relation, index and node type; every word must match; empty finds nothing', () => {
    const { plan } = load('postgres/cte-initplan-subplan.analyze-buffers.json');
    const v = buildPlanView(flattenPlan(plan));
    const texts = v.flat.nodes.map(searchText);
    const ids = (q: string) => searchItems(texts, q).map((i) => v.nodes[i]!.id);
    expect(ids('customers_pkey')).toEqual(['#8']);
    expect(ids('CTE SCAN')).toEqual(['#5', '#6']);
    expect(ids('orders')).toEqual(['#3', '#10', '#11']);
    expect(ids('bitmap orders_customer_id')).toEqual(['#11']);
    expect(ids('  ')).toEqual([]);
    expect(ids('no-such-thing')).toEqual([]);
  });
});
