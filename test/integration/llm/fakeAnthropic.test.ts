// The fake Messages API at the byte level, so other suites can trust it: SSE framing, headers, error shapes, usage
// accounting for caching, and the standalone launcher's control endpoints.
import { spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';

let fake: FakeAnthropic;
const body = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...extra });
const post = (url: string, b: string, headers: Record<string, string> = { 'x-api-key': 'k', 'content-type': 'application/json' }) =>
  fetch(`${url}/v1/messages`, { method: 'POST', headers, body: b });

beforeAll(async () => {
  fake = await startFakeAnthropic({ cacheMinTokens: 10 });
});
afterAll(async () => fake.close());

describe('fake Anthropic server', () => {
  it('streams SSE with exact framing and event order', async () => {
    fake.script({ kind: 'stream', text: 'abcdefghij', chunkSize: 4, pingFirst: true });
    const res = await post(fake.url, body({ stream: true }));
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('request-id')).toMatch(/^req_fake_/);
    const raw = await res.text();
    const frames = raw.split('\n\n').filter(Boolean);
    for (const f of frames) expect(f).toMatch(/^event: [a-z_]+\ndata: \{.*\}$/);
    const events = frames.map((f) => /^event: (\S+)/.exec(f)![1]);
    expect(events).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const deltas = frames.filter((f) => f.startsWith('event: content_block_delta')).map((f) => (JSON.parse(f.split('data: ')[1]!) as { delta: { text: string } }).delta.text);
    expect(deltas).toEqual(['abcd', 'efgh', 'ij']);
    const md = JSON.parse(frames.at(-2)!.split('data: ')[1]!) as { delta: { stop_reason: string }; usage: { output_tokens: number } };
    expect(md.delta.stop_reason).toBe('end_turn');
    expect(md.usage.output_tokens).toBe(3);
  });

  it('answers non-streaming requests with one JSON message', async () => {
    fake.script({ kind: 'stream', text: 'plain' });
    const json = (await (await post(fake.url, body())).json()) as { type: string; content: { text: string }[]; usage: Record<string, number> };
    expect(json.type).toBe('message');
    expect(json.content[0]!.text).toBe('plain');
    expect(Object.keys(json.usage).sort()).toEqual(['cache_creation_input_tokens', 'cache_read_input_tokens', 'input_tokens', 'output_tokens']);
  });

  it("errors use Anthropic's shape; 429 carries retry-after; a missing key is a 401", async () => {
    fake.script({ kind: 'error', status: 429, retryAfter: 7 }, { kind: 'error', status: 529 });
    const r429 = await post(fake.url, body());
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('7');
    expect(await r429.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(await (await post(fake.url, body())).json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    const noKey = await post(fake.url, body(), { 'content-type': 'application/json' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: 'authentication_error' } });
    expect(fake.requests.at(-1)!.hasApiKey).toBe(false);
  });

  it('bills a cache_control prefix as a write once and a read afterwards; without cache_control never', async () => {
    fake.reset();
    const system = [{ type: 'text', text: 'x'.repeat(400), cache_control: { type: 'ephemeral' } }];
    for (let i = 0; i < 2; i++) await post(fake.url, body({ system }));
    await post(fake.url, body({ system: [{ type: 'text', text: 'x'.repeat(400) }] }));
    expect(fake.requests.map((r) => [r.usage!.cache_creation_input_tokens, r.usage!.cache_read_input_tokens])).toEqual([
      [100, 0],
      [0, 100],
      [0, 0],
    ]);
    expect(fake.requests[2]!.usage!.input_tokens).toBe(101);
  });

  it('runs standalone: prints its URL and takes scripts over its control endpoints', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fake-anthropic-')), 'fake.cjs');
    await esbuild.build({ entryPoints: [join(__dirname, '../../support/fakeAnthropicMain.ts')], bundle: true, platform: 'node', outfile: out, logLevel: 'silent' });
    const child = spawn(process.execPath, [out]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url));
        child.once('exit', (c) => reject(new Error(`exited ${c}`)));
      });
      await fetch(`${url}/__script`, { method: 'POST', body: JSON.stringify([{ kind: 'json', text: 'scripted' }]) });
      const json = (await (await post(url, body({ stream: true }))).json()) as { content: { text: string }[] };
      expect(json.content[0]!.text).toBe('scripted');
      const recorded = (await (await fetch(`${url}/__requests`)).json()) as { hasApiKey: boolean; headers: Record<string, string> }[];
      expect(recorded).toHaveLength(1);
      expect(recorded[0]!.hasApiKey).toBe(true);
      expect(recorded[0]!.headers['x-api-key']).toBeUndefined();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
