// Every way a model call can fail, as one typed error whose message tells the user what to do next.
// Messages never contain the API key: they are written here, not copied from responses, and `scrub` is a last net.

import type { LlmErrorKind } from '../core/errorKinds';

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly details: { retryAfterSeconds?: number; status?: number; requestId?: string; partialText?: string } = {},
  ) {
    super(message);
  }
}

/** Removes the key from a text, in case a proxy or gateway ever echoed it back. */
export function scrub(text: string, secret: string | undefined): string {
  return secret && secret.length >= 8 ? text.split(secret).join('[redacted]') : text;
}

/** Shows where requests go without any userinfo a base URL might carry. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid base URL)';
  }
}

export const setKeyHint =
  'Run "Data Engineer: Set Anthropic API Key" in VS Code, or set ANTHROPIC_API_KEY for the CLI.';

export function messageFor(kind: LlmErrorKind, ctx: { baseUrl: string; retryAfterSeconds?: number; status?: number; cause?: string }): string {
  switch (kind) {
    case 'noKey':
      return `No Anthropic API key is configured. ${setKeyHint}`;
    case 'auth':
      return `The Anthropic API rejected the API key (401). Check that the key is valid and not revoked. ${setKeyHint}`;
    case 'permission':
      return 'The API key is not allowed to use this model or feature (403). Check the model setting (dataeng.model) and your Anthropic plan.';
    case 'rateLimit':
      return ctx.retryAfterSeconds !== undefined
        ? `Rate limited by the Anthropic API (429). Try again in ${ctx.retryAfterSeconds} s.`
        : 'Rate limited by the Anthropic API (429). Wait a moment and try again.';
    case 'overloaded':
      return 'The Anthropic API is overloaded right now (529). Try again in a few seconds.';
    case 'server':
      return `The Anthropic API had an internal error (${ctx.status ?? 500}). Try again; if it persists, check status.anthropic.com.`;
    case 'badRequest':
      return `The Anthropic API refused the request (${ctx.status ?? 400}): ${ctx.cause ?? 'invalid request'}. Check the model (dataeng.model) and max tokens (dataeng.maxTokens) settings.`;
    case 'network':
      return `Could not reach the Anthropic API at ${displayUrl(ctx.baseUrl)}${ctx.cause ? ` (${ctx.cause})` : ''}. Check your network connection, proxy, or the base URL (setting dataeng.anthropic.baseUrl or ANTHROPIC_BASE_URL).`;
    case 'timeout':
      return `The Anthropic API at ${displayUrl(ctx.baseUrl)} did not answer in time. Try again.`;
    case 'incomplete':
      return 'The answer was cut off mid-stream (the connection dropped). The partial answer is kept above; ask again to get the rest.';
    case 'cancelled':
      return 'Stopped.';
  }
}
