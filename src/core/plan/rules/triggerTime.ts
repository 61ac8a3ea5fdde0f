// trigger-time: triggers, most often foreign-key checks, that take a large share of a data-modifying statement.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, pct, r, severityOf, timeScore } from './context';

/** Trigger time is reported when it is at least a tenth of execution. */
export const TRIGGER_SHARE = 0.1;

export const triggerTime: PlanRule = {
  id: 'trigger-time',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    if (ctx.totalMs === undefined) return out;
    for (const t of ctx.plan.triggers) {
      if (t.timeMs === undefined) continue;
      const share = t.timeMs / ctx.totalMs;
      if (share < TRIGGER_SHARE) continue;
      const score = timeScore(ctx, t.timeMs);
      const calls = t.calls ?? 0;
      const hint = t.constraint
        ? 'a foreign-key check this slow usually means the referencing column has no index: create one on the referencing table'
        : 'look at what the trigger function does per row';
      out.push({
        rule: 'trigger-time',
        severity: severityOf(score),
        score,
        node: ctx.plan.root.id,
        message: `Trigger ${t.constraint ? 'for constraint ' : ''}"${t.name}"${t.relation ? ` on "${t.relation}"` : ''} took ${r(t.timeMs)} ms over ${fmt(calls)} calls (${pct(share)} of execution); ${hint}.`,
        evidence: { trigger: t.name, constraint: t.constraint ?? false, timeMs: r(t.timeMs), calls, msPerCall: calls ? r(t.timeMs / calls, 3) : null, share: r(share, 4) },
      });
    }
    return out;
  },
};
