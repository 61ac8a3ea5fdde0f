// Proof, not promises: the core operations every face calls — the CLI (`dataeng whatif`, `advise-indexes`,
// `compare`), the chat's Verify rewrite / Try index and its automatic verification, and the agent's and MCP's tools
// (`what_if_index {sql, indexes}`, `compare_results {original, rewrite}`). Each face only adapts input and output and
// supplies a ConsentPort; what needs consent is decided in consent.ts, what is true is measured by the database.
import type { Finding, Severity } from '../core/findings';
import { indexCandidates, type SkippedCandidate } from '../core/proof/candidates';
import { compareVerdict, prepareComparison, type CompareOutcome } from '../core/proof/compare';
import { parseIndexStatement, type IndexStatement } from '../core/proof/indexStatement';
import { savedPercent, summarizeVariant, verifiedLine, type Measure, type WhatIfMethod, type WhatIfRaw } from '../core/proof/whatIf';
import { analyzePlan } from '../core/plan/analyze';
import { parsePlan } from '../core/plan/parse';
import type { Catalog } from '../core/schema/catalog';
import { defaultMaxTableBytes } from '../core/settings/verifySettings';
import { classifyStatement } from '../core/sql/classify';
import type { Dialect } from '../core/sql/dialect';
import { RefusedStatementError, errorMessage } from '../db/errors';
import type { Database } from '../db/types';
import { explainWithConsent, whatIfWithConsent, type AnalyzeRequest, type ConsentPort, type WhatIfGrants } from './consent';

/** Dexter's default: a candidate index is worth it when it cuts the plan cost at least in half. */
export const MIN_SAVED_PCT = 50;

export interface ProofOptions {
  /** Whether the statement may be executed to measure it (EXPLAIN ANALYZE; SQLite: timed on a copy). */
  request: AnalyzeRequest;
  port: ConsentPort;
  /** A table (or a SQLite database to copy) above this size needs a second confirmation. */
  maxTableBytes?: number;
  method?: 'auto' | 'hypopg' | 'rolled-back-index';
  signal?: AbortSignal;
  /** Per-statement timeout. */
  timeoutMs?: number;
}

/** An operation either ran, or was declined by the user (nothing ran); refusals are thrown (RefusedStatementError). */
export type ProofRun<T> = { kind: 'done'; result: T } | { kind: 'declined'; reason: string };

export interface WhatIfIndexResult {
  method: WhatIfMethod;
  dialect: Dialect;
  /** The statement was executed before and after (time is real). */
  analyzed: boolean;
  before: Measure;
  after: Measure;
  /** Cost saved in percent (negative: more expensive); null without costs (SQLite). */
  savedPct: number | null;
  timeSavedPct: number | null;
  /** The index statements (as given) the planner used. */
  usedIndexes: string[];
  indexes: { statement: string; used: boolean }[];
  /** Raw plans, for the plan diff view. */
  plans: { before: unknown; after: unknown };
  /** One line: "verified: cost 18,334 → 12.4 (−99.9%) with HypoPG". */
  summary: string;
  warnings: string[];
}

function validateIndexes(indexes: readonly string[], dialect: Dialect): void {
  if (!indexes.length) throw new RefusedStatementError('no CREATE INDEX statement to test');
  indexes.forEach((text, i) => {
    const parsed = parseIndexStatement(text, dialect);
    if (!parsed.ok) throw new RefusedStatementError(`index ${indexes.length > 1 ? `${i + 1} ` : ''}(${text.trim().slice(0, 60)}): ${parsed.reason}`);
  });
}

function parsedIndexes(indexes: readonly string[], dialect: Dialect): IndexStatement[] {
  return indexes.map((t) => {
    const p = parseIndexStatement(t, dialect);
    if (!p.ok) throw new RefusedStatementError(p.reason);
    return p.index;
  });
}

