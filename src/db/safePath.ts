// The decisions of the one safe EXPLAIN path, shared by every driver: classify, refuse, require consent,
// choose the transaction mode and build the EXPLAIN text. The drivers only execute what this returns.
import { classifyStatement, type Classification } from '../core/sql/classify';
import type { Dialect } from '../core/sql/dialect';
import { ConsentRequiredError, RefusedStatementError, consentReasons } from './errors';
import type { ExplainOptions } from './types';

export interface SafeExplain {
  classification: Classification;
  /** Whether the statement will be executed (EXPLAIN ANALYZE). */
  analyze: boolean;
  /** PostgreSQL: run inside `BEGIN READ ONLY` (every plain EXPLAIN, and ANALYZE of a pure read). */
  readOnly: boolean;
  /** The user consented to executing effects beyond a plain read (writes, locks, side effects). */
  consented: boolean;
  warnings: string[];
}

/** Throws RefusedStatementError or ConsentRequiredError; otherwise says how to run the explain. */
export function planSafeExplain(sql: string, dialect: Dialect, options: ExplainOptions): SafeExplain {
  const c = classifyStatement(sql, dialect);
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  const warnings: string[] = [];
  let analyze = options.analyze;
  if (c.userExplain?.analyze && !analyze) {
    warnings.push('The statement asks for EXPLAIN ANALYZE, but executing it was not requested here; this is the estimated plan only.');
  }
  if (dialect === 'sqlite') {
    if (analyze) warnings.push('SQLite has no EXPLAIN ANALYZE: EXPLAIN QUERY PLAN shows the chosen plan without executing the statement, so there are no actual row counts or timings.');
    analyze = false;
    return { classification: c, analyze, readOnly: true, consented: false, warnings };
  }
  if (analyze && c.hasParameters) {
    throw new RefusedStatementError('the statement has bind parameters ($1, …); EXPLAIN ANALYZE needs values, so replace them with literals first');
  }
  // Row locks count as writes for consent (the statement runs in a read-write transaction, rolled back), and so do
  // effects a rollback does not undo: each one is named in the consent the user gives.
  const reasons = consentReasons(c);
  if (analyze && reasons.length && !options.consentToWrites) throw new ConsentRequiredError(c.kind, reasons, c.analyzeWarnings);
  if (analyze) warnings.push(...c.sideEffects, ...c.analyzeWarnings);
  return { classification: c, analyze, readOnly: !analyze || c.effect === 'read', consented: analyze && options.consentToWrites, warnings };
}

/** Name of the prepared statement used to plan a statement with `$n` parameters; deallocated after each use. */
export const genericPlanStatement = 'dataeng_generic_plan';

export interface PostgresExplainSql {
  sql: string;
  /** Length of what precedes the user's statement in `sql` (for mapping error positions). */
  prefixLength: number;
  /** For a statement with `$n`: PREPARE it first, then EXPLAIN EXECUTE it with NULLs under a forced generic plan. */
  prepare?: { sql: string; prefixLength: number };
}

/**
 * The EXPLAIN text for PostgreSQL. JSON for the analyzer; BUFFERS with ANALYZE; SETTINGS (12+) shows
 * non-default planner settings; WAL (13+) for analyzed writes. A statement with `$1` is prepared and explained
 * as `EXECUTE name(NULL, …)` with plan_cache_mode = force_generic_plan, which yields the generic plan on every
 * version from 12 (GENERIC_PLAN would need 16, and would not survive the extended protocol's Bind anyway).
 */
export function postgresExplainSql(safe: SafeExplain, serverVersionNum: number): PostgresExplainSql {
  const c = safe.classification;
  const options: string[] = [];
  if (safe.analyze) options.push('ANALYZE', 'BUFFERS');
  if (c.userExplain?.options.includes('VERBOSE')) options.push('VERBOSE');
  if (serverVersionNum >= 120000) options.push('SETTINGS');
  if (safe.analyze && c.effect === 'write' && serverVersionNum >= 130000) options.push('WAL');
  options.push('FORMAT JSON');
  const explain = `EXPLAIN (${options.join(', ')}) `;
  if (!c.hasParameters) return { sql: explain + c.statement, prefixLength: explain.length };
  if (serverVersionNum < 120000) {
    throw new RefusedStatementError('the statement has bind parameters ($1, …); PostgreSQL before 12 cannot plan it without values, so replace them with literals');
  }
  if (c.maxParameter === 0) throw new RefusedStatementError('the statement has parameters that are not $1-style; replace them with literals');
  const prepare = `PREPARE ${genericPlanStatement} AS `;
  const nulls = new Array<string>(c.maxParameter).fill('NULL').join(', ');
  return { sql: `${explain}EXECUTE ${genericPlanStatement}(${nulls})`, prefixLength: Number.MAX_SAFE_INTEGER, prepare: { sql: prepare + c.statement, prefixLength: prepare.length } };
}
