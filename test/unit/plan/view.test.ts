// The plan view's model: flattening, rows (labels, metrics, misestimates, buffers, workers), findings on nodes, and
// the details every node shows, on real captured plans.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/findings';
import { parsePlan } from '../../../src/core/plan/parse';
import {
  buildPlanView,
  flattenPlan,
  formatCost,
  formatCount,
  formatFactor,
  formatMs,
  misestimateOf,
  nodeFields,
  planFields,
  searchText,
  type PlanView,
} from '../../../src/core/plan/view';
import { fixtureFiles, load } from './fixtures';
import { deepPlanJson, partitionedPlanJson } from './generate';

function view(path: string): PlanView {
  const { plan, findings } = load(path);
  return buildPlanView(flattenPlan(plan, findings));
}

describe('flattenPlan', () => {
  it('lists nodes in preorder with parent indices and no nesting', () => {
    const { plan } = load('postgres/cte-initplan-subplan.analyze-buffers.json');
    const flat = flattenPlan(plan);
    expect(flat.nodes.map((n) => n.id)).toEqual(Array.from({ length: 11 }, (_, i) => `#${i + 1}`));
    expect(flat.nodes.map((n) => n.parent)).toEqual([-1, 0, 1, 0, 3, 0, 0, 6, 0, 8, 9]);
    expect(flat.nodes.every((n) => !('children' in n))).toBe(true);
    expect(flat).toMatchObject({ dialect: 'postgres', format: 'json', analyzed: true, nodeCount: 11 });
  });

  it('survives JSON on a 10,000-deep plan (the webview and the HTML report receive it as JSON)', () => {
    const plan = parsePlan(deepPlanJson(10_000));
    const text = JSON.stringify(flattenPlan(plan));
    const back = buildPlanView(JSON.parse(text) as ReturnType<typeof flattenPlan>);
    expect(back.nodes).toHaveLength(10_001);
    expect(back.nodes[10_000]!.depth).toBe(10_000);
    expect(back.nodes[0]!.end).toBe(10_001);
  });

  it('keeps plan findings in order and leaves schema findings out', () => {
    const { plan } = load('postgres/jit.analyze-buffers.json');
    const schema: Finding = { rule: 'no-primary-key', severity: 'warning', score: 1, message: 'm', object: 'public.t', evidence: {} };
    const node: Finding = { rule: 'hotspot', severity: 'info', score: 1, message: 'm', node: '#2', evidence: {} };
    expect(flattenPlan(plan, [node, schema]).findings).toEqual([node]);
  });
});

