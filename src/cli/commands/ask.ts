// `dataeng ask`: the extension's pipeline on the command line. Locate → EXPLAIN through the safe path (with --url) →
// analyze → findings (printed at once) → the persona's answer streamed to stdout. Key and base URL come from
// ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL; without a key the findings are still printed and the command exits 0.
import { join, resolve } from 'node:path';
import { analyzePort } from '../../app/analyze';
import { explainWithConsent } from '../../app/consent';
import { runTask, type PipelineEvent, type PipelinePorts } from '../../app/pipeline';
import type { Finding } from '../../core/findings';
import { choosePersona } from '../../core/persona/registry';
import { chooseModel } from '../../core/persona/model';
import { formatEditDiff } from '../../core/tools/editDiff';
import type { ProposedEdit } from '../../core/tools/types';
import { defaultMaxSteps } from '../../app/agentLoop';
import { connectionListPort } from '../../app/tools/connectionList';
import { createToolRegistry } from '../../app/tools/registry';
import { offeredTools, offeredToolsNote } from '../../core/tools/offered';
import { WorkspaceFiles } from '../../host/workspaceFiles';
import { defaultModel, modelAliases } from '../../llm/model';
import { formatFindings } from '../../core/findingsFormat';
import { tablesMentioned } from '../../core/prompt/tablesMentioned';
import { schemaFacts } from '../../core/schema/facts';
import { inferDialect, type Dialect } from '../../core/sql/dialect';
import { statementAt } from '../../core/sql/locate';
import { ConnectionConfigError, ConnectionError, errorMessage } from '../../db/errors';
import { cliCacheDir, openDatabase, parseConnectionUrl } from '../../db/open';
import { defaultSessionLimits, type Database } from '../../db/types';
import { personaFolderSpecs } from '../../host/personaFolders';
import { loadPersonas, type PersonaFolderSpec } from '../../host/personaReader';
import { createLlmClient } from '../../llm/client';
import { UsageError, exitCodes, formatHelp, intFlag, parseArgs, type FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';
import { bundledAgentsDir } from './personas';

const spec: Record<string, FlagSpec> = {
  task: { type: 'string', description: 'explain | optimize | chat (default: explain with SQL, chat without)' },
  url: { type: 'string', description: 'database to EXPLAIN against: postgres://…, sqlite:///path or demo (or $DATAENG_URL)' },
  persona: { type: 'string', description: 'persona name (default: the-data-engineer)' },
  'persona-dir': { type: 'list', description: 'read personas from this folder first' },
  analyze: { type: 'boolean', description: 'EXPLAIN ANALYZE (executes the statement inside a transaction that is rolled back)' },
  yes: { type: 'boolean', description: "consent to executing a data-modifying statement under EXPLAIN ANALYZE (still rolled back): with --analyze, and for the model's explain_query calls" },
  question: { type: 'string', description: 'your question (required for --task chat without SQL)' },
  file: { type: 'string', description: 'read the SQL from a file (- for standard input)' },
  offset: { type: 'string', description: 'with --file: use the statement at this character offset' },
  model: { type: 'string', description: 'Claude model id (default: the extension default)' },
  'max-tokens': { type: 'string', description: 'maximum tokens in the answer (default 4096)' },
  'redact-literals': { type: 'boolean', description: 'no literal of the SQL leaves the machine: the model sees placeholders (or DATAENG_REDACT_LITERALS=1)' },
  'no-tools': { type: 'boolean', description: 'one request with the evidence gathered up front: the model calls no tools' },
  'max-steps': { type: 'string', description: 'tool rounds the model may take before it must answer (default 10)' },
};

const usage =
  'dataeng ask [--task explain|optimize|chat] [--url URL] [--persona NAME] [--persona-dir DIR]… [--analyze [--yes]] [--redact-literals] [--no-tools | --max-steps N] [--question TEXT] (SQL | --file F --offset N)';
const summary =
  'Asks the persona about a statement, with the real plan when --url is given. Findings are printed first, then the\n' +
  'answer streams to stdout. Needs ANTHROPIC_API_KEY for the answer (ANTHROPIC_BASE_URL for a gateway); without it\n' +
  'the findings are printed and the command exits 0. The model may investigate with the persona\'s tools (describe a\n' +
  'table, EXPLAIN a variant, read and grep files here): each step is one line on stderr; a proposed edit is printed as a\n' +
  'diff after the answer and never written. Exit codes: 0 done, 1 the model call failed, 2 usage, 4 connection.';

async function readSql(flags: Record<string, unknown>, positionals: string[], io: CliIo, dialect: Dialect): Promise<string | undefined> {
  const file = flags.file as string | undefined;
  const offset = intFlag(flags.offset, 'offset');
  if (file === undefined) {
    if (offset !== undefined) throw new UsageError('--offset needs --file');
    if (positionals.length > 1) throw new UsageError('give the SQL as one quoted argument');
    return positionals[0];
  }
  if (positionals.length) throw new UsageError('give the SQL either as an argument or with --file, not both');
  let text: string;
  try {
    text = await io.readFile(file === '-' ? '-' : resolve(io.cwd, file));
  } catch (err) {
    throw new UsageError(`cannot read ${JSON.stringify(file)}: ${errorMessage(err)}`);
  }
  if (offset === undefined) return text;
  if (offset < 0 || offset > text.length) throw new UsageError(`--offset ${offset} is outside the file (0–${text.length})`);
  const statement = statementAt(text, offset, dialect);
  if (!statement) throw new UsageError(`there is no statement at offset ${offset}`);
  return statement.text;
}

export function formatFindingsForTerminal(findings: readonly Finding[]): string {
  return findings.length ? `Findings:\n${formatFindings(findings, 'terminal')}\n` : 'Findings: none.\n';
}

export const askCommand: Subcommand = {
  name: 'ask',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    const url = (flags.url as string | undefined) ?? io.env['DATAENG_URL'];
    const parsed = (() => {
      if (!url) return undefined;
      try {
        return parseConnectionUrl(url);
      } catch (err) {
        throw new UsageError(errorMessage(err));
      }
    })();
    const dialect: Dialect = inferDialect({ ...(parsed ? { driver: parsed.config.driver } : {}), ...(flags.file ? { fileName: flags.file as string } : {}) });
    const sql = await readSql(flags, positionals, io, dialect);
    const question = flags.question as string | undefined;
    const task = (flags.task as string | undefined) ?? (sql?.trim() ? 'explain' : 'chat');
    if (task !== 'explain' && task !== 'optimize' && task !== 'chat') throw new UsageError(`--task must be explain, optimize or chat, not ${JSON.stringify(task)}`);
    if (task !== 'chat' && !sql?.trim()) throw new UsageError(`--task ${task} needs SQL (an argument, or --file F --offset N)`);
    if (task === 'chat' && !sql?.trim() && !question?.trim()) throw new UsageError('nothing to ask: give --question, SQL, or both');
    if (flags.yes && !flags.analyze && flags['no-tools']) throw new UsageError('--yes only makes sense with --analyze or with tools');
    const maxTokens = intFlag(flags['max-tokens'], 'max-tokens');
    if (maxTokens !== undefined && maxTokens < 1) throw new UsageError('--max-tokens must be positive');
    const maxStepsFlag = intFlag(flags['max-steps'], 'max-steps');
    if (maxStepsFlag !== undefined && maxStepsFlag < 0) throw new UsageError('--max-steps must be 0 or more');
    if (maxStepsFlag !== undefined && flags['no-tools']) throw new UsageError('--no-tools and --max-steps do not go together');
    const maxSteps = flags['no-tools'] ? 0 : (maxStepsFlag ?? defaultMaxSteps);

    const dirs = (flags['persona-dir'] as string[] | undefined) ?? [];
    const specs: PersonaFolderSpec[] = [
      ...dirs.map((d): PersonaFolderSpec => ({ origin: 'cli', dir: resolve(io.cwd, d) })),
      ...personaFolderSpecs({ workspaceDirs: [io.cwd], trusted: true, settingFolders: [], bundledDir: bundledAgentsDir() ?? join(__dirname, '..', 'agents') }),
    ];
    const personas = await loadPersonas(specs);
    const wanted = flags.persona as string | undefined;
    const persona = choosePersona(personas.personas, [wanted, 'the-data-engineer']);
    if (wanted && persona?.name !== wanted) {
      throw new UsageError(`no persona named ${JSON.stringify(wanted)}; available: ${personas.personas.map((p) => p.name).join(', ') || 'none'}`);
    }

    const apiKey = io.env['ANTHROPIC_API_KEY']?.trim();
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    let db: Database | undefined;
    try {
      if (parsed) {
        db = await openDatabase(parsed.config, {
          limits: defaultSessionLimits,
          ...(parsed.password !== undefined ? { password: parsed.password } : {}),
          env: io.env,
          cwd: io.cwd,
          dataDir: cliCacheDir(io.env),
        });
      }
      const database = db;
      // The persona's tools: the database given with --url (its statements through the one consent policy: a write
      // under EXPLAIN ANALYZE only with --yes, else the model reads that consent was refused) and the files under the
      // current directory. Bash and the web tools are never offered; the log line says which a persona asked for.
      const tools = (() => {
        if (maxSteps === 0) return undefined;
        const choice = offeredTools(persona ?? { tools: [], metadata: {} });
        const note = offeredToolsNote(persona?.name ?? 'default', choice);
        if (note) io.stderr(`note: ${note}\n`);
        const databasePort = database
          ? connectionListPort([{ name: database.config.name || 'url', config: database.config, open: () => Promise.resolve(database) }], {
              consent: { preApproved: flags.yes === true, withoutConsent: 'refuse' },
              secrets: () => [parsed?.password, apiKey],
            })
          : undefined;
        return createToolRegistry({ ...(databasePort ? { database: databasePort } : {}), workspace: new WorkspaceFiles({ roots: [io.cwd] }) }, { offered: choice.offered });
      })();
      const ports: PipelinePorts = {
        ...(tools ? { tools } : {}),
        analyze: analyzePort(3000),
        // --model > the persona's model > the default (the CLI has no settings of its own).
        llm: apiKey ? createLlmClient({ apiKey, env: io.env, model: chooseModel({ explicit: flags.model as string | undefined, persona: persona?.model }, modelAliases, defaultModel).model, ...(maxTokens ? { maxTokens } : {}) }) : null,
        ...(database
          ? {
              explain: (s: string, signal: AbortSignal) =>
                explainWithConsent(database, s, { analyze: flags.analyze === true }, { preApproved: flags.yes === true, withoutConsent: 'plain' }, { signal }).then((o) => {
                  if (o.kind === 'declined') return { declined: true as const };
                  // The note (consent missing, plain plan used) goes to stderr as well as into the evidence.
                  for (const w of o.result.warnings) if (w.startsWith('Consent to execute')) io.stderr(`note: ${w}\n`);
                  return o.result;
                }),
              schemaFacts: async (s: string | undefined, signal: AbortSignal) => {
                const catalog = await database.introspect({ ...(database.config.schema ? { schema: database.config.schema } : {}), signal });
                const names = s ? tablesMentioned(catalog, s, database.dialect).map((t) => `${t.schema}.${t.name}`) : [];
                return { text: names.length ? schemaFacts(catalog, { tables: names }) : '' };
              },
            }
          : {}),
      };
      let answered = false;
      const edits: ProposedEdit[] = [];
      const sink = (e: PipelineEvent): void => {
        switch (e.type) {
          case 'status':
            return io.stderr(`${e.text}\n`);
          case 'findings':
            return io.stdout(`${formatFindingsForTerminal(e.findings)}\n`);
          case 'delta':
            answered = true;
            return io.stdout(e.text);
          case 'done':
            return io.stdout(answered && !e.text.endsWith('\n') ? '\n' : '');
          case 'error':
            if (answered) io.stdout('\n');
            return io.stderr(`dataeng ask: ${e.message}\n`);
          case 'noKey':
            return io.stderr("No ANTHROPIC_API_KEY is set, so only the deterministic findings are shown. Set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a gateway) to get the persona's answer.\n");
          case 'toolStart':
            return;
          case 'toolStep':
            // One line per step, as it ends; the answer stays alone on stdout.
            if (answered) io.stdout('\n');
            answered = false;
            return io.stderr(`${e.isError ? '✗' : '→'} ${e.summary.replace(/[\r\n]+/g, ' ')}${e.isError ? `: ${e.result.split('\n')[0]!.slice(0, 200)}` : ''}\n`);
          case 'todos':
            return io.stderr(`${e.items.map((i) => `  [${i.status === 'done' ? 'x' : i.status === 'in_progress' ? '~' : ' '}] ${i.text}`).join('\n')}\n`);
          case 'proposedEdit':
            edits.push(e.edit);
            return;
        }
      };
      const outcome = await runTask(
        {
          task,
          sql,
          dialect: db?.dialect ?? dialect,
          question,
          personaBody: persona?.body ?? 'You are a staff-level data engineer.',
          redactLiterals: flags['redact-literals'] === true || /^(1|true|yes|on)$/i.test(io.env['DATAENG_REDACT_LITERALS'] ?? ''),
          maxSteps,
        },
        ports,
        sink,
        controller.signal,
      );
      // Proposed edits are printed, never written: the diff can be reviewed and applied by hand.
      for (const edit of edits) io.stdout(`\nProposed edit (not applied):\n${formatEditDiff(edit.path, edit.oldText, edit.newText)}`);
      if (outcome.end === 'error') return outcome.errorKind === 'input' ? exitCodes.usage : outcome.errorKind === 'database' ? exitCodes.connection : exitCodes.notFound;
      return exitCodes.ok;
    } catch (err) {
      const message = errorMessage(err, [parsed?.password, apiKey]);
      if (err instanceof ConnectionConfigError) throw new UsageError(message);
      io.stderr(`dataeng ask: ${message}\n`);
      return err instanceof ConnectionError ? exitCodes.connection : exitCodes.notFound;
    } finally {
      process.removeListener('SIGINT', onSignal);
      await db?.close().catch(() => undefined);
    }
  },
};
