// The one Anthropic client: streams a PromptRequest, cancels through an AbortSignal, and turns every failure into an
// LlmError. Nothing else in the code base imports @anthropic-ai/sdk.
import type Anthropic from '@anthropic-ai/sdk';
import type { APIError, Middleware } from '@anthropic-ai/sdk';
import type * as SdkModule from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { PromptRequest, ToolTurnRequest } from '../core/prompt/types';
import { messagesBody, toolTurnBody } from './body';
import type { LlmErrorKind } from '../core/errorKinds';
import { LlmError, messageFor, scrub } from './errors';
import { defaultMaxRetries, defaultMaxTokens, defaultModel } from './model';

export interface LlmSettings {
  apiKey: string;
  model?: string;
  maxTokens?: number;
  /** Empty or undefined: ANTHROPIC_BASE_URL from `env`, else the SDK's default. */
  baseUrl?: string;
  maxRetries?: number;
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export interface LlmResult {
  text: string;
  stopReason: string | null;
  usage: LlmUsage | null;
  requestId: string | null;
  model: string;
}

/** A tool call of one agent-loop turn, its input parsed once its block ended. */
export interface ToolCall {
  id: string;
  name: string;
  /** The parsed input; `{}` when it did not parse (then `inputError` says why). */
  input: unknown;
  /** The streamed `input_json_delta` text was not a JSON object. */
  inputError?: string;
}

export interface ToolTurnResult extends LlmResult {
  /** The turn's text blocks and tool calls, in the order the model wrote them. */
  blocks: ({ type: 'text'; text: string } | ({ type: 'tool_use' } & ToolCall))[];
}

export interface LlmClient {
  readonly model: string;
  readonly baseUrl: string;
  /** Streams the answer; `onText` gets each text delta as it arrives. Rejects with LlmError (partial text in details). */
  stream(prompt: PromptRequest, onText: (delta: string) => void, signal?: AbortSignal): Promise<LlmResult>;
  /**
   * One turn of the agent loop, with tools offered: text streams to `onText`, each tool call's `input_json_delta`
   * chunks are buffered until its `content_block_stop` and parsed then. Rejects with LlmError like `stream`.
   */
  streamTurn(request: ToolTurnRequest, onText: (delta: string) => void, signal?: AbortSignal): Promise<ToolTurnResult>;
}

/** The buffered input of a tool call → its parsed value, or why it is not a JSON object. */
export function parseToolInput(json: string): { input: unknown; error?: string } {
  // A call without parameters streams no delta at all: that is an empty object.
  if (!json.trim()) return { input: {} };
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { input: value };
    return { input: {}, error: 'the input must be a JSON object' };
  } catch (err) {
    return { input: {}, error: `the input is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

export const defaultBaseUrl = 'https://api.anthropic.com';

export function resolveBaseUrl(setting: string | undefined, env: Record<string, string | undefined>): string {
  const fromSetting = setting?.trim();
  if (fromSetting) return fromSetting;
  const fromEnv = env['ANTHROPIC_BASE_URL']?.trim();
  return fromEnv || defaultBaseUrl;
}

// A 429 tells the user to wait N seconds; sleeping N seconds silently inside the SDK would look like a hang, so the
// response is marked not-retryable and surfaces at once. Other retryable statuses keep the SDK's policy.
const noRetryOn429: Middleware = async (request, next) => {
  const response = await next(request);
  if (response.status !== 429) return response;
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

type Sdk = typeof SdkModule;
let sdkPromise: Promise<Sdk> | undefined;
// The SDK is loaded on first use so extension activation stays cheap.
const loadSdk = (): Promise<Sdk> => (sdkPromise ??= import('@anthropic-ai/sdk'));

export function createLlmClient(settings: LlmSettings): LlmClient {
  const env = settings.env ?? {};
  const model = settings.model?.trim() || defaultModel;
  const maxTokens = settings.maxTokens ?? defaultMaxTokens;
  const baseUrl = resolveBaseUrl(settings.baseUrl, env);
  let client: Anthropic | undefined;

  async function getClient(): Promise<{ sdk: Sdk; client: Anthropic }> {
    const sdk = await loadSdk();
    client ??= new sdk.Anthropic({
      apiKey: settings.apiKey,
      // Only the key we were given authenticates: never a bearer token picked up from the environment.
      authToken: null,
      baseURL: baseUrl,
      maxRetries: settings.maxRetries ?? defaultMaxRetries,
      timeout: settings.timeoutMs ?? 120_000,
      middleware: [noRetryOn429],
      // The SDK must never log request details (headers carry the key) to the extension host console.
      logLevel: 'off',
    });
    return { sdk, client };
  }

  async function run(body: MessageCreateParamsStreaming, onText: (delta: string) => void, signal: AbortSignal | undefined): Promise<ToolTurnResult> {
    const { sdk, client: c } = await getClient();
    let text = '';
    let stopReason: string | null = null;
    let usage: LlmUsage | null = null;
    let requestId: string | null = null;
    let sawStop = false;
    const blocks: ToolTurnResult['blocks'] = [];
    // Open blocks by index: text grows as it streams; a tool call's JSON is held back until its block stops.
    const open = new Map<number, { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; json: string }>();
    const fail = (kind: LlmErrorKind, extra: { retryAfterSeconds?: number; status?: number; cause?: string } = {}) =>
      new LlmError(kind, scrub(messageFor(kind, { baseUrl, ...extra }), settings.apiKey), {
        retryAfterSeconds: extra.retryAfterSeconds,
        status: extra.status,
        requestId: requestId ?? undefined,
        partialText: text,
      });
    try {
      if (signal?.aborted) throw fail('cancelled');
      const { data: events, request_id } = await c.messages.create(body, { signal }).withResponse();
      requestId = request_id ?? null;
      for await (const event of events) {
        switch (event.type) {
          case 'message_start': {
            const u = event.message.usage;
            usage = {
              inputTokens: u.input_tokens,
              outputTokens: u.output_tokens,
              cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
              cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
            };
            break;
          }
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') open.set(event.index, { type: 'tool_use', id: event.content_block.id, name: event.content_block.name, json: '' });
            else if (event.content_block.type === 'text') open.set(event.index, { type: 'text', text: '' });
            break;
          case 'content_block_delta': {
            const block = open.get(event.index);
            if (event.delta.type === 'text_delta') {
              text += event.delta.text;
              if (block?.type === 'text') block.text += event.delta.text;
              onText(event.delta.text);
            } else if (event.delta.type === 'input_json_delta' && block?.type === 'tool_use') {
              block.json += event.delta.partial_json;
            }
            break;
          }
          case 'content_block_stop': {
            const block = open.get(event.index);
            open.delete(event.index);
            if (block?.type === 'text') blocks.push(block);
            else if (block?.type === 'tool_use') {
              const parsed = parseToolInput(block.json);
              blocks.push({ type: 'tool_use', id: block.id, name: block.name, input: parsed.input, ...(parsed.error ? { inputError: parsed.error } : {}) });
            }
            break;
          }
          case 'message_delta':
            stopReason = event.delta.stop_reason;
            if (usage) usage.outputTokens = event.usage.output_tokens;
            break;
          case 'message_stop':
            sawStop = true;
            break;
          default:
            break;
        }
      }
      // The SDK ends iteration quietly when aborted; a stream that ends without message_stop was cut.
      if (signal?.aborted) throw fail('cancelled');
      if (!sawStop) throw fail('incomplete');
      return { text, stopReason, usage, requestId, model, blocks };
    } catch (err) {
      throw classify(err, sdk, signal, text.length > 0, fail);
    }
  }

  return {
    model,
    baseUrl,
    async stream(prompt, onText, signal) {
      const { text, stopReason, usage, requestId } = await run(messagesBody(prompt, model, maxTokens), onText, signal);
      return { text, stopReason, usage, requestId, model };
    },
    streamTurn(request, onText, signal) {
      return run(toolTurnBody(request, model, maxTokens), onText, signal);
    },
  };
}

function classify(
  err: unknown,
  sdk: Sdk,
  signal: AbortSignal | undefined,
  hadText: boolean,
  fail: (kind: LlmErrorKind, extra?: { retryAfterSeconds?: number; status?: number; cause?: string }) => LlmError,
): LlmError {
  if (err instanceof LlmError) return err;
  if (signal?.aborted || err instanceof sdk.APIUserAbortError) return fail('cancelled');
  if (err instanceof sdk.APIConnectionTimeoutError) return fail('timeout');
  if (err instanceof sdk.APIConnectionError) return fail('network', { cause: networkCause(err) });
  if (isApiError(err, sdk)) {
    const api = err;
    const status = api.status;
    const type = api.type;
    if (status === 401 || type === 'authentication_error') return fail('auth', { status: 401 });
    if (status === 403 || type === 'permission_error') return fail('permission', { status: 403 });
    if (status === 429 || type === 'rate_limit_error') return fail('rateLimit', { status: 429, retryAfterSeconds: retryAfter(api.headers) });
    if (status === 529 || type === 'overloaded_error') return fail('overloaded', { status: 529 });
    if (status !== undefined && status >= 500) return fail('server', { status });
    if (status !== undefined && status >= 400) return fail('badRequest', { status, cause: apiMessage(api.error) });
    return fail('server', { status });
  }
  // Anything else thrown while reading the body (undici's "terminated", a reset socket) is a cut stream.
  if (hadText || isSocketError(err)) return fail('incomplete');
  return fail('network', { cause: networkCause(err) });
}

// The SDK's classes are generic over `any`; narrowing through this guard keeps the error's declared field types.
function isApiError(err: unknown, sdk: Sdk): err is APIError {
  return err instanceof sdk.APIError;
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const v = headers?.get('retry-after');
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function apiMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'error' in body) {
    const inner = body.error;
    if (inner && typeof inner === 'object' && 'message' in inner && typeof inner.message === 'string') return inner.message.slice(0, 300);
  }
  return undefined;
}

function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur; i++) {
    out.push(cur);
    cur = cur && typeof cur === 'object' && 'cause' in cur ? cur.cause : undefined;
  }
  return out;
}

function networkCause(err: unknown): string | undefined {
  for (const e of causeChain(err)) {
    if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function isSocketError(err: unknown): boolean {
  return causeChain(err).some(
    (e) => e instanceof Error && (/terminated|other side closed|socket hang up/i.test(e.message) || 'code' in e && /ECONNRESET|UND_ERR_SOCKET/.test(String(e.code))),
  );
}
