// The one place the default model lives. package.json's `dataeng.model` default must equal it (a unit test checks).
// claude-sonnet-5-5 is the newest Sonnet in @anthropic-ai/sdk 0.137's `Model` list and is not in its deprecation table.
export const defaultModel = 'claude-sonnet-5-5';

export const defaultMaxTokens = 4096;

/**
 * Automatic retries by the SDK for overloaded (529), server (5xx) and connection errors, before any text arrived.
 * One retry hides a blip without making a broken setup feel hung; 429 is never retried automatically (see client.ts).
 */
export const defaultMaxRetries = 1;

/** Claude Code's short model names (a persona's `model: sonnet`) → the newest id of that family in the SDK's list. */
export const modelAliases: Readonly<Record<string, string>> = {
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
  haiku: 'claude-haiku-5-5',
};
