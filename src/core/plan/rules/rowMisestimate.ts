// row-misestimate: the planner expected far fewer or far more rows than it got, so the plan above this node was
// chosen for the wrong input size (join method, join order, memory).
import type { Finding } from '../../findings';
import type { PlanNode } from '../model';
import type { PlanRule, RuleContext } from './context';
import { fmt, nodeName, r, severityOf, timeScore } from './context';

/** An order of magnitude is where estimates start to change plan choices; it is the line pev2 and pgMustard draw too. */
export const MISESTIMATE_RATIO = 10;
/** Both numbers below this are too small for the difference to change a plan. */
export const MISESTIMATE_MIN_ROWS = 100;
/** Correcting an estimate saves time only if the plan changes; credit half of the time of the node that consumed it. */
export const MISESTIMATE_WEIGHT = 0.5;

/** Under a Limit, or on the probe side of a semi/anti join, a node is stopped early by design: fewer rows is expected. */
function stoppedEarly(ctx: RuleContext, node: PlanNode): boolean {
  for (let p = ctx.parent.get(node); p; p = ctx.parent.get(p)) {
    if (p.nodeType === 'Limit' || p.nodeType === 'LIMIT' || p.nodeType === 'STREAMING_LIMIT' || p.nodeType === 'TOP_N') return true;
    if (p.joinType === 'Semi' || p.joinType === 'Anti' || p.nodeType === 'Merge Join') return true;
  }
  return false;
}

/** A node whose row estimate was off by at least MISESTIMATE_RATIO, as every dialect's misestimate rule sees it. */
export interface Misestimate {
  node: PlanNode & { planRows: number; actualRows: number };
  ratio: number;
  direction: 'under' | 'over';
  /** Credit for fixing it: half the time of the node that consumed the rows. */
  score: number;
}

/**
 * The nodes of an analyzed plan whose estimate was an order of magnitude off, on both sides of at least
 * MISESTIMATE_MIN_ROWS; an overestimate is dropped where `expectedFewer` says the node was stopped early by design.
 */
export function misestimates(ctx: RuleContext, expectedFewer: (node: PlanNode) => boolean): Misestimate[] {
  const out: Misestimate[] = [];
  if (!ctx.plan.analyzed) return out;
  for (const node of ctx.nodes) {
    if (node.neverExecuted || node.actualRows === undefined || node.planRows === undefined) continue;
    const est = Math.max(1, node.planRows);
    const act = Math.max(1, node.actualRows);
    if (Math.max(est, act) < MISESTIMATE_MIN_ROWS) continue;
    const ratio = est > act ? est / act : act / est;
    if (ratio < MISESTIMATE_RATIO) continue;
    const direction = act > est ? 'under' : 'over';
    if (direction === 'over' && expectedFewer(node)) continue;
    const consumer = ctx.parent.get(node) ?? node;
    const score = timeScore(ctx, (consumer.inclusiveMs ?? 0) * MISESTIMATE_WEIGHT);
    out.push({ node: node as Misestimate['node'], ratio, direction, score });
  }
  return out;
}

export const rowMisestimate: PlanRule = {
  id: 'row-misestimate',
  dialect: ['postgres', 'duckdb'],
  check(ctx) {
    return misestimates(ctx, (node) => stoppedEarly(ctx, node)).map(({ node, ratio, direction, score }): Finding => {
      const advice =
        ctx.plan.dialect === 'duckdb'
          ? 'DuckDB estimates from row counts and simple statistics, so correlated or computed conditions mislead it; when a join order suffers, filter in a CTE first or join in the order you want'
          : direction === 'under'
            ? 'correlated columns or stale statistics are typical causes: run ANALYZE, raise the statistics target, or CREATE STATISTICS on the columns used together'
            : 'stale statistics or a condition the planner cannot see through are typical causes: run ANALYZE or simplify the condition';
      return {
        rule: 'row-misestimate',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message: `${nodeName(node)} was estimated at ${fmt(node.planRows)} rows but returned ${fmt(node.actualRows)} per loop (${direction}estimated ${Math.round(ratio)}×); ${advice}${node.filter ? ` (Filter ${node.filter})` : ''}.`,
        evidence: { estimatedRows: node.planRows, actualRows: node.actualRows, loops: node.loops ?? 1, ratio: r(ratio, 1), direction },
      };
    });
  },
};
