// The one consent policy, for every face that runs an EXPLAIN: the editor and chat (a modal), the CLI (`--analyze`,
// `--yes`), the agent's explain_query tool and the MCP server. Each face supplies a ConsentPort (who can be asked,
// what was approved up front, what to do without consent); the decisions are made here, and only here.
//
// The kinds of question. Executing a pure read (EXPLAIN ANALYZE of a SELECT) is asked about lightly when the setting
// is `ask`. Executing anything more — a write, row locks, or a function whose effect a rollback does not undo
// (classify.ts `sideEffects`, and volatile user functions the driver finds in the catalog) — always needs explicit
// consent that names each reason: a modal in the editor, `--yes` in the CLI, `--allow-analyze-writes` for MCP.
// An index what-if without HypoPG builds a real index inside BEGIN … ROLLBACK: that needs explicit consent naming the
// table, its size, and that writes to it wait (SHARE lock) — `index-build`; above the size cap (or, on SQLite, a
// database too large to copy into memory) it needs a second confirmation — `index-build-above-cap`.
import { classifyStatement, type Classification } from '../core/sql/classify';
import type { Dialect } from '../core/sql/dialect';
import type { WhatIfRaw } from '../core/proof/whatIf';
import { formatBytes } from '../core/schema/rules/shared';
import { ConsentRequiredError, IndexBuildConsentRequiredError, RefusedStatementError, consentReasons } from '../db/errors';
import type { Database, ExplainResult } from '../db/types';

import type { AnalyzeSetting } from '../core/settings/analyzeSetting';

/** What the caller wants: follow the setting (editor, chat), or an explicit choice (`--analyze`, a tool's `analyze`). */
export type AnalyzeRequest = { setting: AnalyzeSetting } | { analyze: boolean };

/** What a question is about; the faces label their answers by it. Absent: EXPLAIN ANALYZE. */
export type ConsentQuestionKind = 'analyze' | 'index-build' | 'index-build-above-cap';

export interface ConsentQuestion {
  kind?: ConsentQuestionKind;
  /** Modal: the statement would do more than read (the reasons say what). Not modal: a read, asked about lightly. */
  modal: boolean;
  message: string;
  detail: string;
  /** What executing it would do beyond a read, one reason per effect; empty for a plain read. */
  reasons: string[];
  /**
   * `index-build`: the answer `analyze` also measures the statement before and after (EXPLAIN ANALYZE); `plain`
   * builds and compares estimated costs only. Without it, `analyze` and `plain` both mean "build".
   */
  offersMeasure?: boolean;
}

export type ConsentDecision =
  | { action: 'plain'; note?: string }
  | { action: 'analyze'; consented: boolean }
  | { action: 'ask'; question: ConsentQuestion };

export type ConsentAnswer = 'analyze' | 'plain' | 'dismissed';

export interface ConsentPort {
  /** Asks the user. Absent where nobody can be asked (CLI, MCP): then only `preApproved` consents. */
  ask?: (question: ConsentQuestion) => Promise<ConsentAnswer>;
  /** Consent to more than a read given up front: the CLI's `--yes`, MCP's `--allow-analyze-writes`. */
  preApproved?: boolean;
  /**
   * When consent is needed and cannot be had: `plain` explains without executing (with a note), `refuse` throws
   * ConsentRequiredError, whose message names every reason (the CLI's exit 3, a tool's `is_error` result).
   */
  withoutConsent: 'plain' | 'refuse';
}

export type ConsentOutcome = { kind: 'explained'; result: ExplainResult } | { kind: 'declined'; reason: string };

/** The question for a statement that would do more than read: names the statement and every reason. */
export function riskyQuestion(kind: string, reasons: readonly string[], warnings: readonly string[] = []): ConsentQuestion {
  return {
    modal: true,
    message: `EXPLAIN ANALYZE will execute this ${kind.toUpperCase()} statement and then roll it back. It needs your consent because ${reasons.length > 1 ? 'of what it does' : 'of one thing it does'}.`,
    detail: [
      ...reasons.map((r) => `• ${r}`),
      'The statement runs inside a transaction that is always rolled back, also on error, timeout or cancel.',
      ...warnings.filter((w) => !w.startsWith('EXPLAIN ANALYZE executes')).map((w) => `Note: ${w}.`),
    ].join('\n'),
    reasons: [...reasons],
  };
}

