// Proof on SQLite, inside the worker thread. The user's file is opened read-only and is never written:
//   - a what-if copies the database into memory (a new in-memory database from the file's serialized pages, under a
//     size cap), creates the indexes there, and compares EXPLAIN QUERY PLAN (and, for a read, its run time) before and
//     after; the copy is discarded;
//   - a comparison runs both reads on the read-only handle inside one read transaction (one snapshot).
// The engine is reached through the small ProofHandle interface, so another SQLite engine can offer the same by
// implementing it (and `copyToMemory`), or say plainly that it cannot copy.
import { bagCountSql, describeSql, orderedRowsSql, prepareComparison, sampleSql, MAX_ORDERED_ROWS, type BagCounts, type Cell, type CompareFacts } from '../../core/proof/compare';
import { concurrentlyNote, parseIndexStatement } from '../../core/proof/indexStatement';
import type { WhatIfRaw, WhatIfVariantRaw } from '../../core/proof/whatIf';
import { classifyStatement } from '../../core/sql/classify';
import { IndexBuildConsentRequiredError, RefusedStatementError, StatementError } from '../errors';
import type { WhatIfOptions } from '../types';

/** One SQLite handle as the proofs use it. Every method takes exactly one statement (the engine refuses more). */
export interface ProofHandle {
  /** Column names of a statement's result, without running it. */
  columns(sql: string): string[];
  /** Runs a statement and returns its rows as arrays. */
  rows(sql: string): unknown[][];
  /** Runs a statement and only counts its rows (for timing, without keeping them). */
  drain(sql: string): number;
  /** Runs a statement for its effect (our own control statements, the validated CREATE INDEX on the copy). */
  run(sql: string): void;
  close(): void;
}

/** How an engine makes a writable in-memory copy of the open database, or why it cannot. */
export type MemoryCopy = { copy: ProofHandle } | { unavailable: string };

export interface SqliteProofEngine {
  /** The open, read-only handle on the user's file. */
  handle: ProofHandle;
  /** The database's size in bytes (page_count × page_size). */
  sizeBytes(): number;
  /** A writable copy of the database in memory; the file is only read. */
  copyToMemory(): MemoryCopy;
}

function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  return JSON.stringify(v);
}

function statementError(err: unknown, what: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return new StatementError(`${what}: ${message}`, typeof code === 'string' ? code : undefined);
}

/** A first timed run shorter than this is repeated (see sqliteWhatIf); a longer one is not worth running twice. */
const WARM_UP_BELOW_MS = 1000;

function time(handle: ProofHandle, sql: string): number {
  const t0 = performance.now();
  handle.drain(sql);
  return performance.now() - t0;
}

/** The what-if on an in-memory copy: EXPLAIN QUERY PLAN before and with each set of indexes (and run times of a read). */
export function sqliteWhatIf(engine: SqliteProofEngine, sql: string, options: WhatIfOptions, fileName: string): WhatIfRaw {
  const c = classifyStatement(sql, 'sqlite');
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  const variants = options.variants.map((v) =>
    v.map((text) => {
      const parsed = parseIndexStatement(text, 'sqlite');
      if (!parsed.ok) throw new RefusedStatementError(`index: ${parsed.reason}`);
      return parsed.index;
    }),
  );
  if (!variants.length || variants.some((v) => !v.length)) throw new RefusedStatementError('no CREATE INDEX statement to test');
  const bytes = engine.sizeBytes();
  if (bytes > options.maxTableBytes && !options.confirmAboveCap) {
    throw new IndexBuildConsentRequiredError([{ name: fileName, bytes, rows: null }], true, options.maxTableBytes, 'copy');
  }
  const made = engine.copyToMemory();
  if ('unavailable' in made) throw new RefusedStatementError(`this SQLite engine cannot copy the database into memory (${made.unavailable}), so indexes cannot be tried without writing to the file`);
  const copy = made.copy;
  const warnings: string[] = ['SQLite has no cost estimates: the plans are compared step by step, on an in-memory copy of the database (the file was only read)'];
  for (const i of variants.flat()) if (i.concurrently) warnings.push(concurrentlyNote(i));
  // Time only reads: the copy would absorb a write, but its timing would not be the file's.
  const measure = options.analyze && c.effect === 'read' && !c.hasParameters;
  if (options.analyze && !measure) warnings.push('Only a read without parameters is timed on the copy; this statement was compared by its plan alone');
  if (measure) warnings.push('Run times are from the in-memory copy (no disk reads), one run each');
  try {
    const eqp = (): unknown[][] => copy.rows(`EXPLAIN QUERY PLAN ${c.statement}`);
    const hasStats = copy.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'")[0]?.[0] === 1;
    const before = eqp();
    // The first run also warms what any first run pays for (statement compilation, the engine's own caches): a short
    // statement is run once more and the second run counts, so "before" and "after" start alike.
    let beforeTimeMs = measure ? time(copy, c.statement) : undefined;
    if (beforeTimeMs !== undefined && beforeTimeMs < WARM_UP_BELOW_MS) beforeTimeMs = time(copy, c.statement);
    const out: WhatIfVariantRaw[] = [];
    for (const variant of variants) {
      copy.run('SAVEPOINT dataeng_variant');
      try {
        for (const index of variant) {
          try {
            copy.run(index.text);
          } catch (err) {
            throw statementError(err, `"${index.written.slice(0, 80)}"`);
          }
          // With statistics in the file, the new index gets its own, so the planner weighs it as it would for real.
          if (hasStats && index.name) copy.run(`ANALYZE "${index.name.replaceAll('"', '""')}"`);
        }
        const plan = eqp();
        const timeMs = measure ? time(copy, c.statement) : undefined;
        out.push({ plan: rowsAsPlan(plan), indexNames: variant.map((i) => i.name), ...(timeMs !== undefined ? { timeMs } : {}) });
      } finally {
        copy.run('ROLLBACK TO dataeng_variant');
        copy.run('RELEASE dataeng_variant');
      }
    }
    return {
      method: 'in-memory-copy',
      dialect: 'sqlite',
      analyzed: measure,
      before: rowsAsPlan(before),
      ...(beforeTimeMs !== undefined ? { beforeTimeMs } : {}),
      variants: out,
      tables: [{ name: fileName, bytes, rows: null }],
      warnings,
      rolledBack: true,
    };
  } finally {
    copy.close();
  }
}

