// The agent loop through the one pipeline: the real SDK against the fake Messages API scripted with tool calls, and the
// exact request bodies it sends. The registry is a small one written here (a fake of the ToolRegistry port); the
// cancel test runs a real EXPLAIN ANALYZE on PostgreSQL so the signal is seen to reach the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepCapNote } from '../../../src/app/agentLoop';
import { runTask, type PipelineEvent, type PipelinePorts, type TaskRequest } from '../../../src/app/pipeline';
import { parsePersona } from '../../../src/core/persona/parse';
import { agentInstructions, productPreamble } from '../../../src/core/prompt/preamble';
import { offeredTools } from '../../../src/core/tools/offered';
import type { ToolCallContext, ToolDefinition, ToolName, ToolOutcome, ToolRegistry } from '../../../src/core/tools/types';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { createLlmClient } from '../../../src/llm/client';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';

const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
let fake: FakeAnthropic;
let db: Database;

beforeAll(async () => {
  // A low cache minimum so the test's small tool definitions and system prompt are cacheable.
  fake = await startFakeAnthropic({ cacheMinTokens: 200 });
  const { config, password } = parseConnectionUrl(pgUrl);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}) });
});
afterAll(async () => {
  await db?.close();
  await fake?.close();
});

const schemaOf = (props: Record<string, unknown>, required: string[]): ToolDefinition['inputSchema'] => ({ type: 'object', properties: props, required, additionalProperties: false });

const allDefinitions: ToolDefinition[] = [
  { name: 'explain_query', description: 'EXPLAIN a statement through the safe path; returns findings and the plan summary.', inputSchema: schemaOf({ sql: { type: 'string' }, analyze: { type: 'boolean' } }, ['sql']) },
  { name: 'describe_table', description: 'Columns, indexes, constraints, size and statistics of one table.', inputSchema: schemaOf({ table: { type: 'string' } }, ['table']) },
  { name: 'read_file', description: 'Reads a workspace text file.', inputSchema: schemaOf({ path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'integer' } }, ['path']) },
  { name: 'propose_edit', description: 'Proposes an edit the user reviews; never writes.', inputSchema: schemaOf({ path: { type: 'string' }, old_text: { type: 'string' }, new_text: { type: 'string' } }, ['path', 'old_text', 'new_text']) },
  { name: 'todo_write', description: 'Shows a checklist.', inputSchema: schemaOf({ items: { type: 'array' } }, ['items']) },
];

interface Call {
  name: string;
  input: unknown;
  context: ToolCallContext;
}

/** A registry over the definitions above, narrowed to `offered`, answering from `answer`; it records every call. */
function registry(answer: (name: string, input: unknown, context: ToolCallContext) => Promise<ToolOutcome> | ToolOutcome, offered?: readonly ToolName[]): ToolRegistry & { calls: Call[] } {
  const calls: Call[] = [];
  const defs = allDefinitions.filter((d) => !offered || offered.includes(d.name));
  return {
    calls,
    definitions: () => defs,
    async run(name, input, context) {
      calls.push({ name, input, context });
      if (!defs.some((d) => d.name === name)) return { isError: true, text: `Unknown tool ${name}`, summary: name };
      return answer(name, input, context);
    },
  };
}

const ok = (text: string, summary: string): ToolOutcome => ({ isError: false, text, summary });

function run(request: Partial<TaskRequest>, tools: ToolRegistry, signal = new AbortController().signal) {
  const events: PipelineEvent[] = [];
  const ports: PipelinePorts = { analyze: () => ({ findings: [], evidence: '' }), llm: createLlmClient({ apiKey: 'sk-test-agent-loop', baseUrl: fake.url }), tools };
  const done = runTask({ task: 'chat', dialect: 'postgres', question: 'Why is my orders query slow?', personaBody: 'You are a DBA.', ...request }, ports, (e) => events.push(e), signal);
  return { events, done };
}

const toolsInBody = (defs: readonly ToolDefinition[]) =>
  defs.map((d, i) => ({ name: d.name, description: d.description, input_schema: d.inputSchema, ...(i === defs.length - 1 ? { cache_control: { type: 'ephemeral' } } : {}) }));