/** Pure: what to do with one classified statement. Never executes anything; `explainWithConsent` carries it out. */
export function decideAnalyze(c: Classification, dialect: Dialect, request: AnalyzeRequest, preApproved = false): ConsentDecision {
  // SQLite has no EXPLAIN ANALYZE: an explicit request goes to the driver, which says so in a warning.
  if (dialect === 'sqlite') return 'analyze' in request && request.analyze ? { action: 'analyze', consented: false } : { action: 'plain' };
  const userAsked = c.userExplain?.analyze === true;
  const wanted = 'analyze' in request ? request.analyze : request.setting !== 'never';
  if (!wanted) {
    const never = 'setting' in request && request.setting === 'never';
    return never && userAsked ? { action: 'plain', note: 'dataeng.explain.analyze is "never": the statement is not executed; this is the estimated plan.' } : { action: 'plain' };
  }
  const reasons = consentReasons(c);
  if (reasons.length) return preApproved ? { action: 'analyze', consented: true } : { action: 'ask', question: riskyQuestion(c.kind, reasons, c.analyzeWarnings) };
  if ('analyze' in request || request.setting === 'readsOnly') return { action: 'analyze', consented: false };
  return {
    action: 'ask',
    question: {
      modal: false,
      message: 'Run EXPLAIN ANALYZE? It executes the statement (read-only, rolled back) to measure real rows and timings.',
      detail: c.analyzeWarnings.join('\n'),
      reasons: [],
    },
  };
}

const declinedNote = 'Consent to execute the statement was not given: this is the estimated plan (plain EXPLAIN), nothing was executed.';

/**
 * Explains `sql` on `db` as the policy decides: classify (refusals throw RefusedStatementError), decide, ask when
 * needed, and run. A ConsentRequiredError from the driver (volatile user functions found in the catalog) is asked
 * about the same way. Plain EXPLAIN never executes the statement, so it never needs consent.
 */
export interface RunOptions {
  signal?: AbortSignal;
  /** Overrides the session's statement timeout for this explain. */
  timeoutMs?: number;
}

