// The real SDK against the local fake Messages API: streaming, cancel, every error kind, retries, caching usage.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PromptRequest } from '../../../src/core/prompt/types';
import { createLlmClient, type LlmClient } from '../../../src/llm/client';
import { LlmError, displayUrl } from '../../../src/llm/errors';
import { defaultModel } from '../../../src/llm/model';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';

const key = 'sk-ant-test-0123456789-secret';
const longPersona = 'You are a careful data engineer. '.repeat(200);
const prompt: PromptRequest = {
  system: [{ text: longPersona, cache: true }],
  messages: [{ role: 'user', content: 'Why is this query slow?' }],
};

let fake: FakeAnthropic;
let llm: LlmClient;

async function expectLlmError(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  const e = err as LlmError;
  expect(e.message).not.toContain(key);
  return e;
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => fake.close());
afterEach(() => fake.reset());

describe('LlmClient against the fake Messages API', () => {
  beforeAll(() => {
    llm = createLlmClient({ apiKey: key, baseUrl: fake.url, maxTokens: 1000 });
  });

  it('streams text deltas in order and reports usage', async () => {
    fake.script({ kind: 'stream', text: 'Use an index on orders(customer_id).', chunkSize: 5, pingFirst: true });
    const deltas: string[] = [];
    const result = await llm.stream(prompt, (d) => deltas.push(d));
    expect(deltas.length).toBe(Math.ceil('Use an index on orders(customer_id).'.length / 5));
    expect(deltas.join('')).toBe('Use an index on orders(customer_id).');
    expect(result.text).toBe('Use an index on orders(customer_id).');
    expect(result.stopReason).toBe('end_turn');
    expect(result.requestId).toBe('req_fake_000000');
    expect(result.usage?.outputTokens).toBeGreaterThan(0);
    const req = fake.requests[0]!;
    expect(req.hasApiKey).toBe(true);
    expect(JSON.stringify(req.headers)).not.toContain(key);
    expect(req.body.model).toBe(defaultModel);
    expect(req.body.max_tokens).toBe(1000);
    expect(req.body.stream).toBe(true);
    expect(req.body.system).toEqual([{ type: 'text', text: longPersona, cache_control: { type: 'ephemeral' } }]);
  });

  it('bills the cached persona as cache creation once, then as cache reads', async () => {
    const first = await llm.stream(prompt, () => {});
    const second = await llm.stream(prompt, () => {});
    expect(first.usage!.cacheCreationInputTokens).toBeGreaterThan(1000);
    expect(first.usage!.cacheReadInputTokens).toBe(0);
    expect(second.usage!.cacheCreationInputTokens).toBe(0);
    expect(second.usage!.cacheReadInputTokens).toBe(first.usage!.cacheCreationInputTokens);
  });

  it('cancels mid-stream: rejects as cancelled, keeps the partial text, and the server sees the connection close', async () => {
    fake.script({ kind: 'stream', text: 'x'.repeat(400), chunkSize: 4, delayMs: 20 });
    const controller = new AbortController();
    let received = '';
    const p = llm.stream(prompt, (d) => {
      received += d;
      if (received.length >= 12) controller.abort();
    }, controller.signal);
    const err = await expectLlmError(p);
    expect(err.kind).toBe('cancelled');
    expect(err.details.partialText!.length).toBeGreaterThanOrEqual(12);
    const rec = await fake.waitForEnd(0);
    expect(rec.closedEarly).toBe(true);
    expect(rec.completed).toBe(false);
  });

  it('cancels before the response starts', async () => {
    fake.script({ kind: 'hang' });
    const controller = new AbortController();
    const p = llm.stream(prompt, () => {}, controller.signal);
    await fake.waitForRequests(1);
    controller.abort();
    expect((await expectLlmError(p)).kind).toBe('cancelled');
    expect((await fake.waitForEnd(0)).closedEarly).toBe(true);
  });

  it('401: tells the user to check or set the key, and does not retry', async () => {
    fake.script({ kind: 'error', status: 401 });
    const err = await expectLlmError(llm.stream(prompt, () => {}));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/Set Anthropic API Key/);
    expect(fake.requests).toHaveLength(1);
  });

  it('429: reports retry-after seconds at once instead of sleeping through it', async () => {
    fake.script({ kind: 'error', status: 429, retryAfter: 37 });
    const err = await expectLlmError(llm.stream(prompt, () => {}));
    expect(err.kind).toBe('rateLimit');
    expect(err.details.retryAfterSeconds).toBe(37);
    expect(err.message).toContain('37 s');
    expect(fake.requests).toHaveLength(1);
  });

  it('529: retried once automatically; a single blip succeeds', async () => {
    fake.script({ kind: 'error', status: 529 }, { kind: 'stream', text: 'recovered' });
    const result = await llm.stream(prompt, () => {});
    expect(result.text).toBe('recovered');
    expect(fake.requests).toHaveLength(2);
  });

  it('529 twice: overloaded, try again', async () => {
    fake.script({ kind: 'error', status: 529 }, { kind: 'error', status: 529 });
    const err = await expectLlmError(llm.stream(prompt, () => {}));
    expect(err.kind).toBe('overloaded');
    expect(err.message).toMatch(/overloaded.*try again/i);
    expect(fake.requests).toHaveLength(2);
  });

  it('500 twice: server error', async () => {
    fake.script({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    const err = await expectLlmError(llm.stream(prompt, () => {}));
    expect(err.kind).toBe('server');
    expect(err.details.status).toBe(500);
  });

  it('an overloaded error event mid-stream keeps the partial answer', async () => {
    fake.script({ kind: 'stream', text: 'abcdefghijklmnop', chunkSize: 4, errorAfterDeltas: 2 });
    const deltas: string[] = [];
    const err = await expectLlmError(llm.stream(prompt, (d) => deltas.push(d)));
    expect(err.kind).toBe('overloaded');
    expect(err.details.partialText).toBe('abcdefgh');
    expect(deltas.join('')).toBe('abcdefgh');
  });

  it('a stream cut mid-answer is reported as incomplete with the partial text', async () => {
    fake.script({ kind: 'stream', text: 'The plan shows a sequential scan on', chunkSize: 6, cutAfterDeltas: 3 });
    const deltas: string[] = [];
    const err = await expectLlmError(llm.stream(prompt, (d) => deltas.push(d)));
    expect(err.kind).toBe('incomplete');
    expect(err.details.partialText).toBe('The plan shows a s');
    expect(deltas.join('')).toBe('The plan shows a s');
    expect(err.message).toMatch(/partial answer is kept/);
  });

  it('400: passes on the API message and points at the settings', async () => {
    fake.script({ kind: 'error', status: 400, message: 'max_tokens: 999999 > 64000' });
    const err = await expectLlmError(llm.stream(prompt, () => {}));
    expect(err.kind).toBe('badRequest');
    expect(err.message).toContain('max_tokens: 999999 > 64000');
  });
});

describe('network failures', () => {
  it('connection refused: names the base URL without credentials and says what to check', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const down = createLlmClient({ apiKey: key, baseUrl: `http://127.0.0.1:${port}/`, maxRetries: 0 });
    const err = await expectLlmError(down.stream(prompt, () => {}));
    expect(err.kind).toBe('network');
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toMatch(/dataeng\.anthropic\.baseUrl/);
  });

  it('never shows userinfo of a base URL', () => {
    expect(displayUrl('https://user:secret@gateway.example/v1/')).toBe('https://gateway.example/v1');
  });

  it('uses ANTHROPIC_BASE_URL from the given env when the setting is empty', async () => {
    const viaEnv = createLlmClient({ apiKey: key, baseUrl: '', env: { ANTHROPIC_BASE_URL: fake.url } });
    expect(viaEnv.baseUrl).toBe(fake.url);
    fake.script({ kind: 'stream', text: 'via env' });
    expect((await viaEnv.stream(prompt, () => {})).text).toBe('via env');
  });
});