describe('buildPlanView rows', () => {
  it('splits every label into the node type and a short label from relation, alias, index, CTE and join type', () => {
    const v = view('postgres/cte-initplan-subplan.analyze-buffers.json');
    const row = (id: string) => v.nodes[v.byId.get(id)!]!;
    expect([row('#1').head, row('#1').detail]).toEqual(['Hash Join', 'inner join']);
    expect([row('#2').head, row('#2').detail]).toEqual(['HashAggregate', 'CTE big']);
    expect([row('#4').head, row('#4').detail]).toEqual(['Aggregate', 'InitPlan 3 (returns $2)']);
    expect([row('#6').head, row('#6').detail]).toEqual(['CTE Scan', 'big b']);
    expect([row('#8').head, row('#8').detail]).toEqual(['Index Only Scan', 'customers c · using customers_pkey']);
    expect([row('#11').head, row('#11').detail]).toEqual(['Bitmap Index Scan', 'using orders_customer_id']);
  });

  it('gives the same rows for the JSON and the text capture of one plan', () => {
    const json = view('postgres/cte-initplan-subplan.analyze-buffers.json');
    const text = view('postgres/cte-initplan-subplan.analyze-buffers.txt');
    expect(text.nodes.map((n) => [n.head, n.depth, n.end])).toEqual(json.nodes.map((n) => [n.head, n.depth, n.end]));
  });

  it('measures exclusive time with ANALYZE, exclusive cost without, and nothing for SQLite', () => {
    const analyzed = view('postgres/seq-scan-filter.analyze-buffers.json');
    expect(analyzed.metric).toBe('time');
    expect(analyzed.nodes[0]!.metric).toBe(analyzed.flat.nodes[0]!.exclusiveMs);
    expect(analyzed.maxMetric).toBe(Math.max(...analyzed.nodes.map((n) => n.metric ?? 0)));
    const plain = view('postgres/seq-scan-filter.plain.json');
    expect(plain.metric).toBe('cost');
    expect(plain.nodes[0]!.metric).toBe(plain.flat.nodes[0]!.exclusiveCost);
    expect(plain.nodes[0]!.inclusive).toBe(plain.flat.nodes[0]!.totalCost);
    const sqlite = view('sqlite/compound.tree.txt');
    expect(sqlite.metric).toBe('none');
    expect(sqlite.nodes.every((n) => n.metric === undefined)).toBe(true);
  });

  it('shows estimated against actual rows with the factor and direction of the misestimate', () => {
    const v = view('postgres/jit.analyze-buffers.json');
    const scan = v.nodes[1]!;
    expect([scan.planRows, scan.actualRows]).toEqual([100, 2857]);
    expect(scan.misestimate).toEqual({ factor: 28.57, direction: 'under' });
    expect(misestimateOf({ planRows: 5000, actualRows: 50 })).toEqual({ factor: 100, direction: 'over' });
    expect(misestimateOf({ planRows: 1, actualRows: 0 })).toEqual({ factor: 1, direction: 'under' });
    expect(misestimateOf({ planRows: 10, actualRows: 0, neverExecuted: true })).toBeUndefined();
    expect(misestimateOf({ planRows: 10 })).toBeUndefined();
  });

  it('carries loops, buffers hit and read, and workers planned and launched', () => {
    const parallel = view('postgres/parallel.analyze-buffers.json');
    const gather = parallel.nodes.find((n) => n.head === 'Gather Merge')!;
    expect(gather.workersPlanned).toBe(2);
    expect(gather.workersLaunched).toBe(2);
    const scan = parallel.nodes.find((n) => n.head === 'Parallel Seq Scan')!;
    expect(scan.loops).toBe(3);
    const notLaunched = view('postgres/workers-not-launched.analyze-buffers.json').nodes.find((n) => n.workersPlanned !== undefined)!;
    expect(notLaunched.workersLaunched).toBe(0);
    const cold = view('postgres/seq-scan-filter.analyze-buffers.json').nodes.find((n) => n.head.endsWith('Seq Scan'))!;
    // The fixture's table is larger than a quarter of shared_buffers, so its scan reads from outside the cache.
    expect(cold.read).toBeGreaterThan(0);
    expect(cold.hit).toBeDefined();
  });

  it('pins findings on their nodes, plan-wide ones on the root, worst first, numbered as the chat numbers them', () => {
    const v = view('postgres/jit.analyze-buffers.json');
    const jit = v.findings.find((f) => f.rule === 'jit-overhead')!;
    expect(jit).toMatchObject({ nodeIndex: 0, planWide: true });
    expect(v.findings.map((f) => f.id)).toEqual(v.findings.map((_, i) => `F${i + 1}`));
    for (const f of v.findings) expect(v.nodes[f.nodeIndex]!.findings).toContain(v.findings.indexOf(f));
    const trigger = view('postgres/trigger-fk.analyze-buffers.json').findings.find((f) => f.rule === 'trigger-time')!;
    expect(trigger).toMatchObject({ nodeIndex: 0, planWide: true });
    const { plan } = load('postgres/pk-lookup.analyze.json');
    const stray: Finding = { rule: 'x', severity: 'warning', score: 1, message: 'm', node: '#99', evidence: {} };
    const lost = buildPlanView(flattenPlan(plan, [stray]));
    expect(lost.findings[0]).toMatchObject({ nodeIndex: 0, planWide: true });
    const several = buildPlanView(
      flattenPlan(plan, [
        { rule: 'a', severity: 'info', score: 1, message: '', node: '#1', evidence: {} },
        { rule: 'b', severity: 'critical', score: 4, message: '', node: '#1', evidence: {} },
      ]),
    );
    expect(several.nodes[0]!.findings.map((i) => several.findings[i]!.rule)).toEqual(['b', 'a']);
  });

  it('reads SQLite plans: the synthetic root is #0 and each step shows what the detail says', () => {
    const v = view('sqlite/compound.tree.txt');
    expect(v.nodes.map((n) => n.id)).toEqual(['#0', '#1', '#2', '#3', '#4', '#5']);
    expect([v.nodes[3]!.head, v.nodes[3]!.detail]).toEqual(['SEARCH', 'authors USING INTEGER PRIMARY KEY (rowid<?)']);
    const auto = view('sqlite/auto-index.tree.txt');
    expect(auto.findings.some((f) => f.rule === 'sqlite-auto-index' && auto.nodes[f.nodeIndex]!.id !== '#0')).toBe(true);
  });

  it('builds from every captured fixture, with subtree ends that nest', () => {
    for (const file of [...fixtureFiles('postgres'), ...fixtureFiles('sqlite')]) {
      const v = view(file);
      v.nodes.forEach((n, i) => {
        expect(n.end, file).toBeGreaterThan(i);
        if (n.parent >= 0) expect(n.end, file).toBeLessThanOrEqual(v.nodes[n.parent]!.end);
      });
    }
  });

  it('matches search text on node type, relation, alias, index, CTE and function names', () => {
    const v = view('postgres/cte-initplan-subplan.analyze-buffers.json');
    const scan = searchText(v.flat.nodes[v.byId.get('#8')!]!);
    for (const word of ['index only scan', 'customers', 'customers_pkey', ' c']) expect(scan).toContain(word.trim());
  });
});

