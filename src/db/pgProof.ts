// Proof on one PostgreSQL session (pg and PGlite alike): index what-ifs and result comparisons. The decisions live
// in src/core/proof and src/app; this file only executes, on the same safe footing as an explain:
//   - user text (the statement, each CREATE INDEX) is validated first and travels alone on the extended protocol;
//   - everything runs between our own BEGIN and ROLLBACK, under statement_timeout (and lock_timeout for a build);
//   - HypoPG's hypothetical indexes live in the backend's memory and survive ROLLBACK: hypopg_reset() runs after the
//     ROLLBACK in every case, the session is checked to hold none, and it is destroyed when either fails;
//   - a real index (no HypoPG) is built only with consent, inside a SAVEPOINT rolled back before the next one;
//   - after executing user statements the session runs DISCARD ALL, as after every EXPLAIN ANALYZE.
import { MAX_ORDERED_ROWS, prepareComparison, bagCountSql, describeSql, floatTypes, orderedRowsSql, sampleSql, volatileFunctionReason, type BagCounts, type Cell, type ColumnInfo, type CompareFacts, type CompareSqlOptions, type PreparedComparison } from '../core/proof/compare';
import { concurrentlyNote, parseIndexStatement, type IndexStatement } from '../core/proof/indexStatement';
import type { WhatIfRaw, WhatIfTable, WhatIfVariantRaw } from '../core/proof/whatIf';
import { quoteIdent } from '../core/schema/quote';
import { ConsentRequiredError, ExplainCancelledError, IndexBuildConsentRequiredError, RefusedStatementError, StatementError, scrubSecrets } from './errors';
import { rawPlanThreshold, volatileFunctionReasons, type PgSession } from './pgTransaction';
import { planSafeExplain, type SafeExplain } from './safePath';
import type { WhatIfOptions } from './types';

export interface PgProofContext {
  serverVersionNum: number;
  /** statement_timeout for each step. */
  timeoutMs: number;
  /** lock_timeout for a real index build (the build waits for writers at most this long). */
  lockTimeoutMs: number;
  secrets: readonly (string | undefined)[];
  /** False where HypoPG cannot exist (the embedded demo database). */
  mayHaveHypopg: boolean;
}

export interface ProofOutcome<T> {
  value?: T;
  error?: Error;
  /** True when our ROLLBACK ran (or nothing was begun). */
  rolledBack: boolean;
  /** False when the session may carry state we could not clear (a hypothetical index, a setting): destroy it. */
  clean: boolean;
}

/** Index methods HypoPG 1.3 can simulate; anything else is tested with a real, rolled-back index. */
const hypopgMethods = new Set(['btree', 'brin', 'hash', 'bloom']);

interface PgErrorLike {
  message: string;
  code: string;
}

