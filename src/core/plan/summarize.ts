// summarize: the plan as compact evidence for the model — the tree with the numbers that matter and the top findings —
// within a token budget. Detail is dropped in steps until the text fits; the result never exceeds the budget.
import type { Finding } from '../findings';
import { formatFindings } from '../findingsFormat';
import { redactLiterals } from '../sql/redact';
import { totalTimeMs } from './derive';
import type { Plan, PlanNode } from './model';

export interface SummarizeOptions {
  budgetTokens: number;
  /** Replace literals in conditions (and in findings that quote them) with placeholders. */
  redactLiterals?: boolean;
  /** Alias of `redactLiterals`, the name the shared contract uses. */
  redact?: boolean;
  /**
   * End with the findings (default true). A tool result that already lists them with their fixes leaves them out
   * here; they still mark the nodes they are about.
   */
  listFindings?: boolean;
}

/** The usual rule of thumb for English and code with Claude's tokenizer: about four characters per token. */
export const CHARS_PER_TOKEN = 4;
/** Runs of similar siblings longer than this are collapsed into one line (partitions, UNION ALL branches). */
export const COLLAPSE_AFTER = 3;
/** Indentation stops growing past this depth so a pathological deep plan cannot blow up the text. */
const MAX_INDENT = 24;

interface Level {
  conditions: boolean;
  evidence: boolean;
  maxFindings: number;
  /** Nodes whose subtree takes less than this share of the time (or cost) are folded away; 0 keeps all. */
  minShare: number;
  tree: boolean;
}

const levels: Level[] = [
  { conditions: true, evidence: true, maxFindings: 20, minShare: 0, tree: true },
  { conditions: true, evidence: true, maxFindings: 10, minShare: 0.01, tree: true },
  { conditions: false, evidence: true, maxFindings: 8, minShare: 0.05, tree: true },
  { conditions: false, evidence: false, maxFindings: 5, minShare: 0.2, tree: true },
  { conditions: false, evidence: false, maxFindings: 3, minShare: 1, tree: false },
];

const conditionKeys = ['indexCond', 'recheckCond', 'hashCond', 'mergeCond', 'joinFilter', 'filter'] as const;
const conditionNames: Record<(typeof conditionKeys)[number], string> = {
  indexCond: 'Index Cond',
  recheckCond: 'Recheck Cond',
  hashCond: 'Hash Cond',
  mergeCond: 'Merge Cond',
  joinFilter: 'Join Filter',
  filter: 'Filter',
};

function n(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2);
}

/** Collapsing key: same step on the "same" relation once digits are masked (events_p0001 ~ events_p0002). */
function shapeKey(node: PlanNode): string {
  return `${node.nodeType}|${(node.relation ?? node.alias ?? '').replace(/\d+/g, 'N')}|${node.children.length}`;
}

class Writer {
  private readonly parts: string[] = [];
  private size = 0;
  full = false;
  /** With `truncate`, the line that does not fit is cut short (ending in `…`) rather than dropped. */
  constructor(
    private readonly limit: number,
    private readonly truncate = false,
  ) {}
  line(text: string): boolean {
    if (this.full) return false;
    if (this.size + text.length + 1 > this.limit) {
      this.full = true;
      const room = this.limit - this.size - 2;
      if (this.truncate && room >= 20) {
        this.parts.push(`${text.slice(0, room)}…`);
        this.size += room + 2;
      }
      return false;
    }
    this.parts.push(text);
    this.size += text.length + 1;
    return true;
  }
  text(): string {
    return this.parts.join('\n');
  }
}

export function summarize(plan: Plan, findings: readonly Finding[], options: SummarizeOptions): string {
  const limit = Math.max(0, Math.floor(options.budgetTokens * CHARS_PER_TOKEN));
  const redact = options.redactLiterals ?? options.redact ?? false;
  const scrub = redact ? (s: string) => redactLiterals(s, plan.dialect) : (s: string) => s;
  const scrubMessage = redact ? messageScrubber(plan, scrub) : (s: string) => s;
  for (const level of levels) {
    const w = new Writer(limit);
    render(plan, findings, level, w, scrub, scrubMessage, options.listFindings !== false);
    if (!w.full) return w.text();
  }
  // Even the smallest level did not fit: keep what fits of it, cut at a line boundary, and say so.
  const marker = '… (summary truncated to fit the token budget)';
  const w = new Writer(Math.max(0, limit - marker.length - 1), true);
  render(plan, findings, levels[levels.length - 1]!, w, scrub, scrubMessage, options.listFindings !== false);
  const head = w.text();
  if (head.length + marker.length + 1 <= limit) return head ? `${head}\n${marker}` : marker.slice(0, limit);
  return head.slice(0, limit);
}