describe('the agent loop', () => {
  it('several steps in a row: every tool_use answered by its tool_result in the very next user message; exact bodies', async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: 'Let me look at the table.', toolCalls: [{ id: 'toolu_1', name: 'describe_table', input: { table: 'orders' } }] },
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_2', name: 'explain_query', input: { sql: 'select * from orders where customer_id = 7', analyze: true } }] },
      { kind: 'stream', text: 'Add an index on customer_id (describe_table orders, [F1]).' },
    );
    const tools = registry((name) => (name === 'describe_table' ? ok('orders: 60000 rows, no index on customer_id', 'Described orders') : ok('[F1] Seq Scan on orders', 'EXPLAIN ANALYZE on orders: 1 finding')));
    const { events, done } = run({}, tools);
    const outcome = await done;
    expect(outcome.end).toBe('done');
    expect(outcome.text).toBe('Let me look at the table.\n\nAdd an index on customer_id (describe_table orders, [F1]).');
    expect(outcome.steps?.map((s) => s.summary)).toEqual(['Described orders', 'EXPLAIN ANALYZE on orders: 1 finding']);
    expect(tools.calls.map((c) => [c.name, c.input])).toEqual([['describe_table', { table: 'orders' }], ['explain_query', { sql: 'select * from orders where customer_id = 7', analyze: true }]]);
    expect(tools.calls[0]!.context.redact).toBe(false);
    expect(fake.requests).toHaveLength(3);
    const [first, second, third] = fake.requests.map((r) => r.body);
    expect(first!.tools).toEqual(toolsInBody(allDefinitions));
    expect(first!.tool_choice).toEqual({ type: 'auto' });
    expect(first!.system).toEqual([
      { type: 'text', text: 'You are a DBA.' },
      { type: 'text', text: agentInstructions },
      { type: 'text', text: productPreamble, cache_control: { type: 'ephemeral' } },
    ]);
    const question = first!.messages![0]!;
    expect(first!.messages).toEqual([question]);
    expect(second!.messages).toEqual([
      question,
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look at the table.' }, { type: 'tool_use', id: 'toolu_1', name: 'describe_table', input: { table: 'orders' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'orders: 60000 rows, no index on customer_id' }] },
    ]);
    expect(third!.messages).toEqual([
      ...second!.messages!,
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'explain_query', input: { sql: 'select * from orders where customer_id = 7', analyze: true } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: '[F1] Seq Scan on orders' }] },
    ]);
    // The faces see each step start and end, in order, with its input as JSON text.
    expect(events.filter((e) => e.type === 'toolStart' || e.type === 'toolStep').map((e) => `${e.type}:${'summary' in e ? e.summary : e.input}`)).toEqual([
      'toolStart:{"table":"orders"}',
      'toolStep:Described orders',
      'toolStart:{"sql":"select * from orders where customer_id = 7","analyze":true}',
      'toolStep:EXPLAIN ANALYZE on orders: 1 finding',
    ]);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('parallel calls are answered together, in the order they were made, in one user message', async () => {
    fake.reset();
    fake.script(
      {
        kind: 'stream',
        text: '',
        toolCalls: [
          { id: 'toolu_a', name: 'describe_table', input: { table: 'orders' }, chunkSize: 3 },
          { id: 'toolu_b', name: 'read_file', input: { path: 'models/orders.sql' }, chunkSize: 5 },
        ],
      },
      { kind: 'stream', text: 'Done.' },
    );
    const tools = registry((name, input) => ok(`${name} ${JSON.stringify(input)}`, name));
    const outcome = await run({}, tools).done;
    expect(outcome.text).toBe('Done.');
    expect(fake.requests[1]!.body.messages!.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_a', name: 'describe_table', input: { table: 'orders' } },
          { type: 'tool_use', id: 'toolu_b', name: 'read_file', input: { path: 'models/orders.sql' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: 'describe_table {"table":"orders"}' },
          { type: 'tool_result', tool_use_id: 'toolu_b', content: 'read_file {"path":"models/orders.sql"}' },
        ],
      },
    ]);
  });

  it('a failing tool, invalid JSON input and an unknown tool each come back as is_error with a message to act on', async () => {
    fake.reset();
    fake.script(
      {
        kind: 'stream',
        text: '',
        toolCalls: [
          { id: 'toolu_e', name: 'describe_table', input: { table: 'nope' } },
          { id: 'toolu_j', name: 'explain_query', rawInput: '{"sql": "select 1' },
          { id: 'toolu_u', name: 'run_shell', input: { command: 'rm -rf /' } },
        ],
      },
      { kind: 'stream', text: 'The table does not exist.' },
    );
    const tools = registry(() => ({ isError: true, text: 'relation "nope" does not exist; list tables with review_schema', summary: 'describe_table nope: not found' }));
    const { events, done } = run({}, tools);
    const outcome = await done;
    expect(outcome.end).toBe('done');
    // Only the well-formed call to an offered tool reached the registry.
    expect(tools.calls.map((c) => c.name)).toEqual(['describe_table']);
    const [assistant, results] = fake.requests[1]!.body.messages!.slice(1);
    // The call whose JSON did not parse is echoed with an empty input, as the API requires an object.
    expect(assistant!.content).toEqual([
      { type: 'tool_use', id: 'toolu_e', name: 'describe_table', input: { table: 'nope' } },
      { type: 'tool_use', id: 'toolu_j', name: 'explain_query', input: {} },
      { type: 'tool_use', id: 'toolu_u', name: 'run_shell', input: { command: 'rm -rf /' } },
    ]);
    const content = results!.content as { tool_use_id: string; content: string; is_error?: boolean }[];
    expect(content.map((c) => [c.tool_use_id, c.is_error])).toEqual([['toolu_e', true], ['toolu_j', true], ['toolu_u', true]]);
    expect(content[0]!.content).toBe('relation "nope" does not exist; list tables with review_schema');
    expect(content[1]!.content).toMatch(/^Invalid input for explain_query: the input is not valid JSON \(.+\)\. Send the input as one JSON object matching the tool's input schema\.$/);
    expect(content[2]!.content).toBe('Unknown tool "run_shell". The tools offered are: explain_query, describe_table, read_file, propose_edit, todo_write.');
    expect(events.filter((e) => e.type === 'toolStep').map((e) => 'isError' in e && e.isError)).toEqual([true, true, true]);
  });

  it('the step cap: after maxSteps rounds the model is asked to answer without tools', async () => {
    fake.reset();
    const again = (n: number) => ({ kind: 'stream' as const, text: '', toolCalls: [{ id: `toolu_${n}`, name: 'describe_table', input: { table: `t${n}` } }] });
    fake.script(again(1), again(2), { kind: 'stream', text: 'Answer from what I have.' });
    const tools = registry((_, input) => ok(JSON.stringify(input), 'Described'));
    const outcome = await run({ maxSteps: 2 }, tools).done;
    expect(outcome.end).toBe('done');
    expect(outcome.text).toBe('Answer from what I have.');
    expect(fake.requests.map((r) => r.body.tool_choice)).toEqual([{ type: 'auto' }, { type: 'auto' }, { type: 'none' }]);
    // The tools stay in the last request (the cached prefix holds); the cap note rides with the last results.
    expect(fake.requests[2]!.body.tools).toEqual(toolsInBody(allDefinitions));
    expect(fake.requests[2]!.body.messages!.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: '{"table":"t2"}' }, { type: 'text', text: stepCapNote(2) }],
    });
  });

  it('a call made after the cap anyway is not run: the answer ends there', async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_1', name: 'describe_table', input: { table: 'a' } }] },
      { kind: 'stream', text: 'Partial answer.', toolCalls: [{ id: 'toolu_2', name: 'describe_table', input: { table: 'b' } }] },
    );
    const tools = registry(() => ok('x', 'Described'));
    const outcome = await run({ maxSteps: 1 }, tools).done;
    expect(outcome.end).toBe('done');
    expect(outcome.text).toBe('Partial answer.');
    expect(tools.calls).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('maxSteps 0 offers no tools: one request without tools, as before the agent loop', async () => {
    fake.reset();
    fake.script({ kind: 'stream', text: 'Plain.' });
    const outcome = await run({ maxSteps: 0 }, registry(() => ok('x', 'x'))).done;
    expect(outcome.text).toBe('Plain.');
    expect(fake.requests[0]!.body.tools).toBeUndefined();
    expect(fake.requests[0]!.body.system).toHaveLength(2);
  });

  it('cancel in the middle of a tool: the signal reaches the database, the turn ends cancelled, nothing more is sent', async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: 'Measuring.', toolCalls: [{ id: 'toolu_s', name: 'explain_query', input: { sql: 'select pg_sleep(30)', analyze: true } }] },
      { kind: 'stream', text: 'never asked for' },
    );
    const controller = new AbortController();
    let toolEnded: { error: string; ms: number } | undefined;
    const tools = registry(async (_, input, context) => {
      const started = Date.now();
      try {
        await db.explain((input as { sql: string }).sql, { analyze: true, consentToWrites: false, signal: context.signal });
        return ok('finished', 'EXPLAIN ANALYZE');
      } catch (err) {
        toolEnded = { error: err instanceof Error ? err.name : String(err), ms: Date.now() - started };
        return { isError: true, text: 'Cancelled.', summary: 'explain_query: cancelled' };
      }
    });
    const { events, done } = run({}, tools, controller.signal);
    while (!events.some((e) => e.type === 'toolStart')) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const outcome = await done;
    expect(outcome.end).toBe('error');
    expect(outcome.errorKind).toBe('cancelled');
    expect(outcome.text).toBe('Measuring.');
    expect(outcome.steps?.map((s) => s.isError)).toEqual([true]);
    // pg_sleep(30) was cancelled on the server, not waited out.
    expect(toolEnded?.error).toBe('ExplainCancelledError');
    expect(toolEnded!.ms).toBeLessThan(5000);
    expect(fake.requests).toHaveLength(1);
    const terminal = events.filter((e) => e.type === 'done' || e.type === 'error');
    expect(terminal).toEqual([{ type: 'error', kind: 'cancelled', message: 'Stopped.', partialText: 'Measuring.' }]);
  });

  it('caching: the last tool definition and the system prompt carry breakpoints; the second request reads them from the cache', async () => {
    fake.reset();
    fake.script({ kind: 'stream', text: '', toolCalls: [{ id: 'toolu_1', name: 'describe_table', input: { table: 'orders' } }] }, { kind: 'stream', text: 'Done.' });
    const tools = registry(() => ok('orders: 10 rows', 'Described orders'));
    const events: PipelineEvent[] = [];
    const ports: PipelinePorts = { analyze: () => ({ findings: [], evidence: '' }), llm: createLlmClient({ apiKey: 'sk-test-agent-loop', baseUrl: fake.url }), tools };
    await runTask({ task: 'chat', dialect: 'postgres', question: 'How big is orders?', personaBody: 'You are a DBA.' }, ports, (e) => events.push(e), new AbortController().signal);
    const [first, second] = fake.requests;
    expect(first!.usage!.cache_read_input_tokens).toBe(0);
    expect(first!.usage!.cache_creation_input_tokens).toBeGreaterThan(200);
    // The whole prefix written on the first turn (tools, then system) is read on the second.
    expect(second!.usage!.cache_read_input_tokens).toBe(first!.usage!.cache_creation_input_tokens);
    expect(second!.usage!.cache_creation_input_tokens).toBe(0);
    const done = events.find((e) => e.type === 'done');
    expect(done && 'usage' in done ? done.usage?.cacheReadInputTokens : undefined).toBe(second!.usage!.cache_read_input_tokens);
  });

  it('a forbidden tool is never offered, and a call to it is refused without running', async () => {
    fake.reset();
    const parsed = parsePersona('---\nname: p\ndescription: d\ntools:\n  allowed: [Read, Edit, TodoWrite]\n  forbidden: [Edit, describe_table]\n---\nBody\n', { file: 'p.md', origin: 'workspace' });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { offered } = offeredTools(parsed.persona);
    fake.script({ kind: 'stream', text: '', toolCalls: [{ id: 'toolu_f', name: 'propose_edit', input: { path: 'a.sql', old_text: 'a', new_text: 'b' } }] }, { kind: 'stream', text: 'OK.' });
    const tools = registry(() => ok('x', 'x'), offered);
    await run({ personaBody: parsed.persona.body }, tools).done;
    expect((fake.requests[0]!.body.tools ?? []).map((t) => t.name)).toEqual(['explain_query', 'read_file', 'todo_write']);
    expect(tools.calls).toHaveLength(0);
    const results = fake.requests[1]!.body.messages!.at(-1)!.content as { is_error?: boolean; content: string }[];
    expect(results[0]).toMatchObject({ is_error: true, content: 'Unknown tool "propose_edit". The tools offered are: explain_query, read_file, todo_write.' });
  });

  it('todos and proposed edits reach the faces as their own events; redaction scrubs literals from what goes back', async () => {
    fake.reset();
    fake.script(
      {
        kind: 'stream',
        text: '',
        toolCalls: [
          { id: 'toolu_t', name: 'todo_write', input: { items: [{ text: 'Check indexes', status: 'in_progress' }] } },
          { id: 'toolu_p', name: 'propose_edit', input: { path: 'q.sql', old_text: "where status = 'paid'", new_text: "where status = 'paid' and id > 0" } },
        ],
      },
      { kind: 'stream', text: 'Proposed.' },
    );
    const tools = registry((name, input) =>
      name === 'todo_write'
        ? { ...ok('Checklist updated (1 item).', 'Checklist: 0/1 done'), todos: [{ text: 'Check indexes', status: 'in_progress' }] }
        : { ...ok("Proposed an edit of q.sql (where status = 'paid').", 'Proposed an edit of q.sql'), edit: { path: 'q.sql', oldText: (input as { old_text: string }).old_text, newText: (input as { new_text: string }).new_text } },
    );
    const { events, done } = run({ sql: "select * from orders where status = 'paid'", question: 'fix it', redactLiterals: true }, tools);
    await done;
    expect(events.find((e) => e.type === 'todos')).toEqual({ type: 'todos', items: [{ text: 'Check indexes', status: 'in_progress' }] });
    expect(events.find((e) => e.type === 'proposedEdit')).toEqual({ type: 'proposedEdit', id: 'toolu_p', edit: { path: 'q.sql', oldText: "where status = 'paid'", newText: "where status = 'paid' and id > 0" } });
    expect(tools.calls.every((c) => c.context.redact)).toBe(true);
    const body = JSON.stringify(fake.requests[1]!.body);
    expect(body).not.toContain('paid');
  });
});
