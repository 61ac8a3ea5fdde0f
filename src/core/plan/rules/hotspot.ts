// hotspot: where most of the time (or, without ANALYZE, the estimated cost) goes. Always reported, as information,
// so the prompt and the views can point at the node that matters even when no other rule fires.
import type { Finding } from '../../findings';
import type { PlanNode } from '../model';
import type { PlanRule } from './context';
import { nodeName, pct, r } from './context';

export const hotspot: PlanRule = {
  id: 'hotspot',
  dialect: ['postgres', 'duckdb'],
  check(ctx): Finding[] {
    const byTime = ctx.plan.analyzed && ctx.totalMs !== undefined;
    let best: PlanNode | undefined;
    let bestValue = -1;
    for (const n of ctx.nodes) {
      const v = byTime ? (n.exclusiveMs ?? -1) : (n.exclusiveCost ?? -1);
      if (v > bestValue) {
        best = n;
        bestValue = v;
      }
    }
    if (!best || bestValue < 0) return [];
    const total = byTime ? ctx.totalMs! : (ctx.totalCost ?? 0);
    const share = total > 0 ? Math.min(1, bestValue / total) : 0;
    // When triggers or JIT dominate, the busiest node is a small share of the run; say where the rest went.
    const treeShare = byTime && ctx.plan.root.inclusiveMs !== undefined ? ctx.plan.root.inclusiveMs / ctx.totalMs! : 1;
    const elsewhere: string[] = [];
    if (ctx.plan.triggers.some((t) => (t.timeMs ?? 0) > 0)) elsewhere.push('triggers');
    if (ctx.plan.jit?.totalMs) elsewhere.push('JIT');
    const note = treeShare < 0.5 ? ` The plan tree itself accounts for only ${pct(treeShare)} of execution; the rest went to ${elsewhere.length ? elsewhere.join(' and ') : 'work outside the plan nodes'}.` : '';
    return [
      {
        rule: 'hotspot',
        severity: 'info',
        score: 0,
        node: best.id,
        message: byTime
          ? `${nodeName(best)} is where most time goes: ${r(bestValue)} ms of its own, ${pct(share)} of execution.${note}`
          : `${nodeName(best)} carries most of the estimated cost: ${r(bestValue)} of ${r(total)} (${pct(share)}).`,
        evidence: byTime ? { exclusiveMs: r(bestValue), share: r(share, 4) } : { exclusiveCost: r(bestValue), share: r(share, 4) },
      },
    ];
  },
};
