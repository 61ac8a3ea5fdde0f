// `dataeng compare --url URL ORIGINAL REWRITE` (or --file-a F --offset-a N --file-b F --offset-b N): result
// equivalence of a rewrite (src/app/proof.ts), printed as JSON. Every verdict exits 0: "different" is an answer.
import { compareResults } from '../../app/proof';
import { prepareComparison } from '../../core/proof/compare';
import { RefusedStatementError } from '../../db/errors';
import { UsageError, exitCodes, formatHelp, parseArgs, type FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';
import { connectionFromFlags, refuseEarly, runWithDatabase, timeoutFlag, timeoutFromFlags, urlFlag } from '../proofCli';
import { statementFromFile } from '../statementInput';

const spec: Record<string, FlagSpec> = {
  url: urlFlag,
  'file-a': { type: 'string', description: 'read the original from a file' },
  'offset-a': { type: 'string', description: 'with --file-a: the statement at this character offset' },
  'file-b': { type: 'string', description: 'read the rewrite from a file' },
  'offset-b': { type: 'string', description: 'with --file-b: the statement at this character offset' },
  timeout: timeoutFlag,
};

const usage = 'dataeng compare --url URL (ORIGINAL REWRITE | --file-a F --offset-a N --file-b F --offset-b N)';
const summary =
  'Runs the original and the rewrite in one READ ONLY, REPEATABLE READ transaction and compares their results\n' +
  '(bag semantics, order when the original sorts, column count and types), printing JSON:\n' +
  '{"verdict": "equal"|"different"|"nondeterministic"|"cannot-verify", "rows": {"original", "rewrite"},\n' +
  ' "onlyInOriginal", "onlyInRewrite", "orderMatches", "reason", "samples"}.\n' +
  '"equal" holds for the data in this database, not for all data. Only reads are compared; a statement calling a\n' +
  'volatile function (random(), clock_timestamp(), nextval…) is not run: "cannot-verify". Samples stay on your machine.\n' +
  'Exit codes: 0 every verdict, 1 failed, 2 usage, 3 refused (reason on stderr), 4 connection failure.';

export const compareCommand: Subcommand = {
  name: 'compare',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    const connection = connectionFromFlags(flags, io);
    const timeoutMs = timeoutFromFlags(flags);
    const fileA = flags['file-a'] as string | undefined;
    const fileB = flags['file-b'] as string | undefined;
    let original: string;
    let rewrite: string;
    if (fileA !== undefined || fileB !== undefined) {
      if (fileA === undefined || fileB === undefined) throw new UsageError('give both --file-a and --file-b');
      if (positionals.length) throw new UsageError('give the statements either as arguments or with --file-a/--file-b, not both');
      original = await statementFromFile(io, fileA, flags['offset-a'], connection.dialect, { file: 'file-a', offset: 'offset-a' });
      rewrite = await statementFromFile(io, fileB, flags['offset-b'], connection.dialect, { file: 'file-b', offset: 'offset-b' });
    } else {
      if (flags['offset-a'] !== undefined || flags['offset-b'] !== undefined) throw new UsageError('--offset-a and --offset-b need --file-a and --file-b');
      if (positionals.length !== 2) throw new UsageError('give the ORIGINAL and the REWRITE as two quoted arguments');
      [original, rewrite] = positionals as [string, string];
    }
    const prepared = prepareComparison(original, rewrite, connection.dialect);
    if ('refusal' in prepared) return refuseEarly('compare', io, new RefusedStatementError(prepared.refusal))!;
    return runWithDatabase('compare', connection, io, async (db, signal) => {
      const r = await compareResults(db, original, rewrite, { signal, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
      const out = {
        verdict: r.verdict,
        rows: r.rows,
        onlyInOriginal: r.onlyInOriginal,
        onlyInRewrite: r.onlyInRewrite,
        orderMatches: r.orderMatches,
        reason: r.reason,
        samples: r.samples,
        columns: r.columns.original.map((c, i) => ({ original: { name: c.name, type: c.type }, rewrite: r.columns.rewrite[i] ? { name: r.columns.rewrite[i].name, type: r.columns.rewrite[i].type } : null })),
        warnings: r.warnings,
      };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      return exitCodes.ok;
    });
  },
};
