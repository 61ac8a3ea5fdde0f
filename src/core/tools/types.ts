// The tools: one set of operations with three faces — the persona's agent loop (chat, @dataeng participant, `dataeng
// ask`), the MCP server (`dataeng mcp`) and VS Code's language-model tools. Every face offers these names with these
// inputs, runs them through `ToolRegistry.run`, and shows `ToolOutcome` its own way. Pure types: no I/O here.
import type { Finding } from '../findings';

/** The agent's tools (issue 14), with fixed names and inputs: other surfaces and tests depend on them. */
export const agentToolNames = [
  'explain_query',
  'describe_table',
  'review_schema',
  'what_if_index',
  'compare_results',
  'read_file',
  'list_files',
  'grep',
  'propose_edit',
  'todo_write',
] as const;

/** Only outside the agent loop (MCP, language-model tools): the model of another agent has no plan or connection list. */
export const externalToolNames = ['analyze_plan', 'list_connections'] as const;

export type ToolName = (typeof agentToolNames)[number] | (typeof externalToolNames)[number];

export const databaseToolNames: readonly ToolName[] = ['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results'];
export const readToolNames: readonly ToolName[] = ['read_file', 'list_files', 'grep'];

/** A JSON Schema for a tool's input (the Messages API's `input_schema`, MCP's `inputSchema`, VS Code's `inputSchema`). */
export interface ToolInputSchema {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
}

export interface ToolDefinition {
  name: ToolName;
  /** For the model: what the tool returns and what it refuses. */
  description: string;
  inputSchema: ToolInputSchema;
}

/** `propose_edit`: never written by the tool; the face shows a diff the user applies (one undoable edit) or rejects. */
export interface ProposedEdit {
  /** Workspace-relative, `/`-separated. */
  path: string;
  oldText: string;
  newText: string;
}

export type TodoStatus = 'pending' | 'in_progress' | 'done';

export interface TodoItem {
  text: string;
  status: TodoStatus;
}

/** What one tool call produced. */
export interface ToolOutcome {
  /** The call failed, was refused or declined, or its input was invalid: the model reads `text` and can act on it. */
  isError: boolean;
  /** What the model reads (redacted when redaction is on), capped at about 8 KB and summarized beyond that. */
  text: string;
  /** One line for the user: "EXPLAIN ANALYZE on orders: 2 findings", "Read models/orders.sql". */
  summary: string;
  /** Findings the call produced (explain_query, review_schema, analyze_plan), for citing and rendering. */
  findings?: Finding[];
  /** propose_edit only. */
  edit?: ProposedEdit;
  /** todo_write only: the whole list, replacing the previous one. */
  todos?: TodoItem[];
}

export interface ToolCallContext {
  signal: AbortSignal;
  /** `dataeng.privacy.redactLiterals`: no literal of the user's data or SQL in `text`. */
  redact: boolean;
  /** MCP: which connection (a name or URL given to the server); absent: the face's current/first connection. */
  connection?: string;
}

export interface ToolRegistry {
  /** The tools offered, in a stable order (the last one carries the prompt-cache breakpoint in the loop). */
  definitions(): ToolDefinition[];
  /**
   * Runs one call. Never throws: an unknown or not-offered tool, input that fails its schema, a refusal, a declined
   * consent, a database or file error, a cancel — each comes back as `isError: true` with a message the model can act on.
   */
  run(name: string, input: unknown, context: ToolCallContext): Promise<ToolOutcome>;
}
