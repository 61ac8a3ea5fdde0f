// `dataeng whatif --url URL --index "CREATE INDEX …" [--index …] [--analyze [--yes]] (SQL | --file F --offset N)`: the
// index what-if of src/app/proof.ts, printed as JSON.
import { whatIfIndex } from '../../app/proof';
import { parseIndexStatement } from '../../core/proof/indexStatement';
import { classifyStatement } from '../../core/sql/classify';
import { RefusedStatementError } from '../../db/errors';
import { UsageError, exitCodes, formatHelp, parseArgs, type FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';
import { buildFlags, buildOptionsFromFlags, connectionFromFlags, planJson, refuseEarly, runWithDatabase, timeoutFlag, timeoutFromFlags, urlFlag } from '../proofCli';
import { readStatement } from '../statementInput';

const spec: Record<string, FlagSpec> = {
  url: urlFlag,
  index: { type: 'list', description: 'a CREATE INDEX statement to test (all --index are tested together)' },
  ...buildFlags,
  timeout: timeoutFlag,
  file: { type: 'string', description: 'read the SQL from a file (- for standard input)' },
  offset: { type: 'string', description: 'with --file: the statement at this character offset' },
};

const usage = 'dataeng whatif --url URL --index "CREATE INDEX …" [--index …] [--analyze [--yes]] [--max-table-bytes N] (SQL | --file F --offset N)';
const summary =
  'Tests indexes before you create them and prints JSON:\n' +
  '{"method": "hypopg"|"rolled-back-index"|"in-memory-copy", "before": {"cost", "timeMs"?}, "after": {…},\n' +
  ' "usedIndexes": [the index statements the planner used], "plans": {"before", "after"}, "warnings"}.\n' +
  'HypoPG (when installed) gives estimated costs without building anything. Without it the index is built inside a\n' +
  'transaction that is rolled back, which makes writes to the table wait (SHARE lock): that needs --yes, and with\n' +
  '--analyze the statement is measured before and after. SQLite: an in-memory copy; the file is never written.\n' +
  'Exit codes: 0 done, 1 failed, 2 usage, 3 refused (reason on stderr), 4 connection failure.';

export const whatifCommand: Subcommand = {
  name: 'whatif',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    const connection = connectionFromFlags(flags, io);
    const indexes = (flags.index as string[] | undefined) ?? [];
    if (!indexes.length) throw new UsageError('give at least one --index "CREATE INDEX …"');
    const build = buildOptionsFromFlags(flags);
    const timeoutMs = timeoutFromFlags(flags);
    const sql = await readStatement(flags, positionals, io, connection.dialect);
    // Refused before connecting: the statement, and every index statement.
    const c = classifyStatement(sql, connection.dialect);
    if (c.refusal) return refuseEarly('whatif', io, new RefusedStatementError(c.refusal))!;
    for (const index of indexes) {
      const p = parseIndexStatement(index, connection.dialect);
      if (!p.ok) return refuseEarly('whatif', io, new RefusedStatementError(`--index ${JSON.stringify(index.slice(0, 60))}: ${p.reason}`))!;
    }
    return runWithDatabase('whatif', connection, io, async (db, signal) => {
      const run = await whatIfIndex(db, sql, indexes, {
        request: { analyze: build.analyze },
        port: build.port,
        maxTableBytes: build.maxTableBytes,
        ...(build.method ? { method: build.method } : {}),
        signal,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      if (run.kind === 'declined') {
        io.stderr(`dataeng whatif: refused: ${run.reason}\n`);
        return exitCodes.refused;
      }
      const r = run.result;
      const out = {
        method: r.method,
        before: r.before,
        after: r.after,
        usedIndexes: r.usedIndexes,
        plans: { before: planJson(r.plans.before), after: planJson(r.plans.after) },
        warnings: r.warnings,
        analyzed: r.analyzed,
        savedPct: r.savedPct,
        timeSavedPct: r.timeSavedPct,
        summary: r.summary,
      };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      return exitCodes.ok;
    });
  },
};
