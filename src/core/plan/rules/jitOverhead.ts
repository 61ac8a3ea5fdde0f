// jit-overhead: JIT compilation took a large share of the run, typically for a short query whose estimated cost
// crossed jit_above_cost.
import type { PlanRule } from './context';
import { pct, r, severityOf, timeScore } from './context';

/** JIT is worth a finding when compiling took at least a tenth of execution (pgMustard's JIT tip starts near there). */
export const JIT_SHARE = 0.1;

export const jitOverhead: PlanRule = {
  id: 'jit-overhead',
  dialect: 'postgres',
  check(ctx) {
    const jit = ctx.plan.jit;
    if (!jit?.totalMs || ctx.totalMs === undefined) return [];
    const share = jit.totalMs / ctx.totalMs;
    if (share < JIT_SHARE) return [];
    const score = timeScore(ctx, jit.totalMs);
    return [
      {
        rule: 'jit-overhead',
        severity: severityOf(score),
        score,
        node: ctx.plan.root.id,
        message: `JIT compilation of ${jit.functions ?? '?'} functions took ${r(jit.totalMs)} ms, ${pct(share)} of execution; for a query this short, turn JIT off (SET jit = off) or raise jit_above_cost, jit_inline_above_cost and jit_optimize_above_cost.`,
        evidence: { jitMs: r(jit.totalMs), executionMs: r(ctx.totalMs), share: r(share, 4), functions: jit.functions ?? null, inliningMs: r(jit.inliningMs), optimizationMs: r(jit.optimizationMs), emissionMs: r(jit.emissionMs) },
        fix: 'SET jit = off;',
      },
    ];
  },
};
