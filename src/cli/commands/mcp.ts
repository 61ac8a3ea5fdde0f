// `dataeng mcp [--url [NAME=]URL]… [--allow-analyze-writes]`: the tools as an MCP server over stdio, for Claude Code,
// VS Code's agent mode and any other MCP client. The same registry as the agent loop (src/app/tools/registry.ts) with
// the same names and inputs; every database tool also takes an optional `connection`. Only the protocol goes to stdout;
// the server's own lines go to stderr.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { connectionListPort, connectionTarget, type ListedConnection } from '../../app/tools/connectionList';
import { createToolRegistry } from '../../app/tools/registry';
import { useDocumentReaders } from '../../core/plan/documentReaders';
import { pgDocumentReaders } from '../../core/plan/pgDocuments';
import { connectionTools, externalDefinitions, externalFaceTools, passwordEnvVar } from '../../core/tools/externalFaces';
import type { ToolName } from '../../core/tools/types';
import { ConnectionConfigError, errorMessage, scrubSecrets } from '../../db/errors';
import { cliCacheDir, openDatabase, parseConnectionUrl } from '../../db/open';
import { defaultSessionLimits, type ConnectionConfig, type SessionLimits } from '../../db/types';
import { UsageError, exitCodes, formatHelp, intFlag, parseArgs, type FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';


const spec: Record<string, FlagSpec> = {
  url: {
    type: 'list',
    description:
      'a connection: postgres://user@host:port/db, sqlite:///path/to/file.db or demo, optionally named NAME=URL; the first is the default (else $DATAENG_URL, else the PG* variables). A password comes from the URL, $DATAENG_PASSWORD_<NAME>, PGPASSWORD or ~/.pgpass',
  },
  'allow-analyze-writes': {
    type: 'boolean',
    description: 'consent up front to EXPLAIN ANALYZE of statements that write, lock rows or have side effects (always rolled back), and to test index builds rolled back where HypoPG is missing',
  },
  timeout: { type: 'string', description: 'statement timeout in milliseconds for every call (default 30000)' },
  'redact-literals': { type: 'boolean', description: 'keep every literal of the SQL, the plans and the statistics out of tool results' },
};

const usage = 'dataeng mcp [--url [NAME=]URL]… [--allow-analyze-writes] [--timeout MS] [--redact-literals]';
const summary =
  'An MCP server on stdin/stdout with the tools explain_query, describe_table, review_schema, what_if_index,\n' +
  'compare_results, analyze_plan and list_connections. Every database tool takes an optional "connection" (a NAME or\n' +
  'URL given here; the first by default). Statements go through the safe path: one statement, READ ONLY and rolled back,\n' +
  'timeouts; EXPLAIN ANALYZE of a write or of a side effect is refused unless --allow-analyze-writes (then rolled back).\n' +
  'Passwords come from the URL, PGPASSWORD or ~/.pgpass and never appear in a result. Logs go to stderr.';

/** `NAME=URL` or `URL`: a name is a word before `=` that is not the start of a URL. */
export function splitNamedUrl(arg: string): { name?: string; url: string } {
  const m = /^([A-Za-z_][\w.-]{0,63})=(.+)$/.exec(arg);
  if (m && !/^(postgres(ql)?|sqlite):/i.test(arg)) return { name: m[1]!, url: m[2]! };
  return { url: arg };
}

function defaultName(config: ConnectionConfig): string {
  if (config.driver === 'demo') return 'demo';
  if (config.driver === 'sqlite') return basename(config.file ?? 'sqlite').replace(/\.(sqlite3?|db3?)$/i, '') || 'sqlite';
  return config.database ?? config.user ?? 'postgres';
}

interface ServerConnections {
  connections: ListedConnection[];
  secrets: string[];
}

/** The connections from --url (or $DATAENG_URL, or the PG* variables, as the other commands resolve them). */
export function mcpConnections(urls: readonly string[], io: Pick<CliIo, 'env' | 'cwd'>, limits: SessionLimits): ServerConnections {
  const given = urls.length ? urls : io.env.DATAENG_URL ? [io.env.DATAENG_URL] : [];
  const secrets: string[] = [];
  const used = new Set<string>();
  const connections: ListedConnection[] = [];
  const open = (config: ConnectionConfig, password: string | undefined) => () =>
    openDatabase(config, {
      limits,
      ...(password !== undefined ? { password } : {}),
      env: io.env,
      cwd: io.cwd,
      dataDir: cliCacheDir(io.env),
    });
  for (const arg of given) {
    const { name, url } = splitNamedUrl(arg);
    let parsed;
    try {
      parsed = parseConnectionUrl(url);
    } catch (err) {
      throw new UsageError(errorMessage(err, secrets));
    }
    let unique = name ?? defaultName(parsed.config);
    if (used.has(unique)) {
      if (name) throw new UsageError(`two connections are named ${JSON.stringify(name)}`);
      let i = 2;
      while (used.has(`${unique}-${i}`)) i++;
      unique = `${unique}-${i}`;
    }
    used.add(unique);
    const password = parsed.password ?? io.env[passwordEnvVar(unique)];
    if (password !== undefined) secrets.push(password);
    const config = { ...parsed.config, name: unique };
    connections.push({ name: unique, config, url, open: open(config, password) });
  }
  if (!connections.length && (io.env.PGHOST || io.env.PGDATABASE || io.env.PGUSER || io.env.PGSERVICE)) {
    // libpq-style: the driver resolves PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD and ~/.pgpass itself.
    const config: ConnectionConfig = { name: io.env.PGDATABASE || 'postgres', driver: 'postgres' };
    connections.push({ name: config.name, config, open: open(config, undefined) });
  }
  if (io.env.PGPASSWORD) secrets.push(io.env.PGPASSWORD);
  return { connections, secrets };
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const mcpCommand: Subcommand = {
  name: 'mcp',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(scrubSecrets(positionals[0]!))}`);
    const timeoutMs = intFlag(flags.timeout, 'timeout');
    if (timeoutMs !== undefined && timeoutMs <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    const limits: SessionLimits = { ...defaultSessionLimits, ...(timeoutMs !== undefined ? { statementTimeoutMs: timeoutMs } : {}) };
    const redact = flags['redact-literals'] === true;
    let setup: ServerConnections;
    try {
      setup = mcpConnections((flags.url as string[] | undefined) ?? [], io, limits);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if (err instanceof ConnectionConfigError) throw new UsageError(err.message);
      throw err;
    }
    const { connections, secrets } = setup;
    const port = connectionListPort(connections, {
      consent: { preApproved: flags['allow-analyze-writes'] === true, withoutConsent: 'refuse' },
      secrets: () => secrets,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    // analyze_plan reads pasted XML and YAML plans too, as `dataeng analyze-plan` does.
    useDocumentReaders(pgDocumentReaders);
    const registry = createToolRegistry({ database: port }, { offered: externalFaceTools });
    const names = connections.map((c) => JSON.stringify(c.name)).join(', ');
    const tools = externalDefinitions(`Which database: ${names || 'none configured'} (or a URL the server was started with). Default: the first.`);

    const sdk = await import('../mcpSdk');
    const server = new sdk.Server(
      { name: 'dataeng', version: version() },
      {
        capabilities: { tools: {} },
        instructions:
          'Data Engineer Assistant: explain and analyze SQL on the user\'s databases through a safe path (one statement, read-only, rolled back), ' +
          'describe tables, review schemas, test indexes before building them and check rewrites return the same rows. Call list_connections first when several databases are configured.',
      },
    );
    server.setRequestHandler(sdk.ListToolsRequestSchema, () => ({
      tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
    }));
    server.setRequestHandler(sdk.CallToolRequestSchema, async (request, extra) => {
      const started = performance.now();
      const name = request.params.name;
      const args: Record<string, unknown> = { ...(request.params.arguments ?? {}) };
      let connection: string | undefined;
      if (connectionTools.has(name as ToolName) && 'connection' in args) {
        const value = args.connection;
        delete args.connection;
        if (value !== undefined && typeof value !== 'string') {
          return { content: [{ type: 'text' as const, text: `Invalid input for ${name}: connection must be a string (a connection name), got ${typeof value}.` }], isError: true };
        }
        connection = value;
      }
      const outcome = await registry.run(name, args, { signal: extra.signal, redact, ...(connection !== undefined ? { connection } : {}) });
      // One line per call on stderr: the tool, the outcome and the time; never SQL, values or secrets.
      io.stderr(`dataeng mcp: ${name.slice(0, 40)}${connection !== undefined ? ` on ${JSON.stringify(scrubSecrets(connection, secrets).slice(0, 80))}` : ''}: ${outcome.isError ? 'error' : 'ok'} in ${Math.round(performance.now() - started)} ms\n`);
      return { content: [{ type: 'text' as const, text: scrubSecrets(outcome.text, secrets) }], isError: outcome.isError };
    });

    const transport = new sdk.StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.connect(transport);
    io.stderr(
      `dataeng mcp: serving ${tools.length} tools on ${connections.length ? connections.map((c) => `${c.name} (${c.config.driver} ${connectionTarget(c.config)})`).join(', ') : 'no connection (give --url)'}\n`,
    );
    await closed;
    await server.close().catch(() => undefined);
    await port.closeAll();
    return exitCodes.ok;
  },
};
