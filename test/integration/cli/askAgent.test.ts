// `dataeng ask` with the agent's tools, spawned as a user runs it: the real registry on the real PostgreSQL server and
// the directory it runs in, the real SDK against the fake Messages API scripted with tool calls.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../support/fakeAnthropic';

const root = join(__dirname, '..', '..', '..');
const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_agent_cli_${process.pid}_${Date.now().toString(36)}`;
const key = 'sk-ant-cli-agent-key-5b1d';
const queryFile = `select id, total from ${schema}.orders\nwhere customer_id = 42\nlimit 500;\n`;
let fake: FakeAnthropic;
let pg: Client;
let work: string;

function ask(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'dataeng.js'), 'ask', ...args], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: fake.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function toolResults(req: RecordedRequest): { tool_use_id: string; content: string; is_error?: boolean }[] {
  const last = req.body.messages?.at(-1)?.content;
  return Array.isArray(last) ? (last as { type: string; tool_use_id: string; content: string; is_error?: boolean }[]).filter((b) => b.type === 'tool_result') : [];
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before the CLI tests (npm test does)');
  fake = await startFakeAnthropic();
  pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  await pg.query(`create schema ${schema}`);
  await pg.query(`create table ${schema}.orders (id int primary key, customer_id int not null, total numeric not null)`);
  await pg.query(`insert into ${schema}.orders select g, 1 + g % 2000, g % 100 from generate_series(1, 20000) g`);
  await pg.query(`analyze ${schema}.orders`);
  work = mkdtempSync(join(tmpdir(), 'dataeng-ask-agent-'));
  mkdirSync(join(work, 'models'));
  writeFileSync(join(work, 'models', 'orders.sql'), queryFile);
});
afterAll(async () => {
  await pg?.query(`drop schema if exists ${schema} cascade`);
  await pg?.end();
  await fake?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('dataeng ask with tools', () => {
  it('tools by default: each step one line on stderr, the answer alone on stdout, real results sent back', async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_d', name: 'describe_table', input: { table: `${schema}.orders` } }, { id: 'toolu_r', name: 'read_file', input: { path: 'models/orders.sql' } }] },
      { kind: 'stream', text: 'Index customer_id (describe_table orders).' },
    );
    const r = await ask(['--url', pgUrl, '--question', 'Why is models/orders.sql slow?']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Findings: none.\n\nIndex customer_id (describe_table orders).');
    const steps = r.stderr.split('\n').filter((l) => l.startsWith('→ ') || l.startsWith('✗ '));
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatch(/^→ .*orders/);
    expect(steps[1]).toMatch(/^→ .*models\/orders\.sql/);
    const [first, second] = fake.requests;
    expect((first!.body.tools ?? []).map((t) => t.name)).toEqual(['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results', 'read_file', 'list_files', 'grep']);
    const results = toolResults(second!);
    expect(results.map((b) => [b.tool_use_id, b.is_error ?? false])).toEqual([['toolu_d', false], ['toolu_r', false]]);
    expect(results[0]!.content).toContain('customer_id');
    expect(results[1]!.content).toContain('where customer_id = 42');
    expect(r.stderr + r.stdout).not.toContain(key);
  });

  it('a write under explain_query analyze without --yes: the model is told consent was refused, and nothing changed', async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_w', name: 'explain_query', input: { sql: `update ${schema}.orders set total = 0 where id = 1`, analyze: true } }] },
      { kind: 'stream', text: 'I could not measure the update.' },
    );
    const r = await ask(['--url', pgUrl, '--question', 'How fast is the update?']);
    expect(r.code).toBe(0);
    const [result] = toolResults(fake.requests[1]!);
    expect(result!.is_error).toBe(true);
    expect(result!.content).toMatch(/consent/i);
    expect(r.stderr).toMatch(/^✗ /m);
    const { rows } = await pg.query<{ total: string }>(`select total::text from ${schema}.orders where id = 1`);
    expect(rows[0]!.total).toBe('1');
  });

  it('propose_edit prints the diff after the answer and never writes', async () => {
    fake.reset();
    const personaDir = join(work, 'personas');
    mkdirSync(personaDir, { recursive: true });
    writeFileSync(join(personaDir, 'editor.md'), '---\nname: editor\ndescription: proposes edits\ntools: Read, Edit\n---\nYou fix queries.\n');
    fake.script(
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_e', name: 'propose_edit', input: { path: 'models/orders.sql', old_text: 'limit 500;', new_text: 'order by id\nlimit 50;' } }] },
      { kind: 'stream', text: 'Proposed a smaller page.' },
    );
    const r = await ask(['--persona-dir', personaDir, '--persona', 'editor', '--question', 'Tidy the paging']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Proposed a smaller page.\n\nProposed edit (not applied):\n--- models/orders.sql\n+++ models/orders.sql (proposed)\n-limit 500;\n+order by id\n+limit 50;\n');
    expect(r.stderr).toMatch(/^→ .*models\/orders\.sql/m);
    expect(readFileSync(join(work, 'models', 'orders.sql'), 'utf8')).toBe(queryFile);
  });

  it('--no-tools sends no tools; --max-steps 1 asks for the answer without tools after one round', async () => {
    fake.reset();
    fake.script({ kind: 'stream', text: 'Plain answer.' });
    const plain = await ask(['--no-tools', '--question', 'BRIN or B-tree?']);
    expect(plain.code).toBe(0);
    expect(fake.requests[0]!.body.tools).toBeUndefined();

    fake.reset();
    fake.script(
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_1', name: 'list_files', input: { glob: '**/*.sql' } }] },
      { kind: 'stream', text: 'One file.' },
    );
    const capped = await ask(['--max-steps', '1', '--question', 'Which SQL files are here?']);
    expect(capped.code).toBe(0);
    expect(fake.requests.map((q) => q.body.tool_choice)).toEqual([{ type: 'auto' }, { type: 'none' }]);
    expect(toolResults(fake.requests[1]!)[0]!.content).toContain('models/orders.sql');

    const both = await ask(['--no-tools', '--max-steps', '2', '--question', 'x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--no-tools and --max-steps do not go together');
  });
});
