// `dataeng explain --url URL [--analyze] [--yes] [--timeout MS] (SQL | --file F [--offset N])`: runs the one
// safe EXPLAIN path and prints {dialect, analyzed, rolledBack, planFormat, plan, warnings} as JSON.
import { decideAnalyze, explainWithConsent } from '../../app/consent';
import { classifyStatement } from '../../core/sql/classify';
import { inferDialect, type Dialect } from '../../core/sql/dialect';
import {
  ConnectionConfigError,
  ConnectionError,
  ConsentRequiredError,
  RefusedStatementError,
  StatementError,
  errorMessage,
} from '../../db/errors';
import { cliCacheDir, openDatabase, parseConnectionUrl } from '../../db/open';
import { defaultSessionLimits, type Database } from '../../db/types';
import { UsageError, exitCodes, formatHelp, intFlag, parseArgs, type FlagSpec } from '../args';
import { duckdbFlagSpec, duckdbOpenOptions } from '../duckdbFlags';
import type { CliIo, Subcommand } from '../io';
import { readStatement } from '../statementInput';

const spec: Record<string, FlagSpec> = {
  ...duckdbFlagSpec,
  url: { type: 'string', description: 'postgres://user@host:port/db, sqlite:///path/to/file.db, duckdb:///path/to/file.duckdb, duckdb::memory: or demo (or $DATAENG_URL)' },
  analyze: { type: 'boolean', description: 'EXPLAIN ANALYZE: execute the statement inside a transaction that is rolled back' },
  yes: { type: 'boolean', description: 'consent, under --analyze, to executing a statement that writes, locks rows or has side effects a rollback does not undo (still rolled back)' },
  timeout: { type: 'string', description: 'statement timeout in milliseconds (default 30000)' },
  file: { type: 'string', description: 'read the SQL from a file (- for standard input)' },
  offset: { type: 'string', description: 'with --file: explain the statement at this character offset' },
};

const usage = 'dataeng explain --url URL [--analyze] [--yes] [--timeout MS] (SQL | --file F [--offset N])';
const summary =
  'Explains one statement through the safe path and prints JSON:\n' +
  '{"dialect", "analyzed", "rolledBack", "planFormat", "plan", "warnings", "statement"}.\n' +
  'Plain EXPLAIN runs in a READ ONLY transaction that is rolled back; --analyze executes the statement and rolls it\n' +
  'back; a data-modifying statement also needs --yes. The password comes from the URL, PGPASSWORD or ~/.pgpass.\n' +
  'Exit codes: 0 done, 1 the statement failed or was cancelled, 2 usage, 3 refused, 4 connection failure.';

export const explainCommand: Subcommand = {
  name: 'explain',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    const url = (flags.url as string | undefined) ?? io.env.DATAENG_URL;
    if (!url) throw new UsageError('--url is required (or set DATAENG_URL)');
    const timeoutMs = intFlag(flags.timeout, 'timeout');
    if (timeoutMs !== undefined && timeoutMs <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    const analyze = flags.analyze === true;
    const yes = flags.yes === true;

    let parsed;
    try {
      parsed = parseConnectionUrl(url);
    } catch (err) {
      throw new UsageError(errorMessage(err));
    }
    const secret = parsed.password;
    const dialect: Dialect = inferDialect({ driver: parsed.config.driver });
    const sql = await readStatement(flags, positionals, io, dialect);

    // Refuse before connecting: a refused statement never needs a connection (and exits 3, not 4).
    const c = classifyStatement(sql, dialect);
    if (c.refusal) {
      io.stderr(`dataeng explain: refused: ${c.refusal}\n`);
      return exitCodes.refused;
    }
    // A user-written EXPLAIN ANALYZE is a request to execute: it gets the same consent rules as --analyze.
    const wantAnalyze = analyze || (c.userExplain?.analyze ?? false);
    // What the classifier already knows is refused before connecting; the driver may still find more (user functions).
    const decision = decideAnalyze(c, dialect, { analyze: wantAnalyze }, yes);
    if (decision.action === 'ask' && decision.question.modal) {
      io.stderr(`dataeng explain: refused: ${new ConsentRequiredError(c.kind, decision.question.reasons).message} It needs --yes to run (it is still rolled back).\n`);
      return exitCodes.refused;
    }

    let db: Database | undefined;
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    try {
      db = await openDatabase(parsed.config, {
        limits: defaultSessionLimits,
        ...(secret !== undefined ? { password: secret } : {}),
        env: io.env,
        cwd: io.cwd,
        ...duckdbOpenOptions(flags, io.cwd),
        dataDir: cliCacheDir(io.env),
      });
      // The one consent policy: --analyze asks to execute; anything beyond a read also needs --yes, else exit 3.
      const outcome = await explainWithConsent(db, sql, { analyze: wantAnalyze }, { preApproved: yes, withoutConsent: 'refuse' }, {
        signal: controller.signal,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      if (outcome.kind === 'declined') throw new Error(outcome.reason);
      const result = outcome.result;
      const out = {
        dialect: result.dialect,
        analyzed: result.analyzed,
        rolledBack: result.rolledBack,
        planFormat: result.planFormat,
        plan: typeof result.plan === 'string' ? (JSON.parse(result.plan) as unknown) : result.plan,
        warnings: result.warnings,
        statement: result.statement,
      };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      return exitCodes.ok;
    } catch (err) {
      const message = errorMessage(err, [secret]);
      if (err instanceof ConnectionConfigError) throw new UsageError(message);
      if (err instanceof RefusedStatementError || err instanceof ConsentRequiredError) {
        io.stderr(`dataeng explain: refused: ${err instanceof ConsentRequiredError ? `${message} It needs --yes to run (it is still rolled back).` : errorMessage(err.reason, [secret])}\n`);
        return exitCodes.refused;
      }
      if (err instanceof ConnectionError) {
        io.stderr(`dataeng explain: ${message}\n`);
        return exitCodes.connection;
      }
      const where = err instanceof StatementError && err.position !== undefined ? ` (at offset ${err.position})` : '';
      io.stderr(`dataeng explain: ${message}${where}\n`);
      return exitCodes.notFound;
    } finally {
      process.removeListener('SIGINT', onSignal);
      await db?.close().catch(() => undefined);
    }
  },
};
