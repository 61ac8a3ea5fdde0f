// `dataeng mcp` through the MCP SDK's own client over stdio, spawning the built CLI (node bin/dataeng.js mcp …) against
// the real PostgreSQL server (HypoPG database), the demo database and a SQLite file: initialize, tools/list, a call of
// every tool, hostile calls, parallel calls, a server restart between calls (a private cluster), and a check that no
// data changed. Needs `npm run build` first, like the other CLI tests.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableChecksum, uniqueName } from '../db/pgSupport';
import { ensureHypopgDatabase } from '../db/proofSupport';
import { startPrivatePostgres, type PrivatePostgres } from '../db/privatePostgres';
import { openWritableSqlite } from '../../support/writableSqlite';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'bin', 'dataeng.js');
const schema = uniqueName('dataeng_mcp');
const tmp = mkdtempSync(join(tmpdir(), 'dataeng-mcp-'));
const cache = join(tmp, 'cache');
const sqliteFile = join(tmp, 'shop.db');
let url: string;
let admin: pg.Client;
let client: Client;
let stderr = '';
const checksums: Record<string, string> = {};
let catalogBefore: string;
let sqliteBytes: Buffer;

type CallResult = { content: { type: string; text: string }[]; isError?: boolean };

function text(r: unknown): string {
  return (r as CallResult).content.map((c) => c.text).join('\n');
}

async function call(c: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const r = (await c.callTool({ name, arguments: args })) as CallResult;
  return { text: text(r), isError: r.isError === true };
}

