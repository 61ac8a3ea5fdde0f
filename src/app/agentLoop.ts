// The model-call step of the one pipeline when tools are offered: ask, run the tools the model calls, answer every
// call in the very next user message, ask again — until the model answers in text or the step cap is reached.
// Nothing throws out of it except the model client's LlmError (cancel included), which the pipeline turns into its
// terminal event.
import type { ConversationBlock, ConversationMessage, PromptRequest, ToolSpec } from '../core/prompt/types';
import type { ProposedEdit, TodoItem, ToolDefinition, ToolRegistry } from '../core/tools/types';
import type { Finding } from '../core/findings';
import { LlmError } from '../llm/errors';
import type { LlmClient, LlmUsage, ToolCall } from '../llm/client';

/** One tool call as the faces show it: a compact line that expands to its input and result. */
export interface ToolStep {
  /** The model's tool_use id. */
  id: string;
  name: string;
  /** The input as JSON text (what the model sent). */
  input: string;
  summary: string;
  /** What the model read back. */
  result: string;
  isError: boolean;
}

export type AgentEvent =
  | { type: 'toolStart'; id: string; name: string; input: string }
  | ({ type: 'toolStep'; findings?: Finding[] } & ToolStep)
  | { type: 'todos'; items: TodoItem[] }
  | { type: 'proposedEdit'; id: string; edit: ProposedEdit };

export interface AgentLoopOptions {
  /** At most this many tool rounds; then one more request without tools for the answer. */
  maxSteps: number;
  /** Whether tools run with `redactLiterals` on. */
  redact: boolean;
  /** The last net over every text sent back to the model (scrubs this turn's literal values when redacting). */
  scrub: (text: string) => string;
  onText: (delta: string) => void;
  onEvent: (event: AgentEvent) => void;
}

export interface AgentLoopResult {
  text: string;
  steps: ToolStep[];
  /** Summed over the turns. */
  usage: LlmUsage | null;
  /** Requests made (one more than the tool rounds, unless cancelled). */
  turns: number;
}

export const defaultMaxSteps = 10;

export function toolSpecs(definitions: readonly ToolDefinition[]): ToolSpec[] {
  return definitions.map((d) => ({ name: d.name, description: d.description, inputSchema: { ...d.inputSchema } }));
}

export function stepCapNote(maxSteps: number): string {
  return `You have used all ${maxSteps} tool rounds allowed for this question. Answer now from what you have, without calling tools; say what you could not check.`;
}

function addUsage(total: LlmUsage | null, u: LlmUsage | null): LlmUsage | null {
  if (!u) return total;
  if (!total) return { ...u };
  return {
    inputTokens: total.inputTokens + u.inputTokens,
    outputTokens: total.outputTokens + u.outputTokens,
    cacheCreationInputTokens: total.cacheCreationInputTokens + u.cacheCreationInputTokens,
    cacheReadInputTokens: total.cacheReadInputTokens + u.cacheReadInputTokens,
  };
}

/** Every string inside a JSON value through `scrub` (a tool call's input echoed back to the model). */
function scrubJson(value: unknown, scrub: (s: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, scrub));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v, scrub)]));
  return value;
}

export async function runAgentLoop(
  llm: LlmClient,
  prompt: PromptRequest,
  tools: ToolRegistry,
  options: AgentLoopOptions,
  signal: AbortSignal,
): Promise<AgentLoopResult> {
  const definitions = tools.definitions();
  const specs = toolSpecs(definitions);
  const offered = new Set<string>(definitions.map((d) => d.name));
  const messages: ConversationMessage[] = prompt.messages.map((m) => ({ role: m.role, content: m.content }));
  const steps: ToolStep[] = [];
  let text = '';
  let usage: LlmUsage | null = null;
  let rounds = 0;
  let turns = 0;
  let turnStart = true;
  const onText = (delta: string): void => {
    // Text of an earlier turn ("Let me look at the table.") and the next one's stay apart.
    const sep = turnStart && text && !text.endsWith('\n\n') ? (text.endsWith('\n') ? '\n' : '\n\n') : '';
    turnStart = false;
    text += sep + delta;
    options.onText(sep + delta);
  };

  for (;;) {
    const final = rounds >= options.maxSteps;
    turnStart = true;
    let turn;
    try {
      turns++;
      turn = await llm.streamTurn({ system: prompt.system, messages, tools: specs, toolChoice: final ? 'none' : 'auto' }, onText, signal);
    } catch (err) {
      // The partial text of this turn comes after everything streamed before it.
      if (err instanceof LlmError) throw new LlmError(err.kind, err.message, { ...err.details, partialText: text });
      throw err;
    }
    usage = addUsage(usage, turn.usage);
    const calls = turn.blocks.filter((b): b is { type: 'tool_use' } & ToolCall => b.type === 'tool_use');
    // After the cap the model was told to answer; a call it makes anyway is not run, and the turn ends here.
    if (turn.stopReason !== 'tool_use' || calls.length === 0 || final) {
      return { text, steps, usage, turns };
    }
    rounds++;
    messages.push({
      role: 'assistant',
      content: turn.blocks.map((b): ConversationBlock =>
        b.type === 'text' ? b : { type: 'tool_use', id: b.id, name: b.name, input: scrubJson(b.input, options.scrub) },
      ),
    });
    const results: ConversationBlock[] = [];
    // Calls run one after another, in the model's order: database calls share one connection, and a cancel stops the
    // running call and every later one. Their results go back together in one user message.
    for (const call of calls) {
      const input = JSON.stringify(call.input);
      options.onEvent({ type: 'toolStart', id: call.id, name: call.name, input });
      let outcome;
      if (call.inputError) {
        outcome = { isError: true, text: `Invalid input for ${call.name}: ${call.inputError}. Send the input as one JSON object matching the tool's input schema.`, summary: `${call.name}: invalid input` };
      } else if (!offered.has(call.name)) {
        outcome = { isError: true, text: `Unknown tool "${call.name}". The tools offered are: ${[...offered].join(', ')}.`, summary: `${call.name}: not offered` };
      } else if (signal.aborted) {
        outcome = { isError: true, text: 'Cancelled by the user.', summary: `${call.name}: cancelled` };
      } else {
        outcome = await tools.run(call.name, call.input, { signal, redact: options.redact });
      }
      const step: ToolStep = { id: call.id, name: call.name, input, summary: outcome.summary, result: outcome.text, isError: outcome.isError };
      steps.push(step);
      options.onEvent({ type: 'toolStep', ...step, ...('findings' in outcome && outcome.findings ? { findings: outcome.findings } : {}) });
      if ('todos' in outcome && outcome.todos) options.onEvent({ type: 'todos', items: outcome.todos });
      if ('edit' in outcome && outcome.edit && !outcome.isError) options.onEvent({ type: 'proposedEdit', id: call.id, edit: outcome.edit });
      results.push({ type: 'tool_result', toolUseId: call.id, content: options.scrub(outcome.text), isError: outcome.isError });
    }
    if (signal.aborted) throw new LlmError('cancelled', 'Stopped.', { partialText: text });
    if (rounds >= options.maxSteps) results.push({ type: 'text', text: stepCapNote(options.maxSteps) });
    messages.push({ role: 'user', content: results });
  }
}
