// The one set of tool operations. Every face — the agent loop, `dataeng mcp`, VS Code's language-model tools — builds a
// registry with its ports and calls `run`; each tool here only adapts input and output around the operations the rest
// of the product already uses: explainWithConsent (the one consent policy) + the analyze path + formatFindings;
// introspect + the schema rules; the plan parser + rules; proof.ts's whatIfIndex and compareResults; describeTable.
// `run` never throws: whatever goes wrong comes back as `isError: true` with a message the model can act on.
import type { Finding } from '../../core/findings';
import { formatFindings } from '../../core/findingsFormat';
import type { ErrorKind } from '../../core/errorKinds';
import { PlanParseError } from '../../core/plan/model';
import { summarize } from '../../core/plan/summarize';
import { indexCard, proofEvidence, rewriteCard } from '../../core/proof/card';
import { reviewSchema } from '../../core/schema/review';
import { formatTableDescription } from '../../core/schema/tableDescription';
import type { Dialect } from '../../core/sql/dialect';
import { literalValues, redactLiterals, scrubLiterals } from '../../core/sql/redact';
import { capToolText } from '../../core/tools/cap';
import { isToolName, toolDefinitions } from '../../core/tools/definitions';
import type { ToolCallContext, ToolDefinition, ToolName, ToolOutcome, ToolRegistry } from '../../core/tools/types';
import { validateToolInput, type ToolInputs } from '../../core/tools/validate';
import {
  ConnectionError,
  ConsentRequiredError,
  ExplainCancelledError,
  IndexBuildConsentRequiredError,
  RefusedStatementError,
  StatementError,
  errorMessage,
} from '../../db/errors';
import type { Database } from '../../db/types';
import { analyzePlanOffThread } from '../../host/analyzePlanOffThread';
import { analyzeExplainOffThread } from '../analyze';
import { explainWithConsent, type AnalyzeRequest } from '../consent';
import { redactQuoted } from '../pipeline';
import { proofOperations, type ToolDatabasePort, type ToolPorts, type ToolWorkspacePort } from './ports';

export interface RegistryOptions {
  /** The tools this face offers (the persona's mapping, MCP's list…); anything else is answered as not offered. */
  offered: readonly ToolName[];
  /** Plan evidence budget per explain (tokens); the whole result is capped at about 8 KB anyway. Default 1,200. */
  planBudgetTokens?: number;
}

/** Thrown inside a tool to answer with an error; `kind` from the one list of error kinds. */
class ToolError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = 'input',
  ) {
    super(message);
  }
}

interface Done {
  text: string;
  summary: string;
  findings?: Finding[];
  edit?: ToolOutcome['edit'];
  todos?: ToolOutcome['todos'];
  /** Said to the model when the text is cut (how to see the rest). */
  capHint?: string;
}

/** What a failure means, in the one list of error kinds. */
export function toolErrorKind(err: unknown, signal: AbortSignal): ErrorKind {
  if (err instanceof ToolError) return err.kind;
  if (signal.aborted) return 'cancelled';
  if (err instanceof ExplainCancelledError) return err.why === 'timeout' ? 'timeout' : 'cancelled';
  if (err instanceof Error && err.name === 'AbortError') return 'cancelled';
  if (err instanceof RefusedStatementError || err instanceof ConsentRequiredError || err instanceof IndexBuildConsentRequiredError || err instanceof PlanParseError) return 'input';
  if (err instanceof ConnectionError || err instanceof StatementError) return 'database';
  return 'database';
}

/** The message the model reads for a failure: what happened, and what it can do about it. */
function failureText(err: unknown, kind: ErrorKind, secrets: readonly (string | undefined)[]): string {
  const message = errorMessage(err, secrets);
  if (err instanceof ConsentRequiredError) {
    return `Consent was refused: ${message} Nothing was executed. Call it again without analyze for the estimated plan, or ask the user to run it with their consent.`;
  }
  if (err instanceof IndexBuildConsentRequiredError) {
    return `Consent was refused: ${message} Nothing was built. Without HypoPG this test needs the user's consent; suggest the index to the user instead, or ask them to run it.`;
  }
  if (err instanceof RefusedStatementError) return `${message}. Send exactly one statement of a kind the tool accepts.`;
  if (err instanceof PlanParseError) return `Not a plan the parser could read: ${message}`;
  if (kind === 'cancelled') return 'Cancelled: the call was stopped before it finished; any database work was stopped and rolled back.';
  if (kind === 'timeout') return `Timed out: ${message} Nothing was committed. Try a narrower statement, or plain EXPLAIN instead of analyze.`;
  if (err instanceof ConnectionError) return `Connection failed: ${message}`;
  if (err instanceof StatementError) return `The database reported an error: ${message}`;
  return message;
}

