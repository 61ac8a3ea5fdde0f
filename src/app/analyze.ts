// The real `analyze` port: parse the EXPLAIN output, run the plan rules, summarize within the evidence budget.
import { analyzePlan } from '../core/plan/analyze';
import { parsePlan } from '../core/plan/parse';
import { summarize } from '../core/plan/summarize';
import type { Finding } from '../core/findings';
import type { Plan } from '../core/plan/model';
import type { ExplainResult } from '../db/types';
import { analyzePlanOffThread, type OffThreadOptions } from '../host/analyzePlanOffThread';
import { literalValues, redactLiterals, scrubLiterals } from '../core/sql/redact';
import { redactQuoted, type Analysis, type PipelinePorts } from './pipeline';

export interface AnalyzeOptions {
  /** `dataeng.evidence.tokenBudget`. */
  budgetTokens: number;
  /** `dataeng.privacy.redactLiterals`. */
  redact: boolean;
  /** The summary ends with the findings (default true); see SummarizeOptions.listFindings. */
  listFindings?: boolean;
}

export function analyzeExplain(result: ExplainResult, options: AnalyzeOptions): Analysis {
  const plan = parsePlan(result.plan, { dialect: result.dialect });
  return finish(plan, analyzePlan(plan), options, result.statement);
}

/**
 * The same as analyzeExplain, but a plan that arrived as large JSON text (see ExplainResult.plan) is parsed and
 * analyzed in a worker thread, so the extension host stays responsive; summarizing the result is cheap.
 */
export async function analyzeExplainOffThread(
  result: ExplainResult,
  options: AnalyzeOptions,
  offThread: Omit<OffThreadOptions, 'hint'> = {},
): Promise<Analysis & { offThread: boolean }> {
  if (typeof result.plan !== 'string') return { ...analyzeExplain(result, options), offThread: false };
  const analyzed = await analyzePlanOffThread(result.plan, { ...offThread, hint: { dialect: result.dialect } });
  return { ...finish(analyzed.plan, analyzed.findings, options, result.statement), offThread: analyzed.offThread };
}

function finish(plan: Plan, findings: Finding[], options: AnalyzeOptions, statement: string): Analysis {
  const evidence = summarize(plan, findings, { budgetTokens: options.budgetTokens, redact: options.redact, ...(options.listFindings === false ? { listFindings: false } : {}) });
  if (!options.redact) return { findings, evidence };
  // Findings quote plan conditions, sort keys and outputs; with redaction on, the statement's literal values must not
  // reach the model or the views, in quotes or not (a number in a condition, a value PostgreSQL re-quoted).
  const values = literalValues(statement, plan.dialect);
  const scrub = (text: string): string => scrubLiterals(redactQuoted(text), values);
  const redacted = findings.map((f) => {
    const ev: Finding['evidence'] = {};
    for (const [k, v] of Object.entries(f.evidence)) ev[k] = typeof v === 'string' ? scrub(v) : v;
    return { ...f, message: scrub(f.message), ...(f.fix !== undefined ? { fix: scrubLiterals(redactLiterals(f.fix, plan.dialect), values) } : {}), evidence: ev };
  });
  return { findings: redacted, evidence: scrubLiterals(evidence, values) };
}

/** The analyze port for a fixed budget; the pipeline passes the per-request redaction. */
export function analyzePort(budgetTokens: number, offThread: Omit<OffThreadOptions, 'hint'> = {}): PipelinePorts['analyze'] {
  return (result, { redact }) => analyzeExplainOffThread(result, { budgetTokens, redact }, offThread);
}
