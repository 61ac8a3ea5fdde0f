// The real `analyze` port: parse the EXPLAIN output, run the plan rules, summarize within the evidence budget.
import { analyzePlan } from '../core/plan/analyze';
import { parsePlan } from '../core/plan/parse';
import { summarize } from '../core/plan/summarize';
import type { ExplainResult } from '../db/types';
import { redactLiterals } from '../core/sql/redact';
import { redactQuoted, type Analysis, type PipelinePorts } from './pipeline';

export interface AnalyzeOptions {
  /** `dataeng.evidence.tokenBudget`. */
  budgetTokens: number;
  /** `dataeng.privacy.redactLiterals`. */
  redact: boolean;
}

export function analyzeExplain(result: ExplainResult, options: AnalyzeOptions): Analysis {
  const plan = parsePlan(result.plan, { dialect: result.dialect });
  const findings = analyzePlan(plan);
  const evidence = summarize(plan, findings, { budgetTokens: options.budgetTokens, redact: options.redact });
  if (!options.redact) return { findings, evidence };
  // Findings quote plan conditions; with redaction on, their values must not reach the model or the views either.
  const redacted = findings.map((f) => ({
    ...f,
    message: redactQuoted(f.message),
    ...(f.fix !== undefined ? { fix: redactLiterals(f.fix, plan.dialect) } : {}),
  }));
  return { findings: redacted, evidence };
}

/** The analyze port for a fixed budget; the pipeline passes the per-request redaction. */
export function analyzePort(budgetTokens: number): PipelinePorts['analyze'] {
  return (result, { redact }) => analyzeExplain(result, { budgetTokens, redact });
}
