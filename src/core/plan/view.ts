// The plan view's model: a flat, JSON-safe copy of a plan and its findings (what the host sends to the webview and what
// the HTML report embeds), and the rows a viewer draws from it. Pure, so the extension host, the CLI, the webview and
// the report all compute the same rows, and the tests check them without a browser.
//
// The plan is flattened on the host because a nested tree would be serialized recursively (postMessage, JSON): a
// 10,000-deep plan must cross to the webview as a list with parent indices, never as nesting.
import type { Finding, Severity } from '../findings';
import type { Dialect } from '../sql/dialect';
import type { Jit, Plan, PlanFormat, PlanNode, Trigger } from './model';

/** A node without its children, plus the index of its parent in `FlatPlan.nodes` (-1 for the root). */
export type FlatNode = Omit<PlanNode, 'children'> & { parent: number };

/** What a plan view is built from: the plan in preorder, its plan-wide fields, and its findings. */
export interface FlatPlan {
  dialect: Dialect;
  format: PlanFormat;
  analyzed: boolean;
  nodeCount: number;
  planningMs?: number;
  executionMs?: number;
  triggers: Trigger[];
  jit?: Jit;
  settings?: Record<string, string>;
  queryIdentifier?: string;
  /** Every node in preorder; index 0 is the root. */
  nodes: FlatNode[];
  /** Plan findings in the order the chat numbers them (F1 is the first). */
  findings: Finding[];
  /** What the parser read with a loss (a field left out, wrapped lines joined…): shown, never dropped silently. */
  warnings: string[];
}

/** Flattens a parsed plan without recursion. Findings about schema objects (no `node`) are left out. */
export function flattenPlan(plan: Plan, findings: readonly Finding[] = []): FlatPlan {
  const nodes: FlatNode[] = [];
  const stack: PlanNode[] = [plan.root];
  const parents: number[] = [-1];
  while (stack.length) {
    const node = stack.pop()!;
    const parent = parents.pop()!;
    const { children, ...fields } = node;
    const index = nodes.length;
    nodes.push({ ...fields, parent });
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i]!);
      parents.push(index);
    }
  }
  const flat: FlatPlan = {
    dialect: plan.dialect,
    format: plan.format,
    analyzed: plan.analyzed,
    nodeCount: plan.nodeCount,
    triggers: plan.triggers,
    nodes,
    findings: findings.filter((f) => f.object === undefined),
    warnings: [...plan.warnings],
  };
  if (plan.planningMs !== undefined) flat.planningMs = plan.planningMs;
  if (plan.executionMs !== undefined) flat.executionMs = plan.executionMs;
  if (plan.jit !== undefined) flat.jit = plan.jit;
  if (plan.settings !== undefined) flat.settings = plan.settings;
  if (plan.queryIdentifier !== undefined) flat.queryIdentifier = plan.queryIdentifier;
  return flat;
}

/** What the bars measure: exclusive time with ANALYZE, exclusive cost without, nothing for SQLite. */
export type ViewMetric = 'time' | 'cost' | 'none';

export interface Misestimate {
  /** How many times off the estimate was (≥ 1). */
  factor: number;
  /** `under`: more rows came than the planner expected; `over`: fewer. */
  direction: 'under' | 'over';
}

export interface ViewNode {
  id: string;
  parent: number;
  depth: number;
  /** Index just past this node's last descendant: the subtree is `[index, end)`. */
  end: number;
  /** The node type as PostgreSQL prints it (`Parallel Seq Scan`, `Hash Left Join`), or SQLite's step. */
  head: string;
  /** Short label from the relation, index and join type (`orders o · using orders_pkey`). */
  detail: string;
  /** The whole label, as the text format prints it. */
  label: string;
  /** Exclusive time (ms) or exclusive cost, per `PlanView.metric`. */
  metric?: number;
  /** Inclusive time (ms) or total cost. */
  inclusive?: number;
  /** Estimated rows per loop. */
  planRows?: number;
  /** Actual rows per loop. */
  actualRows?: number;
  loops?: number;
  neverExecuted: boolean;
  misestimate?: Misestimate;
  /** Shared + local buffers hit and read. */
  hit?: number;
  read?: number;
  workersPlanned?: number;
  workersLaunched?: number;
  /** Indices into `PlanView.findings`. */
  findings: number[];
}

