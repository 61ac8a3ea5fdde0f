// The one pipeline behind the chat view, the chat participant, the editor commands and `dataeng ask`:
// explain (through the database's safe path) → analyze → findings → prompt → stream the model's answer.
// Every run ends with exactly one terminal event: `done`, `error` or `noKey`.
import type { Finding } from '../core/findings';
import { buildPrompt } from '../core/prompt/build';
import { formatFindings } from '../core/findingsFormat';
import type { PromptMessage, Task, TurnEvidence } from '../core/prompt/types';
import type { Dialect } from '../core/sql/dialect';
import { literalValues, redactLiterals, scrubLiterals } from '../core/sql/redact';
import { redactMessage } from '../core/sql/redactMessage';
import { ConnectionError, ExplainCancelledError } from '../db/errors';
import type { ExplainResult } from '../db/types';
import type { LlmClient, LlmUsage } from '../llm/client';
import type { ErrorKind } from '../core/errorKinds';
import { LlmError } from '../llm/errors';
import type { ToolRegistry } from '../core/tools/types';
import { defaultMaxSteps, runAgentLoop, type AgentEvent, type ToolStep } from './agentLoop';

export interface TaskRequest {
  task: Task;
  sql?: string;
  dialect: Dialect;
  question?: string;
  personaBody: string;
  history?: readonly PromptMessage[];
  /**
   * `dataeng.privacy.redactLiterals`: no literal of the user's SQL leaves the machine. The SQL, the question, earlier
   * turns and their evidence, error messages, findings and plan text are redacted before the model sees them (the
   * database still gets the real statement).
   */
  redactLiterals?: boolean;
  /** `dataeng.evidence.tokenBudget`, also the budget for the evidence of earlier turns (default 3000). */
  evidenceBudgetTokens?: number;
  /** `dataeng.agent.maxSteps` / `--max-steps`: tool rounds per turn (default 10); 0 offers no tools. */
  maxSteps?: number;
}

export interface Analysis {
  findings: Finding[];
  /** `summarize(plan, findings, …)`: the plan evidence text for the prompt. */
  evidence: string;
}

export interface SchemaFacts {
  text: string;
  /** Schema-review findings (review-schema task). */
  findings?: Finding[];
}

export interface PipelinePorts {
  /** EXPLAIN through the database's safe path; absent when no connection is configured. */
  explain?: (sql: string, signal: AbortSignal) => Promise<ExplainResult | { declined: true }>;
  /** Parse + rules + summarize; `redact` mirrors the request's redactLiterals so evidence and findings match the SQL. */
  analyze: (result: ExplainResult, options: { redact: boolean }) => Analysis | Promise<Analysis>;
  schemaFacts?: (sql: string | undefined, signal: AbortSignal) => Promise<SchemaFacts>;
  /**
   * The model client, or null without a key. It may still be coming (a promise, e.g. reading the key from the OS
   * keychain): it is needed only after the findings are out, so looking it up never delays them.
   */
  llm: LlmClient | null | Promise<LlmClient | null>;
  /**
   * The agent's tools (issue 14), already narrowed to what the persona is offered. Absent or offering none: one request
   * without tools, as before. Present: the model may call them in rounds (src/app/agentLoop.ts).
   */
  tools?: ToolRegistry;
}

export type PipelineEvent =
  | { type: 'status'; text: string }
  | { type: 'findings'; findings: Finding[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; text: string; incomplete: false; usage: LlmUsage | null }
  | { type: 'error'; kind: ErrorKind; message: string; partialText: string }
  | { type: 'noKey'; findings: Finding[] }
  | AgentEvent;

export interface TaskOutcome {
  findings: Finding[];
  text: string;
  /** How the run ended: the terminal event's type. */
  end: 'done' | 'error' | 'noKey';
  errorKind?: ErrorKind;
  /** What this turn sent as data (redacted when redaction is on): kept with the turn for later follow-ups. */
  evidence?: TurnEvidence;
  /** The tool calls of this turn, in order (agent loop only). */
  steps?: ToolStep[];
}

export type PipelineSink = (event: PipelineEvent) => void;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Hides quoted values in prose (database error messages, finding messages) when literals are redacted. */
export function redactQuoted(text: string): string {
  return text.replace(/'(?:[^']|'')*'/g, "'?'");
}