describe('node details', () => {
  it('lists every field the node carries, named as PostgreSQL names them, nested groups one counter per line', () => {
    const v = view('postgres/seq-scan-filter.analyze-buffers.json');
    const scan = v.flat.nodes.find((n) => n.filter !== undefined)!;
    const fields = Object.fromEntries(nodeFields(scan));
    expect(fields['Node Type']).toBe(scan.nodeType);
    expect(fields['Filter']).toBe(scan.filter);
    expect(fields['Relation Name']).toBe('orders');
    expect(fields['Rows Removed by Filter']).toBe(scan.rowsRemovedByFilter!.toLocaleString('en-US'));
    expect(fields['Buffers: Shared Read']).toBe(scan.buffers!.sharedRead.toLocaleString('en-US'));
    // One line per defined scalar field, and one per counter of each nested group (buffers, I/O, WAL).
    let expected = 0;
    for (const [k, val] of Object.entries(scan) as [string, unknown][]) {
      if (val === undefined || k === 'parent') continue;
      expected += typeof val === 'object' && val !== null && !Array.isArray(val) ? Object.keys(val).length : 1;
    }
    expect(nodeFields(scan)).toHaveLength(expected);
  });

  it('names fields the model gains later instead of hiding them', () => {
    const { plan } = load('postgres/pk-lookup.analyze.json');
    const flat = flattenPlan(plan);
    (flat.nodes[0] as unknown as Record<string, unknown>)['asyncCapable'] = true;
    expect(nodeFields(flat.nodes[0]!)).toContainEqual(['Async Capable', 'yes']);
  });

  it('shows plan-wide facts: timings, triggers, JIT and settings', () => {
    const trig = Object.fromEntries(planFields(view('postgres/trigger-fk.analyze-buffers.json').flat));
    expect(Object.keys(trig).some((k) => k.startsWith('Trigger '))).toBe(true);
    expect(trig['Execution Time']).toMatch(/ms$/);
    const jit = Object.fromEntries(planFields(view('postgres/jit.analyze-buffers.json').flat));
    expect(jit['JIT Functions']).toBeDefined();
    const settings = Object.fromEntries(planFields(view('postgres/sort-spill.analyze-buffers-settings.json').flat));
    expect(settings['Setting work_mem']).toBe('64kB');
  });
});

describe('formatting', () => {
  it('formats times, counts, costs and factors for narrow columns', () => {
    expect([formatMs(0), formatMs(0.0123), formatMs(12.34), formatMs(1234.5), formatMs(65_432)]).toEqual(['0 ms', '0.012 ms', '12.3 ms', '1,235 ms', '65.4 s']);
    expect([formatCount(714), formatCount(9999), formatCount(71_400), formatCount(7_140_000), formatCount(2.5e9)]).toEqual(['714', '9,999', '71.4k', '7.14M', '2.5G']);
    expect([formatCost(8.44), formatCost(10318.5)]).toEqual(['8.44', '10,319']);
    expect([formatFactor(1.04), formatFactor(28.57), formatFactor(12_345)]).toEqual(['1×', '29×', '12.3k×']);
  });
});

describe('a generated 10,000-partition plan', () => {
  it('builds its view quickly', () => {
    const plan = parsePlan(partitionedPlanJson(10_000));
    const flat = flattenPlan(plan);
    const t0 = performance.now();
    const v = buildPlanView(JSON.parse(JSON.stringify(flat)) as typeof flat);
    const ms = performance.now() - t0;
    expect(v.nodes).toHaveLength(10_002);
    // Generous: about 10 ms on a developer machine; this only catches an accidental quadratic walk.
    expect(ms).toBeLessThan(1000);
  });
});
