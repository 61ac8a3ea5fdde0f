// Prompt builders for every task: persona + evidence in, a provider-neutral PromptRequest out. Pure.
import type { Finding } from '../findings';
import { formatFindings } from '../findingsFormat';
import type { Dialect } from '../sql/dialect';
import { productPreamble, taskInstructions } from './preamble';
import { section } from './sections';
import type { PromptMessage, PromptRequest, Task } from './types';

export interface PromptInput {
  task: Task;
  /** The persona body (Markdown after the front matter). */
  personaBody: string;
  dialect: Dialect;
  sql?: string;
  /** `summarize(plan, findings, …)` output, already within its token budget. */
  planEvidence?: string;
  findings?: readonly Finding[];
  schemaFacts?: string;
  question?: string;
  /** Earlier turns, oldest first, as plain text. */
  history?: readonly PromptMessage[];
}

/** Turns kept from the history; older turns are dropped so a long chat cannot grow the prompt without bound. */
export const maxHistoryMessages = 20;

export function systemBlocks(personaBody: string): PromptRequest['system'] {
  return [
    { text: personaBody.trim() || 'You are a staff-level data engineer.', cache: false },
    { text: productPreamble, cache: true },
  ];
}

function cleanHistory(history: readonly PromptMessage[]): PromptMessage[] {
  const out: PromptMessage[] = [];
  for (const m of history.slice(-maxHistoryMessages)) {
    const content = m.content.trim();
    if (!content) continue;
    const last = out.at(-1);
    // The Messages API wants alternating roles starting with the user; merge runs instead of dropping text.
    if (last && last.role === m.role) last.content += `\n\n${content}`;
    else out.push({ role: m.role, content });
  }
  while (out[0]?.role === 'assistant') out.shift();
  if (out.at(-1)?.role === 'user') out.push({ role: 'assistant', content: '(no answer)' });
  return out;
}

export function buildPrompt(input: PromptInput): PromptRequest {
  const parts: string[] = [section('task', `${input.task}: ${taskInstructions[input.task]}`)];
  if (input.sql?.trim()) parts.push(section('sql', input.sql, { dialect: input.dialect }));
  if (input.planEvidence?.trim()) parts.push(section('plan_evidence', input.planEvidence));
  else if (input.task === 'explain' || input.task === 'optimize')
    parts.push(section('plan_evidence', 'None: no database connection was available, so no EXPLAIN plan was captured.'));
  if (input.findings && (input.findings.length || input.task !== 'chat')) parts.push(section('findings', formatFindings(input.findings)));
  if (input.schemaFacts?.trim()) parts.push(section('schema_facts', input.schemaFacts));
  if (input.question?.trim()) parts.push(section('question', input.question));
  return {
    system: systemBlocks(input.personaBody),
    messages: [...cleanHistory(input.history ?? []), { role: 'user', content: parts.join('\n\n') }],
  };
}