/** Every literal value of the SQL this request and its history carry: what scrubLiterals must take out of any text. */
function secretValues(request: TaskRequest): string[] {
  const texts = [request.sql ?? '', request.question ?? ''];
  for (const m of request.history ?? []) texts.push(m.content, m.evidence?.sql ?? '');
  return [...new Set(texts.flatMap((t) => (t ? literalValues(t, request.dialect) : [])))].sort((a, b) => b.length - a.length);
}

function scrubFinding(f: Finding, scrub: (s: string) => string): Finding {
  const evidence: Finding['evidence'] = {};
  for (const [k, v] of Object.entries(f.evidence)) evidence[k] = typeof v === 'string' ? scrub(v) : v;
  return { ...f, message: scrub(f.message), ...(f.fix !== undefined ? { fix: scrub(f.fix) } : {}), evidence };
}

/** An earlier turn under redaction: its text and its evidence lose every literal (it may predate the setting). */
function redactTurn(m: PromptMessage, dialect: Dialect, values: readonly string[]): PromptMessage {
  const scrub = (t: string): string => scrubLiterals(redactQuoted(t), values);
  const e = m.evidence;
  return {
    role: m.role,
    content: redactMessage(m.content, dialect),
    ...(e
      ? {
          evidence: {
            ...(e.sql ? { sql: redactLiterals(e.sql, dialect) } : {}),
            ...(e.dialect ? { dialect: e.dialect } : {}),
            ...(e.plan ? { plan: scrub(e.plan) } : {}),
            ...(e.findings ? { findings: scrub(e.findings) } : {}),
            ...(e.schema ? { schema: scrub(e.schema) } : {}),
            ...(e.proof ? { proof: scrub(e.proof) } : {}),
          },
        }
      : {}),
  };
}

/** The user stopped it. A statement timeout is not a stop: its message says what happened and is evidence. */
function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && (err.name === 'AbortError' || (err instanceof ExplainCancelledError && err.why === 'cancelled')));
}

