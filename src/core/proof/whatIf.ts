// What a what-if measured, read from the plans the database returned: the plan cost (and time, when the statement was
// executed) before and after, which of the tested indexes the planner used (matched by the name the hypothetical or
// rolled-back index had in the plan), and the saving. Pure: the database side (src/db) only returns raw plans.
import { parsePlan } from '../plan/parse';
import { preorder, type Plan } from '../plan/model';
import type { Dialect } from '../sql/dialect';
import type { IndexStatement } from './indexStatement';

export type WhatIfMethod = 'hypopg' | 'rolled-back-index' | 'in-memory-copy';

export const whatIfMethods: readonly WhatIfMethod[] = ['hypopg', 'rolled-back-index', 'in-memory-copy'];

/** One set of indexes tested together, as the database returns it. */
export interface WhatIfVariantRaw {
  /** EXPLAIN output with the variant's indexes in place (PostgreSQL JSON value or text, SQLite rows). */
  plan: unknown;
  /** For each index of the variant, in order: its name as plans show it (HypoPG's `<oid>btree_…`, the built index's name). */
  indexNames: (string | null)[];
  /** SQLite on the in-memory copy: the statement's run time with the indexes in place, when it was measured. */
  timeMs?: number;
}

/** A table a what-if builds an index on (or copies), with its size as the database reports it. */
export interface WhatIfTable {
  name: string;
  bytes: number | null;
  rows: number | null;
}

export interface WhatIfRaw {
  method: WhatIfMethod;
  dialect: Dialect;
  /** The statement was executed before and after (EXPLAIN ANALYZE, or timed on SQLite's copy). */
  analyzed: boolean;
  before: unknown;
  /** SQLite on the in-memory copy: the statement's run time without the indexes, when it was measured. */
  beforeTimeMs?: number;
  variants: WhatIfVariantRaw[];
  tables: WhatIfTable[];
  warnings: string[];
  /** PostgreSQL: our ROLLBACK ran (nothing was kept). SQLite: the copy was discarded; the file was never written. */
  rolledBack: boolean;
}

export interface Measure {
  /** The plan's total cost (PostgreSQL's estimate); null where the engine reports none (SQLite). */
  cost: number | null;
  /** Execution time, when the statement was executed. */
  timeMs?: number;
}

export interface WhatIfSummary {
  before: Measure;
  after: Measure;
  /** Cost saved, in percent (one decimal); negative when the plan got more expensive; null without costs. */
  savedPct: number | null;
  /** Time saved, in percent, when both times were measured. */
  timeSavedPct: number | null;
  /** The index statements (as written) the planner used. */
  usedIndexes: string[];
  /** Plan steps that changed, for engines without costs (SQLite): `SCAN o` → `SEARCH o USING INDEX …`. */
  planChange: { before: string[]; after: string[] } | null;
  /** A full scan of a table disappeared (SQLite's stand-in for a cost cut). */
  removedFullScan: boolean;
}

function planOf(raw: unknown, dialect: Dialect): Plan {
  return parsePlan(raw, { dialect });
}

