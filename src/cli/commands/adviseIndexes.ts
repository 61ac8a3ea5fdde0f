// `dataeng advise-indexes --url URL [--analyze [--yes]] (SQL | --file F --offset N)`: the deterministic index advisor
// of src/app/proof.ts — candidates from the plan's findings, each tested with the what-if — printed as JSON.
import { adviseIndexes } from '../../app/proof';
import { classifyStatement } from '../../core/sql/classify';
import { RefusedStatementError } from '../../db/errors';
import { exitCodes, formatHelp, parseArgs, type FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';
import { buildFlags, buildOptionsFromFlags, connectionFromFlags, refuseEarly, runWithDatabase, timeoutFlag, timeoutFromFlags, urlFlag } from '../proofCli';
import { readStatement } from '../statementInput';

const spec: Record<string, FlagSpec> = {
  url: urlFlag,
  ...buildFlags,
  timeout: timeoutFlag,
  file: { type: 'string', description: 'read the SQL from a file (- for standard input)' },
  offset: { type: 'string', description: 'with --file: the statement at this character offset' },
};

const usage = 'dataeng advise-indexes --url URL [--analyze [--yes]] [--max-table-bytes N] (SQL | --file F --offset N)';
const summary =
  'Finds index candidates in the plan (no model), tests each with the what-if and prints JSON:\n' +
  '{"candidates": [{"index", "before": {"cost"}, "after": {"cost"}, "savedPct", "method"}], "best": statement or null}.\n' +
  'A candidate is kept when it cuts the plan cost by at least 50%; "finding" carries the best with how it was verified.\n' +
  'Without HypoPG the candidates are built inside a transaction that is rolled back: that needs --yes.\n' +
  'Exit codes: 0 done (also when nothing helps), 1 failed, 2 usage, 3 refused (reason on stderr), 4 connection failure.';

export const adviseIndexesCommand: Subcommand = {
  name: 'advise-indexes',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    const connection = connectionFromFlags(flags, io);
    const build = buildOptionsFromFlags(flags);
    const timeoutMs = timeoutFromFlags(flags);
    const sql = await readStatement(flags, positionals, io, connection.dialect);
    const c = classifyStatement(sql, connection.dialect);
    if (c.refusal) return refuseEarly('advise-indexes', io, new RefusedStatementError(c.refusal))!;
    return runWithDatabase('advise-indexes', connection, io, async (db, signal) => {
      const run = await adviseIndexes(db, sql, {
        request: { analyze: build.analyze },
        port: build.port,
        maxTableBytes: build.maxTableBytes,
        ...(build.method ? { method: build.method } : {}),
        signal,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      if (run.kind === 'declined') {
        io.stderr(`dataeng advise-indexes: refused: ${run.reason}\n`);
        return exitCodes.refused;
      }
      const r = run.result;
      const out = {
        candidates: r.candidates.map((x) => ({ index: x.index, before: x.before, after: x.after, savedPct: x.savedPct, method: x.method, timeSavedPct: x.timeSavedPct, used: x.used, kept: x.kept, source: x.source })),
        best: r.best,
        finding: r.finding,
        skipped: r.skipped,
        note: r.note,
        warnings: r.warnings,
      };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      return exitCodes.ok;
    });
  },
};
