// What the proof subcommands (whatif, advise-indexes, compare) share: the connection from --url, Ctrl+C as a stop,
// the consent flags, and one mapping from outcomes to exit codes — 3 refused (the reason on stderr), 4 connection
// failure, 1 any other failure. The operations themselves are src/app/proof.ts.
import type { ConsentPort } from '../app/consent';
import { defaultMaxTableBytes } from '../core/settings/verifySettings';
import { inferDialect, type Dialect } from '../core/sql/dialect';
import { ConnectionConfigError, ConnectionError, ConsentRequiredError, IndexBuildConsentRequiredError, RefusedStatementError, StatementError, errorMessage } from '../db/errors';
import { cliCacheDir, openDatabase, parseConnectionUrl, type ParsedUrl } from '../db/open';
import { defaultSessionLimits, type Database } from '../db/types';
import { UsageError, exitCodes, intFlag, type FlagSpec } from './args';
import type { CliIo } from './io';

export const urlFlag: FlagSpec = { type: 'string', description: 'postgres://user@host:port/db, sqlite:///path/to/file.db or demo (or $DATAENG_URL)' };
export const timeoutFlag: FlagSpec = { type: 'string', description: 'statement timeout in milliseconds, for each step (default 30000)' };

/** Flags of the subcommands that may build an index for a test (whatif, advise-indexes). */
export const buildFlags: Record<string, FlagSpec> = {
  analyze: { type: 'boolean', description: 'measure: run the statement before and after (EXPLAIN ANALYZE, rolled back; SQLite: timed on the in-memory copy)' },
  yes: {
    type: 'boolean',
    description: 'consent to building a real index inside a transaction that is rolled back (no HypoPG: writes to the table wait, SHARE lock) and, with --analyze, to executing a statement that writes (rolled back)',
  },
  method: { type: 'string', description: 'auto (default: HypoPG where installed, else a rolled-back index) | hypopg | rolled-back-index' },
  'max-table-bytes': { type: 'string', description: `refuse to build on a table (or copy a SQLite database) larger than this (default ${defaultMaxTableBytes})` },
};

export interface CliConnection {
  parsed: ParsedUrl;
  dialect: Dialect;
}

export function connectionFromFlags(flags: Record<string, unknown>, io: CliIo): CliConnection {
  const url = (flags.url as string | undefined) ?? io.env.DATAENG_URL;
  if (!url) throw new UsageError('--url is required (or set DATAENG_URL)');
  try {
    const parsed = parseConnectionUrl(url);
    return { parsed, dialect: inferDialect({ driver: parsed.config.driver }) };
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

export function timeoutFromFlags(flags: Record<string, unknown>): number | undefined {
  const timeoutMs = intFlag(flags.timeout, 'timeout');
  if (timeoutMs !== undefined && timeoutMs <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
  return timeoutMs;
}

export interface BuildOptions {
  port: ConsentPort;
  analyze: boolean;
  maxTableBytes: number;
  method?: 'auto' | 'hypopg' | 'rolled-back-index';
}

/** --analyze, --yes, --method and --max-table-bytes as the operations take them. --yes is the consent; nobody is asked. */
export function buildOptionsFromFlags(flags: Record<string, unknown>): BuildOptions {
  const method = flags.method as string | undefined;
  if (method !== undefined && !['auto', 'hypopg', 'rolled-back-index'].includes(method)) throw new UsageError('--method must be auto, hypopg or rolled-back-index');
  const max = intFlag(flags['max-table-bytes'], 'max-table-bytes');
  if (max !== undefined && max <= 0) throw new UsageError('--max-table-bytes must be a positive number of bytes');
  return {
    port: { preApproved: flags.yes === true, withoutConsent: 'refuse' },
    analyze: flags.analyze === true,
    maxTableBytes: max ?? defaultMaxTableBytes,
    ...(method ? { method: method as BuildOptions['method'] } : {}),
  };
}

/** Why a refusal happened, and what would let it run, for stderr. */
function refusalText(err: unknown, secret: string | undefined): string | undefined {
  if (err instanceof RefusedStatementError) return errorMessage(err.reason, [secret]);
  if (err instanceof ConsentRequiredError) return `${errorMessage(err, [secret])} It needs --yes to run (it is still rolled back).`;
  if (err instanceof IndexBuildConsentRequiredError) {
    if (err.kind === 'copy' || err.aboveCap) return `${err.message} Raise --max-table-bytes to go ahead anyway.`;
    return `${err.message} It needs --yes to build it (the transaction is rolled back; nothing is kept).`;
  }
  return undefined;
}

/**
 * Opens the database, runs `body` with a signal that Ctrl+C aborts, closes the database, and maps failures to exit
 * codes: refusals 3, connection failures 4, the rest 1. Usage errors propagate (main prints them, exit 2).
 */
export async function runWithDatabase(name: string, connection: CliConnection, io: CliIo, body: (db: Database, signal: AbortSignal) => Promise<number>): Promise<number> {
  const secret = connection.parsed.password;
  let db: Database | undefined;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    db = await openDatabase(connection.parsed.config, {
      limits: defaultSessionLimits,
      ...(secret !== undefined ? { password: secret } : {}),
      env: io.env,
      cwd: io.cwd,
      dataDir: cliCacheDir(io.env),
    });
    return await body(db, controller.signal);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = errorMessage(err, [secret]);
    if (err instanceof ConnectionConfigError) throw new UsageError(message);
    const refused = refusalText(err, secret);
    if (refused !== undefined) {
      io.stderr(`dataeng ${name}: refused: ${refused}\n`);
      return exitCodes.refused;
    }
    if (err instanceof ConnectionError) {
      io.stderr(`dataeng ${name}: ${message}\n`);
      return exitCodes.connection;
    }
    const where = err instanceof StatementError && err.position !== undefined ? ` (at offset ${err.position})` : '';
    io.stderr(`dataeng ${name}: ${message}${where}\n`);
    return exitCodes.notFound;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await db?.close().catch(() => undefined);
  }
}

/** A refusal known before connecting (exit 3 without opening anything). */
export function refuseEarly(name: string, io: CliIo, err: unknown): number | undefined {
  const text = refusalText(err, undefined);
  if (text === undefined) return undefined;
  io.stderr(`dataeng ${name}: refused: ${text}\n`);
  return exitCodes.refused;
}

/** A plan as JSON output: large plans arrive as JSON text. */
export function planJson(plan: unknown): unknown {
  return typeof plan === 'string' ? (JSON.parse(plan) as unknown) : plan;
}