function whatIfResult(raw: WhatIfRaw, variant: number, indexes: readonly string[]): WhatIfIndexResult {
  const parsed = parsedIndexes(indexes, raw.dialect);
  const s = summarizeVariant(raw, variant, parsed);
  return {
    method: raw.method,
    dialect: raw.dialect,
    analyzed: raw.analyzed,
    before: s.before,
    after: s.after,
    savedPct: s.savedPct,
    timeSavedPct: s.timeSavedPct,
    usedIndexes: s.usedIndexes,
    indexes: parsed.map((p) => ({ statement: p.written, used: s.usedIndexes.includes(p.written) })),
    plans: { before: raw.before, after: raw.variants[variant]!.plan },
    summary: verifiedLine(raw.method, s, s.usedIndexes.length ? 'verified' : 'tested (the planner did not use the index)'),
    warnings: raw.warnings,
  };
}

/**
 * Index what-if: the statement's plan before and with `indexes` (CREATE INDEX statements tested together). HypoPG
 * where installed (costs only), else real indexes built and rolled back (with consent; measured when allowed), or
 * SQLite's in-memory copy.
 */
export async function whatIfIndex(db: Database, sql: string, indexes: readonly string[], options: ProofOptions): Promise<ProofRun<WhatIfIndexResult>> {
  const c = classifyStatement(sql, db.dialect);
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  validateIndexes(indexes, db.dialect);
  const outcome = await whatIfWithConsent(db, sql, [[...indexes]], options.request, options.port, {
    maxTableBytes: options.maxTableBytes ?? defaultMaxTableBytes,
    ...(options.method ? { method: options.method } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (outcome.kind === 'declined') return outcome;
  return { kind: 'done', result: whatIfResult(outcome.raw, 0, indexes) };
}

export interface AdvisedCandidate {
  index: string;
  /** The finding it answers (`seq-scan-filter at #2`). */
  source: string;
  method: WhatIfMethod;
  before: Measure;
  after: Measure;
  savedPct: number | null;
  timeSavedPct: number | null;
  /** The planner used it. */
  used: boolean;
  /** It cut the cost (or, on SQLite, the run time or a full scan) enough to recommend. */
  kept: boolean;
}

export interface AdviceResult {
  candidates: AdvisedCandidate[];
  /** The best kept candidate's statement, or null when nothing helps enough. */
  best: string | null;
  /** The best candidate as a finding, its fix the statement with what verified it. */
  finding: Finding | null;
  /** Candidates an existing index already covers. */
  skipped: SkippedCandidate[];
  /** One sentence on the outcome. */
  note: string;
  warnings: string[];
}

function keep(raw: WhatIfRaw, c: Pick<AdvisedCandidate, 'used' | 'savedPct' | 'timeSavedPct'>, removedFullScan: boolean): boolean {
  if (!c.used) return false;
  if (raw.dialect === 'sqlite') return c.timeSavedPct !== null ? c.timeSavedPct >= MIN_SAVED_PCT : removedFullScan;
  return c.savedPct !== null && c.savedPct >= MIN_SAVED_PCT;
}

function severityOf(savedPct: number): Severity {
  return savedPct >= 90 ? 'critical' : savedPct >= MIN_SAVED_PCT ? 'warning' : 'info';
}

/**
 * The deterministic index advisor: candidates from the plan's index findings (equality, then range, then ORDER BY
 * columns; INCLUDE for an index-only scan; none an existing index covers), each tested with the what-if; those that
 * cut the cost by at least half are kept, and the best is reported as a finding whose fix says how it was verified.
 */
export async function adviseIndexes(db: Database, sql: string, options: ProofOptions): Promise<ProofRun<AdviceResult>> {
  const c = classifyStatement(sql, db.dialect);
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  const warnings: string[] = [];
  // The baseline plan: executed only where the policy allows it without asking (findings like index-filter need
  // actual rows); VERBOSE on PostgreSQL shows which columns the query reads (for covering candidates).
  const quiet: ConsentPort = { ...(options.port.preApproved ? { preApproved: true } : {}), withoutConsent: 'plain' };
  const baselineSql = db.dialect === 'postgres' ? `EXPLAIN (VERBOSE) ${c.statement}` : c.statement;
  const explained = await explainWithConsent(db, baselineSql, options.request, quiet, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (explained.kind === 'declined') return explained;
  const plan = parsePlan(explained.result.plan, { dialect: db.dialect });
  const findings = analyzePlan(plan);
  let catalog: Catalog | null = null;
  try {
    catalog = await db.introspect({ ...(db.config.schema ? { schema: db.config.schema } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    warnings.push(`The catalog could not be read (${errorMessage(err)}): existing indexes were not checked`);
  }
  const { candidates, skipped } = indexCandidates({ plan, findings, catalog, dialect: db.dialect, sql: c.statement, include: db.dialect === 'postgres' });
  const empty = (note: string): ProofRun<AdviceResult> => ({ kind: 'done', result: { candidates: [], best: null, finding: null, skipped, note, warnings } });
  if (!candidates.length) {
    return empty(
      skipped.length
        ? `Every candidate is already covered by an existing index (${skipped.map((s) => s.coveredBy).join(', ')}).`
        : 'No finding points at a missing index: there is no candidate to test.',
    );
  }
  const base = {
    maxTableBytes: options.maxTableBytes ?? defaultMaxTableBytes,
    ...(options.method ? { method: options.method } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
  // Screening by estimated cost (one build or hypothetical index per candidate, nothing executed); SQLite has no
  // costs, so its candidates are timed on the copy right away where measuring is allowed.
  const screened = await whatIfWithConsent(db, c.statement, candidates.map((x) => [x.statement]), options.request, options.port, { ...base, costsOnly: db.dialect !== 'sqlite' });
  if (screened.kind === 'declined') return screened;
  const raw = screened.raw;
  warnings.push(...raw.warnings.filter((w) => !w.startsWith('CONCURRENTLY was removed')));
  const advised: AdvisedCandidate[] = candidates.map((cand, i) => {
    const s = summarizeVariant(raw, i, parsedIndexes([cand.statement], db.dialect));
    const a = { index: cand.statement, source: cand.source, method: raw.method, before: s.before, after: s.after, savedPct: s.savedPct, timeSavedPct: s.timeSavedPct, used: s.usedIndexes.length > 0, kept: false };
    a.kept = keep(raw, a, s.removedFullScan);
    return a;
  });
  const score = (a: AdvisedCandidate): number => (db.dialect === 'sqlite' ? (a.timeSavedPct ?? (a.kept ? 1 : 0)) : (a.savedPct ?? 0));
  const kept = advised.filter((a) => a.kept).sort((x, y) => score(y) - score(x));
  const best = kept[0];
  if (!best) {
    const top = [...advised].sort((x, y) => score(y) - score(x))[0]!;
    const why = db.dialect === 'sqlite' ? 'none removed a full scan or halved the run time' : `the best cut the cost by ${top.savedPct ?? 0}%, short of ${MIN_SAVED_PCT}%`;
    return { kind: 'done', result: { candidates: advised, best: null, finding: null, skipped, note: `Nothing helps enough: ${advised.length} candidate${advised.length === 1 ? '' : 's'} tested, ${why}.`, warnings } };
  }
  let line = verifiedLine(raw.method, summarizeVariant(raw, advised.indexOf(best), parsedIndexes([best.index], db.dialect)));
  if (raw.method === 'rolled-back-index' && screened.grants.measure) {
    // The winner is measured for real: built again, the statement run before and after (EXPLAIN ANALYZE, rolled back).
    const grants: WhatIfGrants = screened.grants;
    const measured = await whatIfWithConsent(db, c.statement, [[best.index]], options.request, options.port, { ...base, grants });
    if (measured.kind === 'declined') warnings.push(`The best candidate was not measured: ${measured.reason}`);
    else {
      const s = summarizeVariant(measured.raw, 0, parsedIndexes([best.index], db.dialect));
      best.before = s.before;
      best.after = s.after;
      best.timeSavedPct = s.timeSavedPct;
      line = verifiedLine(measured.raw.method, s);
    }
  }
  const pct = best.savedPct ?? best.timeSavedPct ?? 0;
  const finding: Finding = {
    rule: 'index-advice',
    severity: severityOf(pct),
    score: Math.round(Math.min(5, Math.max(0, pct / 20)) * 10) / 10,
    message: `An index on ${best.index.replace(/^CREATE INDEX (CONCURRENTLY )?\S+ ON /, '')} answers ${best.source}: ${line}.`,
    fix: `${best.index}; -- ${line}`,
    evidence: {
      method: best.method,
      costBefore: best.before.cost,
      costAfter: best.after.cost,
      savedPct: best.savedPct,
      timeBeforeMs: best.before.timeMs ?? null,
      timeAfterMs: best.after.timeMs ?? null,
    },
  };
  return {
    kind: 'done',
    result: { candidates: advised, best: best.index, finding, skipped, note: `${kept.length} of ${advised.length} candidate${advised.length === 1 ? '' : 's'} cut the ${db.dialect === 'sqlite' ? 'work' : 'cost'} enough; the best: ${line}.`, warnings },
  };
}

/**
 * Result equivalence of a rewrite: both reads in one READ ONLY, REPEATABLE READ transaction, compared with bag
 * semantics, order (with ties) when the original sorts, columns and types. Only reads; volatile statements are not run
 * ("cannot-verify"). The verdict holds for this database's data and says so.
 */
export async function compareResults(db: Database, original: string, rewrite: string, options: Pick<ProofOptions, 'signal' | 'timeoutMs'> = {}): Promise<CompareOutcome> {
  const prepared = prepareComparison(original, rewrite, db.dialect);
  if ('refusal' in prepared) throw new RefusedStatementError(prepared.refusal);
  if (!db.compare) throw new RefusedStatementError('this connection cannot compare results');
  const facts = await db.compare(original, rewrite, { ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  return compareVerdict(facts);
}

export interface PlanComparison {
  analyzed: boolean;
  dialect: Dialect;
  rolledBack: boolean;
  before: Measure;
  after: Measure;
  savedPct: number | null;
  timeSavedPct: number | null;
  plans: { before: unknown; after: unknown };
  warnings: string[];
}

/**
 * The plans of a statement and its rewrite, side by side: cost (and time, when the policy lets both run) before and
 * after. The consent of the first explain carries over to the second (both are reads by the time this is called).
 */
export async function comparePlans(db: Database, original: string, rewrite: string, options: Pick<ProofOptions, 'request' | 'port' | 'signal' | 'timeoutMs'>): Promise<ProofRun<PlanComparison>> {
  const run = { ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
  const first = await explainWithConsent(db, original, options.request, options.port, run);
  if (first.kind === 'declined') return first;
  const second = await explainWithConsent(db, rewrite, { analyze: first.result.analyzed }, { ...options.port, withoutConsent: 'plain', ask: undefined }, run);
  if (second.kind === 'declined') return second;
  const measure = (plan: unknown): Measure => {
    const p = parsePlan(plan, { dialect: db.dialect });
    const cost = db.dialect === 'sqlite' ? null : (p.root.totalCost ?? null);
    return p.executionMs !== undefined ? { cost, timeMs: p.executionMs } : { cost };
  };
  const before = measure(first.result.plan);
  const after = measure(second.result.plan);
  return {
    kind: 'done',
    result: {
      analyzed: first.result.analyzed && second.result.analyzed,
      dialect: db.dialect,
      rolledBack: first.result.rolledBack && second.result.rolledBack,
      before,
      after,
      savedPct: savedPercent(before.cost, after.cost),
      timeSavedPct: savedPercent(before.timeMs, after.timeMs),
      plans: { before: first.result.plan, after: second.result.plan },
      warnings: [...new Set([...first.result.warnings, ...second.result.warnings])],
    },
  };
}
