// The one plan model every parser produces and every rule, summary and view reads, for PostgreSQL and SQLite alike.
// Fields are optional because each source carries a different subset: a plain EXPLAIN has no actuals, the text format
// has no "Parent Relationship" unless a header says so, and SQLite has only a detail string per node.
import type { Dialect } from '../sql/dialect';

export type PlanFormat = 'json' | 'text' | 'xml' | 'yaml' | 'rows' | 'tree';

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

export interface IoTimings {
  readMs?: number;
  writeMs?: number;
  tempReadMs?: number;
  tempWriteMs?: number;
}

export interface Wal {
  records: number;
  fpi: number;
  bytes: number;
}

export interface PlanNode {
  /** Stable id in preorder: `#1` is the root. */
  id: string;
  /** PostgreSQL's "Node Type" (`Seq Scan`, `Aggregate`, `ModifyTable`…), or the SQLite step (`SCAN`, `SEARCH`…). */
  nodeType: string;
  /** The node as a person reads it, e.g. `Parallel Seq Scan on orders o` or SQLite's detail line. */
  label: string;
  /** `Outer`, `Inner`, `InitPlan`, `SubPlan`, `Member`… as PostgreSQL reports it. */
  parentRelationship?: string;
  /** `InitPlan 1 (returns $0)`, `SubPlan 2`, `CTE big`. */
  subplanName?: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  cteName?: string;
  functionName?: string;
  joinType?: string;
  strategy?: string;
  partialMode?: string;
  operation?: string;
  scanDirection?: string;
  parallelAware?: boolean;

  startupCost?: number;
  totalCost?: number;
  planRows?: number;
  planWidth?: number;

  /** Per-loop average, as PostgreSQL prints it. */
  actualStartupMs?: number;
  actualTotalMs?: number;
  actualRows?: number;
  loops?: number;
  neverExecuted?: boolean;

  /** Wall-clock time spent in this node and below (computed, see derive.ts). */
  inclusiveMs?: number;
  /** Time spent in this node alone; never negative. */
  exclusiveMs?: number;
  /** Total cost minus the children's total cost; never negative. */
  exclusiveCost?: number;

  filter?: string;
  indexCond?: string;
  recheckCond?: string;
  hashCond?: string;
  mergeCond?: string;
  joinFilter?: string;
  sortKey?: string[];
  groupKey?: string[];
  output?: string[];
  rowsRemovedByFilter?: number;
  rowsRemovedByJoinFilter?: number;
  rowsRemovedByIndexRecheck?: number;
  heapFetches?: number;
  exactHeapBlocks?: number;
  lossyHeapBlocks?: number;

  buffers?: Buffers;
  io?: IoTimings;
  wal?: Wal;
  workersPlanned?: number;
  workersLaunched?: number;

  sortMethod?: string;
  sortSpaceKb?: number;
  sortSpaceType?: string;
  hashBuckets?: number;
  originalHashBuckets?: number;
  hashBatches?: number;
  originalHashBatches?: number;
  peakMemoryKb?: number;
  diskUsageKb?: number;

  /** SQLite's detail text; MySQL/MariaDB: EXPLAIN's Extra flags (`Using filesort; Using temporary`). */
  detail?: string;
  /** MySQL/MariaDB: rows the server expects to read per loop before the attached condition (EXPLAIN's `rows`). */
  rowsExamined?: number;

  children: PlanNode[];
}

export interface Trigger {
  name: string;
  relation?: string;
  constraint?: boolean;
  timeMs?: number;
  calls?: number;
}

export interface Jit {
  functions?: number;
  options?: Record<string, boolean>;
  generationMs?: number;
  inliningMs?: number;
  optimizationMs?: number;
  emissionMs?: number;
  totalMs?: number;
}