export interface ViewFinding extends Finding {
  /** `F1`, `F2` …: the id the chat cites. */
  id: string;
  /** Index of the node the badge sits on (the root for plan-wide findings). */
  nodeIndex: number;
  /** Not about one node (planning time, JIT, triggers, or a node id the plan does not have): pinned on the root. */
  planWide: boolean;
}

export interface PlanView {
  flat: FlatPlan;
  metric: ViewMetric;
  /** The largest `metric` of any node: bars are drawn relative to it. */
  maxMetric: number;
  /** Sum of every node's `metric`: the share column divides by it. */
  totalMetric: number;
  nodes: ViewNode[];
  findings: ViewFinding[];
  /** Node index by id (`#3` → 2). */
  byId: Map<string, number>;
}

const severityRank: Record<Severity, number> = { critical: 2, warning: 1, info: 0 };

/** Rules about the whole statement rather than one node, pinned on the root by design. */
export const planWideRules: ReadonlySet<string> = new Set(['planning-time', 'jit-overhead', 'trigger-time']);

export function buildPlanView(flat: FlatPlan): PlanView {
  const n = flat.nodes.length;
  const metric: ViewMetric = flat.analyzed ? 'time' : flat.nodes.some((x) => x.totalCost !== undefined) ? 'cost' : 'none';
  const nodes: ViewNode[] = new Array<ViewNode>(n);
  const byId = new Map<string, number>();
  let maxMetric = 0;
  let totalMetric = 0;
  for (let i = 0; i < n; i++) {
    const f = flat.nodes[i]!;
    const depth = f.parent < 0 ? 0 : nodes[f.parent]!.depth + 1;
    const m = metric === 'time' ? f.exclusiveMs : metric === 'cost' ? f.exclusiveCost : undefined;
    if (m !== undefined) {
      if (m > maxMetric) maxMetric = m;
      totalMetric += m;
    }
    const v: ViewNode = {
      id: f.id,
      parent: f.parent,
      depth,
      end: i + 1,
      head: headOf(f, flat.dialect),
      detail: detailOf(f, flat.dialect),
      label: f.label,
      metric: m,
      inclusive: metric === 'time' ? f.inclusiveMs : metric === 'cost' ? f.totalCost : undefined,
      planRows: f.planRows,
      actualRows: f.actualRows,
      loops: f.loops,
      neverExecuted: f.neverExecuted === true,
      misestimate: misestimateOf(f),
      hit: f.buffers ? f.buffers.sharedHit + f.buffers.localHit : undefined,
      read: f.buffers ? f.buffers.sharedRead + f.buffers.localRead : undefined,
      workersPlanned: f.workersPlanned,
      workersLaunched: f.workersLaunched,
      findings: [],
    };
    nodes[i] = v;
    byId.set(f.id, i);
  }
  // Subtree ends, children before parents (preorder walked backwards).
  for (let i = n - 1; i > 0; i--) {
    const p = nodes[i]!.parent;
    if (p >= 0 && nodes[i]!.end > nodes[p]!.end) nodes[p]!.end = nodes[i]!.end;
  }
  const findings: ViewFinding[] = flat.findings.map((f, i) => {
    const at = f.node !== undefined ? byId.get(f.node) : undefined;
    const nodeIndex = at ?? 0;
    return { ...f, id: `F${i + 1}`, nodeIndex, planWide: at === undefined || (at === 0 && planWideRules.has(f.rule)) };
  });
  for (let i = 0; i < findings.length; i++) nodes[findings[i]!.nodeIndex]?.findings.push(i);
  // Worst first on every node, so the first badge is the one to read.
  for (const v of nodes) if (v.findings.length > 1) v.findings.sort((a, b) => severityRank[findings[b]!.severity] - severityRank[findings[a]!.severity] || findings[b]!.score - findings[a]!.score);
  return { flat, metric, maxMetric, totalMetric, nodes, findings, byId };
}

