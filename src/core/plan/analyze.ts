// analyzePlan: runs every rule for the plan's dialect and returns the findings sorted by score.
import type { Finding } from '../findings';
import { sortFindings } from '../findings';
import type { Plan } from './model';
import { buildContext, ruleApplies } from './rules/context';
import { planRules } from './rules/registry';

/**
 * A plan over thousands of partitions can trip the same rule on every partition; past this many findings per rule
 * the rest are folded into the last one kept (evidence `similarNodes`) so output stays readable and bounded.
 */
export const MAX_FINDINGS_PER_RULE = 10;

export function analyzePlan(plan: Plan): Finding[] {
  const ctx = buildContext(plan);
  const out: Finding[] = [];
  for (const rule of planRules) {
    if (!ruleApplies(rule, plan.dialect)) continue;
    const found = sortFindings(rule.check(ctx));
    if (found.length > MAX_FINDINGS_PER_RULE) {
      const kept = found.slice(0, MAX_FINDINGS_PER_RULE);
      const last = kept[kept.length - 1]!;
      kept[kept.length - 1] = {
        ...last,
        message: `${last.message} The same applies to ${found.length - MAX_FINDINGS_PER_RULE} more nodes.`,
        evidence: { ...last.evidence, similarNodes: found.length - MAX_FINDINGS_PER_RULE },
      };
      out.push(...kept);
    } else out.push(...found);
  }
  return sortFindings(out);
}
