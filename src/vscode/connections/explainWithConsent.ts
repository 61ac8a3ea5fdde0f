// The editor's face of the one consent policy (src/app/consent.ts): the setting `dataeng.explain.analyze`, and the
// questions asked in VS Code — a MODAL that names every reason for anything beyond a read (writes, row locks, side
// effects a rollback does not undo), a light question for a read under `ask`. The decisions are not made here.
import * as vscode from 'vscode';
import { explainWithConsent as explainByPolicy, type ConsentAnswer, type ConsentOutcome, type ConsentQuestion } from '../../app/consent';
import { effectiveAnalyzeSetting, type AnalyzeSetting } from '../../core/settings/analyzeSetting';
import { classifyStatement } from '../../core/sql/classify';
import type { Database } from '../../db/types';
import type { Services } from '../services';

export interface ExplainRequest {
  sql: string;
  /** Connection name; the active connection when absent. */
  connection?: string;
  /** Overrides the `dataeng.explain.analyze` setting (e.g. an "Explain Analyze" command). */
  analyzeSetting?: AnalyzeSetting;
  signal?: AbortSignal;
}

export type ExplainOutcome = ConsentOutcome;

const runAndRollBack = 'Run and roll back';
const runAnalyze = 'Run EXPLAIN ANALYZE';
const planOnly = 'Plain EXPLAIN only';
const alwaysForReads = 'Always for reads';

/** `dataeng.explain.analyze` as it applies: the user's choice, made stricter (never looser) by a workspace. */
export function analyzeSetting(): AnalyzeSetting {
  return effectiveAnalyzeSetting(vscode.workspace.getConfiguration('dataeng').inspect('explain.analyze'));
}

const buildAndMeasure = 'Build, measure and roll back';
const buildCostsOnly = 'Build, compare costs only';
const buildAndRollBack = 'Build and roll back';
const goAhead = 'Go ahead';

/** Asks in VS Code: a modal (with every reason in its detail) for more than a read, a notification for a read. */
export async function askInEditor(question: ConsentQuestion): Promise<ConsentAnswer> {
  if (question.kind === 'index-build') {
    const choices = question.offersMeasure ? [buildAndMeasure, buildCostsOnly] : [buildAndRollBack];
    const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, ...choices);
    return answer === undefined ? 'dismissed' : answer === buildCostsOnly ? 'plain' : 'analyze';
  }
  if (question.kind === 'index-build-above-cap') {
    const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, goAhead);
    return answer === undefined ? 'dismissed' : 'analyze';
  }
  if (question.modal) {
    const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, runAndRollBack, planOnly);
    return answer === undefined ? 'dismissed' : answer === runAndRollBack ? 'analyze' : 'plain';
  }
  // A read under `ask` is asked in a modal too. A notification can slide into the notification center unseen while
  // the progress toast stays on screen, and the chat would wait on it with nothing to say why (seen on a fresh
  // profile, where `ask` is the default). "Always for reads" stops the asking for reads in the user's own settings.
  const answer = await vscode.window.showInformationMessage(question.message, { modal: true, detail: readDetail(question) }, runAnalyze, alwaysForReads, planOnly);
  if (answer === alwaysForReads) {
    await vscode.workspace.getConfiguration('dataeng').update('explain.analyze', 'readsOnly', vscode.ConfigurationTarget.Global);
    return 'analyze';
  }
  return answer === undefined ? 'dismissed' : answer === runAnalyze ? 'analyze' : 'plain';
}

function readDetail(question: ConsentQuestion): string {
  return [
    'The statement runs inside a READ ONLY transaction that is rolled back, under the statement timeout.',
    `"${alwaysForReads}" sets dataeng.explain.analyze to "readsOnly" in your user settings: reads then run without this question; writes and side effects still ask.`,
    ...(question.detail ? [question.detail] : []),
  ].join('\n');
}

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
  const started = performance.now();
  const outcome = await explainByPolicy(db, request.sql, { setting: request.analyzeSetting ?? analyzeSetting() }, { ask: askInEditor, withoutConsent: 'plain' }, request.signal ? { signal: request.signal } : {});
  if (outcome.kind === 'explained') {
    // The log gets the shape of what ran, never the SQL text (it may hold literals) nor any secret.
    const kind = classifyStatement(request.sql, db.dialect).kind;
    log.info(`explain on "${db.config.name}": ${kind}, analyzed=${outcome.result.analyzed}, rolledBack=${outcome.result.rolledBack}, ${(performance.now() - started).toFixed(0)} ms`);
  }
  return outcome;
}
