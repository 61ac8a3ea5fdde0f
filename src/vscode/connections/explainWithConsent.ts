// The one way the editor runs an explain: applies `dataeng.explain.analyze`, asks before executing (a MODAL
// for anything that changes data or takes locks), and goes through the driver's safe path.
import * as vscode from 'vscode';
import { classifyStatement } from '../../core/sql/classify';
import type { Dialect } from '../../core/sql/dialect';
import { decideAnalyze, type AnalyzeSetting } from '../../db/consentPolicy';
import { RefusedStatementError } from '../../db/errors';
import type { Database, ExplainResult } from '../../db/types';
import type { Services } from '../services';

export interface ExplainRequest {
  sql: string;
  dialect: Dialect;
  /** Connection name; the active connection when absent. */
  connection?: string;
  /** Overrides the `dataeng.explain.analyze` setting (e.g. an "Explain Analyze" command). */
  analyzeSetting?: AnalyzeSetting;
  signal?: AbortSignal;
}

export type ExplainOutcome = { kind: 'explained'; result: ExplainResult } | { kind: 'declined'; reason: string };

const runAndRollBack = 'Run and roll back';
const runAnalyze = 'Run EXPLAIN ANALYZE';
const planOnly = 'Plain EXPLAIN only';

export async function explainWithConsent(services: Services, request: ExplainRequest): Promise<ExplainOutcome> {
  const db = await services.connections.open(request.connection);
  return explainOnWithConsent(db, request, services.connections.log);
}

/** The same consent flow on a database that is already open (the chat pipeline's explain port). */
export async function explainOnWithConsent(
  db: Database,
  request: Pick<ExplainRequest, 'sql' | 'analyzeSetting' | 'signal'>,
  log: vscode.LogOutputChannel,
): Promise<ExplainOutcome> {
  const c = classifyStatement(request.sql, db.dialect);
  if (c.refusal) throw new RefusedStatementError(c.refusal);
  const setting = request.analyzeSetting ?? vscode.workspace.getConfiguration('dataeng').get<AnalyzeSetting>('explain.analyze', 'ask');
  const decision = decideAnalyze(c, db.dialect, setting);
  let analyze = false;
  let consentToWrites = false;
  const notes: string[] = [];
  if (decision.action === 'analyze') analyze = true;
  else if (decision.action === 'plain') {
    if (decision.note) notes.push(decision.note);
  } else if (decision.modal) {
    const answer = await vscode.window.showWarningMessage(decision.message, { modal: true, detail: decision.detail }, runAndRollBack, planOnly);
    if (answer === undefined) return { kind: 'declined', reason: 'The statement was not run: the confirmation was dismissed.' };
    analyze = answer === runAndRollBack;
    consentToWrites = analyze;
  } else {
    const answer = await vscode.window.showInformationMessage(decision.message, runAnalyze, planOnly);
    if (answer === undefined) return { kind: 'declined', reason: 'The statement was not run: the question was dismissed.' };
    analyze = answer === runAnalyze;
  }
  const started = performance.now();
  const result = await db.explain(request.sql, { analyze, consentToWrites, ...(request.signal ? { signal: request.signal } : {}) });
  // The log gets the shape of what ran, never the SQL text (it may hold literals) nor any secret.
  log.info(`explain on "${db.config.name}": ${c.kind}, analyzed=${result.analyzed}, rolledBack=${result.rolledBack}, ${(performance.now() - started).toFixed(0)} ms`);
  return { kind: 'explained', result: notes.length ? { ...result, warnings: [...notes, ...result.warnings] } : result };
}
