// `dataeng review-schema --url URL [--schema S]`: introspects the catalog (a constant number of queries), runs the
// deterministic schema rules and prints JSON. No model is involved: the output is the same every run.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { reviewSchema } from '../../core/schema/review';
import { ConnectionConfigError, ConnectionError, errorMessage } from '../../db/errors';
import { openDatabase, parseConnectionUrl } from '../../db/open';
import type { Database } from '../../db/types';
import { defaultSessionLimits } from '../../db/types';
import { UsageError, exitCodes, formatHelp, parseArgs } from '../args';
import type { FlagSpec } from '../args';
import { duckdbFlagSpec, duckdbOpenOptions } from '../duckdbFlags';
import type { CliIo, Subcommand } from '../io';

const spec: Record<string, FlagSpec> = {
  ...duckdbFlagSpec,
  url: { type: 'string', description: 'postgres://user@host:port/db, sqlite:///path/to/file.db, duckdb:///path/to/file.duckdb, duckdb::memory: or demo (or $DATAENG_URL)' },
  schema: { type: 'string', description: 'PostgreSQL: review only this schema (default: every non-system schema)' },
};

const usage = 'dataeng review-schema --url URL [--schema S]';
const summary =
  'Reviews a schema with deterministic rules and prints JSON:\n' +
  '{"tables": N, "columns": N, "findings": [{"rule", "severity", "object", "message", "fix"}]}.\n' +
  'Exit codes: 0 done, 1 schema not found or the review failed, 2 usage, 4 connection failure.';

export const reviewSchemaCommand: Subcommand = {
  name: 'review-schema',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const url = (flags.url as string | undefined) ?? io.env.DATAENG_URL;
    if (!url) throw new UsageError('--url is required (or set DATAENG_URL)');
    const schema = flags.schema as string | undefined;
    if (schema === '') throw new UsageError('--schema needs a non-empty name');

    let secret: string | undefined;
    let db: Database | undefined;
    try {
      const parsed = parseConnectionUrl(url);
      secret = parsed.password;
      if (schema !== undefined && parsed.config.driver === 'sqlite') throw new UsageError('--schema applies to PostgreSQL only (SQLite has one schema, main)');
      db = await openDatabase(parsed.config, {
        limits: defaultSessionLimits,
        ...(parsed.password !== undefined ? { password: parsed.password } : {}),
        env: io.env,
        cwd: io.cwd,
        ...duckdbOpenOptions(flags, io.cwd),
        dataDir: join(io.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dataeng'),
      });
      const catalog = await db.introspect(schema !== undefined ? { schema } : {});
      if (schema !== undefined && !catalog.schemas.includes(schema)) {
        io.stderr(`dataeng review-schema: schema ${JSON.stringify(schema)} does not exist (or is a system schema)\n`);
        return exitCodes.notFound;
      }
      const review = reviewSchema(catalog);
      const out = {
        dialect: catalog.dialect,
        schemas: catalog.schemas,
        tables: review.tables,
        columns: review.columns,
        catalogQueries: catalog.queryCount,
        findings: review.findings.map((f) => ({ rule: f.rule, severity: f.severity, object: f.object ?? null, message: f.message, fix: f.fix ?? null })),
      };
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      return exitCodes.ok;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const message = errorMessage(err, [secret]);
      if (err instanceof ConnectionConfigError) throw new UsageError(message);
      io.stderr(`dataeng review-schema: ${message}\n`);
      return err instanceof ConnectionError ? exitCodes.connection : exitCodes.notFound;
    } finally {
      await db?.close().catch(() => undefined);
    }
  },
};
