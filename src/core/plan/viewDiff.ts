// Two plans of the same statement, before and after a change (an index, a rewrite, a setting), matched node to node
// and merged into one tree: nodes in both plans, nodes that appeared, nodes that disappeared, and the totals before →
// after. Pure and iterative, like the rest of the plan code.
import type { FlatNode, PlanView } from './view';
import type { TreeItem } from './viewTree';
import { childrenOf } from './viewTree';

/**
 * `matched`: the same operation in both plans; `replaced`: the same place or table, done differently (Seq Scan →
 * Index Scan, another index, Hash Join → Nested Loop); `added` / `removed`: only in the after / before plan.
 */
export type DiffStatus = 'matched' | 'replaced' | 'added' | 'removed';

export interface DiffRow extends TreeItem {
  /** Node index in the before plan, or -1. */
  before: number;
  /** Node index in the after plan, or -1. */
  after: number;
  status: DiffStatus;
}

export interface DiffTotal {
  label: string;
  unit: 'ms' | 'cost' | 'rows' | 'blocks' | 'count';
  before?: number;
  after?: number;
}

export interface PlanDiff {
  before: PlanView;
  after: PlanView;
  /** The merged tree in preorder: the after plan's shape, with removed nodes under their old parent. */
  rows: DiffRow[];
  totals: DiffTotal[];
  counts: Record<DiffStatus, number>;
}

/** What a scan reads, or '' for operations that read other nodes (joins, sorts, aggregates). */
function target(f: FlatNode): string {
  const name = f.relation ?? f.cteName ?? f.functionName;
  return name === undefined ? '' : `${f.schema ?? ''}.${name} ${f.alias ?? ''}`;
}

function key(f: FlatNode): string {
  return `${f.nodeType}|${target(f)}`;
}

/** Matches nodes of two plans. Returns, for each after node, its before node or -1 (and the reverse). */
export function matchPlans(before: PlanView, after: PlanView): { afterToBefore: Int32Array; beforeToAfter: Int32Array } {
  const a = before.flat.nodes;
  const b = after.flat.nodes;
  const aKids = childrenOf(before.nodes);
  const bKids = childrenOf(after.nodes);
  const afterToBefore = new Int32Array(b.length).fill(-1);
  const beforeToAfter = new Int32Array(a.length).fill(-1);
  const pair = (x: number, y: number, queue: number[]) => {
    beforeToAfter[x] = y;
    afterToBefore[y] = x;
    queue.push(y);
  };
  const queue: number[] = [];
  // The roots are the same step unless they plainly are not (a Limit added above what was the root): then the global
  // pass below finds where the old root went.
  if (a.length && b.length && (key(a[0]!) === key(b[0]!) || target(a[0]!) === target(b[0]!))) pair(0, 0, queue);

  // Top-down: once two nodes match, their children are matched among themselves, most specific evidence first: the
  // same operation on the same table, then the same table read another way, then the same operation with no table.
  // Each pass buckets the unmatched children by its key, so an Append over 10,000 partitions stays linear.
  const passes: ((f: FlatNode) => string | undefined)[] = [
    (f) => key(f),
    (f) => (target(f) !== '' ? target(f) : undefined),
    (f) => (target(f) === '' ? f.nodeType : undefined),
  ];
  const matchChildren = (x: number, y: number) => {
    const xs = aKids[x]!;
    const ys = bKids[y]!;
    for (const keyOf of passes) {
      const waiting = new Map<string, number[]>();
      for (const c of xs) {
        const k = beforeToAfter[c] === -1 ? keyOf(a[c]!) : undefined;
        if (k === undefined) continue;
        const list = waiting.get(k);
        if (list) list.push(c);
        else waiting.set(k, [c]);
      }
      if (!waiting.size) break;
      // Reversed, so that pop() hands out the earliest child first in constant time.
      for (const list of waiting.values()) list.reverse();
      for (const q of ys) {
        if (afterToBefore[q] !== -1) continue;
        const k = keyOf(b[q]!);
        const list = k === undefined ? undefined : waiting.get(k);
        const p = list?.pop();
        if (p !== undefined) pair(p, q, queue);
      }
    }
    // A layer removed or added between (a Gather that went away, a Limit that came): an unmatched child on one side
    // is the same step as a grandchild on the other.
    for (const q of ys) {
      if (afterToBefore[q] !== -1) continue;
      for (const c of xs) {
        if (beforeToAfter[c] !== -1) continue;
        const grandchild = aKids[c]!.find((g) => beforeToAfter[g] === -1 && key(a[g]!) === key(b[q]!));
        if (grandchild !== undefined) {
          pair(grandchild, q, queue);
          break;
        }
      }
    }
    for (const p of xs) {
      if (beforeToAfter[p] !== -1) continue;
      for (const c of ys) {
        if (afterToBefore[c] !== -1) continue;
        const grandchild = bKids[c]!.find((g) => afterToBefore[g] === -1 && key(b[g]!) === key(a[p]!));
        if (grandchild !== undefined) {
          pair(p, grandchild, queue);
          break;
        }
      }
    }
    // One operation left on each side in the same place (Hash Join where a Nested Loop was): the same step, redone.
    const xLeft = xs.filter((c) => beforeToAfter[c] === -1);
    const yLeft = ys.filter((c) => afterToBefore[c] === -1);
    if (xLeft.length === 1 && yLeft.length === 1 && target(a[xLeft[0]!]!) === '' && target(b[yLeft[0]!]!) === '') pair(xLeft[0]!, yLeft[0]!, queue);
  };

  for (;;) {
    while (queue.length) {
      const y = queue.pop()!;
      matchChildren(afterToBefore[y]!, y);
    }
    // Anywhere else: a scan of the same table that moved (join order changed) is still the same scan.
    const waiting = new Map<string, number[]>();
    for (let x = 0; x < a.length; x++) {
      if (beforeToAfter[x] !== -1 || target(a[x]!) === '') continue;
      const list = waiting.get(target(a[x]!)) ?? [];
      list.push(x);
      waiting.set(target(a[x]!), list);
    }
    for (let y = 0; y < b.length && waiting.size; y++) {
      if (afterToBefore[y] !== -1) continue;
      const list = waiting.get(target(b[y]!));
      if (!list?.length) continue;
      const exact = list.findIndex((x) => a[x]!.nodeType === b[y]!.nodeType);
      const [x] = list.splice(exact >= 0 ? exact : 0, 1);
      pair(x!, y, queue);
    }
    if (!queue.length) break;
  }
  return { afterToBefore, beforeToAfter };
}

