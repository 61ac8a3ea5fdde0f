// Turns a provider-neutral PromptRequest (or one agent-loop turn) into the exact Messages API request body.
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ConversationMessage, PromptBlock, PromptRequest, ToolTurnRequest } from '../core/prompt/types';

function systemBody(blocks: readonly PromptBlock[]): TextBlockParam[] {
  return blocks.map((b) => (b.cache ? { type: 'text', text: b.text, cache_control: { type: 'ephemeral' } } : { type: 'text', text: b.text }));
}

export function messagesBody(prompt: PromptRequest, model: string, maxTokens: number): MessageCreateParamsStreaming {
  return {
    model,
    max_tokens: maxTokens,
    stream: true,
    system: systemBody(prompt.system),
    messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
  };
}

function messageBody(m: ConversationMessage): MessageParam {
  if (typeof m.content === 'string') return { role: m.role, content: m.content };
  const content: ContentBlockParam[] = m.content.map((b): ContentBlockParam => {
    switch (b.type) {
      case 'text':
        return { type: 'text', text: b.text };
      case 'tool_use':
        return { type: 'tool_use', id: b.id, name: b.name, input: b.input };
      case 'tool_result':
        return { type: 'tool_result', tool_use_id: b.toolUseId, content: b.content, ...(b.isError ? { is_error: true } : {}) };
    }
  });
  return { role: m.role, content };
}

/**
 * One request of the agent loop. The tool definitions come first in the API's cache order (tools → system →
 * messages), so the last one carries a breakpoint as well as the system prompt: both are the same on every turn.
 */
export function toolTurnBody(request: ToolTurnRequest, model: string, maxTokens: number): MessageCreateParamsStreaming {
  const tools: Tool[] = request.tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: { ...t.inputSchema, type: 'object' },
    ...(i === request.tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
  }));
  return {
    model,
    max_tokens: maxTokens,
    stream: true,
    system: systemBody(request.system),
    messages: request.messages.map(messageBody),
    ...(tools.length ? { tools, tool_choice: { type: request.toolChoice } } : {}),
  };
}