/** The node type part of the label: everything before the target (` on …`) or the index (` using …`). */
function headOf(f: FlatNode, dialect: Dialect): string {
  if (dialect === 'sqlite') return f.nodeType;
  const label = f.label || f.nodeType;
  const on = label.indexOf(' on ');
  const using = label.indexOf(' using ');
  const cut = [on, using].filter((x) => x > 0);
  return cut.length ? label.slice(0, Math.min(...cut)) : label;
}

function detailOf(f: FlatNode, dialect: Dialect): string {
  if (dialect === 'sqlite') {
    const detail = f.detail ?? f.label;
    return detail.startsWith(f.nodeType) ? detail.slice(f.nodeType.length).trim() : detail;
  }
  const parts: string[] = [];
  if (f.subplanName !== undefined) parts.push(f.subplanName);
  const name = f.relation ?? f.cteName ?? (f.functionName !== undefined ? `${f.functionName}()` : undefined);
  if (name !== undefined) {
    const qualified = f.schema !== undefined && f.relation !== undefined ? `${f.schema}.${name}` : name;
    parts.push(f.alias !== undefined && f.alias !== f.relation && f.alias !== f.cteName && f.alias !== f.functionName ? `${qualified} ${f.alias}` : qualified);
  } else if (f.alias !== undefined) parts.push(f.alias);
  if (f.index !== undefined) parts.push(`using ${f.index}`);
  if (f.joinType !== undefined) parts.push(`${f.joinType.toLowerCase()} join`);
  return parts.join(' · ');
}

/**
 * Lower-case text the search box matches: node type, label, relation, schema, alias, index, CTE, function and subplan
 * names. Computed when a search first runs, not for every view.
 */
export function searchText(f: FlatNode): string {
  return [f.nodeType, f.label, f.relation, f.schema, f.alias, f.index, f.cteName, f.functionName, f.subplanName]
    .filter((x): x is string => x !== undefined)
    .join('\n')
    .toLowerCase();
}

/**
 * Estimated against actual rows per loop. Zero counts as one, as explain.depesz.com does, so a node that returned
 * nothing where one row was expected is not reported as infinitely wrong.
 */
export function misestimateOf(f: Pick<PlanNode, 'planRows' | 'actualRows' | 'neverExecuted'>): Misestimate | undefined {
  if (f.planRows === undefined || f.actualRows === undefined || f.neverExecuted) return undefined;
  const planned = Math.max(1, f.planRows);
  const actual = Math.max(1, f.actualRows);
  if (planned === actual) return { factor: 1, direction: 'under' };
  return actual > planned ? { factor: actual / planned, direction: 'under' } : { factor: planned / actual, direction: 'over' };
}

// ---- formatting ------------------------------------------------------------------------------------------------

/** `0.012 ms`, `12.3 ms`, `1,234 ms`, `12.5 s`. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms < 10) return `${trim(ms.toFixed(3))} ms`;
  if (ms < 1000) return `${trim(ms.toFixed(1))} ms`;
  if (ms < 10_000) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${trim((ms / 1000).toFixed(1))} s`;
}

/** `714`, `9,999`, `71.4k`, `7.14M`. */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a < 10_000) return (Math.round(n * 100) / 100).toLocaleString('en-US');
  const [div, unit] = a >= 1e9 ? [1e9, 'G'] : a >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
  const x = n / div;
  return `${trim(x.toPrecision(3))}${unit}`;
}

export function formatCost(cost: number): string {
  return cost < 100 ? trim(cost.toFixed(2)) : Math.round(cost).toLocaleString('en-US');
}