function statusOf(before: PlanView, after: PlanView, x: number, y: number): DiffStatus {
  const p = before.flat.nodes[x]!;
  const q = after.flat.nodes[y]!;
  return before.nodes[x]!.head !== after.nodes[y]!.head || p.index !== q.index || (p.detail ?? '') !== (q.detail ?? '') ? 'replaced' : 'matched';
}

export function diffPlans(before: PlanView, after: PlanView): PlanDiff {
  const { afterToBefore, beforeToAfter } = matchPlans(before, after);
  const aKids = childrenOf(before.nodes);
  const bKids = childrenOf(after.nodes);
  const rows: DiffRow[] = [];
  // Explicit stack of what to emit next; children are pushed in reverse so they come out in order.
  const stack: { side: 'after' | 'removed'; index: number; parent: number; depth: number }[] = [];
  // The merged tree starts at the after plan's root. An old root that matched nothing is shown under it, removed.
  if (before.nodes.length && beforeToAfter[0] === -1) stack.push({ side: 'removed', index: 0, parent: 0, depth: 1 });
  stack.push({ side: 'after', index: 0, parent: -1, depth: 0 });
  while (stack.length) {
    const t = stack.pop()!;
    const row = rows.length;
    if (t.side === 'after') {
      const x = afterToBefore[t.index]!;
      rows.push({ parent: t.parent, depth: t.depth, end: row + 1, before: x, after: t.index, status: x === -1 ? 'added' : statusOf(before, after, x, t.index) });
      // Removed children of the matched before node follow the after node's own children.
      const removed = x === -1 ? [] : aKids[x]!.filter((c) => beforeToAfter[c] === -1);
      for (let i = removed.length - 1; i >= 0; i--) stack.push({ side: 'removed', index: removed[i]!, parent: row, depth: t.depth + 1 });
      const kids = bKids[t.index]!;
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ side: 'after', index: kids[i]!, parent: row, depth: t.depth + 1 });
    } else {
      rows.push({ parent: t.parent, depth: t.depth, end: row + 1, before: t.index, after: -1, status: 'removed' });
      // A removed node's children that were matched elsewhere are shown where they are now.
      const kids = aKids[t.index]!.filter((c) => beforeToAfter[c] === -1);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ side: 'removed', index: kids[i]!, parent: row, depth: t.depth + 1 });
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const p = rows[i]!.parent;
    if (p >= 0 && rows[i]!.end > rows[p]!.end) rows[p]!.end = rows[i]!.end;
  }
  const counts: Record<DiffStatus, number> = { matched: 0, replaced: 0, added: 0, removed: 0 };
  for (const r of rows) counts[r.status]++;
  return { before, after, rows, totals: totals(before, after), counts };
}