function measure(plan: Plan, timeMs: number | undefined): Measure {
  const cost = plan.dialect === 'sqlite' ? null : (plan.root.totalCost ?? null);
  const time = plan.executionMs ?? timeMs;
  return time !== undefined ? { cost, timeMs: round(time, 3) } : { cost };
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The percentage saved from `before` to `after`, one decimal. */
export function savedPercent(before: number | null | undefined, after: number | null | undefined): number | null {
  if (before === null || before === undefined || after === null || after === undefined || before <= 0) return null;
  return round(((before - after) / before) * 100, 1);
}

/** Names of every index the plan uses (PostgreSQL "Index Name"; SQLite `USING [COVERING] INDEX name`). */
export function indexesUsed(plan: Plan): Set<string> {
  const out = new Set<string>();
  for (const n of preorder(plan.root)) if (n.index !== undefined) out.add(n.index.replace(/^"(.*)"$/, '$1'));
  return out;
}

function fullScans(plan: Plan): string[] {
  return preorder(plan.root)
    .filter((n) => (plan.dialect === 'sqlite' ? n.nodeType === 'SCAN' && !/COVERING INDEX/.test(n.detail ?? '') && n.relation !== undefined : n.nodeType === 'Seq Scan'))
    .map((n) => n.relation ?? '');
}

/** The summary of one variant of a what-if. `indexes` are the variant's statements, in the order they were tested. */
export function summarizeVariant(raw: WhatIfRaw, variant: number, indexes: readonly IndexStatement[]): WhatIfSummary {
  const v = raw.variants[variant];
  if (!v) throw new Error(`the what-if has no variant ${variant}`);
  const before = planOf(raw.before, raw.dialect);
  const after = planOf(v.plan, raw.dialect);
  const used = indexesUsed(after);
  const lower = new Set([...used].map((u) => u.toLowerCase()));
  const usedIndexes = indexes.filter((_, i) => {
    const name = v.indexNames[i];
    return name !== null && name !== undefined && (used.has(name) || (raw.dialect === 'sqlite' && lower.has(name.toLowerCase())));
  });
  const b = measure(before, raw.beforeTimeMs);
  const a = measure(after, v.timeMs);
  const scansBefore = fullScans(before);
  const scansAfter = fullScans(after);
  const removedFullScan = scansBefore.some((r) => scansBefore.filter((x) => x === r).length > scansAfter.filter((x) => x === r).length);
  let planChange: WhatIfSummary['planChange'] = null;
  if (raw.dialect === 'sqlite') {
    const steps = (p: Plan): string[] => preorder(p.root).filter((n) => n.detail !== undefined).map((n) => n.detail!);
    const sb = steps(before);
    const sa = steps(after);
    if (sb.join('\n') !== sa.join('\n')) planChange = { before: sb.filter((s) => !sa.includes(s)), after: sa.filter((s) => !sb.includes(s)) };
  }
  return {
    before: b,
    after: a,
    savedPct: savedPercent(b.cost, a.cost),
    timeSavedPct: savedPercent(b.timeMs, a.timeMs),
    usedIndexes: usedIndexes.map((i) => i.written),
    planChange,
    removedFullScan,
  };
}

/** A cost as people read it: thousands separated, one decimal below 100. */
export function formatCost(cost: number): string {
  if (Math.abs(cost) >= 100) return Math.round(cost).toLocaleString('en-US');
  return round(cost, 1).toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A duration: `41 ms`, `0.3 ms`, `2.4 s`. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${round(ms / 1000, 1)} s`;
  if (ms >= 10) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 1) return `${round(ms, 1)} ms`;
  return `${round(ms, 2)} ms`;
}

/** A signed percentage with a true minus sign, as in "−99.9%". */
export function formatPct(pct: number): string {
  const magnitude = round(Math.abs(pct), 1).toLocaleString('en-US', { maximumFractionDigits: 1 });
  return pct > 0 ? `−${magnitude}%` : pct < 0 ? `+${magnitude}%` : '±0%';
}

const methodPhrase: Record<WhatIfMethod, string> = {
  hypopg: 'with HypoPG',
  'rolled-back-index': 'with a rolled-back index',
  'in-memory-copy': 'on an in-memory copy of the database',
};

/**
 * One line saying what was measured and how, for a finding's fix, the CLI and the proof card:
 * "verified: cost 18,334 → 12.4 (−99.9%) with HypoPG",
 * "verified: cost 1,234 → 8.5 (−99.3%), measured with a rolled-back index: 41 ms → 0.3 ms".
 */
export function verifiedLine(method: WhatIfMethod, s: Pick<WhatIfSummary, 'before' | 'after' | 'savedPct' | 'planChange'>, verb = 'verified'): string {
  const cost = s.before.cost !== null && s.after.cost !== null ? `cost ${formatCost(s.before.cost)} → ${formatCost(s.after.cost)}${s.savedPct !== null ? ` (${formatPct(s.savedPct)})` : ''}` : '';
  const time = s.before.timeMs !== undefined && s.after.timeMs !== undefined ? `${formatMs(s.before.timeMs)} → ${formatMs(s.after.timeMs)}` : '';
  const steps = s.planChange && s.planChange.before.length ? `${s.planChange.before.join('; ')} → ${s.planChange.after.join('; ') || '(no step)'}` : '';
  if (method === 'hypopg') return `${verb}: ${cost} ${methodPhrase.hypopg}`;
  if (method === 'rolled-back-index') {
    if (time) return `${verb}: ${cost ? `${cost}, ` : ''}measured ${methodPhrase[method]}: ${time}`;
    return `${verb}: ${cost} ${methodPhrase[method]} (estimated costs; the statement was not executed)`;
  }
  const what = [steps, time].filter(Boolean).join(', ');
  return `${verb} ${methodPhrase[method]}${what ? `: ${what}` : ': the plan did not change'}`;
}