function isPgError(err: unknown): err is PgErrorLike {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** Errors we raise on purpose, and errors the server reported: results of the call, never a dead session to retry. */
function isOutcomeError(err: unknown): boolean {
  return err instanceof RefusedStatementError || err instanceof ConsentRequiredError || err instanceof IndexBuildConsentRequiredError || err instanceof StatementError || err instanceof ExplainCancelledError || isPgError(err);
}

/** A server error as a typed error; `what` says which step failed ("the rewrite", "CREATE INDEX …"). */
export function proofError(err: unknown, secrets: readonly (string | undefined)[], what?: string): Error {
  if (!isPgError(err)) return err instanceof Error ? err : new Error(String(err));
  const message = scrubSecrets(err.message, secrets);
  const prefix = what ? `${what}: ` : '';
  if (err.code === '57014') return new ExplainCancelledError(/timeout/i.test(message) ? 'timeout' : 'cancelled', `${prefix}${message}`);
  if (err.code === '55P03') return new StatementError(`${prefix}${message} (lock_timeout: another session held a conflicting lock on the table longer than the limit)`, err.code);
  return new StatementError(`${prefix}${message}`, err.code);
}

/** The first cell of an EXPLAIN result: a JSON value, or JSON text when it is large (as explainInTransaction does). */
function planCell(rows: unknown[][]): unknown {
  const cell = rows[0]?.[0];
  return typeof cell === 'string' && cell.length <= rawPlanThreshold ? (JSON.parse(cell) as unknown) : cell;
}

function explainText(safe: SafeExplain, analyze: boolean, serverVersionNum: number): string {
  const options: string[] = [];
  if (analyze) options.push('ANALYZE', 'BUFFERS');
  if (serverVersionNum >= 120000) options.push('SETTINGS');
  if (analyze && safe.classification.effect === 'write' && serverVersionNum >= 130000) options.push('WAL');
  options.push('FORMAT JSON');
  return `EXPLAIN (${options.join(', ')}) ${safe.classification.statement}`;
}

/** Where HypoPG is installed in this database (its schema), or null. */
async function hypopgSchema(session: PgSession): Promise<string | null> {
  const rows = await session.query(
    "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg'",
    [],
  );
  const schema = rows[0]?.[0];
  return typeof schema === 'string' ? schema : null;
}

const tableFactsSql = `SELECT c.oid::int8::text, n.nspname::text, c.relname::text,
  (pg_catalog.pg_table_size(c.oid) + COALESCE((SELECT sum(pg_catalog.pg_table_size(i.inhrelid)) FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid), 0))::int8::text,
  c.reltuples::float8
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.oid = pg_catalog.to_regclass($1::text)`;

interface TableFacts extends WhatIfTable {
  oid: string;
}

async function tableFacts(session: PgSession, tableSql: string): Promise<TableFacts> {
  const row = (await session.query(tableFactsSql, [tableSql]))[0];
  if (!row) throw new StatementError(`the table ${tableSql} of the CREATE INDEX statement does not exist (or is not on the search_path)`);
  const [oid, schema, name, bytes, rows] = row;
  const tuples = Number(rows);
  return { oid: String(oid), name: `${quoteIdent(String(schema))}.${quoteIdent(String(name))}`, bytes: Number(bytes), rows: Number.isFinite(tuples) && tuples >= 0 ? tuples : null };
}

const indexesOfSql = `SELECT i.indexrelid::int8::text, c.relname::text, i.indcheckxmin
  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::int8::oid`;

async function indexesOf(session: PgSession, tableOid: string): Promise<{ oid: string; name: string; checkXmin: boolean }[]> {
  return (await session.query(indexesOfSql, [tableOid])).map(([oid, name, check]) => ({ oid: String(oid), name: String(name), checkXmin: check === true || check === 't' }));
}

interface PreparedWhatIf {
  safe: SafeExplain;
  variants: IndexStatement[][];
  method: 'hypopg' | 'rolled-back-index';
  hypopg: string | null;
  tables: Map<string, TableFacts>;
  warnings: string[];
}

/** Validates everything and reads what the decision needs; throws before anything is begun. */
async function prepareWhatIf(session: PgSession, sql: string, options: WhatIfOptions, ctx: PgProofContext): Promise<PreparedWhatIf> {
  const variants = options.variants.map((v) =>
    v.map((text) => {
      const parsed = parseIndexStatement(text, 'postgres');
      if (!parsed.ok) throw new RefusedStatementError(`index: ${parsed.reason}`);
      return parsed.index;
    }),
  );
  if (!variants.length || variants.some((v) => !v.length)) throw new RefusedStatementError('no CREATE INDEX statement to test');
  // Plain first: whether the statement may be executed matters only for a real build (HypoPG never executes it).
  let safe = planSafeExplain(sql, 'postgres', { analyze: false, consentToWrites: false });
  if (safe.classification.hasParameters) throw new RefusedStatementError('the statement has bind parameters ($1, …); a what-if compares plans for real values, so replace them with literals');
  const all = variants.flat();
  const hypopg = ctx.mayHaveHypopg && options.method !== 'rolled-back-index' ? await hypopgSchema(session) : null;
  const unsupported = all.find((i) => !hypopgMethods.has(i.method));
  if (options.method === 'hypopg') {
    if (hypopg === null) throw new RefusedStatementError(ctx.mayHaveHypopg ? 'HypoPG is not installed in this database (CREATE EXTENSION hypopg)' : 'this database cannot load HypoPG');
    if (unsupported) throw new RefusedStatementError(`HypoPG cannot simulate ${unsupported.method} indexes`);
  }
  const method = hypopg !== null && !unsupported ? 'hypopg' : 'rolled-back-index';
  const warnings: string[] = [];
  for (const i of all) if (i.concurrently) warnings.push(concurrentlyNote(i));
  if (hypopg !== null && unsupported) warnings.push(`HypoPG cannot simulate ${unsupported.method} indexes, so the test builds a real index and rolls it back`);
  const tables = new Map<string, TableFacts>();
  for (const i of all) if (!tables.has(i.table.sql)) tables.set(i.table.sql, await tableFacts(session, i.table.sql));
  if (method === 'rolled-back-index') {
    const targets = [...new Map([...tables.values()].map((t) => [t.oid, { name: t.name, bytes: t.bytes, rows: t.rows }])).values()];
    if (!options.consentToBuild) throw new IndexBuildConsentRequiredError(targets, false, options.maxTableBytes);
    const large = targets.filter((t) => t.bytes !== null && t.bytes > options.maxTableBytes);
    if (large.length && !options.confirmAboveCap) throw new IndexBuildConsentRequiredError(large, true, options.maxTableBytes);
    if (options.analyze) safe = planSafeExplain(sql, 'postgres', { analyze: true, consentToWrites: options.consentToWrites });
    if (safe.analyze && !safe.consented) {
      // As for EXPLAIN ANALYZE: volatile user functions need consent before the statement runs.
      const reasons = await volatileFunctionReasons(session, safe.classification.calledFunctions);
      if (reasons.length) throw new ConsentRequiredError(safe.classification.kind, reasons, safe.classification.analyzeWarnings);
    }
    // The statement runs in the build's read-write transaction, not a READ ONLY one: say what really happens.
    warnings.push(...safe.warnings.filter((w) => !w.startsWith('EXPLAIN ANALYZE executes')));
    if (safe.analyze) warnings.push('The statement was executed before and after (EXPLAIN ANALYZE) inside the test transaction, and rolled back each time');
    warnings.push('Each index was built inside a transaction that was rolled back; writes to its table waited while it held the SHARE lock');
    if (safe.analyze) warnings.push('Timings are from one run each, "before" first: the second run may find in cache what the first read from disk');
  } else {
    if (options.analyze) warnings.push('The statement was not executed: EXPLAIN ANALYZE ignores hypothetical indexes, so only costs can be compared');
    warnings.push("HypoPG's indexes exist only for the planner: these are its estimated costs");
  }
  return { safe, variants, method, hypopg, tables, warnings };
}

/**
 * Plans (and, with consent, measures) a statement before and with each set of indexes, on one pinned session.
 * Failures of the session before anything began are thrown (the driver may retry on a fresh session); everything
 * else comes back in the outcome.
 */
export async function whatIfOnSession(session: PgSession, sql: string, options: WhatIfOptions, ctx: PgProofContext): Promise<ProofOutcome<WhatIfRaw>> {
  let prep: PreparedWhatIf;
  try {
    prep = await prepareWhatIf(session, sql, options, ctx);
  } catch (err) {
    if (isOutcomeError(err)) return { error: proofError(err, ctx.secrets), rolledBack: true, clean: true };
    throw err;
  }
  const hypo = prep.method === 'hypopg' ? `${quoteIdent(prep.hypopg!)}.` : '';
  const analyze = prep.method === 'rolled-back-index' && prep.safe.analyze;
  await session.simple(prep.method === 'hypopg' ? 'BEGIN READ ONLY' : 'BEGIN');
  const outcome: ProofOutcome<WhatIfRaw> = { rolledBack: false, clean: true };
  const warnings = [...prep.warnings];
  try {
    await session.simple(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(ctx.timeoutMs))}`);
    if (prep.method === 'rolled-back-index') await session.simple(`SET LOCAL lock_timeout = ${Math.max(0, Math.floor(ctx.lockTimeoutMs))}`);
    const explain = async (measure: boolean): Promise<unknown> => {
      try {
        return planCell(await session.extended(explainText(prep.safe, measure, ctx.serverVersionNum)));
      } catch (err) {
        throw proofError(err, ctx.secrets, 'the statement');
      }
    };
    let before: unknown;
    if (analyze) {
      // The statement may write: its effects are undone before the index is built, so "after" starts from the same data.
      await session.simple('SAVEPOINT dataeng_before');
      before = await explain(true);
      await session.simple('ROLLBACK TO SAVEPOINT dataeng_before');
    } else before = await explain(false);
    const variants: WhatIfVariantRaw[] = [];
    for (const variant of prep.variants) {
      const names: (string | null)[] = [];
      if (prep.method === 'hypopg') {
        for (const index of variant) {
          try {
            const row = (await session.query(`SELECT indexname::text FROM ${hypo}hypopg_create_index($1::text)`, [index.text]))[0];
            names.push(typeof row?.[0] === 'string' ? row[0] : null);
          } catch (err) {
            throw proofError(err, ctx.secrets, `HypoPG could not create "${index.written.slice(0, 80)}"`);
          }
        }
        const plan = await explain(false);
        await session.query(`SELECT ${hypo}hypopg_reset()`, []);
        variants.push({ plan, indexNames: names });
        continue;
      }
      await session.simple('SAVEPOINT dataeng_variant');
      for (const index of variant) {
        const table = prep.tables.get(index.table.sql)!;
        const existing = new Set((await indexesOf(session, table.oid)).map((i) => i.oid));
        try {
          // The validated CREATE INDEX alone, on the extended protocol: the server refuses anything more.
          await session.extended(index.text);
        } catch (err) {
          throw proofError(err, ctx.secrets, `"${index.written.slice(0, 80)}"`);
        }
        const created = (await indexesOf(session, table.oid)).filter((i) => !existing.has(i.oid));
        names.push(created[0]?.name ?? null);
        if (created.some((i) => i.checkXmin)) {
          warnings.push(`The new index on ${table.name} cannot be used by the transaction that built it (the table has recently updated rows; pg_index.indcheckxmin), so the "after" plan does not show its effect`);
        }
      }
      const plan = await explain(analyze);
      await session.simple('ROLLBACK TO SAVEPOINT dataeng_variant');
      variants.push({ plan, indexNames: names });
    }
    outcome.value = {
      method: prep.method,
      dialect: 'postgres',
      analyzed: analyze,
      before,
      variants,
      tables: [...prep.tables.values()].map(({ name, bytes, rows }) => ({ name, bytes, rows })),
      warnings,
      rolledBack: false,
    };
  } catch (err) {
    outcome.error = proofError(err, ctx.secrets);
  }
  try {
    await session.simple('ROLLBACK');
    outcome.rolledBack = true;
  } catch {
    outcome.clean = false;
  }
  if (prep.method === 'hypopg') {
    // Hypothetical indexes are not transactional: ROLLBACK left them in the backend. Reset, then prove none is left.
    try {
      await session.query(`SELECT ${hypo}hypopg_reset()`, []);
      const left = Number((await session.query(`SELECT count(*)::int FROM ${hypo}hypopg()`, []))[0]?.[0] ?? 1);
      if (left !== 0) outcome.clean = false;
    } catch {
      outcome.clean = false;
    }
  } else if (analyze || prep.safe.classification.sideEffects.length) {
    try {
      await session.simple('DISCARD ALL');
    } catch {
      outcome.clean = false;
    }
  }
  if (outcome.value) outcome.value.rolledBack = outcome.rolledBack;
  return outcome;
}

// ---- result comparison -------------------------------------------------------------------------------------------

const volatileSql = `SELECT DISTINCT n.nspname::text, p.proname::text
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE p.proname = ANY($1::text[]) AND p.provolatile = 'v'
 ORDER BY 1, 2`;

const typeNamesSql = 'SELECT oid::int8::text, pg_catalog.format_type(oid, NULL) FROM pg_catalog.pg_type WHERE oid = ANY($1::int8[]::oid[])';

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  // Every comparison query casts to text; a value that still arrives typed (PGlite parses counts) prints as JSON.
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function countsOf(rows: unknown[][]): BagCounts {
  const r = rows[0] ?? [];
  return { original: Number(r[0]), rewrite: Number(r[1]), onlyInOriginal: Number(r[2]), onlyInRewrite: Number(r[3]) };
}

function emptyFacts(prepared: PreparedComparison): CompareFacts {
  return {
    dialect: 'postgres',
    prepared,
    volatileFunctions: [],
    columns: { original: [], rewrite: [] },
    counts: null,
    comparedAsText: false,
    roundedCounts: null,
    samples: { onlyInOriginal: [], onlyInRewrite: [] },
    ordered: null,
  };
}

/**
 * Runs the original and the rewrite in one READ ONLY, REPEATABLE READ transaction (one snapshot) and gathers what the
 * verdict needs. A statement that is not a read is refused; one that calls a volatile function is not run at all.
 */
export async function compareOnSession(session: PgSession, original: string, rewrite: string, ctx: PgProofContext): Promise<ProofOutcome<CompareFacts>> {
  const prepared = prepareComparison(original, rewrite, 'postgres');
  if ('refusal' in prepared) return { error: new RefusedStatementError(prepared.refusal), rolledBack: true, clean: true };
  const facts = emptyFacts(prepared);
  if (prepared.volatility.length) return { value: facts, rolledBack: true, clean: true };
  const names = [...new Set([...prepared.original.calledFunctions, ...prepared.rewrite.calledFunctions])];
  if (names.length) {
    // Any volatile function, PostgreSQL's own (random, clock_timestamp, gen_random_uuid, nextval…) or a user's.
    facts.volatileFunctions = (await session.query(volatileSql, [names])).map(([schema, name]) => volatileFunctionReason(String(schema), String(name)));
    if (facts.volatileFunctions.length) return { value: facts, rolledBack: true, clean: true };
  }
  await session.simple('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const outcome: ProofOutcome<CompareFacts> = { rolledBack: false, clean: true };
  try {
    await session.simple(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(ctx.timeoutMs))}`);
    const describe = async (statement: string, label: string): Promise<ColumnInfo[]> => {
      try {
        return (await session.described(describeSql(statement))).fields.map((f) => ({ name: f.name, type: null, typeId: f.typeId }));
      } catch (err) {
        throw proofError(err, ctx.secrets, label);
      }
    };
    const co = await describe(prepared.original.statement, 'the original');
    const cr = await describe(prepared.rewrite.statement, 'the rewrite');
    const oids = [...new Set([...co, ...cr].map((c) => String(c.typeId)))];
    const typeNames = new Map((await session.query(typeNamesSql, [oids])).map(([oid, name]) => [String(oid), String(name)]));
    for (const c of [...co, ...cr]) c.type = typeNames.get(String(c.typeId)) ?? null;
    facts.columns = { original: co, rewrite: cr };
    if (co.length === cr.length) {
      const base: CompareSqlOptions = { columns: co, materialized: ctx.serverVersionNum >= 120000 };
      const run = async (text: string): Promise<unknown[][]> => (await session.described(text)).rows;
      await session.simple('SAVEPOINT dataeng_compare');
      let options = base;
      let counts: BagCounts;
      try {
        counts = countsOf(await run(bagCountSql(prepared, 'postgres', options)));
      } catch (err) {
        const typed = proofError(err, ctx.secrets);
        if (typed instanceof ExplainCancelledError) throw typed;
        // Types without equality (json, point…) or that cannot be matched (integer vs text): compare the text forms.
        await session.simple('ROLLBACK TO SAVEPOINT dataeng_compare');
        options = { ...base, asText: true };
        facts.comparedAsText = true;
        try {
          counts = countsOf(await run(bagCountSql(prepared, 'postgres', options)));
        } catch (again) {
          throw proofError(again, ctx.secrets, 'comparing the results');
        }
      }
      facts.counts = counts;
      if (counts.onlyInOriginal || counts.onlyInRewrite) {
        const rows = await run(sampleSql(prepared, 'postgres', options));
        facts.samples = {
          onlyInOriginal: rows.filter((r) => r[0] === 'o').map((r) => r.slice(1).map(toCell)),
          onlyInRewrite: rows.filter((r) => r[0] === 'r').map((r) => r.slice(1).map(toCell)),
        };
        if (co.some((c) => c.typeId !== undefined && floatTypes.has(c.typeId))) {
          facts.roundedCounts = countsOf(await run(bagCountSql(prepared, 'postgres', { ...options, roundFloats: true })));
        }
      }
      if (prepared.original.clauses.orderBy) {
        const fetch = async (statement: string): Promise<{ rows: Cell[][]; truncated: boolean }> => {
          const rows = (await run(orderedRowsSql(statement, co.length, 'postgres'))).map((r) => r.map(toCell));
          const cap = rows.length > MAX_ORDERED_ROWS;
          return { rows: cap ? rows.slice(0, MAX_ORDERED_ROWS) : rows, truncated: cap };
        };
        const a = await fetch(prepared.original.statement);
        const b = await fetch(prepared.rewrite.statement);
        facts.ordered = { original: a.rows, rewrite: b.rows, truncated: a.truncated || b.truncated };
      }
    }
    outcome.value = facts;
  } catch (err) {
    outcome.error = proofError(err, ctx.secrets);
  }
  try {
    await session.simple('ROLLBACK');
    outcome.rolledBack = true;
  } catch {
    outcome.clean = false;
    return outcome;
  }
  // The statements ran (reads, but through whatever functions they call): the pooled session is made as new.
  try {
    await session.simple('DISCARD ALL');
  } catch {
    outcome.clean = false;
  }
  return outcome;
}