function rootRows(v: PlanView): number | undefined {
  const root = v.flat.nodes[0];
  if (!root) return undefined;
  // SQLite's synthetic root and plans without ANALYZE have no actual rows; the estimate is the next best thing.
  return root.actualRows !== undefined ? root.actualRows * (root.loops ?? 1) : root.planRows;
}

function rootBuffers(v: PlanView, which: 'hit' | 'read'): number | undefined {
  // PostgreSQL reports buffers inclusively: the root's count covers the whole plan.
  const root = v.nodes[0];
  return root?.[which];
}

function findingCount(v: PlanView, severities: readonly string[]): number {
  return v.findings.filter((f) => severities.includes(f.severity)).length;
}

function totals(before: PlanView, after: PlanView): DiffTotal[] {
  const both = (label: string, unit: DiffTotal['unit'], f: (v: PlanView) => number | undefined): DiffTotal | undefined => {
    const x = f(before);
    const y = f(after);
    if (x === undefined && y === undefined) return undefined;
    return { label, unit, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}) };
  };
  return [
    both('Execution time', 'ms', (v) => v.flat.executionMs ?? (v.metric === 'time' ? v.nodes[0]?.inclusive : undefined)),
    both('Planning time', 'ms', (v) => v.flat.planningMs),
    both('Total cost', 'cost', (v) => v.flat.nodes[0]?.totalCost),
    both('Rows', 'rows', rootRows),
    both('Buffers hit', 'blocks', (v) => rootBuffers(v, 'hit')),
    both('Buffers read', 'blocks', (v) => rootBuffers(v, 'read')),
    both('Nodes', 'count', (v) => v.flat.nodeCount),
    both('Warnings and critical findings', 'count', (v) => findingCount(v, ['warning', 'critical'])),
  ].filter((t): t is DiffTotal => t !== undefined);
}

export interface RowChange {
  /** Exclusive time (ms) before and after. */
  time?: [number | undefined, number | undefined];
  /** Total cost before and after. */
  cost?: [number | undefined, number | undefined];
  /** Rows (actual over all loops when analyzed, else estimated) before and after. */
  rows?: [number | undefined, number | undefined];
}

function rowsOf(f: FlatNode | undefined): number | undefined {
  if (!f) return undefined;
  return f.actualRows !== undefined ? f.actualRows * (f.loops ?? 1) : f.planRows;
}

/** The numbers a merged row compares; a side is undefined when the node is not in that plan. */
export function rowChange(diff: PlanDiff, row: DiffRow): RowChange {
  const p = row.before >= 0 ? diff.before.flat.nodes[row.before] : undefined;
  const q = row.after >= 0 ? diff.after.flat.nodes[row.after] : undefined;
  const out: RowChange = {};
  if (p?.exclusiveMs !== undefined || q?.exclusiveMs !== undefined) out.time = [p?.exclusiveMs, q?.exclusiveMs];
  if (p?.totalCost !== undefined || q?.totalCost !== undefined) out.cost = [p?.totalCost, q?.totalCost];
  const r0 = rowsOf(p);
  const r1 = rowsOf(q);
  if (r0 !== undefined || r1 !== undefined) out.rows = [r0, r1];
  return out;
}

/**
 * How a number changed, for the merged rows and the totals: `+12%` and `−30%` for moderate changes, `×12` and `÷1,000`
 * from a factor of two on (a percentage hides how big a 1,000-fold speed-up is), `new`, `gone`, `=` and `≈`.
 */
export function formatChange(before: number | undefined, after: number | undefined): string {
  if (before === undefined && after === undefined) return '';
  if (before === undefined) return 'new';
  if (after === undefined) return 'gone';
  if (before === after) return '=';
  if (before === 0) return after > 0 ? '+∞' : '=';
  const ratio = after / before;
  if (ratio >= 2 || (ratio > 0 && ratio <= 0.5)) {
    const factor = ratio >= 2 ? ratio : 1 / ratio;
    const shown = factor >= 10 ? Math.round(factor).toLocaleString('en-US') : String(Math.round(factor * 10) / 10);
    return `${ratio >= 2 ? '×' : '÷'}${shown}`;
  }
  const pct = (ratio - 1) * 100;
  const rounded = Math.abs(pct) >= 10 ? Math.round(pct) : Math.round(pct * 10) / 10;
  if (rounded === 0) return '≈';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)}%`;
}