/** The metric as the row shows it. */
export function formatMetric(metric: ViewMetric, value: number): string {
  return metric === 'time' ? formatMs(value) : formatCost(value);
}

/** `12×`, `1.5×`. */
export function formatFactor(factor: number): string {
  return `${factor >= 100 ? formatCount(Math.round(factor)) : trim(factor.toFixed(factor < 10 ? 1 : 0))}×`;
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

// ---- details ---------------------------------------------------------------------------------------------------

const fieldNames: Partial<Record<keyof FlatNode, string>> = {
  id: 'Node',
  nodeType: 'Node Type',
  label: 'Label',
  parentRelationship: 'Parent Relationship',
  subplanName: 'Subplan Name',
  relation: 'Relation Name',
  schema: 'Schema',
  alias: 'Alias',
  index: 'Index Name',
  cteName: 'CTE Name',
  functionName: 'Function Name',
  joinType: 'Join Type',
  strategy: 'Strategy',
  partialMode: 'Partial Mode',
  operation: 'Operation',
  scanDirection: 'Scan Direction',
  parallelAware: 'Parallel Aware',
  startupCost: 'Startup Cost',
  totalCost: 'Total Cost',
  planRows: 'Plan Rows',
  planWidth: 'Plan Width',
  actualStartupMs: 'Actual Startup Time (ms)',
  actualTotalMs: 'Actual Total Time (ms)',
  actualRows: 'Actual Rows',
  loops: 'Actual Loops',
  neverExecuted: 'Never Executed',
  inclusiveMs: 'Inclusive Time (ms, computed)',
  exclusiveMs: 'Exclusive Time (ms, computed)',
  exclusiveCost: 'Exclusive Cost (computed)',
  filter: 'Filter',
  indexCond: 'Index Cond',
  recheckCond: 'Recheck Cond',
  hashCond: 'Hash Cond',
  mergeCond: 'Merge Cond',
  joinFilter: 'Join Filter',
  sortKey: 'Sort Key',
  groupKey: 'Group Key',
  output: 'Output',
  rowsRemovedByFilter: 'Rows Removed by Filter',
  rowsRemovedByJoinFilter: 'Rows Removed by Join Filter',
  rowsRemovedByIndexRecheck: 'Rows Removed by Index Recheck',
  heapFetches: 'Heap Fetches',
  exactHeapBlocks: 'Exact Heap Blocks',
  lossyHeapBlocks: 'Lossy Heap Blocks',
  workersPlanned: 'Workers Planned',
  workersLaunched: 'Workers Launched',
  sortMethod: 'Sort Method',
  sortSpaceKb: 'Sort Space Used (kB)',
  sortSpaceType: 'Sort Space Type',
  hashBuckets: 'Hash Buckets',
  originalHashBuckets: 'Original Hash Buckets',
  hashBatches: 'Hash Batches',
  originalHashBatches: 'Original Hash Batches',
  peakMemoryKb: 'Peak Memory Usage (kB)',
  diskUsageKb: 'Disk Usage (kB)',
  detail: 'Detail',
};

/** `sharedHit` → `Shared Hit`: the fallback for fields the model gains later, so details never hide one. */
function humanize(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function valueText(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Math.round(v * 1000) / 1000);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Every field the node carries, as `[name, value]` pairs in a stable order: the model's fields first as PostgreSQL
 * names them, then nested groups (buffers, I/O timing, WAL) one line per counter. Undefined fields are skipped.
 */
export function nodeFields(node: FlatNode): [string, string][] {
  const out: [string, string][] = [];
  const nested: [string, Record<string, unknown>][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined || key === 'parent') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      nested.push([key, value as Record<string, unknown>]);
      continue;
    }
    out.push([fieldNames[key as keyof FlatNode] ?? humanize(key), valueText(value)]);
  }
  const group: Record<string, string> = { buffers: 'Buffers', io: 'I/O Timing (ms)', wal: 'WAL' };
  for (const [key, obj] of nested) {
    for (const [k, v] of Object.entries(obj)) if (v !== undefined) out.push([`${group[key] ?? humanize(key)}: ${humanize(k)}`, valueText(v)]);
  }
  return out;
}

