// The one formatter of findings. Every face shows the same finding the same way and with the same [F1] id: the
// prompt's <findings> section and the plan evidence, the CLI, the chat webview, the @dataeng participant, editor
// diagnostics, and the agent's and MCP's tool results. A face picks a style; none formats findings on its own.
import type { Finding, Severity } from './findings';
import { code, escapeMarkdown } from './markdown';

/** `F1`, `F2`… in the order given (already sorted by `sortFindings`). The model cites them as `[F1]`. */
export function findingId(index: number): string {
  return `F${index + 1}`;
}

/** Where a finding points: the plan node (`#3`) or the schema object (`public.orders`). */
export function findingWhere(f: Pick<Finding, 'node' | 'object'>): string | undefined {
  return f.node ?? f.object;
}

/** A finding as the webview and other structured faces show it. */
export interface FindingView {
  id: string;
  rule: string;
  severity: Severity;
  message: string;
  where?: string;
  /** The plan node the finding is about, when it is a plan finding (links the finding to the plan view). */
  node?: string;
  fix?: string;
}

export function toFindingViews(findings: readonly Finding[]): FindingView[] {
  return findings.map((f, i) => {
    const where = findingWhere(f);
    return {
      id: findingId(i),
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(where ? { where } : {}),
      ...(f.node ? { node: f.node } : {}),
      ...(f.fix ? { fix: f.fix } : {}),
    };
  });
}

export type FindingsStyle =
  /** The model's view: id, severity, rule, place, score, message, fix. */
  | 'prompt'
  /** A terminal: aligned columns, no score. */
  | 'terminal'
  /** Markdown (the @dataeng participant): messages escaped, rule ids as code. */
  | 'markdown';

export interface FormatOptions {
  /** Rewrites text that came from the database (messages, evidence strings) before it is shown, e.g. redaction. */
  scrub?: (text: string) => string;
  /** Append the numbers behind each finding (`rows=…, share=…`). */
  evidence?: boolean;
  /** Number the findings from this index (default 0): a list that continues another keeps its ids. */
  firstIndex?: number;
}

const none = 'No findings: the rules found nothing notable.';

/** One line per finding (two with a fix), in the given style. */
export function formatFindings(findings: readonly Finding[], style: FindingsStyle = 'prompt', options: FormatOptions = {}): string {
  if (findings.length === 0) return none;
  const scrub = options.scrub ?? ((s: string) => s);
  const first = options.firstIndex ?? 0;
  return findings.map((f, i) => formatFinding(f, first + i, style, scrub, options.evidence === true)).join('\n');
}

function evidenceOf(f: Finding, scrub: (s: string) => string): string {
  return Object.entries(f.evidence)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? scrub(v) : String(v)}`)
    .join(', ');
}

function formatFinding(f: Finding, index: number, style: FindingsStyle, scrub: (s: string) => string, withEvidence: boolean): string {
  const id = findingId(index);
  const place = f.node ? ` at ${f.node}` : f.object ? ` on ${f.object}` : '';
  const message = scrub(f.message);
  const ev = withEvidence ? evidenceOf(f, scrub) : '';
  switch (style) {
    case 'prompt':
      return `[${id}] ${f.severity} ${f.rule}${place} (score ${f.score}): ${message}${ev ? ` (${ev})` : ''}${f.fix ? `\n  suggested fix: ${f.fix}` : ''}`;
    case 'terminal':
      return `  [${id}] ${f.severity.padEnd(8)} ${f.rule}${place}: ${message}${ev ? ` (${ev})` : ''}${f.fix ? `\n           fix: ${f.fix}` : ''}`;
    case 'markdown': {
      const where = f.node ?? f.object;
      const fix = f.fix ? `\n  \n  Fix: ${code(f.fix)}` : '';
      return `- **[${id}]** ${f.severity} ${code(f.rule)}${where ? ` at ${code(where)}` : ''} — ${escapeMarkdown(message)}${fix}`;
    }
  }
}

/** A finding as one plain message (editor diagnostics, notifications): the message, then the fix. */
export function findingMessage(f: Pick<Finding, 'message' | 'fix'>): string {
  return f.fix ? `${f.message}\nFix: ${f.fix}` : f.message;
}
