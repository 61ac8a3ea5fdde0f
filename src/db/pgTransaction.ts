// Runs one prepared EXPLAIN inside BEGIN … ROLLBACK for any PostgreSQL session (pg or PGlite). The user's
// statement always goes through the extended protocol, where the server itself refuses a second statement.
import { ConsentRequiredError, ExplainCancelledError, StatementError, scrubSecrets } from './errors';
import { genericPlanStatement, postgresExplainSql, type SafeExplain } from './safePath';

export interface PgSession {
  /** Simple protocol, for our own fixed control statements only. */
  simple(sql: string): Promise<void>;
  /** Extended protocol (Parse/Bind/Execute) with no parameters; rows as arrays. */
  extended(sql: string): Promise<unknown[][]>;
  /** Our own fixed catalog queries with bound parameters; rows as arrays. Never user text. */
  query(sql: string, params: unknown[]): Promise<unknown[][]>;
  /**
   * Extended protocol with no parameters, like `extended`, also returning the result's columns (name, type oid):
   * for the proof queries we build around validated user statements (src/db/pgProof.ts).
   */
  described(sql: string): Promise<{ rows: unknown[][]; fields: { name: string; typeId: number }[] }>;
}

/**
 * The user functions a statement calls whose behaviour we cannot know: volatile, and not PostgreSQL's own. Under
 * EXPLAIN ANALYZE they need the same consent as a write; the lookup runs only when that consent is missing.
 */
const volatileFunctionsSql = `SELECT DISTINCT n.nspname, p.proname
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE p.proname = ANY($1::text[]) AND p.provolatile = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 ORDER BY 1, 2`;

/** Reasons to ask before executing: one per volatile user function the statement calls. */
export async function volatileFunctionReasons(session: PgSession, names: readonly string[]): Promise<string[]> {
  if (!names.length) return [];
  const rows = await session.query(volatileFunctionsSql, [[...names]]);
  return rows.map(
    ([schema, name]) =>
      `${String(schema)}.${String(name)}() is a VOLATILE user function whose effects are unknown (it may act outside the transaction)`,
  );
}

/**
 * EXPLAIN output longer than this (about 1 MB of JSON: thousands of nodes, e.g. a scan of every partition) stays JSON
 * text in `ExplainResult.plan`, so the caller can parse it off the extension host's main thread.
 */
export const rawPlanThreshold = 1_000_000;

export interface TransactionOutcome {
  plan?: unknown;
  error?: Error;
  /** True only when our ROLLBACK succeeded. False: the session ended first (the caller destroys it; the server aborts the transaction). */
  rolledBack: boolean;
  /**
   * False when the session may carry state the statement left behind (an advisory lock, a session setting, a prepared
   * statement) and `DISCARD ALL` could not clear it: the caller must destroy the connection instead of pooling it.
   */
  clean: boolean;
}

interface PgErrorLike {
  message: string;
  code?: unknown;
  position?: unknown;
}

function isPgError(err: unknown): err is PgErrorLike & { code: string } {
  return err instanceof Error && typeof (err as PgErrorLike).code === 'string' && /^[0-9A-Z]{5}$/.test((err as PgErrorLike).code as string);
}

/** Maps a server error to a typed error whose offset points into the user's original text. */
export function mapStatementError(err: unknown, safe: SafeExplain, prefixLength: number, secrets: readonly (string | undefined)[]): Error {
  if (!isPgError(err)) return err instanceof Error ? err : new Error(String(err));
  const message = scrubSecrets(err.message, secrets);
  if (err.code === '57014') {
    // Whether the transaction was then rolled back is known only after ROLLBACK: the driver adds it (transactionEnd.ts).
    return new ExplainCancelledError(/timeout/i.test(message) ? 'timeout' : 'cancelled', message);
  }
  if (err.code === '25006') {
    return new StatementError(`${message} (the statement tried to write although it was classified as a read; nothing was changed)`, err.code);
  }
  let offset: number | undefined;
  const pos = Number(err.position);
  if (Number.isInteger(pos) && pos > prefixLength) offset = safe.classification.statementStart + pos - 1 - prefixLength;
  return new StatementError(message, err.code, offset);
}

export async function explainInTransaction(
  session: PgSession,
  safe: SafeExplain,
  serverVersionNum: number,
  options: { timeoutMs?: number; secrets?: readonly (string | undefined)[] } = {},
): Promise<TransactionOutcome> {
  const built = postgresExplainSql(safe, serverVersionNum);
  if (safe.analyze && !safe.consented) {
    // Functions the classifier cannot know: their consent is asked for like a write's, before anything runs.
    const reasons = await volatileFunctionReasons(session, safe.classification.calledFunctions);
    if (reasons.length) return { error: new ConsentRequiredError(safe.classification.kind, reasons, safe.classification.analyzeWarnings), rolledBack: true, clean: true };
  }
  await session.simple(safe.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  const outcome: TransactionOutcome = { rolledBack: false, clean: true };
  let prepared = false;
  let prefixLength = built.prefixLength;
  try {
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      await session.simple(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`);
    }
    if (built.prepare) {
      prefixLength = built.prepare.prefixLength;
      await session.extended(built.prepare.sql);
      prepared = true;
      prefixLength = built.prefixLength;
      await session.simple('SET LOCAL plan_cache_mode = force_generic_plan');
    }
    const rows = await session.extended(built.sql);
    const cell = rows[0]?.[0];
    outcome.plan = typeof cell === 'string' && cell.length <= rawPlanThreshold ? (JSON.parse(cell) as unknown) : cell;
  } catch (err) {
    outcome.error = mapStatementError(err, safe, prefixLength, options.secrets ?? []);
  }
  try {
    await session.simple('ROLLBACK');
    outcome.rolledBack = true;
    // Prepared statements are not transactional: remove ours, so the pooled session is as it was.
    if (prepared) await session.simple(`DEALLOCATE ${genericPlanStatement}`);
  } catch {
    // rolledBack stays what it was: false only when ROLLBACK itself failed. Either way the session is not reused.
    outcome.clean = false;
    return outcome;
  }
  if (safe.analyze) {
    // The statement ran: whatever it left in the session (advisory locks, set_config(…, false), prepared statements,
    // temp tables) goes, so the pooled session is as clean as a new one. If that fails, the session is destroyed.
    try {
      await session.simple('DISCARD ALL');
    } catch {
      outcome.clean = false;
    }
  }
  return outcome;
}
