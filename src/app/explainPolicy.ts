// How `dataeng ask` runs an EXPLAIN: plain, or ANALYZE per `--analyze [--yes]`. (The extension uses the one consent
// flow in src/vscode/connections/explainWithConsent.ts.) Writes under ANALYZE need consent; without it the plain plan is used.
import { classifyStatement } from '../core/sql/classify';
import { ConsentRequiredError } from '../db/errors';
import type { Database, ExplainResult } from '../db/types';

export type AnalyzeMode = 'never' | 'ask' | 'readsOnly' | 'always';

export interface ExplainPolicy {
  mode: AnalyzeMode;
  /** Asks the user; resolves true to go ahead. Absent: never ask (the CLI without --yes). */
  confirm?: (question: string, detail: string) => Promise<boolean>;
  /** The user already consented to running data-modifying statements (CLI --yes). */
  consentToWrites?: boolean;
  /** Called with a note for the user when the policy changes what runs. */
  note?: (text: string) => void;
}

export async function explainWithPolicy(db: Database, sql: string, policy: ExplainPolicy, signal: AbortSignal): Promise<ExplainResult> {
  let analyze = false;
  let consentToWrites = policy.consentToWrites === true;
  const c = db.dialect === 'postgres' ? classifyStatement(sql, db.dialect) : undefined;
  if (policy.mode === 'always') analyze = true;
  else if (policy.mode === 'readsOnly' && c?.effect === 'read') analyze = true;
  else if ((policy.mode === 'ask' || policy.mode === 'readsOnly') && db.dialect === 'postgres' && policy.confirm) {
    analyze = await policy.confirm(
      'Run EXPLAIN ANALYZE? It executes the statement to measure real row counts and timings.',
      c?.effect === 'read' ? 'The statement only reads; it runs inside a read-only transaction.' : 'The statement modifies data; it runs inside a transaction that is rolled back.',
    );
    consentToWrites ||= analyze;
  }
  try {
    return await db.explain(sql, { analyze, consentToWrites, signal });
  } catch (err) {
    if (!(err instanceof ConsentRequiredError)) throw err;
    if (policy.confirm && (await policy.confirm(err.message, err.warnings.join('\n')))) {
      return db.explain(sql, { analyze: true, consentToWrites: true, signal });
    }
    policy.note?.(`${err.message} Using the plain EXPLAIN (estimates only) instead.`);
    return db.explain(sql, { analyze: false, consentToWrites: false, signal });
  }
}