export async function explainWithConsent(db: Database, sql: string, request: AnalyzeRequest, port: ConsentPort, options: RunOptions = {}): Promise<ConsentOutcome> {
  const c = classifyStatement(sql, db.dialect);
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  const decision = decideAnalyze(c, db.dialect, request, port.preApproved === true);
  const notes: string[] = [];
  const run = async (analyze: boolean, consentToWrites: boolean): Promise<ConsentOutcome> => {
    const result = await db.explain(sql, { analyze, consentToWrites, ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
    return { kind: 'explained', result: notes.length ? { ...result, warnings: [...notes, ...result.warnings] } : result };
  };
  /** Asks one question; returns what to run, or null when the user dismissed it (nothing runs). */
  const settle = async (question: ConsentQuestion, refusal: () => Error): Promise<{ analyze: boolean; consent: boolean } | null> => {
    if (port.ask) {
      const answer = await port.ask(question);
      if (answer === 'dismissed') return null;
      return answer === 'analyze' ? { analyze: true, consent: question.modal } : { analyze: false, consent: false };
    }
    if (!question.modal) return { analyze: false, consent: false };
    if (port.withoutConsent === 'refuse') throw refusal();
    notes.push(`${declinedNote} It was needed because ${question.reasons.join('; ')}.`);
    return { analyze: false, consent: false };
  };

  let analyze = false;
  let consent = false;
  if (decision.action === 'analyze') {
    analyze = true;
    consent = decision.consented;
  } else if (decision.action === 'plain') {
    if (decision.note) notes.push(decision.note);
  } else {
    const settled = await settle(decision.question, () => new ConsentRequiredError(c.kind, decision.question.reasons, c.analyzeWarnings));
    if (!settled) return { kind: 'declined', reason: 'The statement was not run: the confirmation was dismissed.' };
    ({ analyze, consent } = settled);
  }
  try {
    return await run(analyze, consent);
  } catch (err) {
    // Only the driver knows some reasons (volatile user functions in the catalog): ask about them the same way.
    if (!(err instanceof ConsentRequiredError) || consent) throw err;
    if (port.preApproved) return run(true, true);
    const settled = await settle(riskyQuestion(err.statementKind, err.reasons, err.warnings), () => err);
    if (!settled) return { kind: 'declined', reason: 'The statement was not run: the confirmation was dismissed.' };
    return run(settled.analyze, settled.consent);
  }
}

// ---- index what-if ------------------------------------------------------------------------------------------------

/**
 * The question before building real indexes inside BEGIN … ROLLBACK: names each table with its size and says that
 * writes to it wait while the build holds its SHARE lock. When measuring is offered, `measureReasons` name what
 * executing the statement would do beyond a read (they need the same consent as for EXPLAIN ANALYZE).
 */
export function indexBuildQuestion(e: Pick<IndexBuildConsentRequiredError, 'targets'>, offersMeasure: boolean, measureReasons: readonly string[] = []): ConsentQuestion {
  const tables = e.targets.map((t) => `${t.name} (${formatBytes(t.bytes)}${t.rows !== null ? `, about ${Math.max(0, Math.round(t.rows)).toLocaleString('en-US')} rows` : ''})`);
  return {
    kind: 'index-build',
    modal: true,
    message: `This database has no HypoPG, so the index is tested by building it for real on ${tables.join(', ')} inside a transaction that is then rolled back. Writes to ${e.targets.length > 1 ? 'these tables' : 'the table'} wait until the test ends.`,
    detail: [
      `• The build takes a SHARE lock on ${e.targets.map((t) => t.name).join(', ')}: reads continue, INSERT, UPDATE and DELETE wait until the transaction ends (for about as long as the build takes).`,
      '• It runs under lock_timeout and statement_timeout, and nothing is kept: the transaction is rolled back, also on error, timeout or cancel.',
      ...(offersMeasure ? ['• "Measure" also runs the statement before and after (EXPLAIN ANALYZE, rolled back) for real timings.'] : []),
      ...measureReasons.map((r) => `• Measuring executes the statement: ${r}.`),
    ].join('\n'),
    reasons: [...e.targets.map((t) => `it builds an index on ${t.name} (${formatBytes(t.bytes)}), and writes to it wait (SHARE lock)`), ...(offersMeasure ? measureReasons : [])],
    offersMeasure,
  };
}

/** The second confirmation: the table (or, on SQLite, the database to copy into memory) is above the size cap. */
export function aboveCapQuestion(e: Pick<IndexBuildConsentRequiredError, 'targets' | 'capBytes' | 'kind'>): ConsentQuestion {
  const list = e.targets.map((t) => `${t.name} (${formatBytes(t.bytes)})`).join(', ');
  const copy = e.kind === 'copy';
  return {
    kind: 'index-build-above-cap',
    modal: true,
    message: copy
      ? `The SQLite database ${list} is larger than ${formatBytes(e.capBytes)} (dataeng.verify.maxTableBytes). Copy it into memory anyway to try the index?`
      : `${list} is larger than ${formatBytes(e.capBytes)} (dataeng.verify.maxTableBytes). Build the test index anyway? Writes to it wait for as long as the build takes.`,
    detail: copy
      ? 'The whole database is read into memory for the test; the file itself is never written.'
      : 'A larger table takes longer to index, and its writers wait for all of it. The build still runs under lock_timeout and statement_timeout and is rolled back.',
    reasons: [copy ? `the database is larger than ${formatBytes(e.capBytes)}` : `the table is larger than ${formatBytes(e.capBytes)}`],
  };
}

/** What a what-if has been allowed so far; a second call of the same operation passes it on and asks nothing again. */
export interface WhatIfGrants {
  /** Build real indexes inside BEGIN … ROLLBACK. */
  build: boolean;
  /** Above the size cap. */
  aboveCap: boolean;
  /** Execute the statement before and after (EXPLAIN ANALYZE; SQLite: timed on the copy). */
  measure: boolean;
  /** Executing it may write, lock or have effects (rolled back): consented. */
  writes: boolean;
}

export interface WhatIfRunOptions extends RunOptions {
  /** `dataeng.verify.maxTableBytes`; the CLI's --max-table-bytes. */
  maxTableBytes: number;
  method?: 'auto' | 'hypopg' | 'rolled-back-index';
  /** Consent given earlier in the same operation. */
  grants?: WhatIfGrants;
  /** Compare estimated costs only in this call, even where measuring is allowed (the advisor screens candidates so). */
  costsOnly?: boolean;
}

export type WhatIfConsentOutcome = { kind: 'tested'; raw: WhatIfRaw; grants: WhatIfGrants } | { kind: 'declined'; reason: string };

/** Said plainly rather than faked: nothing on DuckDB can show what an index would do without building it. */
export const noDuckdbWhatIf =
  'index what-if is not available on DuckDB: it has no hypothetical indexes, the file is open read-only so no index can be built and rolled back, and its ART indexes speed up point lookups and constraints, not the scans and joins most analytical queries do';

const dismissedReason = 'Nothing was run: the confirmation was dismissed.';

/**
 * Runs an index what-if as the policy decides: measuring follows the same rules as EXPLAIN ANALYZE (`decideAnalyze`);
 * HypoPG and SQLite's in-memory copy need no consent (nothing is built or written); a real index build asks
 * `index-build` (with measuring offered when the request allows it), and above the size cap `index-build-above-cap`.
 * The driver enforces the same: it never builds without `consentToBuild`. Without anyone to ask, `preApproved` (the
 * CLI's --yes) consents to the build; otherwise `refuse` throws the driver's IndexBuildConsentRequiredError.
 */
export async function whatIfWithConsent(db: Database, sql: string, variants: string[][], request: AnalyzeRequest, port: ConsentPort, options: WhatIfRunOptions): Promise<WhatIfConsentOutcome> {
  if (!db.whatIf) {
    throw new RefusedStatementError(
      db.dialect === 'duckdb'
        ? noDuckdbWhatIf
        : db.dialect === 'mysql'
          ? 'MySQL and MariaDB have no hypothetical indexes (nothing like HypoPG), and CREATE INDEX commits implicitly, so it cannot be tried and rolled back: an index what-if is not available on this connection'
          : 'this connection cannot test indexes',
    );
  }
  const c = classifyStatement(sql, db.dialect);
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  const preApproved = port.preApproved === true;
  let measureAllowed: boolean;
  let measureReasons: string[] = [];
  let grants: WhatIfGrants;
  if (db.dialect === 'sqlite') {
    // Timing on SQLite's copy executes nothing on the file: it follows the request, and never asks.
    measureAllowed = 'analyze' in request ? request.analyze : request.setting !== 'never';
    grants = { build: true, aboveCap: false, measure: measureAllowed && c.effect === 'read', writes: false };
  } else {
    const decision = decideAnalyze(c, db.dialect, request, preApproved);
    measureAllowed = decision.action !== 'plain';
    if (decision.action === 'ask') measureReasons = decision.question.reasons;
    grants = {
      build: preApproved,
      aboveCap: false,
      measure: decision.action === 'analyze',
      writes: decision.action === 'analyze' && decision.consented,
    };
  }
  if (options.grants) grants = { ...options.grants };
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      const raw = await db.whatIf(sql, {
        variants,
        ...(options.method ? { method: options.method } : {}),
        analyze: grants.measure && !options.costsOnly,
        consentToWrites: grants.writes,
        consentToBuild: grants.build,
        maxTableBytes: options.maxTableBytes,
        confirmAboveCap: grants.aboveCap,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { kind: 'tested', raw, grants };
    } catch (err) {
      if (err instanceof IndexBuildConsentRequiredError) {
        if (err.aboveCap || err.kind === 'copy') {
          if (grants.aboveCap || !port.ask) throw err;
          const answer = await port.ask(aboveCapQuestion(err));
          if (answer === 'dismissed') return { kind: 'declined', reason: dismissedReason };
          grants.aboveCap = true;
          continue;
        }
        if (grants.build) throw err;
        if (!port.ask) {
          if (port.withoutConsent === 'refuse') throw err;
          return { kind: 'declined', reason: `${err.message} That needs consent, which was not given here: nothing was built.` };
        }
        const offer = measureAllowed && !grants.measure;
        const answer = await port.ask(indexBuildQuestion(err, offer || grants.measure, offer ? measureReasons : []));
        if (answer === 'dismissed') return { kind: 'declined', reason: dismissedReason };
        grants.build = true;
        if (offer && answer === 'analyze') {
          grants.measure = true;
          grants.writes = grants.writes || measureReasons.length > 0;
        } else if (answer === 'plain') grants.measure = false;
        continue;
      }
      if (err instanceof ConsentRequiredError && !grants.writes) {
        // Only the driver knows some reasons (volatile user functions in the catalog): asked about like a write.
        if (preApproved) {
          grants.writes = true;
          continue;
        }
        if (!port.ask) {
          if (port.withoutConsent === 'refuse') throw err;
          grants.measure = false;
          continue;
        }
        const answer = await port.ask(riskyQuestion(err.statementKind, err.reasons, err.warnings));
        if (answer === 'dismissed') return { kind: 'declined', reason: dismissedReason };
        if (answer === 'analyze') grants.writes = true;
        else grants.measure = false;
        continue;
      }
      throw err;
    }
  }
  throw new Error('the what-if kept asking for consent');
}
