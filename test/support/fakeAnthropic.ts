// A local server that speaks the Anthropic Messages API closely enough for the real @anthropic-ai/sdk to talk to it.
//
// In-process API (tests and benchmarks):
//
//   const fake = await startFakeAnthropic({ cacheMinTokens? });
//   new Anthropic({ baseURL: fake.url, apiKey: 'sk-test' });
//   fake.script({ kind: 'stream', text: 'Hello' }, { kind: 'error', status: 529 });   // one entry per request, in order
//   fake.handle((req) => ({ kind: 'json', text: `you sent ${req.body.messages.length}` })); // used when the queue is empty
//   fake.requests            // every request: { method, path, headers (x-api-key / authorization values removed),
//                            //   hasApiKey, body (parsed JSON), closedEarly, firstDeltaAt, completed }
//   await fake.waitForRequests(n); await fake.close();
//
// Scripted responses (`FakeResponse`):
//   { kind: 'stream', text, chunkSize?, delayMs?, firstDelayMs?, stopReason?, cutAfterDeltas?, errorAfterDeltas?, pingFirst? }
//        SSE: message_start, [ping], content_block_start, content_block_delta (text_delta)…, content_block_stop,
//        message_delta (stop_reason + usage), message_stop. `cutAfterDeltas: n` destroys the socket after n deltas;
//        `errorAfterDeltas: n` sends an `error` event (overloaded_error) after n deltas and ends the stream.
//        Requests without `stream: true` get the same text as one JSON message.
//   Tool use: add `toolCalls: [{ id?, name, input? | rawInput?, chunkSize? }]` to a stream. After the text block (left
//        out when `text` is empty), each call is a tool_use block (content_block_start with `input: {}`) whose input
//        arrives as input_json_delta chunks of JSON.stringify(input) (or `rawInput` verbatim, for invalid JSON), then
//        content_block_stop; stop_reason is tool_use. Ids default to toolu_fake_<request>_<n>.
//   { kind: 'json', text }   a non-streaming message even if the request asked for a stream (used rarely).
//   { kind: 'error', status, type?, message?, retryAfter? }   Anthropic's JSON error shape, e.g. 401
//        authentication_error, 429 rate_limit_error (+ retry-after header), 529 overloaded_error, 500 api_error.
//   { kind: 'hang' }         accepts the request and never answers (cancellation tests).
//
// Usage: input tokens are estimated as ceil(chars / 4) (a tool definition as the JSON of its name, description and
// schema). Every tool definition or system block carrying `cache_control` is a breakpoint, in the API's cache order
// tools → system: the prefix up to it is billed as cache_creation_input_tokens the first time this server sees it and
// as cache_read_input_tokens afterwards (the longest prefix seen is read, longer new ones are written), as long as it
// reaches `cacheMinTokens` (default 1024, the API's minimum for Sonnet models); below that, nothing is cached, as with
// the real API.
//
// Out of process: bundle test/support/fakeAnthropicMain.ts with esbuild and run it with node (see that file); it
// prints one JSON line `{"url": "http://127.0.0.1:PORT"}` to stdout, then accepts control requests: `POST /__script` with a JSON array of FakeResponse, `POST /__reset`,
// `GET /__requests` (the recorded requests as JSON).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeResponse =
  | {
      kind: 'stream';
      text: string;
      /** Characters per text_delta (default 8). */
      chunkSize?: number;
      /** Pause between deltas in ms (default 0). */
      delayMs?: number;
      /** Pause before the first delta in ms (default 0). */
      firstDelayMs?: number;
      stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';
      cutAfterDeltas?: number;
      errorAfterDeltas?: number;
      pingFirst?: boolean;
      toolCalls?: FakeToolCall[];
    }
  | { kind: 'json'; text: string }
  | { kind: 'error'; status: number; type?: string; message?: string; retryAfter?: number }
  | { kind: 'hang' };

export interface FakeToolCall {
  id?: string;
  name: string;
  input?: unknown;
  /** Sent verbatim as the input_json_delta text instead of JSON.stringify(input). */
  rawInput?: string;
  /** Characters per input_json_delta (default 12). */
  chunkSize?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  hasApiKey: boolean;
  body: MessagesBody;
  /** The client closed the connection before the response was complete. */
  closedEarly: boolean;
  completed: boolean;
  /** performance.now() of this process when the first text_delta was written (streams only). */
  firstDeltaAt: number | null;
  usage: Usage | null;
}

