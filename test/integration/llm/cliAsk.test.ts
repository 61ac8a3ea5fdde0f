// `dataeng ask` spawned as a user runs it: real PostgreSQL plan, the real SDK against the fake Messages API.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';

const root = join(__dirname, '..', '..', '..');
const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_ask_${process.pid}_${Date.now().toString(36)}`;
const key = 'sk-ant-cli-test-key-7f3a9c';
let fake: FakeAnthropic;
let pg: Client;

function ask(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'dataeng.js'), 'ask', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before the CLI tests (npm test does)');
  fake = await startFakeAnthropic();
  pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  await pg.query(`create schema ${schema}`);
  await pg.query(`create table ${schema}.events as select g as id, (g % 500) as account_id, now() - g * interval '1 minute' as at from generate_series(1, 50000) g`);
  await pg.query(`analyze ${schema}.events`);
});
afterAll(async () => {
  await pg?.query(`drop schema if exists ${schema} cascade`);
  await pg?.end();
  await fake?.close();
});

describe('dataeng ask (spawned)', () => {
  it('prints the findings first, then streams the answer; the prompt carries plan evidence and schema facts', async () => {
    fake.script({ kind: 'stream', text: 'Add an index on account_id [F1].\n\n```sql\nCREATE INDEX CONCURRENTLY ON events (account_id);\n```', chunkSize: 9 });
    const sql = `select * from ${schema}.events where account_id = 7`;
    const r = await ask(['--task', 'optimize', '--url', pgUrl, '--analyze', sql], { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: fake.url });
    expect(r.stderr).not.toContain(key);
    expect(r.stdout).not.toContain(key);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Findings:\n {2}\[F1\] \S+ +seq-scan-filter/);
    expect(r.stdout.indexOf('Findings:')).toBeLessThan(r.stdout.indexOf('Add an index'));
    expect(r.stdout).toContain('CREATE INDEX CONCURRENTLY ON events (account_id);');
    const req = fake.requests.at(-1)!;
    expect(req.hasApiKey).toBe(true);
    const system = req.body.system as { text: string; cache_control?: unknown }[];
    expect(system.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(system[0]!.text.length).toBeGreaterThan(200);
    const user = (req.body.messages as { content: string }[]).at(-1)!.content;
    expect(user).toContain('<task>\noptimize:');
    expect(user).toMatch(/<plan_evidence>[\s\S]*EXPLAIN ANALYZE[\s\S]*<\/plan_evidence>/);
    expect(user).toMatch(/<schema_facts>[\s\S]*events[\s\S]*account_id[\s\S]*<\/schema_facts>/);
  });

  it('--redact-literals (and DATAENG_REDACT_LITERALS=1): no literal of the SQL or the question reaches the model', async () => {
    for (const [flag, env] of [[['--redact-literals'], {}], [[], { DATAENG_REDACT_LITERALS: '1' }]] as const) {
      fake.script({ kind: 'stream', text: 'ok', chunkSize: 2 });
      const sql = `select * from ${schema}.events where account_id = 918273 and kind = 'zq-secret-kind'`;
      const r = await ask(['--task', 'optimize', '--url', pgUrl, '--analyze', ...flag, '--question', "is 'zq-question-value' slow?", sql], {
        ANTHROPIC_API_KEY: key,
        ANTHROPIC_BASE_URL: fake.url,
        ...env,
      });
      expect(r.code).toBe(0);
      const body = JSON.stringify(fake.requests.at(-1)!.body);
      expect(body).toContain(`${schema}.events`);
      for (const secret of ['918273', 'zq-secret-kind', 'zq-question-value']) expect(body, secret).not.toContain(secret);
    }
  });

  it('without a key: prints the findings, says how to set one, exits 0, and makes no request', async () => {
    const before = fake.requests.length;
    const r = await ask(['--url', pgUrl, `select * from ${schema}.events where account_id = 3`], { ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Findings:');
    expect(r.stderr).toMatch(/Set ANTHROPIC_API_KEY/);
    expect(fake.requests.length).toBe(before);
  });

  it('chat without a database, statement picked from a file by offset, persona from --persona-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataeng-ask-'));
    writeFileSync(join(dir, 'terse.md'), '---\nname: terse-dba\ndescription: answers in one line\n---\nYou answer in exactly one line.\n');
    const file = join(dir, 'q.sql');
    writeFileSync(file, 'select 1;\nselect name from users where id = 42;\n');
    fake.script({ kind: 'stream', text: 'Use the primary key.' });
    const r = await ask(['--task', 'chat', '--persona-dir', dir, '--persona', 'terse-dba', '--question', 'Is this fine?', '--file', file, '--offset', '15'], {
      ANTHROPIC_API_KEY: key,
      ANTHROPIC_BASE_URL: fake.url,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().endsWith('Use the primary key.')).toBe(true);
    const body = fake.requests.at(-1)!.body;
    expect((body.system as { text: string }[])[0]!.text).toBe('You answer in exactly one line.');
    const user = (body.messages as { content: string }[]).at(-1)!.content;
    expect(user).toContain('<sql dialect="postgres">\nselect name from users where id = 42\n</sql>');
    expect(user).toContain('<question>\nIs this fine?\n</question>');
  });

  it('model errors: clear message on stderr, exit 1, key never printed', async () => {
    fake.script({ kind: 'error', status: 429, retryAfter: 12 });
    const r = await ask(['--question', 'hello'], { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Try again in 12 s');
    expect(r.stderr + r.stdout).not.toContain(key);
  });

  it('usage errors exit 2: unknown persona, missing SQL for explain, bad task', async () => {
    const a = await ask(['--persona', 'nobody', '--question', 'x']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/no persona named "nobody"; available: .*the-data-engineer/);
    expect((await ask(['--task', 'explain'])).code).toBe(2);
    expect((await ask(['--task', 'drop', 'select 1'])).stderr).toMatch(/--task must be explain, optimize or chat/);
  });

  it('an unreachable database exits 4 without asking the model', async () => {
    const before = fake.requests.length;
    const r = await ask(['--url', 'postgres://postgres@127.0.0.1:1/none', 'select 1'], { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: fake.url });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Could not connect/);
    expect(fake.requests.length).toBe(before);
  });
});