const connectionTarget = (db: Database): string => db.config.name;

export function createToolRegistry(ports: ToolPorts, options: RegistryOptions): ToolRegistry {
  const offered = new Set(options.offered);
  const proof = ports.proof ?? proofOperations;
  const budgetTokens = options.planBudgetTokens ?? 1_200;
  // Database calls are serialized per connection: one tool's statements never interleave with another's on a session.
  const queues = new Map<string, Promise<unknown>>();

  function serialized<T>(key: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(
      () => {
        signal.throwIfAborted();
        return work();
      },
      () => {
        signal.throwIfAborted();
        return work();
      },
    );
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  }

  function database(): ToolDatabasePort {
    if (!ports.database) throw new ToolError('No database is available to this agent here (no connection, or an untrusted workspace).', 'database');
    return ports.database;
  }

  function workspace(): ToolWorkspacePort {
    if (!ports.workspace) throw new ToolError('No workspace is available here (no folder open, or the workspace is not trusted): the file tools cannot run.', 'input');
    return ports.workspace;
  }

  /** Opens the call's database and runs `work` in that connection's queue. */
  async function withDatabase<T>(ctx: ToolCallContext, work: (db: Database, port: ToolDatabasePort) => Promise<T>): Promise<T> {
    const port = database();
    let db: Database;
    try {
      db = await port.open(ctx.connection, ctx.signal);
    } catch (err) {
      if (err instanceof ConnectionError) throw err;
      throw new ToolError(errorMessage(err, port.secrets?.() ?? []), 'database');
    }
    return serialized(db.config.name, ctx.signal, () => work(db, port));
  }

  /** Text that may carry the user's literals (database errors, warnings, plan conditions): scrubbed under redaction. */
  function scrubberFor(ctx: ToolCallContext, sqlTexts: readonly string[], dialect: Dialect): (text: string) => string {
    if (!ctx.redact) return (t) => t;
    const values = [...new Set(sqlTexts.flatMap((s) => literalValues(s, dialect)))].sort((a, b) => b.length - a.length);
    return (t) => scrubLiterals(redactQuoted(t), values);
  }

  function scrubFindings(findings: readonly Finding[], scrub: (t: string) => string, dialect: Dialect): Finding[] {
    return findings.map((f) => {
      const evidence: Finding['evidence'] = {};
      for (const [k, v] of Object.entries(f.evidence)) evidence[k] = typeof v === 'string' ? scrub(v) : v;
      return { ...f, message: scrub(f.message), ...(f.fix !== undefined ? { fix: scrub(redactLiterals(f.fix, dialect)) } : {}), evidence };
    });
  }

  const handlers: { [N in ToolName]: (input: ToolInputs[N], ctx: ToolCallContext) => Promise<Done> } = {
    explain_query: (input, ctx) =>
      withDatabase(ctx, async (db, port) => {
        const setting = port.analyzeSetting?.();
        const wanted = input.analyze === true;
        const notes: string[] = [];
        let request: AnalyzeRequest = { analyze: wanted };
        if (wanted && setting === 'never') {
          request = { analyze: false };
          notes.push('dataeng.explain.analyze is "never": the statement was not executed; this is the estimated plan.');
        }
        const outcome = await explainWithConsent(db, input.sql, request, port.consent, {
          signal: ctx.signal,
          ...(port.timeoutMs !== undefined ? { timeoutMs: port.timeoutMs } : {}),
        });
        if (outcome.kind === 'declined') throw new ToolError(`Consent was refused: ${outcome.reason} Nothing was executed.`, 'input');
        const result = outcome.result;
        const analysis = await analyzeExplainOffThread(result, { budgetTokens, redact: ctx.redact, listFindings: false }, { signal: ctx.signal });
        const scrub = scrubberFor(ctx, [input.sql], result.dialect);
        const what = result.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
        const n = analysis.findings.length;
        const lines = [
          `${what} on ${connectionTarget(db)} (${result.dialect}): ${n} finding${n === 1 ? '' : 's'}${result.analyzed ? `; executed and ${result.rolledBack ? 'rolled back' : 'not committed'}` : ''}.`,
          ...[...notes, ...result.warnings].map((w) => `note: ${scrub(w)}`),
          '',
          'findings:',
          formatFindings(analysis.findings, 'prompt', { scrub }),
          '',
          'plan:',
          analysis.evidence,
        ];
        return {
          text: lines.join('\n'),
          summary: `${what} on ${connectionTarget(db)}: ${n} finding${n === 1 ? '' : 's'}`,
          findings: analysis.findings,
        };
      }),

    describe_table: (input, ctx) =>
      withDatabase(ctx, async (db) => {
        if (!db.describeTable) throw new ToolError(`Connection ${db.config.name} cannot describe tables here.`, 'database');
        const d = await db.describeTable(input.table, { signal: ctx.signal, mostCommonValues: !ctx.redact });
        return {
          text: formatTableDescription(d, { redact: ctx.redact }),
          summary: `Described ${d.schema}.${d.name}: ${d.columns.length} columns, ${d.indexes.length} indexes`,
        };
      }),

    review_schema: (input, ctx) =>
      withDatabase(ctx, async (db) => {
        const catalog = await db.introspect({ ...(input.schema !== undefined ? { schema: input.schema } : {}), signal: ctx.signal });
        if (input.schema !== undefined && db.dialect === 'postgres' && !catalog.schemas.includes(input.schema)) {
          throw new ToolError(`Schema ${JSON.stringify(input.schema)} does not exist (or is a system schema). Schemas here: ${catalog.schemas.join(', ') || 'none'}.`, 'input');
        }
        const review = reviewSchema(catalog);
        const findings = ctx.redact ? scrubFindings(review.findings, redactQuoted, catalog.dialect) : review.findings;
        const scope = input.schema !== undefined ? `schema ${input.schema}` : catalog.dialect === 'sqlite' ? 'the database' : `schemas ${catalog.schemas.join(', ')}`;
        return {
          text: [`Schema review of ${scope} on ${db.config.name}: ${review.tables} tables, ${review.columns} columns, ${findings.length} findings.`, '', formatFindings(findings, 'prompt')].join('\n'),
          summary: `Reviewed ${scope}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`,
          findings,
          capHint: 'Pass `schema` to review one schema at a time.',
        };
      }),

    what_if_index: (input, ctx) =>
      withDatabase(ctx, async (db, port) => {
        const run = await proof.whatIfIndex(db, input.sql, input.indexes, {
          request: { analyze: false },
          port: port.consent,
          signal: ctx.signal,
          ...(port.maxTableBytes !== undefined ? { maxTableBytes: port.maxTableBytes } : {}),
          ...(port.timeoutMs !== undefined ? { timeoutMs: port.timeoutMs } : {}),
        });
        if (run.kind === 'declined') throw new ToolError(`Consent was refused: ${run.reason}`, 'input');
        const r = run.result;
        const scrub = scrubberFor(ctx, [input.sql, ...input.indexes], r.dialect);
        const card = indexCard('w', r);
        const code = ctx.redact ? redactLiterals(input.sql, r.dialect) : input.sql;
        const lines = [
          scrub(r.summary),
          proofEvidence(code, card),
          ...r.indexes.map((i) => `${i.used ? 'used' : 'not used'}: ${ctx.redact ? redactLiterals(i.statement, r.dialect) : i.statement}`),
          ...r.warnings.map((w) => `note: ${scrub(w)}`),
        ];
        return { text: lines.join('\n'), summary: `What-if on ${db.config.name}: ${card.title}` };
      }),

    compare_results: (input, ctx) =>
      withDatabase(ctx, async (db, port) => {
        const outcome = await proof.compareResults(db, input.original, input.rewrite, {
          signal: ctx.signal,
          ...(port.timeoutMs !== undefined ? { timeoutMs: port.timeoutMs } : {}),
        });
        const scrub = scrubberFor(ctx, [input.original, input.rewrite], db.dialect);
        const card = rewriteCard('c', outcome, null);
        const code = ctx.redact ? redactLiterals(input.rewrite, db.dialect) : input.rewrite;
        // Sample rows stay on the machine: proofEvidence carries the verdict and counts, never rows.
        const lines = [`verdict: ${outcome.verdict}`, scrub(proofEvidence(code, card)), ...outcome.warnings.map((w) => `note: ${scrub(w)}`)];
        return { text: lines.join('\n'), summary: `Compared results on ${db.config.name}: ${outcome.verdict}` };
      }),

    analyze_plan: async (input, ctx) => {
      const analyzed = await analyzePlanOffThread(input.plan, { signal: ctx.signal });
      const scrub: (t: string) => string = ctx.redact ? redactQuoted : (t) => t;
      const findings = ctx.redact ? scrubFindings(analyzed.findings, scrub, analyzed.plan.dialect) : analyzed.findings;
      const evidence = summarize(analyzed.plan, findings, { budgetTokens, redact: ctx.redact, listFindings: false });
      const warnings = analyzed.plan.warnings ?? [];
      const n = findings.length;
      return {
        text: [
          `Plan (${analyzed.plan.dialect}) read: ${n} finding${n === 1 ? '' : 's'}.`,
          ...warnings.map((w) => `note: ${scrub(w)}`),
          '',
          'findings:',
          formatFindings(findings, 'prompt'),
          '',
          'plan:',
          ctx.redact ? redactQuoted(evidence) : evidence,
        ].join('\n'),
        summary: `Analyzed a pasted plan: ${n} finding${n === 1 ? '' : 's'}`,
        findings,
      };
    },

    list_connections: () => {
      const list = database().list();
      if (!list.length) return Promise.resolve({ text: 'No connections are configured.', summary: 'No connections' });
      return Promise.resolve({
        text: list.map((c) => `${c.name} (${c.driver}): ${c.target}${c.isDefault ? ' [default]' : ''}`).join('\n'),
        summary: `${list.length} connection${list.length === 1 ? '' : 's'}`,
      });
    },

    read_file: async (input, ctx) => {
      const r = await workspace().readFile(input.path, { ...(input.offset !== undefined ? { offset: input.offset } : {}), ...(input.limit !== undefined ? { limit: input.limit } : {}) }, ctx.signal);
      const last = r.firstLine + r.lines.length - 1;
      const header = r.lines.length
        ? `${r.path}: lines ${r.firstLine}–${last} of ${r.totalLines}`
        : `${r.path}: ${r.totalLines} lines; nothing at line ${r.firstLine}`;
      const body = r.lines.map((l, i) => `${r.firstLine + i}: ${l}`).join('\n');
      const more = (last < r.totalLines && r.lines.length ? `\n[more: read with offset ${last + 1}]` : '') + (r.partial ? `\n[${r.partial}]` : '');
      return {
        text: `${header}\n${body}${more}`,
        summary: `Read ${r.path}`,
        capHint: 'Read the rest with a larger offset or a smaller limit.',
      };
    },

    list_files: async (input, ctx) => {
      const r = await workspace().listFiles(input.glob, ctx.signal);
      const text = r.paths.length ? r.paths.join('\n') : `No file matches ${JSON.stringify(input.glob)}.`;
      return {
        text: `${text}${r.truncated ? `\n[more files matched; only the first ${r.paths.length} are listed: narrow the glob]` : ''}`,
        summary: `Listed ${r.paths.length}${r.truncated ? '+' : ''} file${r.paths.length === 1 ? '' : 's'} (${input.glob})`,
        capHint: 'Narrow the glob.',
      };
    },

    grep: async (input, ctx) => {
      const r = await workspace().grep(input.pattern, input.glob, ctx.signal);
      const notes = [
        r.truncated ? `[more lines matched; only the first ${r.matches.length} are shown: narrow the pattern or the glob]` : '',
        r.stopped ? `[the search stopped early: ${r.stopped}]` : '',
        r.skipped ? `[${r.skipped} binary or oversized file${r.skipped === 1 ? ' was' : 's were'} skipped]` : '',
      ].filter(Boolean);
      const text = r.matches.length ? r.matches.join('\n') : `No line matches /${input.pattern}/${input.glob ? ` in ${input.glob}` : ''}.`;
      return {
        text: [text, ...notes].join('\n'),
        summary: `Searched /${input.pattern}/: ${r.matches.length}${r.truncated ? '+' : ''} match${r.matches.length === 1 ? '' : 'es'}`,
        capHint: 'Narrow the pattern or the glob.',
      };
    },

    propose_edit: async (input, ctx) => {
      const file = await workspace().readText(input.path, ctx.signal);
      const first = file.text.indexOf(input.old_text);
      if (first === -1) throw new ToolError(`old_text does not occur in ${file.path}. Read the file first and copy the text exactly (whitespace included).`, 'input');
      if (file.text.indexOf(input.old_text, first + 1) !== -1) {
        let count = 0;
        for (let i = first; i !== -1; i = file.text.indexOf(input.old_text, i + 1)) count++;
        throw new ToolError(`old_text occurs ${count} times in ${file.path}; it must occur exactly once. Include more surrounding lines to make it unique.`, 'input');
      }
      const line = file.text.slice(0, first).split('\n').length;
      const oldLines = input.old_text.split('\n');
      const newLines = input.new_text.split('\n');
      const diff = [`--- ${file.path}`, `+++ ${file.path} (proposed)`, `@@ line ${line} @@`, ...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`)].join('\n');
      return {
        text: `Proposed (not applied): the user sees this diff and applies it as one undoable edit, or rejects it.\n${diff}`,
        summary: `Proposed an edit to ${file.path} (line ${line})`,
        edit: { path: file.path, oldText: input.old_text, newText: input.new_text },
      };
    },

    todo_write: (input) => {
      const marks = { pending: '[ ]', in_progress: '[~]', done: '[x]' } as const;
      const done = input.items.filter((i) => i.status === 'done').length;
      return Promise.resolve({
        text: input.items.length ? input.items.map((i) => `${marks[i.status]} ${i.text}`).join('\n') : 'The checklist is empty.',
        summary: `Checklist: ${done}/${input.items.length} done`,
        todos: input.items.map((i) => ({ text: i.text, status: i.status })),
      });
    },
  };

  const definitions = toolDefinitions([...offered]);

  return {
    definitions(): ToolDefinition[] {
      return definitions.map((d) => structuredClone(d));
    },

    async run(name: string, input: unknown, ctx: ToolCallContext): Promise<ToolOutcome> {
      const fail = (text: string, summary: string): ToolOutcome => ({ isError: true, text: capToolText(text), summary });
      if (!isToolName(name) || !offered.has(name)) {
        const names = definitions.map((d) => d.name).join(', ');
        return fail(`Unknown tool ${JSON.stringify(String(name).slice(0, 80))}. The tools offered here are: ${names || 'none'}.`, `Unknown tool ${String(name).slice(0, 40)}`);
      }
      const valid = validateToolInput(name, input);
      if (!valid.ok) return fail(valid.message, `${name}: invalid input`);
      if (ctx.signal.aborted) return fail(failureText(new Error('cancelled'), 'cancelled', []), `${name}: cancelled`);
      try {
        const handler = handlers[name] as (input: unknown, ctx: ToolCallContext) => Promise<Done>;
        const done = await handler(valid.value, ctx);
        return {
          isError: false,
          text: capToolText(done.text, done.capHint ? { hint: done.capHint } : {}),
          summary: done.summary,
          ...(done.findings ? { findings: done.findings } : {}),
          ...(done.edit ? { edit: done.edit } : {}),
          ...(done.todos ? { todos: done.todos } : {}),
        };
      } catch (err) {
        const kind = toolErrorKind(err, ctx.signal);
        const secrets = ports.database?.secrets?.() ?? [];
        let text = failureText(err, kind, secrets);
        if (ctx.redact) {
          // A database error can quote the user's values (`invalid input syntax for type integer: "abc"`).
          const sqlTexts = Object.values(valid.value as Record<string, unknown>).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
          const values = [...new Set(sqlTexts.flatMap((s) => [...literalValues(s, 'postgres'), ...literalValues(s, 'sqlite')]))].sort((a, b) => b.length - a.length);
          text = scrubLiterals(redactQuoted(text), values);
        }
        return fail(text, `${name} failed (${kind})`);
      }
    },
  };
}