/** Spawns `node bin/dataeng.js ARGS` as an MCP server and connects the SDK's client to it. */
async function connect(args: string[], env: Record<string, string> = {}, command = process.execPath, commandArgs = [bin]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command,
    args: [...commandArgs, ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, XDG_CACHE_HOME: cache, ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const c = new Client({ name: 'dataeng-test', version: '1.0.0' });
  await c.connect(transport);
  return { client: c, stderr: () => err };
}

async function catalogSnapshot(): Promise<string> {
  const r = await admin.query(`SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1`, [schema]);
  return JSON.stringify(r.rows);
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before the CLI tests');
  mkdirSync(cache, { recursive: true });
  url = await ensureHypopgDatabase();
  admin = new pg.Client({ connectionString: url, application_name: 'dataeng-test-admin' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.victims (id int PRIMARY KEY, name text NOT NULL)`);
  await admin.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, total numeric NOT NULL)`);
  await admin.query(`INSERT INTO ${schema}.victims SELECT g, 'v' || g FROM generate_series(1, 100) g`);
  await admin.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 3000, g % 700 FROM generate_series(1, 40000) g`);
  await admin.query(`ANALYZE ${schema}.victims, ${schema}.orders`);
  for (const t of ['victims', 'orders']) checksums[t] = await tableChecksum(admin, `${schema}.${t}`);
  catalogBefore = await catalogSnapshot();

  const lite = openWritableSqlite(sqliteFile);
  lite.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, price REAL)');
  lite.exec("INSERT INTO items VALUES (1, 'a', 1.5), (2, 'b', 2.5)");
  lite.close();
  sqliteBytes = readFileSync(sqliteFile);

  // The password-looking part proves no secret leaks: the server is trust-authenticated and ignores it.
  const pgUrl = url.replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
  const started = await connect(['mcp', '--url', `main=${pgUrl}`, '--url', `sqlite://${sqliteFile}`, '--url', 'demo']);
  client = started.client;
  Object.defineProperty(globalThis, '__mcpStderr', { value: started.stderr, configurable: true });
  stderr = started.stderr();
}, 60_000);

afterAll(async () => {
  if (admin) {
    for (const t of ['victims', 'orders']) expect(await tableChecksum(admin, `${schema}.${t}`)).toBe(checksums[t]);
    expect(await catalogSnapshot()).toBe(catalogBefore);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  expect(readFileSync(sqliteFile).equals(sqliteBytes)).toBe(true);
  rmSync(tmp, { recursive: true, force: true });
});

describe('dataeng mcp over stdio', () => {
  // Closing ends the server, which releases the demo database for the README's server below.
  afterAll(async () => {
    await client?.close();
  });

  it('initializes and lists the seven tools with their schemas; database tools take an optional connection', async () => {
    expect(client.getServerVersion()?.name).toBe('dataeng');
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results', 'analyze_plan', 'list_connections']);
    const explain = tools[0]!;
    expect(explain.inputSchema).toMatchObject({ type: 'object', required: ['sql'], additionalProperties: false });
    expect(Object.keys(explain.inputSchema.properties ?? {})).toEqual(['sql', 'analyze', 'connection']);
    expect(String((explain.inputSchema.properties as Record<string, { description?: string }>).connection?.description)).toContain('"main", "shop", "demo"');
    expect(Object.keys(tools.find((t) => t.name === 'analyze_plan')!.inputSchema.properties ?? {})).toEqual(['plan']);
    for (const t of tools) expect(t.description?.length).toBeGreaterThan(80);
    const size = JSON.stringify(tools).length;
    console.log(`[figure] tools/list: ${size} characters, about ${Math.round(size / 4)} tokens`);
  });

  it('calls every tool on PostgreSQL', async () => {
    const list = await call(client, 'list_connections', {});
    expect(list.isError).toBe(false);
    expect(list.text).toContain('main (postgres): 127.0.0.1:5432/dataeng_hypopg [default]');
    expect(list.text).toMatch(/shop \(sqlite\): .*shop\.db/);
    expect(list.text).not.toContain('s3cret-pw');

    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await call(client, 'explain_query', { sql: `SELECT * FROM ${schema}.orders WHERE total = 7` });
      times.push(performance.now() - t0);
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toMatch(/^EXPLAIN on main \(postgres\): \d+ findings?/);
    }
    times.sort((a, b) => a - b);
    console.log(`[figure] tools/call explain_query on PostgreSQL: median ${times[2]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms (5 calls)`);

    const analyzed = await call(client, 'explain_query', { sql: `SELECT * FROM ${schema}.orders WHERE total = 7`, analyze: true, connection: 'main' });
    expect(analyzed.text).toMatch(/^EXPLAIN ANALYZE on main .*executed and rolled back/);
    expect(analyzed.text).toContain('seq-scan-filter');

    const describeR = await call(client, 'describe_table', { table: `${schema}.orders` });
    expect(describeR.isError, describeR.text).toBe(false);
    expect(describeR.text).toMatch(/about 40,000 rows/);
    const review = await call(client, 'review_schema', { schema });
    expect(review.isError, review.text).toBe(false);
    expect(review.text).toMatch(/2 tables/);
    const whatIf = await call(client, 'what_if_index', { sql: `SELECT * FROM ${schema}.orders WHERE customer_id = 5`, indexes: [`CREATE INDEX ON ${schema}.orders (customer_id)`] });
    expect(whatIf.isError, whatIf.text).toBe(false);
    expect(whatIf.text).toMatch(/HypoPG/);
    const compare = await call(client, 'compare_results', { original: `SELECT id FROM ${schema}.orders WHERE total < 5`, rewrite: `SELECT id FROM ${schema}.orders WHERE total <= 4` });
    expect(compare.isError, compare.text).toBe(false);
    expect(compare.text).toMatch(/^verdict: equal/);
    const plan = await call(client, 'analyze_plan', {
      plan: '<explain xmlns="http://www.postgresql.org/2009/explain"><Query><Plan><Node-Type>Seq Scan</Node-Type><Relation-Name>t</Relation-Name><Startup-Cost>0.00</Startup-Cost><Total-Cost>35.50</Total-Cost><Plan-Rows>2550</Plan-Rows><Plan-Width>4</Plan-Width></Plan></Query></explain>',
    });
    expect(plan.isError, plan.text).toBe(false);
    expect(plan.text).toMatch(/^Plan \(postgres\) read/);
  });

  it('calls the database tools on the SQLite file and on the demo database', async () => {
    const lite = await call(client, 'explain_query', { sql: 'SELECT * FROM items WHERE sku = ?', connection: 'shop' });
    expect(lite.isError, lite.text).toBe(false);
    expect(lite.text).toContain('(sqlite)');
    expect((await call(client, 'describe_table', { table: 'items', connection: 'shop' })).text).toContain('"main"."items" (sqlite)');
    expect((await call(client, 'review_schema', { connection: 'shop' })).isError).toBe(false);
    const byUrl = await call(client, 'describe_table', { table: 'items', connection: `sqlite://${sqliteFile}` });
    expect(byUrl.isError, byUrl.text).toBe(false);
    const demo = await call(client, 'explain_query', { sql: 'SELECT count(*) FROM orders', analyze: true, connection: 'demo' });
    expect(demo.isError, demo.text).toBe(false);
    expect(demo.text).toMatch(/^EXPLAIN ANALYZE on demo/);
    expect((await call(client, 'describe_table', { table: 'orders', connection: 'demo' })).isError).toBe(false);
    expect((await call(client, 'compare_results', { original: 'SELECT id FROM orders', rewrite: 'SELECT id FROM orders ORDER BY id', connection: 'demo' })).text).toMatch(/^verdict: equal/);
  }, 120_000);

  it('refuses hostile calls', async () => {
    const hostile: [string, Record<string, unknown>, RegExp][] = [
      ['explain_query', { sql: `SELECT 1; COMMIT; DROP TABLE ${schema}.victims` }, /^Refused: /],
      ['explain_query', { sql: `END; DELETE FROM ${schema}.victims` }, /^Refused: /],
      ['explain_query', { sql: `COMMIT` }, /^Refused: /],
      ['explain_query', { sql: `DELETE FROM ${schema}.victims`, analyze: true }, /^Consent was refused: .*DELETE/],
      ['explain_query', { sql: `UPDATE ${schema}.victims SET name = 'x'`, analyze: true }, /^Consent was refused/],
      ['explain_query', { sql: "SELECT pg_read_file('/etc/passwd')", analyze: true }, /^Consent was refused: .*(server file|pg_read_file)/],
      ['explain_query', { sql: 'SELECT pg_terminate_backend(1)', analyze: true }, /^Consent was refused/],
      ['explain_query', { sql: `SELECT * FROM ${schema}.victims`, connection: 'nope' }, /^Unknown connection "nope"\. Use one of: main, shop, demo/],
      ['explain_query', { sql: 42 }, /^Invalid input for explain_query: sql must be a string/],
      ['explain_query', { query: 'select 1' }, /^Invalid input for explain_query: sql is required; query is not a known property/],
      ['describe_table', { table: 'x', connection: 7 }, /connection must be a string/],
      ['what_if_index', { sql: 'SELECT 1', indexes: [`DROP TABLE ${schema}.victims`] }, /Refused/],
      ['compare_results', { original: `DELETE FROM ${schema}.victims`, rewrite: 'SELECT 1' }, /Refused|refus/i],
      ['drop_everything', {}, /^Unknown tool "drop_everything"/],
    ];
    for (const [name, args, expected] of hostile) {
      const r = await call(client, name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}: ${r.text}`).toBe(true);
      expect(r.text).toMatch(expected);
      expect(r.text).not.toContain('s3cret-pw');
    }
  });

  it('answers 10 parallel calls', async () => {
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? call(client, 'explain_query', { sql: `SELECT * FROM ${schema}.orders WHERE customer_id = ${i}`, analyze: true })
          : call(client, 'describe_table', { table: `${schema}.victims`, connection: i % 3 === 0 ? 'main' : undefined }),
      ),
    );
    console.log(`[figure] 10 parallel tools/call on PostgreSQL: ${(performance.now() - t0).toFixed(0)} ms`);
    for (const r of results) expect(r.isError, r.text).toBe(false);
  });

  it('writes only the protocol to stdout and logs one line per call to stderr, without SQL or secrets', () => {
    const err = (globalThis as unknown as { __mcpStderr: () => string }).__mcpStderr();
    expect(stderr + err).toContain('dataeng mcp: serving 7 tools on main (postgres 127.0.0.1:5432/dataeng_hypopg)');
    expect(err).toMatch(/dataeng mcp: explain_query: ok in \d+ ms/);
    expect(err).not.toContain('s3cret-pw');
    expect(err).not.toContain('DROP TABLE');
  });
});

describe('dataeng mcp as VS Code starts it, across a PostgreSQL restart', () => {
  const password = 'scram-Pw-42';
  let cluster: PrivatePostgres;
  let c: Client;
  let err: () => string;

  beforeAll(async () => {
    cluster = await startPrivatePostgres({ auth: 'scram-sha-256', password });
    // As src/vscode/tools/mcpProvider.ts launches it: dist/cli.js on the host's runtime, NAME=URL without a password,
    // the password only in DATAENG_PASSWORD_<NAME>.
    ({ client: c, stderr: err } = await connect(['mcp', '--url', `my-db=${cluster.url}`], { DATAENG_PASSWORD_MY_DB: password }, process.execPath, [join(root, 'dist', 'cli.js')]));
  }, 60_000);

  afterAll(async () => {
    await c?.close();
    await cluster?.remove();
  });

  it('authenticates with the password from the environment; the call after a restart works', async () => {
    const first = await call(c, 'explain_query', { sql: 'SELECT 1', analyze: true, connection: 'my-db' });
    expect(first.isError, first.text).toBe(false);
    await cluster.restart('fast');
    const after = await call(c, 'explain_query', { sql: 'SELECT count(*) FROM pg_class', analyze: true });
    expect(after.isError, after.text).toBe(false);
    expect(after.text).toMatch(/^EXPLAIN ANALYZE on my-db/);
    expect(err()).not.toContain(password);
  }, 60_000);

  it('without the password, the error says so and never shows one', async () => {
    const { client: bare, stderr } = await connect(['mcp', '--url', cluster.url.replace('postgres@', `postgres:wrong-${password}@`)], {}, process.execPath, [join(root, 'dist', 'cli.js')]);
    try {
      const r = await call(bare, 'describe_table', { table: 'pg_class' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Connection failed: .*password/i);
      expect(r.text).not.toContain(`wrong-${password}`);
      expect(stderr()).not.toContain(`wrong-${password}`);
    } finally {
      await bare.close();
    }
  }, 60_000);
});

describe('dataeng mcp as the README configures it', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  /** A `dataeng` on PATH, as `npm link` (the README's install step) makes it. */
  function linkedPath(): string {
    const dir = join(tmp, 'path-bin');
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, 'dataeng'))) symlinkSync(bin, join(dir, 'dataeng'));
    return `${dir}:${process.env.PATH ?? ''}`;
  }

  it('starts from the `claude mcp add` line exactly as written', async () => {
    const line = /^claude mcp add (\S+) -- (.+)$/m.exec(readme);
    expect(line, 'README has a `claude mcp add NAME -- COMMAND …` line').not.toBeNull();
    const [command, ...args] = line![2]!.split(' ');
    const { client: c } = await connect(args, { PATH: linkedPath() }, command, []);
    try {
      const list = await call(c, 'list_connections', {});
      expect(list.isError, list.text).toBe(false);
      const r = await call(c, 'explain_query', { sql: 'SELECT count(*) FROM orders' });
      expect(r.isError, r.text).toBe(false);
    } finally {
      await c.close();
    }
  }, 120_000);

  it('starts from the .mcp.json example, with its URL pointed at the test server', async () => {
    const block = /```json\n(\{\n {2}"mcpServers"[\s\S]*?)\n```/.exec(readme);
    expect(block, 'README has a .mcp.json example').not.toBeNull();
    const config = JSON.parse(block![1]!) as { mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> };
    const server = config.mcpServers.dataeng!;
    // The one substitution: the example's database is the reader's; this test's is the test server.
    const args = server.args.map((a) => (a.startsWith('postgres://') ? url : a));
    const env = Object.fromEntries(Object.entries(server.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{(\w+)\}/g, (_, name: string) => process.env[name] ?? '')]));
    const { client: c } = await connect(args, { ...env, PATH: linkedPath() }, server.command, []);
    try {
      const r = await call(c, 'describe_table', { table: `${schema}.orders` });
      expect(r.isError, r.text).toBe(false);
    } finally {
      await c.close();
    }
  }, 60_000);
});
