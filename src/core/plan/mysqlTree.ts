// MySQL's tree text → Plan: `EXPLAIN FORMAT=TREE` and `EXPLAIN ANALYZE` (8.0.18+), one iterator per line:
//
//   -> Nested loop inner join  (cost=4.95 rows=9) (actual time=0.153..0.200 rows=3 loops=1)
//       -> Filter: (t1.a > 2)  (cost=1.2 rows=3) (actual time=0.05..0.07 rows=3 loops=1)
//           -> Table scan on t1  (cost=1.2 rows=9) (actual time=0.04..0.06 rows=9 loops=1)
//
// Children are indented four spaces deeper than their parent. As in PostgreSQL, `actual time=first..last` is the
// average per loop in milliseconds, including the iterator's children, `rows` the average per loop and `cost` the
// cumulative estimate, so the shared derivation (derive.ts) computes exclusive time and cost. `Select #n (subquery …;
// dependent)` lines carry no numbers: their time is their children's. Several top-level lines (a query with a
// subquery in its select list prints the subquery beside the root) are read under a synthetic root `#0`-style node.
import { derive } from './derive';
import type { Plan, PlanNode } from './model';
import { newNode, PlanParseError } from './model';

// Each part is bounded by characters it cannot contain, so matching stays linear on any input.
const lineRe = /^( *)-> (.*)$/;
const estimateRe = /\((?:cost=([^ )]+) )?rows=([^ )]+)\)/;
const actualRe = /\(actual (?:time=([^ )]+) )?rows=([^ )]+) loops=([^ )]+)\)/;

/** `a..b` → [a, b]; a single number → [undefined, n]. */
function range(s: string | undefined): [number | undefined, number | undefined] {
  if (s === undefined) return [undefined, undefined];
  const at = s.indexOf('..');
  return at === -1 ? [undefined, num(s)] : [num(s.slice(0, at)), num(s.slice(at + 2))];
}

/** Strips what people paste around the tree: the `EXPLAIN: ` label of `\G`, table frames `| … |`, comment marks. */
function treeLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/\s+$/, '');
    line = line.replace(/^\s*EXPLAIN: /, '').replace(/^\| /, '').replace(/ *\|$/, '');
    if (/^\s*-> /.test(line)) out.push(line);
  }
  return out;
}

export function looksLikeMysqlTree(text: string): boolean {
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  const first = head.split(/\r?\n/).find((l) => l.trim() !== '' && !/^[+-]+$/.test(l.trim()) && !/^\|\s*EXPLAIN\s*\|$/.test(l.trim()));
  return first !== undefined && /^(\s*EXPLAIN: |\| )?-> \S/.test(first);
}

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function nodeOf(description: string): PlanNode {
  let text = description;
  const actual = actualRe.exec(text);
  const never = text.endsWith('(never executed)');
  const estimate = estimateRe.exec(text);
  // The description is everything before the first numbers group.
  const cut = Math.min(...[estimate?.index, actual?.index, never ? text.lastIndexOf('(never executed)') : undefined].filter((i): i is number => i !== undefined), text.length);
  text = text.slice(0, cut).trim();
  const nodeType = text.replace(/:.*$/, '').replace(/ on .*$/, '').replace(/ \(.*$/, '').trim() || text;
  const node = newNode(nodeType, text);
  const on = / on (\S+)/.exec(text);
  if (on && !/^Select #/.test(text)) node.relation = on[1];
  const using = / using (\S+)/.exec(text);
  if (using) node.index = using[1];
  if (nodeType === 'Filter') node.filter = text.slice(text.indexOf(':') + 1).trim();
  if (nodeType === 'Sort') node.sortKey = [text.slice(text.indexOf(':') + 1).trim()];
  if (/join/i.test(nodeType)) {
    const m = /(inner|left|right|semi|anti|outer)/i.exec(nodeType);
    if (m) node.joinType = m[1]![0]!.toUpperCase() + m[1]!.slice(1).toLowerCase();
    if (/hash join/i.test(nodeType)) node.strategy = 'hash join';
  }
  if (/^Select #\d+/.test(text)) {
    node.nodeType = 'Subquery';
    node.parentRelationship = 'SubPlan';
    node.subplanName = text;
    if (/dependent/.test(text)) node.detail = 'Dependent subquery';
  }
  if (/temporary/i.test(text)) node.detail = node.detail ? `${node.detail}; Using temporary` : 'Using temporary';
  if (estimate) {
    const [startup, total] = range(estimate[1]);
    node.totalCost = total;
    node.startupCost = startup;
    node.planRows = num(estimate[2]);
  }
  if (actual) {
    const [first, last] = range(actual[1]);
    node.actualStartupMs = first;
    node.actualTotalMs = last;
    node.actualRows = num(actual[2]);
    node.loops = num(actual[3]);
  } else if (never) {
    node.neverExecuted = true;
    node.loops = 0;
  }
  return node;
}

/** Parses MySQL's tree text (`EXPLAIN FORMAT=TREE` or `EXPLAIN ANALYZE`). */
export function parseMysqlTree(text: string): Plan {
  const lines = treeLines(text);
  if (!lines.length) throw new PlanParseError('expected MySQL EXPLAIN ANALYZE or FORMAT=TREE output: lines starting with "->"');
  const warnings: string[] = [];
  const tops: PlanNode[] = [];
  const stack: { indent: number; node: PlanNode }[] = [];
  for (const line of lines) {
    const m = lineRe.exec(line)!;
    const indent = m[1]!.length;
    const node = nodeOf(m[2]!);
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.node.children.push(node);
    else tops.push(node);
    stack.push({ indent, node });
  }
  let root: PlanNode;
  if (tops.length === 1) root = tops[0]!;
  else {
    root = newNode('Query', 'Query');
    root.children = tops;
    warnings.push(`${tops.length} iterators at the top level (a subquery printed beside the query) are read under one root`);
  }
  const analyzed = lines.some((l) => actualRe.test(l));
  if (analyzed) {
    // Nodes without numbers of their own (`Select #2`, the synthetic root) take their children's time.
    const order: PlanNode[] = [];
    const walk: PlanNode[] = [root];
    while (walk.length) {
      const n = walk.pop()!;
      order.push(n);
      for (const c of n.children) walk.push(c);
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i]!;
      if (n.actualTotalMs !== undefined || n.neverExecuted) continue;
      let sum = 0;
      for (const c of n.children) sum += (c.actualTotalMs ?? 0) * (c.loops ?? 1);
      n.actualTotalMs = sum;
      n.loops = 1;
    }
  }
  return derive({ dialect: 'mysql', format: 'tree', root, analyzed, triggers: [], warnings });
}
