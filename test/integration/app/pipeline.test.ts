// The pipeline end to end: real PostgreSQL EXPLAIN through the safe path, the real SDK against the fake server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask, type PipelineEvent, type PipelinePorts } from '../../../src/app/pipeline';
import type { Finding } from '../../../src/core/findings';
import { parsePlan } from '../../../src/core/plan/parse';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { defaultSessionLimits, type Database, type ExplainResult } from '../../../src/db/types';
import { createLlmClient } from '../../../src/llm/client';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';

const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// A schema name that never exists: these tests create no objects.
const schema = `dataeng_pipe_${process.pid}_${Date.now().toString(36)}`;
let db: Database;
let fake: FakeAnthropic;

// A port implementation with the real plan parser; its finding is derived from the parsed plan, not hard-coded.
function analyze(result: ExplainResult): { findings: Finding[]; evidence: string } {
  const plan = parsePlan(result.plan, { dialect: result.dialect });
  const root = plan.root;
  return {
    findings: [{ rule: 'root-node', severity: 'info', score: 1, message: `Root node is ${root.nodeType}`, node: '#1', evidence: {} }],
    evidence: `root: ${root.nodeType}, nodes: ${plan.nodeCount}`,
  };
}

function collect(): { events: PipelineEvent[]; sink: (e: PipelineEvent) => void } {
  const events: PipelineEvent[] = [];
  return { events, sink: (e) => events.push(e) };
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
  const { config, password } = parseConnectionUrl(pgUrl);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}) });
});
afterAll(async () => {
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
    fake.script({ kind: 'stream', text: 'The plan is a single Result node [F1].', chunkSize: 7 });
    const { events, sink } = collect();
    const llm = createLlmClient({ apiKey: 'sk-test-pipeline-key', baseUrl: fake.url });
    const outcome = await runTask({ task: 'explain', sql: 'select 1 as one', dialect: 'postgres', personaBody: 'You are a DBA.' }, ports(llm), sink, new AbortController().signal);
    expect(outcome.end).toBe('done');
    const types = events.map((e) => e.type);
    expect(types.indexOf('findings')).toBeLessThan(types.indexOf('delta'));
    expect(types.at(-1)).toBe('done');
    const f = events.find((e) => e.type === 'findings');
    expect(f?.type === 'findings' && f.findings[0]!.message).toBe('Root node is Result');
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe('The plan is a single Result node [F1].');
    const user = JSON.stringify(fake.requests.at(-1)!.body.messages);
    expect(user).toContain('root: Result, nodes: 1');
    expect(user).toContain('[F1] info root-node at #1');
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