/** The plan-wide facts the root's details show: timings, triggers, JIT, settings. */
export function planFields(flat: FlatPlan): [string, string][] {
  const out: [string, string][] = [['Dialect', flat.dialect === 'postgres' ? 'PostgreSQL' : flat.dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'], ['Format', flat.format], ['Analyzed', flat.analyzed ? 'yes' : 'no'], ['Nodes', String(flat.nodeCount)]];
  if (flat.planningMs !== undefined) out.push(['Planning Time', formatMs(flat.planningMs)]);
  if (flat.executionMs !== undefined) out.push(['Execution Time', formatMs(flat.executionMs)]);
  for (const t of flat.triggers) {
    const what = `${t.constraint ? 'constraint ' : ''}${t.name}${t.relation !== undefined ? ` on ${t.relation}` : ''}`;
    out.push([`Trigger ${what}`, `${t.timeMs !== undefined ? formatMs(t.timeMs) : '?'} over ${t.calls ?? '?'} calls`]);
  }
  if (flat.jit) {
    const { options, ...timings } = flat.jit;
    for (const [k, v] of Object.entries(timings)) if (v !== undefined) out.push([`JIT ${humanize(k)}`, valueText(v)]);
    if (options) out.push(['JIT Options', Object.entries(options).map(([o, on]) => `${o}=${on ? 'on' : 'off'}`).join(', ')]);
  }
  if (flat.settings) for (const [k, v] of Object.entries(flat.settings)) out.push([`Setting ${k}`, v]);
  if (flat.queryIdentifier !== undefined) out.push(['Query Identifier', flat.queryIdentifier]);
  return out;
}

// ---- folded runs -----------------------------------------------------------------------------------------------

export interface FoldSummary {
  /** The members' common node type. */
  head: string;
  count: number;
  /** First and last member's short label, e.g. `events_p0000 events_1` and `events_p9999 events_10000`. */
  first: string;
  last: string;
  /** Sum of the metric over the members and everything below them. */
  metric?: number;
  planRows?: number;
  actualRows?: number;
  /** Findings inside the run, by rule, worst severity first. */
  rules: { rule: string; severity: Severity; count: number }[];
}

/** What a folded row says about the run it stands for. `fold` is a run from `findFolds` over `view.nodes`. */
export function foldSummary(view: PlanView, fold: { members: readonly number[]; start: number; end: number }): FoldSummary {
  const first = view.nodes[fold.members[0]!]!;
  const last = view.nodes[fold.members[fold.members.length - 1]!]!;
  let metric: number | undefined;
  const byRule = new Map<string, { rule: string; severity: Severity; count: number }>();
  for (let i = fold.start; i < fold.end; i++) {
    const v = view.nodes[i]!;
    if (v.metric !== undefined) metric = (metric ?? 0) + v.metric;
    for (const fi of v.findings) {
      const f = view.findings[fi]!;
      const entry = byRule.get(f.rule) ?? { rule: f.rule, severity: f.severity, count: 0 };
      entry.count++;
      if (severityRank[f.severity] > severityRank[entry.severity]) entry.severity = f.severity;
      byRule.set(f.rule, entry);
    }
  }
  let planRows: number | undefined;
  let actualRows: number | undefined;
  for (const m of fold.members) {
    const v = view.nodes[m]!;
    if (v.planRows !== undefined) planRows = (planRows ?? 0) + v.planRows * (v.loops ?? 1);
    if (v.actualRows !== undefined) actualRows = (actualRows ?? 0) + v.actualRows * (v.loops ?? 1);
  }
  const rules = [...byRule.values()].sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || b.count - a.count || a.rule.localeCompare(b.rule));
  return { head: first.head, count: fold.members.length, first: first.detail || first.label, last: last.detail || last.label, metric, planRows, actualRows, rules };
}
