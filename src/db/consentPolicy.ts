// What `dataeng.explain.analyze` means for one statement. Pure, so the rules are tested without an editor.
import type { Classification } from '../core/sql/classify';
import type { Dialect } from '../core/sql/dialect';

export type AnalyzeSetting = 'never' | 'ask' | 'readsOnly';

export type AnalyzeDecision =
  | { action: 'plain'; note?: string }
  | { action: 'analyze' }
  /** Ask first. `modal` for statements that change data or take locks: they execute and are rolled back. */
  | { action: 'ask'; modal: boolean; message: string; detail: string };

export function decideAnalyze(c: Classification, dialect: Dialect, setting: AnalyzeSetting): AnalyzeDecision {
  const userAsked = c.userExplain?.analyze === true;
  // SQLite cannot analyze; the driver explains this in a warning.
  if (dialect === 'sqlite') return { action: 'plain' };
  if (setting === 'never') {
    return userAsked ? { action: 'plain', note: 'dataeng.explain.analyze is "never": the statement is not executed; this is the estimated plan.' } : { action: 'plain' };
  }
  if (c.effect !== 'read') {
    const kind = c.kind.toUpperCase();
    return {
      action: 'ask',
      modal: true,
      message: `EXPLAIN ANALYZE will execute this ${kind} statement and then roll it back.`,
      detail: [
        c.effect === 'write'
          ? 'The statement changes data. It runs inside a transaction that is always rolled back, also on error, timeout or cancel.'
          : 'The statement takes row locks. It runs inside a transaction that is rolled back, which releases them.',
        ...c.analyzeWarnings.filter((w) => !w.startsWith('EXPLAIN ANALYZE executes')).map((w) => `Note: ${w}.`),
      ].join('\n'),
    };
  }
  if (setting === 'readsOnly') return { action: 'analyze' };
  return {
    action: 'ask',
    modal: false,
    message: 'Run EXPLAIN ANALYZE? It executes the statement (read-only, rolled back) to measure real rows and timings.',
    detail: c.analyzeWarnings.join('\n'),
  };
}
