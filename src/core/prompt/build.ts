// Prompt builders for every task: persona + evidence in, a provider-neutral PromptRequest out. Pure.
import type { Finding } from '../findings';
import { formatFindings } from '../findingsFormat';
import type { Dialect } from '../sql/dialect';
import { agentInstructions, productPreamble, taskInstructions } from './preamble';
import { section } from './sections';
import type { PromptMessage, PromptRequest, Task, TurnEvidence } from './types';

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
  /** Earlier turns, oldest first; user turns may carry the evidence they sent. */
  history?: readonly PromptMessage[];
  /** Token budget for the evidence of earlier turns (`dataeng.evidence.tokenBudget`); the oldest is summarized first. */
  historyEvidenceBudgetTokens?: number;
  /** Tools are offered (the agent loop): the system prompt says how to use them and cite their results. */
  withTools?: boolean;
}

/** About four characters per token, as `summarize` counts. */
const charsPerToken = 4;

/** How much of one turn's evidence the history keeps: all of it, the SQL and findings only, or a note. */
type EvidenceLevel = 'full' | 'findings' | 'none';

function evidenceText(e: TurnEvidence, level: EvidenceLevel): string {
  // The proof of the answer is short and is what the model most needs to correct itself: it stays at every level.
  const proof = e.proof?.trim() ? section('proof', e.proof) : '';
  if (level === 'none') {
    const omitted = e.sql || e.findings || e.plan || e.schema ? section('plan_evidence', 'Evidence of this earlier turn omitted to fit the token budget.') : '';
    return [omitted, proof].filter(Boolean).join('\n\n');
  }
  const parts: string[] = [];
  if (e.sql?.trim()) parts.push(section('sql', e.sql, e.dialect ? { dialect: e.dialect } : {}));
  if (level === 'full' && e.plan?.trim()) parts.push(section('plan_evidence', e.plan));
  if (e.findings?.trim()) parts.push(section('findings', e.findings));
  if (level === 'full' && e.schema?.trim()) parts.push(section('schema_facts', e.schema));
  if (proof) parts.push(proof);
  return parts.join('\n\n');
}

/**
 * Earlier turns with the evidence they sent, within a token budget: every turn starts with all of its evidence, and
 * while the total is over budget the oldest turn still holding more than a note is cut down a level (all → SQL and
 * findings → a note). So the most recent evidence survives longest.
 */
function withEvidence(history: readonly PromptMessage[], budgetTokens: number): PromptMessage[] {
  const levels: EvidenceLevel[] = history.map(() => 'full');
  const size = (i: number): number => {
    const e = history[i]!.evidence;
    return e ? evidenceText(e, levels[i]!).length : 0;
  };
  let total = history.reduce((n, _, i) => n + size(i), 0);
  const limit = budgetTokens * charsPerToken;
  for (let i = 0; i < history.length && total > limit; ) {
    if (!history[i]!.evidence || levels[i] === 'none') {
      i++;
      continue;
    }
    const before = size(i);
    levels[i] = levels[i] === 'full' ? 'findings' : 'none';
    total += size(i) - before;
  }
  return history.map((m, i) => {
    if (!m.evidence) return { role: m.role, content: m.content };
    const evidence = evidenceText(m.evidence, levels[i]!);
    return { role: m.role, content: evidence ? `${evidence}\n\n${m.content}` : m.content };
  });
}

/** Turns kept from the history; older turns are dropped so a long chat cannot grow the prompt without bound. */
export const maxHistoryMessages = 20;

export function systemBlocks(personaBody: string, withTools = false): PromptRequest['system'] {
  return [
    { text: personaBody.trim() || 'You are a staff-level data engineer.', cache: false },
    ...(withTools ? [{ text: agentInstructions, cache: false }] : []),
    { text: productPreamble, cache: true },
  ];
}

function cleanHistory(history: readonly PromptMessage[], evidenceBudgetTokens: number): PromptMessage[] {
  const out: PromptMessage[] = [];
  for (const m of withEvidence(history.slice(-maxHistoryMessages), evidenceBudgetTokens)) {
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
    system: systemBlocks(input.personaBody, input.withTools === true),
    messages: [...cleanHistory(input.history ?? [], input.historyEvidenceBudgetTokens ?? 3000), { role: 'user', content: parts.join('\n\n') }],
  };
}