export async function runTask(request: TaskRequest, ports: PipelinePorts, sink: PipelineSink, signal: AbortSignal): Promise<TaskOutcome> {
  let findings: Finding[] = [];
  let evidence: string | undefined;
  let schemaFacts: string | undefined;
  const sql = request.sql?.trim() ? request.sql : undefined;
  const redact = request.redactLiterals === true;
  const values = redact ? secretValues(request) : [];
  const scrub = (text: string): string => (redact ? scrubLiterals(redactQuoted(text), values) : text);
  // Set once the evidence is gathered; an error after that still hands it back for the conversation.
  const sent: { turn?: TurnEvidence } = {};
  const end = (kind: ErrorKind, text: string, partialText = ''): TaskOutcome => {
    sink({ type: 'error', kind, message: text, partialText });
    return { findings, text: partialText, end: 'error', errorKind: kind, ...(sent.turn ? { evidence: sent.turn } : {}) };
  };

  if ((request.task === 'explain' || request.task === 'optimize') && !sql) {
    return end('input', `Nothing to ${request.task}: put the cursor in a SQL statement or select one, or pass the SQL.`);
  }
  if (request.task === 'chat' && !request.question?.trim() && !sql) return end('input', 'Type a question first.');

  try {
    if (sql && ports.explain && request.task !== 'review-schema') {
      sink({ type: 'status', text: 'Running EXPLAIN…' });
      try {
        const result = await ports.explain(sql, signal);
        if ('declined' in result) {
          sink({ type: 'status', text: 'EXPLAIN ANALYZE declined: answering without a plan.' });
        } else {
          const analysis = await ports.analyze(result, { redact: request.redactLiterals === true });
          findings = analysis.findings;
          evidence = [...result.warnings.map((w) => `Note: ${w}`), analysis.evidence].join('\n');
        }
      } catch (err) {
        if (isAbort(err, signal)) return end('cancelled', 'Stopped.');
        // An unreachable database is the user's to fix; asking the model about it would waste the question.
        if (err instanceof ConnectionError) return end('database', message(err));
        // A failing EXPLAIN (syntax error, missing table, refused statement) is itself evidence the model can use.
        evidence = `EXPLAIN failed: ${scrub(message(err))}`;
        sink({ type: 'status', text: `EXPLAIN failed: ${message(err)}` });
      }
    }
    if (ports.schemaFacts && (request.task === 'review-schema' || sql)) {
      sink({ type: 'status', text: 'Reading the schema…' });
      try {
        const facts = await ports.schemaFacts(sql, signal);
        schemaFacts = facts.text;
        if (facts.findings?.length) findings = [...findings, ...facts.findings];
      } catch (err) {
        if (isAbort(err, signal)) return end('cancelled', 'Stopped.');
        if (request.task === 'review-schema') return end('database', `Could not read the schema: ${message(err)}`);
        sink({ type: 'status', text: `Schema facts unavailable: ${message(err)}` });
      }
    } else if (request.task === 'review-schema') {
      return end('database', 'Schema review needs a database connection: add one in the Connections view or pass --url.');
    }
  } catch (err) {
    return end('database', message(err));
  }

  // Findings go out before the model call so they show at once, with or without a key.
  sink({ type: 'findings', findings });
  const sqlForModel = sql && redact ? redactLiterals(sql, request.dialect) : sql;
  const findingsForModel = redact ? findings.map((f) => scrubFinding(f, scrub)) : findings;
  const turn: TurnEvidence = {
    ...(sqlForModel ? { sql: sqlForModel, dialect: request.dialect } : {}),
    ...(evidence ? { plan: redact ? scrub(evidence) : evidence } : {}),
    ...(findings.length || (sql && request.task !== 'chat') ? { findings: formatFindings(findingsForModel) } : {}),
    ...(schemaFacts ? { schema: redact ? scrub(schemaFacts) : schemaFacts } : {}),
  };
  sent.turn = turn;
  if (signal.aborted) return end('cancelled', 'Stopped.');
  const llm = await ports.llm;
  if (!llm) {
    sink({ type: 'noKey', findings });
    return { findings, text: '', end: 'noKey', evidence: turn };
  }

  const maxSteps = Math.max(0, request.maxSteps ?? defaultMaxSteps);
  const tools = ports.tools && maxSteps > 0 && ports.tools.definitions().length > 0 ? ports.tools : undefined;
  const built = buildPrompt({
    task: request.task,
    personaBody: request.personaBody,
    dialect: request.dialect,
    sql: sqlForModel,
    planEvidence: turn.plan,
    findings: findingsForModel,
    schemaFacts: turn.schema,
    question: request.question && redact ? redactMessage(request.question, request.dialect) : request.question,
    history: redact ? request.history?.map((m) => redactTurn(m, request.dialect, values)) : request.history,
    historyEvidenceBudgetTokens: request.evidenceBudgetTokens ?? 3000,
    withTools: tools !== undefined,
  });
  // The last net: whatever text reached the messages, no literal value of this turn's or an earlier turn's SQL stays.
  const prompt = redact ? { ...built, messages: built.messages.map((m) => ({ ...m, content: scrubLiterals(m.content, values) })) } : built;
  sink({ type: 'status', text: `Asking ${llm.model}…` });
  const steps: ToolStep[] = [];
  try {
    if (tools) {
      const result = await runAgentLoop(
        llm,
        prompt,
        tools,
        {
          maxSteps,
          redact,
          scrub: (text) => (redact ? scrubLiterals(text, values) : text),
          onText: (text) => sink({ type: 'delta', text }),
          onEvent: (event) => {
            if (event.type === 'toolStep') steps.push(event);
            sink(event);
          },
        },
        signal,
      );
      sink({ type: 'done', text: result.text, incomplete: false, usage: result.usage });
      return { findings, text: result.text, end: 'done', evidence: turn, steps: result.steps };
    }
    const result = await llm.stream(prompt, (text) => sink({ type: 'delta', text }), signal);
    sink({ type: 'done', text: result.text, incomplete: false, usage: result.usage });
    return { findings, text: result.text, end: 'done', evidence: turn };
  } catch (err) {
    if (steps.length) {
      const outcome = err instanceof LlmError ? end(err.kind, err.message, err.details.partialText ?? '') : end('server', message(err));
      return { ...outcome, steps };
    }
    if (err instanceof LlmError) return end(err.kind, err.message, err.details.partialText ?? '');
    return end('server', message(err));
  }
}
