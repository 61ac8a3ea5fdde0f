// Computed fields every parser shares: preorder ids, inclusive and exclusive time, exclusive cost, node count.
// All walks are iterative so that pathological 10,000-deep plans cannot overflow the stack.
import type { Plan, PlanNode } from './model';
import { preorder } from './model';

function setInclusive(node: PlanNode, divisor: number): void {
  if (node.neverExecuted) node.inclusiveMs = 0;
  else if (node.actualTotalMs !== undefined) node.inclusiveMs = (node.actualTotalMs * (node.loops ?? 1)) / divisor;
}

/**
 * Fills `id`, `inclusiveMs`, `exclusiveMs` and `exclusiveCost` on every node and returns the node count.
 *
 * Time rules, following how PostgreSQL's executor reports them:
 * - "actual time" is a per-loop average, so the time a node consumed is total × loops.
 * - Below a Gather/Gather Merge every process (workers and leader) runs the subtree and the numbers are averaged over
 *   them, with loops counting the processes; wall-clock time is therefore total × loops ÷ processes, where processes
 *   is the loops of the Gather's child.
 * - InitPlans and SubPlans run inside the node they are attached to, so their time is part of that node's time and
 *   is subtracted like any other child's.
 * - A CTE's plan is attached as an InitPlan named `CTE x`, but it runs on demand inside the CTE Scan nodes that read
 *   it: its time is subtracted from those CTE Scans (in plan order, as far as each one has time), not from the node
 *   it hangs under.
 * - Rounding and sampling make children occasionally exceed their parent; exclusive values are clamped at zero.
 */
export function derive(plan: Omit<Plan, 'nodeCount' | 'warnings'> & { nodeCount?: number; warnings?: string[] }): Plan {
  // One iterative preorder walk assigns ids, and computes each child's inclusive time as it is pushed (it depends
  // only on the child and the parallel divisor it inherits), so the node's exclusive time and cost are known when
  // the node itself is visited. CTE Scans are settled afterwards, once every CTE's time is known.
  const nodes: PlanNode[] = [];
  const cteScans: PlanNode[] = [];
  const cteTime = new Map<string, number>();
  const stack: PlanNode[] = [plan.root];
  const stackDivisor: number[] = [1];
  setInclusive(plan.root, 1);
  while (stack.length) {
    const node = stack.pop()!;
    const own = stackDivisor.pop()!;
    nodes.push(node);
    node.id = `#${nodes.length}`;
    const children = node.children;
    let childDivisor = own;
    if (children.length && (node.nodeType === 'Gather' || node.nodeType === 'Gather Merge')) {
      const worker = children.find((c) => c.parentRelationship !== 'InitPlan' && c.parentRelationship !== 'SubPlan') ?? children[0];
      const processes = worker?.loops ?? (node.workersLaunched !== undefined ? node.workersLaunched + 1 : 1);
      childDivisor = Math.max(1, processes);
    }
    let childCost = 0;
    let childTime = 0;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i]!;
      setInclusive(c, childDivisor);
      if (c.subplanName !== undefined && c.subplanName.startsWith('CTE ')) {
        if (c.inclusiveMs !== undefined) cteTime.set(c.subplanName.slice(4), c.inclusiveMs);
      } else {
        childCost += c.totalCost ?? 0;
        childTime += c.inclusiveMs ?? 0;
      }
      stack.push(c);
      stackDivisor.push(childDivisor);
    }
    if (node.totalCost !== undefined) node.exclusiveCost = Math.max(0, node.totalCost - childCost);
    if (node.inclusiveMs !== undefined) node.exclusiveMs = Math.max(0, node.inclusiveMs - childTime);
    if (node.nodeType === 'CTE Scan' && node.cteName !== undefined) cteScans.push(node);
  }

  // CTE time is owed by the CTE Scans that read the CTE, in plan order, as far as each one has time.
  for (const scan of cteScans) {
    const owed = cteTime.get(scan.cteName!) ?? 0;
    if (owed <= 0 || scan.exclusiveMs === undefined) continue;
    const taken = Math.min(owed, scan.exclusiveMs);
    scan.exclusiveMs -= taken;
    cteTime.set(scan.cteName!, owed - taken);
  }

  preorderCache.set(plan.root, nodes);
  return { ...plan, nodeCount: nodes.length, warnings: plan.warnings ?? [] };
}

// Plans are not mutated after parsing, so the preorder list derive() built is kept for the rules to reuse.
const preorderCache = new WeakMap<PlanNode, PlanNode[]>();

/** All nodes in preorder (parents before children), reusing the list derive() built when there is one. */
export function nodesOf(root: PlanNode): readonly PlanNode[] {
  const cached = preorderCache.get(root);
  if (cached) return cached;
  const nodes = preorder(root);
  preorderCache.set(root, nodes);
  return nodes;
}

/** The time the shares are taken of: execution time when known, else the root's inclusive time. */
export function totalTimeMs(plan: Plan): number | undefined {
  if (plan.executionMs !== undefined && plan.executionMs > 0) return plan.executionMs;
  const t = plan.root.inclusiveMs;
  return t !== undefined && t > 0 ? t : undefined;
}
