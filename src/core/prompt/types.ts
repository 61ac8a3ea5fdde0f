// What the prompt builders produce: provider-neutral, so src/core stays free of the SDK.

export type Task = 'explain' | 'optimize' | 'review-schema' | 'chat';

export const tasks: readonly Task[] = ['explain', 'optimize', 'review-schema', 'chat'];

export interface PromptBlock {
  text: string;
  /** Marks the end of a prefix the provider may cache (the persona and product preamble never change per question). */
  cache: boolean;
}

/**
 * The data one earlier turn sent with its question: its SQL and the evidence gathered for it (as sent: already
 * redacted when redaction was on). Kept with the turn, so a follow-up ("why is F2 a problem?") can be answered.
 */
export interface TurnEvidence {
  sql?: string;
  dialect?: string;
  /** The plan summary (`summarize`), and any EXPLAIN notes. */
  plan?: string;
  /** The formatted findings with their [F1] ids (`formatFindings`). */
  findings?: string;
  schema?: string;
  /**
   * What the extension verified about the answer to this turn (rewrites compared, indexes tried: verdicts and numbers,
   * never sample rows), so the model can correct itself in the next turn.
   */
  proof?: string;
}

export interface PromptMessage {
  role: 'user' | 'assistant';
  content: string;
  /** User turns of the history: the evidence that turn sent (see TurnEvidence). */
  evidence?: TurnEvidence;
}

export interface PromptRequest {
  system: PromptBlock[];
  messages: PromptMessage[];
}

/** One block of an agent-loop message (provider-neutral; src/llm turns it into Messages API content blocks). */
export type ConversationBlock =
  | { type: 'text'; text: string }
  /** The model's call; `input` is what it sent, parsed (`{}` when its JSON did not parse). */
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; content: string; isError: boolean };

/** A message of the agent loop: the prompt's messages, then assistant turns with tool calls and user turns with results. */
export interface ConversationMessage {
  role: 'user' | 'assistant';
  content: string | ConversationBlock[];
}

/** A tool as the model is offered it (the provider-neutral half of the Messages API's `tools`). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** One request of the agent loop: the cached system prompt, the conversation so far and the tools offered. */
export interface ToolTurnRequest {
  system: PromptBlock[];
  messages: ConversationMessage[];
  tools: ToolSpec[];
  /** `none`: the model must answer in text (after the step cap); the tools stay in the request so the cache holds. */
  toolChoice: 'auto' | 'none';
}
