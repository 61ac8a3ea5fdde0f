// Runs one chat task through the shared pipeline with the extension's ports: the persona, the database (safe EXPLAIN
// per the analyze setting, cancelled with the request), the catalog, and the model client from settings.
import * as vscode from 'vscode';
import { analyzePort } from '../../app/analyze';
import { runTask, type PipelinePorts, type PipelineSink, type TaskOutcome } from '../../app/pipeline';
import type { PromptMessage } from '../../core/prompt/types';
import { tablesMentioned } from '../../core/prompt/tablesMentioned';
import { reviewSchema } from '../../core/schema/review';
import { schemaFacts } from '../../core/schema/facts';
import { inferDialect } from '../../core/sql/dialect';
import type { Database } from '../../db/types';
import { explainOnWithConsent } from '../connections/explainWithConsent';
import type { Services } from '../services';
import type { ApiKeyStore } from './apiKey';
import { agentTools } from './agentTools';
import { llmFromSettings } from './llmSettings';
import type { ChatTaskArgs } from './ports';

const fallbackPersona = 'You are a staff-level data engineer: precise, evidence-first, and concise.';

export function databasePorts(db: Database | null, task: ChatTaskArgs['task'], log: vscode.LogOutputChannel): Pick<PipelinePorts, 'explain' | 'schemaFacts'> {
  if (!db) return {};
  return {
    // The one consent flow (`dataeng.explain.analyze`; writes always ask in a modal). Stop cancels the database work
    // too: the driver cancels the running statement server-side on abort.
    explain: async (sql, signal) => {
      const outcome = await explainOnWithConsent(db, { sql, signal }, log);
      return outcome.kind === 'declined' ? { declined: true } : outcome.result;
    },
    schemaFacts: async (sql, signal) => {
      const catalog = await db.introspect({ ...(db.config.schema ? { schema: db.config.schema } : {}), signal });
      if (task === 'review-schema') return { text: schemaFacts(catalog), findings: reviewSchema(catalog).findings };
      const names = sql ? tablesMentioned(catalog, sql, db.dialect).map((t) => `${t.schema}.${t.name}`) : [];
      return { text: names.length ? schemaFacts(catalog, { tables: names }) : '' };
    },
  };
}

/** The analyze port, logging each analysis once (size and where it ran; never plan text). */
function loggedAnalysis(analyze: PipelinePorts['analyze'], log: vscode.LogOutputChannel): PipelinePorts['analyze'] {
  return async (result, options) => {
    const started = performance.now();
    const analysis = await analyze(result, options);
    const where = 'offThread' in analysis && analysis.offThread === true ? 'in the plan worker' : 'on the host';
    log.info(`plan analyzed ${where}: ${analysis.findings.length} findings, ${(performance.now() - started).toFixed(0)} ms`);
    return analysis;
  };
}

export async function runChatTask(
  services: Services,
  keys: ApiKeyStore,
  args: ChatTaskArgs,
  history: readonly PromptMessage[],
  sink: PipelineSink,
  signal: AbortSignal,
): Promise<TaskOutcome> {
  const persona = await services.personas.current().catch(() => undefined);
  // A question without SQL needs no database: opening one (the demo database takes a minute on first use) would only
  // delay the answer.
  const needsDb = Boolean(args.sql?.trim()) || args.task === 'review-schema';
  let dbError: unknown;
  const db =
    args.database !== undefined
      ? args.database
      : needsDb
        ? ((await services.chatConnections?.activeDatabase().catch((err: unknown) => ((dbError = err), null))) ?? null)
        : null;
  const config = vscode.workspace.getConfiguration('dataeng');
  const analyze = loggedAnalysis(analyzePort(config.get<number>('evidence.tokenBudget', 3000)), services.log);
  // The persona's tools, over the database this task opened, or the active connection once the model first asks for it.
  const tools = agentTools(services, persona, args.database !== undefined ? args.database : (db ?? (dbError !== undefined ? null : undefined)));
  const ports: PipelinePorts = {
    // A connection that failed to open is reported through the pipeline like any other database error.
    ...(dbError !== undefined
      ? { explain: () => Promise.reject(dbError instanceof Error ? dbError : new Error(String(dbError))), schemaFacts: () => Promise.reject(dbError instanceof Error ? dbError : new Error(String(dbError))) }
      : databasePorts(db, args.task, services.log)),
    analyze: async (result, options) => {
      const analysis = await analyze(result, options);
      args.onExplained?.(result, analysis.findings);
      return analysis;
    },
    // Not awaited here: the key is read from the keychain while the EXPLAIN runs, and awaited after the findings.
    llm: llmFromSettings(keys, services.log, persona?.model),
    ...(tools ? { tools } : {}),
  };
  return runTask(
    {
      task: args.task,
      sql: args.sql,
      dialect: inferDialect({ ...(args.dialect ? { explicit: args.dialect } : {}), ...(db ? { driver: db.config.driver } : {}) }),
      question: args.question,
      personaBody: persona?.body ?? fallbackPersona,
      history,
      redactLiterals: config.get<boolean>('privacy.redactLiterals', false),
      evidenceBudgetTokens: config.get<number>('evidence.tokenBudget', 3000),
      maxSteps: config.get<number>('agent.maxSteps', 10),
    },
    ports,
    sink,
    signal,
  );
}
