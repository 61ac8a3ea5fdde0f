// What every plan rule receives, and the scoring every rule shares so that scores are comparable across rules.
import type { Dialect } from '../../sql/dialect';
import type { Finding, Severity } from '../../findings';
import { nodesOf, totalTimeMs } from '../derive';
import type { Plan, PlanNode } from '../model';

export interface RuleContext {
  plan: Plan;
  /** All nodes in preorder. */
  nodes: readonly PlanNode[];
  parent: ReadonlyMap<PlanNode, PlanNode>;
  /** Execution time (or the root's time) the shares are taken of; undefined without ANALYZE. */
  totalMs: number | undefined;
  /** The root's total cost, for plans without ANALYZE. */
  totalCost: number | undefined;
}

export interface PlanRule {
  id: string;
  /** The dialect whose plans it reads, or several when the rule only needs what every one of them reports. */
  dialect: Dialect | readonly Dialect[];
  check(ctx: RuleContext): Finding[];
}

export function ruleApplies(rule: PlanRule, dialect: Dialect): boolean {
  return typeof rule.dialect === 'string' ? rule.dialect === dialect : rule.dialect.includes(dialect);
}

export function buildContext(plan: Plan): RuleContext {
  const nodes = nodesOf(plan.root);
  const totalCost = plan.root.totalCost;
  // Most plans never need a parent lookup, so the map is built on first use: on a 10,000-node plan it is a
  // noticeable share of the analysis.
  let parent: Map<PlanNode, PlanNode> | undefined;
  return {
    plan,
    nodes,
    get parent() {
      if (!parent) {
        parent = new Map();
        for (const n of nodes) for (const c of n.children) parent.set(c, n);
      }
      return parent;
    },
    totalMs: totalTimeMs(plan),
    totalCost: totalCost !== undefined && totalCost > 0 ? totalCost : undefined,
  };
}

/** Scores are 0–5, like pgMustard's: the share of the query's time that fixing the issue could save, times five. */
export const MAX_SCORE = 5;

function clampScore(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 0;
  return Math.round(Math.min(MAX_SCORE, x) * 10) / 10;
}

/** Score for a number of milliseconds that fixing the issue could save. */
export function timeScore(ctx: RuleContext, ms: number | undefined): number {
  if (ms === undefined || ctx.totalMs === undefined) return 0;
  return clampScore((MAX_SCORE * ms) / ctx.totalMs);
}

/** Score for a node's own work: its exclusive time with ANALYZE, else its exclusive share of the estimated cost. */
export function nodeScore(ctx: RuleContext, node: PlanNode, fraction = 1): number {
  if (ctx.plan.analyzed && node.exclusiveMs !== undefined && ctx.totalMs !== undefined) return timeScore(ctx, node.exclusiveMs * fraction);
  if (node.exclusiveCost !== undefined && ctx.totalCost !== undefined) return clampScore((MAX_SCORE * node.exclusiveCost * fraction) / ctx.totalCost);
  return 0;
}

/** Score for a whole subtree (inclusive time or total cost). */
export function subtreeScore(ctx: RuleContext, node: PlanNode, fraction = 1): number {
  if (ctx.plan.analyzed && node.inclusiveMs !== undefined && ctx.totalMs !== undefined) return timeScore(ctx, node.inclusiveMs * fraction);
  if (node.totalCost !== undefined && ctx.totalCost !== undefined) return clampScore((MAX_SCORE * node.totalCost * fraction) / ctx.totalCost);
  return 0;
}

// Severity from score: half the run time or more is critical, a tenth or more is worth a warning; below that the
// finding is kept as information. These cut-offs follow pgMustard's practice of ranking tips by time saved.
export const CRITICAL_SCORE = 2.5;
export const WARNING_SCORE = 0.5;

export function severityOf(score: number, cap: Severity = 'critical'): Severity {
  const s: Severity = score >= CRITICAL_SCORE ? 'critical' : score >= WARNING_SCORE ? 'warning' : 'info';
  if (cap === 'info') return 'info';
  if (cap === 'warning' && s === 'critical') return 'warning';
  return s;
}

/** Rounds evidence numbers so findings stay readable and stable. */
export function r(n: number | undefined, digits = 2): number | null {
  if (n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The node as a message quotes it: its label, with database names as data in quotes where they appear. */
export function nodeName(node: PlanNode): string {
  return `${node.label} (${node.id})`;
}

/** Rows a node produced over all its loops. */
export function totalRows(node: PlanNode): number | undefined {
  return node.actualRows === undefined ? undefined : node.actualRows * (node.loops ?? 1);
}

/** Children that are part of the node's data flow, not InitPlans or SubPlans hanging under it. */
export function flowChildren(node: PlanNode): PlanNode[] {
  return node.children.filter((c) => c.parentRelationship !== 'InitPlan' && c.parentRelationship !== 'SubPlan');
}
