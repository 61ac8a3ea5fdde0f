// Turns a provider-neutral PromptRequest into the exact Messages API request body.
import type { MessageCreateParamsStreaming, TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { PromptRequest } from '../core/prompt/types';

export function messagesBody(prompt: PromptRequest, model: string, maxTokens: number): MessageCreateParamsStreaming {
  const system: TextBlockParam[] = prompt.system.map((b) =>
    b.cache ? { type: 'text', text: b.text, cache_control: { type: 'ephemeral' } } : { type: 'text', text: b.text },
  );
  return {
    model,
    max_tokens: maxTokens,
    stream: true,
    system,
    messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
  };
}
