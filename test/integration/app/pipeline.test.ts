// The pipeline end to end: real PostgreSQL EXPLAIN through the safe path, the real SDK against the fake server.
import { Client as pgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask, type PipelineEvent, type PipelinePorts } from '../../../src/app/pipeline';
import { analyzePort } from '../../../src/app/analyze';
import { explainWithConsent } from '../../../src/app/consent';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { createLlmClient } from '../../../src/llm/client';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';

const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_pipe_${process.pid}_${Date.now().toString(36)}`;
let db: Database;
let pg: pgClient;
let fake: FakeAnthropic;

const analyze = analyzePort(1500);

function collect(): { events: PipelineEvent[]; sink: (e: PipelineEvent) => void } {
  const events: PipelineEvent[] = [];
  return { events, sink: (e) => events.push(e) };
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
  const { config, password } = parseConnectionUrl(pgUrl);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}) });
  pg = new pgClient({ connectionString: pgUrl });
  await pg.connect();
  await pg.query(`create schema ${schema}`);
  await pg.query(`create table ${schema}.orders as select g as id, (g % 1000) as customer_id, md5(g::text) as note from generate_series(1, 60000) g`);
  await pg.query(`analyze ${schema}.orders`);
});
afterAll(async () => {
  await pg?.query(`drop schema if exists ${schema} cascade`);
  await pg?.end();
  await db?.close();
  await fake?.close();
});

function ports(llm: PipelinePorts['llm']): PipelinePorts {
  return {
    explain: (sql, signal) => db.explain(sql, { analyze: false, consentToWrites: false, signal }),
    analyze,
    llm,
  };
}

describe('runTask', () => {
  it('explain: findings are emitted before any delta, the prompt carries the plan evidence, answer streams', async () => {
    fake.script({ kind: 'stream', text: 'A sequential scan reads every order [F1].', chunkSize: 7 });
    const { events, sink } = collect();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const p: PipelinePorts = { ...ports(llm), explain: (sql, signal) => db.explain(sql, { analyze: true, consentToWrites: false, signal }) };
    const sql = `select * from ${schema}.orders where customer_id = 42`;
    const outcome = await runTask({ task: 'explain', sql, dialect: 'postgres', personaBody: 'You are a DBA.' }, p, sink, new AbortController().signal);
    expect(outcome.end).toBe('done');
    const types = events.map((e) => e.type);
    expect(types.indexOf('findings')).toBeLessThan(types.indexOf('delta'));
    expect(types.at(-1)).toBe('done');
    const f = events.find((e) => e.type === 'findings');
    const found = f?.type === 'findings' ? f.findings : [];
    expect(found.map((x) => x.rule)).toContain('seq-scan-filter');
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe('A sequential scan reads every order [F1].');
    const user = (fake.requests.at(-1)!.body.messages as { content: string }[]).at(-1)!.content;
    expect(user).toMatch(/<plan_evidence>\n[\s\S]*Seq Scan[\s\S]*<\/plan_evidence>/);
    expect(user).toContain(`[F1] ${found[0]!.severity} ${found[0]!.rule}`);
    expect(user).toContain(`<sql dialect="postgres">\n${sql}\n</sql>`);
  });

  it('redacts literals in the SQL sent to the model when asked, while EXPLAIN sees the real statement', async () => {
    fake.script({ kind: 'stream', text: 'ok' });
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const sql = `select * from ${schema}.orders where note = 'secret-customer-note'`;
    const { sink } = collect();
    await runTask({ task: 'optimize', sql, dialect: 'postgres', personaBody: 'x', redactLiterals: true }, ports(llm), sink, new AbortController().signal);
    const user = (fake.requests.at(-1)!.body.messages as { content: string }[]).at(-1)!.content;
    expect(user).not.toContain('secret-customer-note');
    expect(user).toContain('Seq Scan');
    expect(user).toContain('<sql dialect="postgres">');
  });

  it('no key: findings still shown, then noKey as the terminal event, and no request is made', async () => {
    const before = fake.requests.length;
    const { events, sink } = collect();
    const outcome = await runTask({ task: 'optimize', sql: 'select 1', dialect: 'postgres', personaBody: 'x' }, ports(null), sink, new AbortController().signal);
    expect(outcome.end).toBe('noKey');
    expect(events.map((e) => e.type).filter((t) => t !== 'status')).toEqual(['findings', 'noKey']);
    expect(fake.requests.length).toBe(before);
  });

  it('a failing EXPLAIN becomes evidence for the model instead of stopping the run', async () => {
    fake.script({ kind: 'stream', text: 'The table does not exist.' });
    const { events, sink } = collect();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const outcome = await runTask(
      { task: 'optimize', sql: `select * from ${schema}.missing_table`, dialect: 'postgres', personaBody: 'x' },
      ports(llm),
      sink,
      new AbortController().signal,
    );
    expect(outcome.end).toBe('done');
    expect(events.some((e) => e.type === 'status' && /EXPLAIN failed/.test(e.text))).toBe(true);
    expect(JSON.stringify(fake.requests.at(-1)!.body.messages)).toMatch(/EXPLAIN failed: .*missing_table/);
  });

  it('refuses to send a data-modifying statement to EXPLAIN ANALYZE without consent, and says so', async () => {
    fake.script({ kind: 'stream', text: 'ok' });
    const { events, sink } = collect();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const p: PipelinePorts = { ...ports(llm), explain: (sql, signal) => db.explain(sql, { analyze: true, consentToWrites: false, signal }) };
    await runTask({ task: 'explain', sql: `delete from ${schema}.t`, dialect: 'postgres', personaBody: 'x' }, p, sink, new AbortController().signal);
    expect(events.some((e) => e.type === 'status' && /consent/i.test(e.text))).toBe(true);
  });

  it('cancel during the model stream: terminal error "cancelled" with the partial text, server connection closed', async () => {
    fake.script({ kind: 'stream', text: 'y'.repeat(500), chunkSize: 5, delayMs: 15 });
    const { events, sink } = collect();
    const controller = new AbortController();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const start = fake.requests.length;
    const outcome = await runTask(
      { task: 'chat', question: 'long answer please', dialect: 'postgres', personaBody: 'x' },
      ports(llm),
      (e) => {
        sink(e);
        if (e.type === 'delta' && events.filter((x) => x.type === 'delta').length === 3) controller.abort();
      },
      controller.signal,
    );
    expect(outcome.end).toBe('error');
    expect(outcome.errorKind).toBe('cancelled');
    const last = events.at(-1)!;
    expect(last.type === 'error' && last.partialText).toBe('y'.repeat(15));
    expect((await fake.waitForEnd(start)).closedEarly).toBe(true);
  });

  it('Stop during EXPLAIN ANALYZE cancels the statement on the server and never calls the model', async () => {
    const before = fake.requests.length;
    const { events, sink } = collect();
    const controller = new AbortController();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const p: PipelinePorts = { ...ports(llm), explain: async (sql, signal) => {
        const o = await explainWithConsent(db, sql, { analyze: true }, { withoutConsent: 'plain' }, { signal });
        return o.kind === 'declined' ? { declined: true } : o.result;
      },
    };
    const marker = `dataeng_stop_${Date.now()}`;
    const run = runTask({ task: 'explain', sql: `select pg_sleep(20), '${marker}'`, dialect: 'postgres', personaBody: 'x' }, p, sink, controller.signal);
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const r = await pg.query(`select count(*)::int as n from pg_stat_activity where query like $1 and pid <> pg_backend_pid()`, [`%${marker}%`]);
      if ((r.rows[0] as { n: number }).n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort();
    const outcome = await run;
    expect(outcome.errorKind).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'cancelled' });
    const still = await pg.query(`select count(*)::int as n from pg_stat_activity where query like $1 and state = 'active' and pid <> pg_backend_pid()`, [`%${marker}%`]);
    expect((still.rows[0] as { n: number }).n).toBe(0);
    expect(fake.requests.length).toBe(before);
  });

  it('an API error is the terminal event with its user-facing message', async () => {
    fake.script({ kind: 'error', status: 401 });
    const { events, sink } = collect();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const outcome = await runTask({ task: 'chat', question: 'hi', dialect: 'sqlite', personaBody: 'x' }, ports(llm), sink, new AbortController().signal);
    expect(outcome.errorKind).toBe('auth');
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.message).toMatch(/API key/);
  });

  it('input errors: explain without SQL, review-schema without a connection', async () => {
    const { events, sink } = collect();
    await runTask({ task: 'explain', sql: '  ', dialect: 'postgres', personaBody: 'x' }, ports(null), sink, new AbortController().signal);
    await runTask({ task: 'review-schema', dialect: 'postgres', personaBody: 'x' }, ports(null), sink, new AbortController().signal);
    expect(events.map((e) => (e.type === 'error' ? e.kind : e.type))).toEqual(['input', 'database']);
  });
});
