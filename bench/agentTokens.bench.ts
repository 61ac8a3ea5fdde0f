// Tokens the agent's tool definitions add to every request, and how many of them the prompt cache serves on the second
// turn, read from the usage the (fake, protocol-faithful) Messages API returns to the real SDK. Its count is
// ceil(chars / 4) of each definition's JSON (name, description, input_schema), the same estimate the API's docs give
// for English text; the real tokenizer differs by a few percent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTask, type PipelinePorts } from '../src/app/pipeline';
import { createToolRegistry } from '../src/app/tools/registry';
import { parsePersona } from '../src/core/persona/parse';
import type { Persona } from '../src/core/persona/types';
import { toolDefinitions } from '../src/core/tools/definitions';
import { offeredTools } from '../src/core/tools/offered';
import { createLlmClient } from '../src/llm/client';
import { estimateTokens, startFakeAnthropic, type Usage } from '../test/support/fakeAnthropic';
import { report } from './harness';

function persona(path: string): Persona {
  const parsed = parsePersona(readFileSync(path, 'utf8'), { file: path, origin: 'bundled' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.persona;
}

/** One question that takes one tool round: the usage of each of its two requests, with tools and without. */
async function measure(p: Persona): Promise<{ tools: number; definitionTokens: number; turns: Usage[]; withoutTools: Usage }> {
  const { offered } = offeredTools(p);
  const definitionTokens = toolDefinitions(offered).reduce(
    (n, d) => n + estimateTokens(JSON.stringify({ name: d.name, description: d.description, input_schema: d.inputSchema })),
    0,
  );
  const fake = await startFakeAnthropic();
  const llm = createLlmClient({ apiKey: 'sk-bench', baseUrl: fake.url });
  // No database and no workspace: describe_table answers that none is available — a real tool result all the same.
  const ports: PipelinePorts = { analyze: () => ({ findings: [], evidence: '' }), llm, tools: createToolRegistry({}, { offered }) };
  fake.script({ kind: 'stream', text: '', toolCalls: [{ name: 'describe_table', input: { table: 'orders' } }] }, { kind: 'stream', text: 'Answer.' });
  const request = { task: 'chat' as const, dialect: 'postgres' as const, question: 'Is orders missing an index on customer_id?', personaBody: p.body };
  await runTask(request, ports, () => {}, new AbortController().signal);
  const turns = fake.requests.map((r) => r.usage!);
  fake.reset();
  fake.script({ kind: 'stream', text: 'Answer.' });
  await runTask({ ...request, maxSteps: 0 }, ports, () => {}, new AbortController().signal);
  const withoutTools = fake.requests[0]!.usage!;
  await fake.close();
  return { tools: offered.length, definitionTokens, turns, withoutTools };
}

const total = (u: Usage) => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;

void (async () => {
  const figures: Record<string, unknown> = {};
  for (const [name, file] of [
    ['the-data-engineer', join(process.cwd(), 'agents', 'the-data-engineer.md')],
    ['seed-data-engineer', join(process.cwd(), 'test', 'fixtures', 'personas', 'seeds', 'data-engineer.md')],
  ] as const) {
    const m = await measure(persona(file));
    const [first, second] = m.turns;
    const added = total(first!) - total(m.withoutTools);
    console.log(`${name}: ${m.tools} tools, definitions ${m.definitionTokens} tokens; first request ${total(first!)} input tokens (${added} more than without tools), ` +
      `${first!.cache_creation_input_tokens} written to the cache; second turn ${second!.cache_read_input_tokens} read from the cache, ${second!.input_tokens} uncached`);
    figures[name] = {
      toolsOffered: m.tools,
      toolDefinitionTokens: m.definitionTokens,
      inputTokensAddedPerTurn: added,
      firstTurn: first,
      secondTurn: second,
      withoutTools: m.withoutTools,
      cachedShareOfSecondTurn: Math.round((second!.cache_read_input_tokens / total(second!)) * 1000) / 10,
    };
  }
  report(figures);
})().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