export interface MessagesBody {
  model?: string;
  max_tokens?: number;
  stream?: boolean;
  system?: string | { type: string; text: string; cache_control?: unknown }[];
  tools?: { name: string; description?: string; input_schema?: unknown; cache_control?: unknown }[];
  messages?: { role: string; content: unknown }[];
  [key: string]: unknown;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  script(...responses: FakeResponse[]): void;
  handle(fn: (req: RecordedRequest) => FakeResponse): void;
  reset(): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when request `index` has finished (completed or closed by the client). */
  waitForEnd(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return (content as unknown[]).map(blockText).join('');
  return '';
}

/** The text a content block is billed for: text, a tool call's name and input, a tool result's content. */
function blockText(b: unknown): string {
  if (!b || typeof b !== 'object') return '';
  const r = b as Record<string, unknown>;
  if (r['type'] === 'tool_use') return `${String(r['name'])}${JSON.stringify(r['input'] ?? {})}`;
  if (r['type'] === 'tool_result') return textOf(r['content']);
  return 'text' in r ? String(r['text']) : '';
}

/** A tool definition as billed: its name, description and input schema. */
function toolText(t: NonNullable<MessagesBody['tools']>[number]): string {
  return JSON.stringify({ name: t.name, description: t.description, input_schema: t.input_schema });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startFakeAnthropic(options: { port?: number; cacheMinTokens?: number; control?: boolean } = {}): Promise<FakeAnthropic> {
  const cacheMinTokens = options.cacheMinTokens ?? 1024;
  const queue: FakeResponse[] = [];
  const requests: RecordedRequest[] = [];
  const seenPrefixes = new Set<string>();
  const sockets = new Set<Socket>();
  let handler: ((req: RecordedRequest) => FakeResponse) | null = null;
  let requestCounter = 0;

  // The API caches prefixes in the order tools → system → messages; every block carrying cache_control is a breakpoint.
  // The longest prefix seen before is read from the cache, each longer breakpoint's prefix is written, as long as it
  // reaches cacheMinTokens (the API's minimum); the rest is plain input.
  function usageFor(body: MessagesBody, outputText: string): Usage {
    const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
    const parts: { text: string; breakpoint: boolean }[] = [
      ...(body.tools ?? []).map((t) => ({ text: toolText(t), breakpoint: t.cache_control !== undefined })),
      ...system.map((b) => ({ text: b.text, breakpoint: b.cache_control !== undefined })),
    ];
    const messagesText = (body.messages ?? []).map((m) => textOf(m.content)).join('\n');
    const tokens = parts.map((p) => estimateTokens(p.text));
    const total = tokens.reduce((a, b) => a + b, 0) + estimateTokens(messagesText);
    let read = 0;
    let written = 0;
    let prefix = createHash('sha256').update(`${body.model}\0`);
    let prefixTokens = 0;
    for (let i = 0; i < parts.length; i++) {
      prefix = prefix.update(`${parts[i]!.text}\0`);
      prefixTokens += tokens[i]!;
      if (!parts[i]!.breakpoint || prefixTokens < cacheMinTokens) continue;
      const key = prefix.copy().digest('hex');
      if (seenPrefixes.has(key)) read = prefixTokens;
      else {
        seenPrefixes.add(key);
        written = prefixTokens - read;
      }
    }
    return {
      input_tokens: total - read - written,
      output_tokens: estimateTokens(outputText),
      cache_creation_input_tokens: written,
      cache_read_input_tokens: read,
    };
  }

  function next(rec: RecordedRequest): FakeResponse {
    const scripted = queue.shift();
    if (scripted) return scripted;
    if (handler) return handler(rec);
    const last = rec.body.messages?.at(-1);
    return { kind: 'stream', text: `Fake answer to: ${textOf(last?.content).slice(0, 60)}` };
  }

  function sendError(res: ServerResponse, requestId: string, status: number, type?: string, message?: string, retryAfter?: number): void {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    // Tests decide retries by scripting; tell the SDK to follow its normal policy for the status.
    res.writeHead(status, headers);
    res.end(JSON.stringify({ type: 'error', error: { type: type ?? errorTypes[status] ?? 'api_error', message: message ?? `Fake ${status} error` }, request_id: requestId }));
  }

  async function serveMessages(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, index: number): Promise<void> {
    const requestIndex = index;
    const requestId = `req_fake_${String(index).padStart(6, '0')}`;
    const messageId = `msg_fake_${String(index).padStart(6, '0')}`;
    const response = next(rec);
    if (response.kind === 'hang') return;
    if (response.kind === 'error') {
      sendError(res, requestId, response.status, response.type, response.message, response.retryAfter);
      rec.completed = true;
      return;
    }
    const model = rec.body.model ?? 'unknown';
    if (response.kind === 'json' || !rec.body.stream) {
      const usage = usageFor(rec.body, response.text);
      rec.usage = usage;
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(
        JSON.stringify({
          id: messageId,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: response.text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage,
        }),
      );
      rec.completed = true;
      return;
    }
    const usage = usageFor(rec.body, response.text);
    rec.usage = usage;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': requestId });
    res.flushHeaders();
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', {
      type: 'message_start',
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    });
    if (response.pingFirst) send('ping', { type: 'ping' });
    const calls = response.toolCalls ?? [];
    // With tool calls and no text the message holds only tool_use blocks, as the API sends it.
    const withText = response.text.length > 0 || calls.length === 0;
    if (withText) send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const size = Math.max(1, response.chunkSize ?? 8);
    const chunks: string[] = [];
    for (let i = 0; i < response.text.length; i += size) chunks.push(response.text.slice(i, i + size));
    if (response.firstDelayMs) await sleep(response.firstDelayMs);
    for (let i = 0; i < chunks.length; i++) {
      if (rec.closedEarly) return;
      if (response.cutAfterDeltas !== undefined && i === response.cutAfterDeltas) {
        // Let the deltas already written reach the client, then drop the connection without finishing the response.
        await sleep(30);
        req.socket.destroy();
        return;
      }
      if (response.errorAfterDeltas !== undefined && i === response.errorAfterDeltas) {
        send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
        res.end();
        rec.completed = true;
        return;
      }
      if (rec.firstDeltaAt === null) rec.firstDeltaAt = performance.now();
      send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunks[i] } });
      if (response.delayMs && i < chunks.length - 1) await sleep(response.delayMs);
    }
    if (rec.closedEarly) return;
    if (withText) send('content_block_stop', { type: 'content_block_stop', index: 0 });
    for (let n = 0; n < calls.length; n++) {
      const call = calls[n]!;
      const index = n + (withText ? 1 : 0);
      const id = call.id ?? `toolu_fake_${String(requestIndex).padStart(4, '0')}_${n}`;
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: call.name, input: {} } });
      const json = call.rawInput ?? JSON.stringify(call.input ?? {});
      const step = Math.max(1, call.chunkSize ?? 12);
      for (let i = 0; i < json.length; i += step) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(i, i + step) } });
        if (response.delayMs) await sleep(response.delayMs);
        if (rec.closedEarly) return;
      }
      send('content_block_stop', { type: 'content_block_stop', index });
    }
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: response.stopReason ?? (calls.length ? 'tool_use' : 'end_turn'), stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
    rec.completed = true;
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (options.control && path.startsWith('/__')) {
        res.setHeader('content-type', 'application/json');
        if (path === '/__script' && req.method === 'POST') queue.push(...(JSON.parse(raw) as FakeResponse[]));
        else if (path === '/__reset' && req.method === 'POST') api.reset();
        else if (path === '/__requests') return void res.end(JSON.stringify(requests));
        else return void res.writeHead(404).end('{}');
        return void res.end('{"ok":true}');
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (k === 'x-api-key' || k === 'authorization') continue;
        headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
      }
      let body: MessagesBody = {};
      try {
        body = raw ? (JSON.parse(raw) as MessagesBody) : {};
      } catch {
        sendError(res, 'req_fake_badjson', 400, 'invalid_request_error', 'Request body is not JSON');
        return;
      }
      const index = requestCounter++;
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers,
        hasApiKey: typeof req.headers['x-api-key'] === 'string' && req.headers['x-api-key'].length > 0,
        body,
        closedEarly: false,
        completed: false,
        firstDeltaAt: null,
        usage: null,
      };
      requests.push(rec);
      res.on('close', () => {
        if (!rec.completed) rec.closedEarly = true;
      });
      if (req.method !== 'POST' || path !== '/v1/messages') {
        sendError(res, `req_fake_${index}`, 404, 'not_found_error', `No route ${req.method} ${path}`);
        rec.completed = true;
        return;
      }
      if (!rec.hasApiKey) {
        sendError(res, `req_fake_${index}`, 401, 'authentication_error', 'x-api-key header is required');
        rec.completed = true;
        return;
      }
      await serveMessages(req, res, rec, index);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 'req_fake_crash', 500, 'api_error', String(err));
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FakeAnthropic = {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...responses) => void queue.push(...responses),
    handle: (fn) => void (handler = fn),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      seenPrefixes.clear();
      requestCounter = 0;
      handler = null;
    },
    async waitForRequests(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > until) throw new Error(`fake Anthropic: expected ${n} requests, saw ${requests.length}`);
        await sleep(5);
      }
    },
    async waitForEnd(index, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const rec = requests[index];
        if (rec && (rec.completed || rec.closedEarly)) return rec;
        if (Date.now() > until) throw new Error(`fake Anthropic: request ${index} did not end in ${timeoutMs} ms`);
        await sleep(5);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return api;
}