/** Findings quote conditions verbatim; replace each quoted condition with its redacted form. */
function messageScrubber(plan: Plan, scrub: (s: string) => string): (s: string) => string {
  const pairs = new Map<string, string>();
  const stack: PlanNode[] = [plan.root];
  while (stack.length) {
    const node = stack.pop()!;
    for (const k of conditionKeys) {
      const v = node[k];
      if (v !== undefined && !pairs.has(v)) pairs.set(v, scrub(v));
    }
    stack.push(...node.children);
  }
  const sorted = [...pairs].sort((a, b) => b[0].length - a[0].length);
  return (s) => {
    let out = s;
    for (const [raw, red] of sorted) if (out.includes(raw)) out = out.split(raw).join(red);
    return out;
  };
}

function render(plan: Plan, findings: readonly Finding[], level: Level, w: Writer, scrub: (s: string) => string, scrubMessage: (s: string) => string, listFindings: boolean): void {
  const total = totalTimeMs(plan);
  const byTime = plan.analyzed && total !== undefined;
  const rootCost = plan.root.totalCost ?? 0;
  const what =
    plan.dialect === 'sqlite'
      ? 'SQLite EXPLAIN QUERY PLAN'
      : plan.dialect === 'mysql'
        ? `MySQL/MariaDB ${plan.analyzed ? 'ANALYZE' : 'EXPLAIN (estimates only)'}`
        : plan.analyzed ? 'PostgreSQL EXPLAIN ANALYZE' : 'PostgreSQL EXPLAIN (estimates only)';
  const head = [`${what}, ${n(plan.nodeCount)} nodes`];
  if (plan.planningMs !== undefined) head.push(`planning ${ms(plan.planningMs)} ms`);
  if (plan.executionMs !== undefined) head.push(`execution ${ms(plan.executionMs)} ms`);
  if (!w.line(head.join('; '))) return;
  for (const t of plan.triggers) {
    if (!w.line(`Trigger ${t.constraint ? 'for constraint ' : ''}${t.name}: ${t.timeMs !== undefined ? `${ms(t.timeMs)} ms` : '?'} over ${t.calls ?? '?'} calls`)) return;
  }
  if (plan.jit?.totalMs !== undefined && !w.line(`JIT: ${plan.jit.functions ?? '?'} functions, ${ms(plan.jit.totalMs)} ms`)) return;
  if (plan.settings && Object.keys(plan.settings).length) {
    const s = Object.entries(plan.settings).map(([k, v]) => `${k}=${v}`).join(', ');
    if (!w.line(`Settings: ${s}`)) return;
  }

  const flagged = new Set(findings.map((f) => f.node).filter((x): x is string => x !== undefined));
  if (level.tree) {
    if (!w.line(plan.dialect === 'sqlite' ? 'Plan:' : byTime ? 'Plan (self = exclusive time and share of execution; rows = estimated→actual per loop):' : 'Plan (self = exclusive cost and share of total cost; rows = estimated):')) return;
    const share = (node: PlanNode, inclusive: boolean): number => {
      if (byTime) return ((inclusive ? node.inclusiveMs : node.exclusiveMs) ?? 0) / total;
      if (rootCost > 0) return ((inclusive ? node.totalCost : node.exclusiveCost) ?? 0) / rootCost;
      return 1;
    };
    const describe = (node: PlanNode): string => {
      const parts = [`${node.id} ${node.subplanName ? `[${node.subplanName}] ` : ''}${node.label}`];
      if (node.neverExecuted) parts.push('never executed');
      else if (node.actualRows !== undefined) {
        parts.push(`rows ${n(node.planRows ?? 0)}→${n(node.actualRows)}${(node.loops ?? 1) > 1 ? ` ×${n(node.loops!)} loops` : ''}`);
      } else if (node.planRows !== undefined) parts.push(`rows ~${n(node.planRows)}`);
      if (byTime && node.exclusiveMs !== undefined) parts.push(`self ${ms(node.exclusiveMs)} ms (${Math.round(share(node, false) * 100)}%)`);
      else if (!byTime && node.exclusiveCost !== undefined && rootCost > 0) parts.push(`self cost ${n(node.exclusiveCost)} (${Math.round(share(node, false) * 100)}%)`);
      const b = node.buffers;
      if (b) {
        const bits: string[] = [];
        if (b.sharedHit) bits.push(`hit ${n(b.sharedHit)}`);
        if (b.sharedRead) bits.push(`read ${n(b.sharedRead)}`);
        if (b.tempRead || b.tempWritten) bits.push(`temp ${n(b.tempRead)}/${n(b.tempWritten)}`);
        if (bits.length) parts.push(`buffers ${bits.join(' ')}`);
      }
      if (node.rowsRemovedByFilter) parts.push(`removed by filter ${n(node.rowsRemovedByFilter)}`);
      if (node.rowsRemovedByJoinFilter) parts.push(`removed by join filter ${n(node.rowsRemovedByJoinFilter)}`);
      if (node.sortSpaceType === 'Disk') parts.push(`sort on disk ${n(node.sortSpaceKb ?? 0)} kB`);
      if ((node.hashBatches ?? 1) > 1) parts.push(`hash batches ${node.hashBatches}`);
      if (node.heapFetches) parts.push(`heap fetches ${n(node.heapFetches)}`);
      if (node.lossyHeapBlocks) parts.push(`lossy blocks ${n(node.lossyHeapBlocks)}`);
      if (node.workersPlanned !== undefined) parts.push(`workers ${node.workersLaunched ?? '?'}/${node.workersPlanned}`);
      return parts.join('  ');
    };

    // Iterative preorder with explicit entries for "collapsed" and "folded" lines.
    type Item = { node: PlanNode; depth: number } | { text: string; depth: number };
    const stack: Item[] = [{ node: plan.root, depth: plan.dialect === 'sqlite' ? -1 : 0 }];
    while (stack.length) {
      const item = stack.pop()!;
      const indent = '  '.repeat(Math.max(0, Math.min(item.depth, MAX_INDENT)));
      if ('text' in item) {
        if (!w.line(indent + item.text)) return;
        continue;
      }
      const node = item.node;
      if (item.depth >= 0) {
        if (!w.line(indent + describe(node))) return;
        if (level.conditions || flagged.has(node.id)) {
          for (const k of conditionKeys) {
            const v = node[k];
            if (v !== undefined && !w.line(`${indent}    ${conditionNames[k]}: ${scrub(v)}`)) return;
          }
        }
      }
      const childItems: Item[] = [];
      const kids = node.children;
      let folded = 0;
      for (let i = 0; i < kids.length; ) {
        let j = i + 1;
        const key = shapeKey(kids[i]!);
        while (j < kids.length && shapeKey(kids[j]!) === key) j++;
        const run = kids.slice(i, j);
        const keep = run.length > COLLAPSE_AFTER ? pickRepresentatives(run, flagged, byTime) : run;
        for (const c of keep) {
          if (plan.dialect !== 'sqlite' && level.minShare > 0 && share(c, true) < level.minShare && !flagged.has(c.id)) folded++;
          else childItems.push({ node: c, depth: item.depth + 1 });
        }
        if (keep.length < run.length) {
          const rest = run.filter((c) => !keep.includes(c));
          const first = rest[0]!;
          const name = (first.relation ?? first.alias ?? '').replace(/\d+/g, 'N');
          const restMs = rest.reduce((s, c) => s + (c.inclusiveMs ?? 0), 0);
          const detail = byTime ? `, ${ms(restMs)} ms in total` : '';
          childItems.push({ text: `… ${n(rest.length)} more ${first.nodeType}${name ? ` on ${name}` : ''} (similar${detail})`, depth: item.depth + 1 });
        }
        i = j;
      }
      if (folded) childItems.push({ text: `… ${n(folded)} more small subtree${folded > 1 ? 's' : ''} (under ${Math.round(level.minShare * 100)}% each)`, depth: item.depth + 1 });
      for (let k = childItems.length - 1; k >= 0; k--) stack.push(childItems[k]!);
    }
  }

  const top = listFindings ? findings.slice(0, level.maxFindings) : [];
  if (!top.length) return;
  if (!w.line(`Findings (${findings.length}, highest score first; score 0–5 = share of time a fix could save):`)) return;
  // The same [F1] ids and wording as the <findings> section, without the fixes (they are there already).
  for (const line of formatFindings(top.map(withoutFix), 'prompt', { scrub: scrubMessage, evidence: level.evidence }).split('\n')) {
    if (!w.line(line)) return;
  }
  if (findings.length > top.length) w.line(`… ${findings.length - top.length} more findings`);
}

/** Keeps the first member of a run of similar siblings, plus the most expensive and any flagged ones (up to three). */
function pickRepresentatives(run: PlanNode[], flagged: ReadonlySet<string>, byTime: boolean): PlanNode[] {
  const keep = new Set<PlanNode>([run[0]!]);
  let heaviest = run[0]!;
  for (const c of run) {
    if ((byTime ? (c.inclusiveMs ?? 0) > (heaviest.inclusiveMs ?? 0) : (c.totalCost ?? 0) > (heaviest.totalCost ?? 0))) heaviest = c;
  }
  keep.add(heaviest);
  for (const c of run) {
    if (keep.size >= 3) break;
    if (flagged.has(c.id)) keep.add(c);
  }
  return run.filter((c) => keep.has(c));
}

function withoutFix(f: Finding): Finding {
  const { fix: _fix, ...rest } = f;
  return rest;
}