export interface Plan {
  dialect: Dialect;
  format: PlanFormat;
  root: PlanNode;
  /** Number of nodes in the tree. */
  nodeCount: number;
  /** True when the plan carries actual times or rows (EXPLAIN ANALYZE). */
  analyzed: boolean;
  planningMs?: number;
  executionMs?: number;
  planningBuffers?: Buffers;
  triggers: Trigger[];
  jit?: Jit;
  settings?: Record<string, string>;
  queryIdentifier?: string;
  /** DuckDB: the most the query wrote to its temporary directory (spilling under memory_limit), in bytes. */
  spillBytes?: number;
  /** DuckDB: the query's wall-clock time; node times there are CPU time summed over threads, so they can exceed it. */
  wallClockMs?: number;
  /**
   * What the parser kept the plan without: a field it could not read, a second plan in the same result, wrapping it
   * undid. Empty when the plan was read whole. Nothing is dropped silently: every loss is named here.
   */
  warnings: string[];
}

export class PlanParseError extends Error {
  override readonly name = 'PlanParseError';
}

/**
 * Creates a node with every field present (most undefined). Giving all nodes one object shape keeps property
 * access monomorphic, which makes walks over tens of thousands of nodes several times faster.
 */
export function newNode(nodeType: string, label = nodeType): PlanNode {
  return {
    id: '',
    nodeType,
    label,
    parentRelationship: undefined,
    subplanName: undefined,
    relation: undefined,
    schema: undefined,
    alias: undefined,
    index: undefined,
    cteName: undefined,
    functionName: undefined,
    joinType: undefined,
    strategy: undefined,
    partialMode: undefined,
    operation: undefined,
    scanDirection: undefined,
    parallelAware: undefined,
    startupCost: undefined,
    totalCost: undefined,
    planRows: undefined,
    planWidth: undefined,
    actualStartupMs: undefined,
    actualTotalMs: undefined,
    actualRows: undefined,
    loops: undefined,
    neverExecuted: undefined,
    inclusiveMs: undefined,
    exclusiveMs: undefined,
    exclusiveCost: undefined,
    filter: undefined,
    indexCond: undefined,
    recheckCond: undefined,
    hashCond: undefined,
    mergeCond: undefined,
    joinFilter: undefined,
    sortKey: undefined,
    groupKey: undefined,
    output: undefined,
    rowsRemovedByFilter: undefined,
    rowsRemovedByJoinFilter: undefined,
    rowsRemovedByIndexRecheck: undefined,
    heapFetches: undefined,
    exactHeapBlocks: undefined,
    lossyHeapBlocks: undefined,
    buffers: undefined,
    io: undefined,
    wal: undefined,
    workersPlanned: undefined,
    workersLaunched: undefined,
    sortMethod: undefined,
    sortSpaceKb: undefined,
    sortSpaceType: undefined,
    hashBuckets: undefined,
    originalHashBuckets: undefined,
    hashBatches: undefined,
    originalHashBatches: undefined,
    peakMemoryKb: undefined,
    diskUsageKb: undefined,
    detail: undefined,
    rowsExamined: undefined,
    children: [],
  };
}

export function emptyBuffers(): Buffers {
  return {
    sharedHit: 0,
    sharedRead: 0,
    sharedDirtied: 0,
    sharedWritten: 0,
    localHit: 0,
    localRead: 0,
    localDirtied: 0,
    localWritten: 0,
    tempRead: 0,
    tempWritten: 0,
  };
}

/** Visits every node in preorder without recursion, so a 10,000-deep plan cannot overflow the stack. */
export function forEachNode(root: PlanNode, visit: (node: PlanNode, parent: PlanNode | undefined, depth: number) => void): void {
  const stack: { node: PlanNode; parent: PlanNode | undefined; depth: number }[] = [{ node: root, parent: undefined, depth: 0 }];
  while (stack.length) {
    const { node, parent, depth } = stack.pop()!;
    visit(node, parent, depth);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parent: node, depth: depth + 1 });
  }
}

/** Nodes in preorder as an array (parents before children); walking it backwards visits children before parents. */
export function preorder(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const stack: PlanNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}