/** EXPLAIN QUERY PLAN rows as the plan parser reads them. */
function rowsAsPlan(rows: unknown[][]): { id: number; parent: number; notused: number; detail: string }[] {
  return rows.map(([id, parent, notused, detail]) => ({ id: Number(id), parent: Number(parent), notused: Number(notused), detail: String(detail) }));
}

function countsOf(rows: unknown[][]): BagCounts {
  const r = rows[0] ?? [];
  return { original: Number(r[0]), rewrite: Number(r[1]), onlyInOriginal: Number(r[2]), onlyInRewrite: Number(r[3]) };
}

/** Both reads in one read transaction on the read-only handle; bag counts by grouping (SQLite has no EXCEPT ALL). */
export function sqliteCompare(handle: ProofHandle, original: string, rewrite: string): CompareFacts {
  const prepared = prepareComparison(original, rewrite, 'sqlite');
  if ('refusal' in prepared) throw new RefusedStatementError(prepared.refusal);
  const facts: CompareFacts = {
    dialect: 'sqlite',
    prepared,
    volatileFunctions: [],
    columns: { original: [], rewrite: [] },
    counts: null,
    comparedAsText: false,
    roundedCounts: null,
    samples: { onlyInOriginal: [], onlyInRewrite: [] },
    ordered: null,
  };
  if (prepared.volatility.length) return facts;
  const describe = (statement: string, label: string): { name: string; type: null }[] => {
    try {
      return handle.columns(describeSql(statement)).map((name) => ({ name, type: null }));
    } catch (err) {
      throw statementError(err, label);
    }
  };
  facts.columns = { original: describe(prepared.original.statement, 'the original'), rewrite: describe(prepared.rewrite.statement, 'the rewrite') };
  if (facts.columns.original.length !== facts.columns.rewrite.length) return facts;
  // One read transaction: both statements see the same snapshot of the file.
  handle.run('BEGIN');
  try {
    const options = { columns: facts.columns.original, materialized: true };
    const run = (text: string): unknown[][] => {
      try {
        return handle.rows(text);
      } catch (err) {
        throw statementError(err, 'comparing the results');
      }
    };
    facts.counts = countsOf(run(bagCountSql(prepared, 'sqlite', options)));
    if (facts.counts.onlyInOriginal || facts.counts.onlyInRewrite) {
      const rows = run(sampleSql(prepared, 'sqlite', options));
      facts.samples = {
        onlyInOriginal: rows.filter((r) => r[0] === 'o').map((r) => r.slice(1).map(cell)),
        onlyInRewrite: rows.filter((r) => r[0] === 'r').map((r) => r.slice(1).map(cell)),
      };
      facts.roundedCounts = countsOf(run(bagCountSql(prepared, 'sqlite', { ...options, roundFloats: true })));
    }
    if (prepared.original.clauses.orderBy) {
      const fetch = (statement: string): { rows: Cell[][]; truncated: boolean } => {
        const rows = run(orderedRowsSql(statement, facts.columns.original.length, 'sqlite')).map((r) => r.map(cell));
        const cap = rows.length > MAX_ORDERED_ROWS;
        return { rows: cap ? rows.slice(0, MAX_ORDERED_ROWS) : rows, truncated: cap };
      };
      const a = fetch(prepared.original.statement);
      const b = fetch(prepared.rewrite.statement);
      facts.ordered = { original: a.rows, rewrite: b.rows, truncated: a.truncated || b.truncated };
    }
  } finally {
    handle.run('ROLLBACK');
  }
  return facts;
}
