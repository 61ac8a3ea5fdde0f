// What the prompt builders produce: provider-neutral, so src/core stays free of the SDK.

export type Task = 'explain' | 'optimize' | 'review-schema' | 'chat';

export const tasks: readonly Task[] = ['explain', 'optimize', 'review-schema', 'chat'];

export interface PromptBlock {
  text: string;
  /** Marks the end of a prefix the provider may cache (the persona and product preamble never change per question). */
  cache: boolean;
}

export interface PromptMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface PromptRequest {
  system: PromptBlock[];
  messages: PromptMessage[];
}
