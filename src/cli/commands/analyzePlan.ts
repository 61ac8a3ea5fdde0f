// `dataeng analyze-plan FILE [--dialect postgres|sqlite] [--format json|text]`: the plan rules on a saved plan.
import { resolve } from 'node:path';
import { analyzePlan } from '../../core/plan/analyze';
import { PlanParseError } from '../../core/plan/model';
import type { ParseHint } from '../../core/plan/parse';
import { parsePlan } from '../../core/plan/parse';
import { isDialect } from '../../core/sql/dialect';
import { UsageError, exitCodes, formatHelp, parseArgs } from '../args';
import type { FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';

const spec: Record<string, FlagSpec> = {
  dialect: { type: 'string', description: 'postgres or sqlite (detected when not given)' },
  format: { type: 'string', description: 'json or text (detected when not given)' },
};

const usage = 'dataeng analyze-plan FILE [--dialect postgres|sqlite] [--format json|text]';
const summary =
  'Analyzes a saved query plan and prints JSON {"dialect", "planningMs", "executionMs", "nodes", "findings"}.\n' +
  'Accepts PostgreSQL EXPLAIN output (JSON or text, as psql or pgAdmin print it) and SQLite EXPLAIN QUERY PLAN\n' +
  '(rows as JSON, or the sqlite3 shell tree). FILE may be - for standard input.\n' +
  'Exits 2 when the input is not a plan or on bad usage.';

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
      if (flags.format !== 'json' && flags.format !== 'text') throw new UsageError(`--format must be json or text, got ${JSON.stringify(flags.format)}`);
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
      const plan = parsePlan(text, hint);
      const findings = analyzePlan(plan);
      const out = { dialect: plan.dialect, planningMs: plan.planningMs ?? null, executionMs: plan.executionMs ?? null, nodes: plan.nodeCount, findings };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
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
