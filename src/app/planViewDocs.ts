// What every face of the plan view shares (the editor's panels, the chat's Show plan, `dataeng analyze-plan --html`,
// the proof cards to come): any plan input becomes a flat plan with its findings, through the one parser and the one
// analysis, and then a document for the view. Large text is parsed off the main thread (src/host/analyzePlanOffThread).
import type { Finding } from '../core/findings';
import { analyzePlan } from '../core/plan/analyze';
import type { Plan } from '../core/plan/model';
import type { ParseHint } from '../core/plan/parse';
import { parsePlan } from '../core/plan/parse';
import { flattenPlan, type FlatPlan } from '../core/plan/view';
import type { ExplainResult } from '../db/types';
import { analyzePlanOffThread, type OffThreadOptions } from '../host/analyzePlanOffThread';
import type { PlanViewDoc } from '../protocol/planMessages';

/** A plan already parsed, with the findings to show on it (analyzed here when absent). */
export interface AnalyzedPlanInput {
  plan: Plan;
  findings?: readonly Finding[];
}

/**
 * Anything a plan view can show: EXPLAIN output as text (any format parsePlan reads: PostgreSQL JSON or text in their
 * pasted shapes, SQLite rows or tree), its parsed JSON value, a parsed `Plan`, a plan with its findings, or a database
 * driver's `ExplainResult`.
 */
export type PlanInput = string | Plan | AnalyzedPlanInput | ExplainResult | readonly unknown[] | Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlanModel(v: unknown): v is Plan {
  return isRecord(v) && isRecord(v['root']) && typeof v['dialect'] === 'string' && typeof v['nodeCount'] === 'number' && Array.isArray(v['triggers']);
}

function isExplainResult(v: unknown): v is ExplainResult {
  return isRecord(v) && 'plan' in v && typeof v['dialect'] === 'string' && typeof v['planFormat'] === 'string';
}

export interface FlatPlanOptions {
  hint?: ParseHint;
  offThread?: Omit<OffThreadOptions, 'hint'>;
  /** Findings to show instead of analyzing again (the chat passes the ones it numbered F1, F2…). */
  findings?: readonly Finding[];
}

/** Parses (off the main thread when large) and analyzes a plan input; throws PlanParseError when it is not a plan. */
export async function flatPlanOf(input: PlanInput, options: FlatPlanOptions = {}): Promise<FlatPlan> {
  const given = options.findings;
  if (typeof input === 'string') {
    const { plan, findings } = await analyzePlanOffThread(input, { ...options.offThread, hint: options.hint ?? {} });
    return flattenPlan(plan, given ?? findings);
  }
  if (isPlanModel(input)) return flattenPlan(input, given ?? analyzePlan(input));
  if (isRecord(input) && isPlanModel(input['plan'])) {
    const analyzed = input as unknown as AnalyzedPlanInput;
    return flattenPlan(analyzed.plan, given ?? analyzed.findings ?? analyzePlan(analyzed.plan));
  }
  if (isExplainResult(input)) {
    const value = input.plan;
    return flatPlanOf(typeof value === 'string' ? value : (value as PlanInput), { ...options, hint: { ...options.hint, dialect: input.dialect } });
  }
  const plan = parsePlan(input, options.hint);
  return flattenPlan(plan, given ?? analyzePlan(plan));
}

export function planDoc(plan: FlatPlan, title: string, focus?: string): PlanViewDoc {
  return { kind: 'plan', title, plan, ...(focus !== undefined ? { focus } : {}) };
}

export function diffDoc(before: FlatPlan, after: FlatPlan, titles: { title?: string; beforeTitle?: string; afterTitle?: string } = {}): PlanViewDoc {
  const beforeTitle = titles.beforeTitle ?? 'before';
  const afterTitle = titles.afterTitle ?? 'after';
  return { kind: 'diff', title: titles.title ?? `${beforeTitle} → ${afterTitle}`, before, after, beforeTitle, afterTitle };
}
