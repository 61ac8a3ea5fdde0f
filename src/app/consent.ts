// The one consent policy, for every face that runs an EXPLAIN: the editor and chat (a modal), the CLI (`--analyze`,
// `--yes`), the agent's explain_query tool and the MCP server. Each face supplies a ConsentPort (who can be asked,
// what was approved up front, what to do without consent); the decisions are made here, and only here.
//
// Two kinds of question exist. Executing a pure read (EXPLAIN ANALYZE of a SELECT) is asked about lightly when the
// setting is `ask`. Executing anything more — a write, row locks, or a function whose effect a rollback does not undo
// (classify.ts `sideEffects`, and volatile user functions the driver finds in the catalog) — always needs explicit
// consent that names each reason: a modal in the editor, `--yes` in the CLI, `--allow-analyze-writes` for MCP.
import { classifyStatement, type Classification } from '../core/sql/classify';
import type { Dialect } from '../core/sql/dialect';
import { ConsentRequiredError, RefusedStatementError, consentReasons } from '../db/errors';
import type { Database, ExplainResult } from '../db/types';

import type { AnalyzeSetting } from '../core/settings/analyzeSetting';

/** What the caller wants: follow the setting (editor, chat), or an explicit choice (`--analyze`, a tool's `analyze`). */
export type AnalyzeRequest = { setting: AnalyzeSetting } | { analyze: boolean };

export interface ConsentQuestion {
  /** Modal: the statement would do more than read (the reasons say what). Not modal: a read, asked about lightly. */
  modal: boolean;
  message: string;
  detail: string;
  /** What executing it would do beyond a read, one reason per effect; empty for a plain read. */
  reasons: string[];
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
