// planning-time: planning took longer than executing, and long enough to matter.
import type { PlanRule } from './context';
import { r, severityOf } from './context';

/** Under 10 ms planning is noise even when it exceeds a sub-millisecond execution (a primary-key lookup, say). */
export const PLANNING_MIN_MS = 10;

export const planningTime: PlanRule = {
  id: 'planning-time',
  dialect: 'postgres',
  check(ctx) {
    const { planningMs, executionMs } = ctx.plan;
    if (planningMs === undefined || executionMs === undefined) return [];
    if (planningMs < PLANNING_MIN_MS || planningMs <= executionMs) return [];
    const share = planningMs / (planningMs + executionMs);
    const score = Math.round(5 * share * 10) / 10;
    return [
      {
        rule: 'planning-time',
        severity: severityOf(score),
        score,
        node: ctx.plan.root.id,
        message: `Planning took ${r(planningMs)} ms, more than execution (${r(executionMs)} ms); use a prepared statement so the plan is reused, reduce the partitions or joins the planner must consider, or check for bloated catalogs.`,
        evidence: { planningMs: r(planningMs), executionMs: r(executionMs), share: r(share, 4) },
      },
    ];
  },
};
