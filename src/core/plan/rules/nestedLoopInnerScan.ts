// nested-loop-inner-scan: a nested loop whose inner side is a full scan re-run once per outer row.
import type { Finding } from '../../findings';
import type { PlanNode } from '../model';
import type { PlanRule } from './context';
import { flowChildren, fmt, nodeName, r, severityOf, subtreeScore } from './context';

/** Re-running a scan this many times is where nested loops stop being cheap (pgMustard flags loops in the hundreds). */
export const NESTED_LOOP_MIN_LOOPS = 100;

/** Materialize keeps rows in memory but still walks all of them per outer row, so look through it. */
function innerScan(node: PlanNode): PlanNode | undefined {
  let n: PlanNode | undefined = node;
  while (n && n.nodeType === 'Materialize') n = flowChildren(n)[0];
  return n && (n.nodeType === 'Seq Scan' || n.nodeType === 'Bitmap Heap Scan') ? n : undefined;
}

export const nestedLoopInnerScan: PlanRule = {
  id: 'nested-loop-inner-scan',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'Nested Loop') continue;
      const [outer, inner] = flowChildren(node);
      if (!outer || !inner) continue;
      const scan = innerScan(inner);
      if (!scan || scan.nodeType !== 'Seq Scan') continue;
      const loops = ctx.plan.analyzed ? (inner.loops ?? 0) : (outer.planRows ?? 0);
      if (loops < NESTED_LOOP_MIN_LOOPS) continue;
      const score = subtreeScore(ctx, inner);
      out.push({
        rule: 'nested-loop-inner-scan',
        severity: severityOf(score),
        score,
        node: inner.id,
        message: `${nodeName(node)} runs ${nodeName(scan)} ${ctx.plan.analyzed ? '' : 'an estimated '}${fmt(loops)} times, once per outer row; an index on the join column of ${scan.relation ?? 'the inner table'} would turn each run into a lookup (or let the planner pick a hash join).`,
        evidence: { loops, innerInclusiveMs: r(inner.inclusiveMs), innerRowsPerLoop: inner.actualRows ?? inner.planRows ?? null, relation: scan.relation ?? null },
      });
    }
    return out;
  },
};
