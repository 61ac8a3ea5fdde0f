// `dataeng analyze-plan FILE [--dialect postgres|sqlite] [--format json|text]`: the plan rules on a saved plan.
import { resolve } from 'node:path';
import { analyzePlan } from '../../core/plan/analyze';
import { useDocumentReaders } from '../../core/plan/documentReaders';
import { PlanParseError } from '../../core/plan/model';
import type { ParseHint } from '../../core/plan/parse';
import { parsePlan } from '../../core/plan/parse';
import { pgDocumentReaders } from '../../core/plan/pgDocuments';
import { isDialect } from '../../core/sql/dialect';
import { UsageError, exitCodes, formatHelp, parseArgs } from '../args';
import type { FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';

const spec: Record<string, FlagSpec> = {
  dialect: { type: 'string', description: 'postgres or sqlite (detected when not given)' },
  format: { type: 'string', description: 'json, text, xml or yaml (detected when not given)' },
};

const usage = 'dataeng analyze-plan FILE [--dialect postgres|sqlite] [--format json|text|xml|yaml]';
const summary =
  'Analyzes a saved query plan and prints JSON {"dialect", "planningMs", "executionMs", "nodes", "warnings", "findings"}.\n' +
  'Accepts PostgreSQL EXPLAIN output in all four formats (text, JSON, XML, YAML) as people paste it: psql output\n' +
  'with any border or line style, unaligned or CSV, whole sessions with prompts, terminal-wrapped lines, GUI exports;\n' +
  'and SQLite EXPLAIN QUERY PLAN (rows as JSON or as the shell prints them, or the sqlite3 shell tree).\n' +
  '"warnings" lists what was read with a loss (a field left out, wrapped lines joined, several plans in one result).\n' +
  'FILE may be - for standard input. Exits 2 when the input is not a plan or on bad usage.';

export const analyzePlanCommand: Subcommand = {
  name: 'analyze-plan',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    if (positionals.length === 0) throw new UsageError('missing FILE (use - for standard input)');
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
    const hint: ParseHint = {};
    if (flags.dialect !== undefined) {
      if (!isDialect(flags.dialect)) throw new UsageError(`--dialect must be postgres or sqlite, got ${JSON.stringify(flags.dialect)}`);
      hint.dialect = flags.dialect;
    }
    if (flags.format !== undefined) {
      if (flags.format !== 'json' && flags.format !== 'text' && flags.format !== 'xml' && flags.format !== 'yaml') {
        throw new UsageError(`--format must be json, text, xml or yaml, got ${JSON.stringify(flags.format)}`);
      }
      hint.format = flags.format;
    }
    const file = positionals[0]!;
    let text: string;
    try {
      text = await io.readFile(file === '-' ? '-' : resolve(io.cwd, file));
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : '';
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : err instanceof Error ? err.message : String(err);
      io.stderr(`dataeng analyze-plan: cannot read ${file}: ${reason}\n`);
      return exitCodes.notFound;
    }
    try {
      // Saved plans come in every format PostgreSQL writes, XML and YAML included.
      useDocumentReaders(pgDocumentReaders);
      const plan = parsePlan(text, hint);
      const findings = analyzePlan(plan);
      const out = { dialect: plan.dialect, planningMs: plan.planningMs ?? null, executionMs: plan.executionMs ?? null, nodes: plan.nodeCount, warnings: plan.warnings, findings };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      for (const w of plan.warnings) io.stderr(`dataeng analyze-plan: warning: ${w}\n`);
      return exitCodes.ok;
    } catch (err) {
      if (err instanceof PlanParseError) {
        io.stderr(`dataeng analyze-plan: ${file === '-' ? 'standard input' : file} is not a plan: ${err.message}\n`);
        return exitCodes.usage;
      }
      throw err;
    }
  },
};
