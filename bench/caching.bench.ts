// Input tokens billed over N repeated questions with and without prompt caching of the persona + preamble, read from
// the usage fields the (fake, protocol-faithful) Messages API returns to the real SDK.
// Cost model (Anthropic's published multipliers for 5-minute caching): cache writes bill 1.25×, cache reads 0.1×.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPrompt } from '../src/core/prompt/build';
import type { PromptRequest } from '../src/core/prompt/types';
import { parsePersona } from '../src/core/persona/parse';
import { createLlmClient, type LlmUsage } from '../src/llm/client';
import { startFakeAnthropic } from '../test/support/fakeAnthropic';
import { report } from './harness';

const N = 10;
const questions = Array.from({ length: N }, (_, i) => `Question ${i + 1}: should orders_${i} be partitioned by month, given ${1000 * (i + 1)} rows a day?`);

async function run(cache: boolean): Promise<LlmUsage[]> {
  const fake = await startFakeAnthropic();
  const llm = createLlmClient({ apiKey: 'sk-bench', baseUrl: fake.url });
  const file = join(process.cwd(), 'agents', 'the-data-engineer.md');
  const parsed = parsePersona(readFileSync(file, 'utf8'), { file, origin: 'bundled' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const usages: LlmUsage[] = [];
  for (const question of questions) {
    const prompt: PromptRequest = buildPrompt({ task: 'chat', personaBody: parsed.persona.body, dialect: 'postgres', question });
    if (!cache) prompt.system = prompt.system.map((b) => ({ ...b, cache: false }));
    usages.push((await llm.stream(prompt, () => {})).usage!);
  }
  await fake.close();
  return usages;
}

const sum = (u: LlmUsage[], k: keyof LlmUsage) => u.reduce((n, x) => n + x[k], 0);

void (async () => {
  const withCache = await run(true);
  const without = await run(false);
  const billedWithout = sum(without, 'inputTokens');
  const billedWith = sum(withCache, 'inputTokens') + 1.25 * sum(withCache, 'cacheCreationInputTokens') + 0.1 * sum(withCache, 'cacheReadInputTokens');
  console.log(`questions: ${N}`);
  console.log(`without caching: ${billedWithout} input tokens`);
  console.log(
    `with caching: ${sum(withCache, 'inputTokens')} uncached + ${sum(withCache, 'cacheCreationInputTokens')} cache writes + ${sum(withCache, 'cacheReadInputTokens')} cache reads = ${Math.round(billedWith)} input-token equivalents`,
  );
  report({
    questions: N,
    cachedPrefixTokens: withCache[0]!.cacheCreationInputTokens,
    inputTokensWithoutCaching: billedWithout,
    uncachedInputTokensWithCaching: sum(withCache, 'inputTokens'),
    cacheCreationTokens: sum(withCache, 'cacheCreationInputTokens'),
    cacheReadTokens: sum(withCache, 'cacheReadInputTokens'),
    billedEquivalentWithCaching: Math.round(billedWith),
    savingPercent: Math.round((1 - billedWith / billedWithout) * 1000) / 10,
  });
})().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
