// DuckDB's JSON plans into the one plan model: `EXPLAIN (FORMAT JSON)` (an array of `{name, children, extra_info}`)
// and `EXPLAIN (ANALYZE, FORMAT JSON)` (the profiler's tree: a query object whose children carry `operator_type`,
// `operator_timing`, `operator_cardinality`, `operator_rows_scanned` and `extra_info`). DuckDB reports each
// operator's own time, summed over its threads; it becomes the node's time with its children's added back, so derive()
// gives exclusive time as for every other engine.
import { derive } from './derive';
import type { Plan, PlanNode } from './model';
import { newNode, PlanParseError } from './model';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An EXPLAIN array of `{name, children}` nodes, or a profiler object with `operator_type` children. */
export function looksLikeDuckdbJson(value: unknown): boolean {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return isRecord(first) && typeof first.name === 'string' && Array.isArray(first.children) && !('Plan' in first);
  }
  if (!isRecord(value) || !Array.isArray(value.children)) return false;
  const child: unknown = value.children[0];
  return 'latency' in value || (isRecord(child) && typeof child.operator_type === 'string');
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

const strings = (v: unknown): string[] | undefined => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v === '' ? [] : [v];
  return undefined;
};

const text = (v: unknown): string | undefined => {
  const list = strings(v);
  return list && list.length ? list.join(' AND ') : undefined;
};

/** The fields of `extra_info` every operator may carry, on the node. */
function applyExtraInfo(node: PlanNode, info: Json): void {
  // DuckDB prints 0 where it has no estimate (a projection above an ORDER BY, for one): that is "unknown", not "none".
  const estimate = num(info['Estimated Cardinality']);
  node.planRows = estimate === 0 ? undefined : estimate;
  const fn = typeof info.Function === 'string' ? info.Function : undefined;
  const table = typeof info.Table === 'string' ? info.Table : undefined;
  const files = typeof info['Filename(s)'] === 'string' ? info['Filename(s)'] : undefined;
  if (fn) node.functionName = fn;
  if (table) {
    const parts = table.split('.');
    node.relation = parts[parts.length - 1];
    if (parts.length > 1) node.schema = parts[parts.length - 2];
  } else if (files) node.relation = files;
  // A scan's pushed-down filters are in "Filters"; a FILTER operator's condition is its "Expression".
  node.filter = text(info.Filters) ?? text(info.Expression);
  node.output = strings(info.Projections);
  node.groupKey = strings(info.Groups);
  node.sortKey = strings(info.Order) ?? strings(info['Order By']);
  node.joinType = typeof info['Join Type'] === 'string' ? info['Join Type'] : undefined;
  node.hashCond = text(info.Conditions);
  const parts = [node.nodeType];
  if (fn && fn !== node.nodeType) parts.push(fn);
  if (table) parts.push(`on ${table}`);
  else if (files) parts.push(`on ${files}`);
  if (node.joinType) parts.splice(1, 0, node.joinType);
  node.label = parts.join(' ');
}

interface Frame {
  raw: Json;
  node: PlanNode;
}

/** Builds the tree iteratively (deep plans cannot overflow the stack) and returns the root. */
function buildTree(rootRaw: Json, analyzed: boolean, warnings: string[]): PlanNode {
  const make = (raw: Json): PlanNode => {
    const type = typeof raw.operator_type === 'string' ? raw.operator_type : typeof raw.name === 'string' ? raw.name : 'UNKNOWN';
    const node = newNode(type);
    applyExtraInfo(node, isRecord(raw.extra_info) ? raw.extra_info : {});
    if (analyzed) {
      node.actualRows = num(raw.operator_cardinality);
      node.loops = 1;
      const own = num(raw.operator_timing);
      if (own !== undefined) node.actualTotalMs = own * 1000;
      const temp = num(raw.system_peak_temp_dir_size);
      if (temp && temp > 0) node.diskUsageKb = temp / 1024;
    }
    return node;
  };
  const root = make(rootRaw);
  const order: Frame[] = [];
  const stack: Frame[] = [{ raw: rootRaw, node: root }];
  while (stack.length) {
    const frame = stack.pop()!;
    order.push(frame);
    const children = Array.isArray(frame.raw.children) ? frame.raw.children : [];
    for (const c of children) {
      if (!isRecord(c)) {
        warnings.push(`a child of ${frame.node.nodeType} is not an operator object and was left out`);
        continue;
      }
      const child = make(c);
      frame.node.children.push(child);
      stack.push({ raw: c, node: child });
    }
  }
  if (analyzed) {
    // Children before parents: each node's time becomes its own plus its children's (inclusive), as derive() expects.
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!.node;
      if (node.actualTotalMs === undefined) continue;
      for (const c of node.children) node.actualTotalMs += c.actualTotalMs ?? 0;
    }
  }
  return root;
}

/** Parses DuckDB's EXPLAIN or EXPLAIN ANALYZE JSON (value or text). */
export function parseDuckdbJson(input: unknown): Plan {
  const value: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  const warnings: string[] = [];
  if (Array.isArray(value)) {
    const roots = value.filter(isRecord);
    if (!roots.length) throw new PlanParseError('expected DuckDB EXPLAIN (FORMAT JSON) output: an array of operators');
    if (roots.length > 1) warnings.push(`the EXPLAIN output holds ${roots.length} plans; only the first is read`);
    return derive({ dialect: 'duckdb', format: 'json', root: buildTree(roots[0]!, false, warnings), analyzed: false, triggers: [], warnings });
  }
  if (!isRecord(value) || !Array.isArray(value.children)) throw new PlanParseError('expected DuckDB EXPLAIN ANALYZE JSON: an object with "children"');
  // The profiler's tree starts with an EXPLAIN_ANALYZE operator of its own: the user's plan is below it.
  let top: unknown = value.children[0];
  if (isRecord(top) && top.operator_type === 'EXPLAIN_ANALYZE' && Array.isArray(top.children) && isRecord(top.children[0])) top = top.children[0];
  if (!isRecord(top)) throw new PlanParseError('the DuckDB EXPLAIN ANALYZE JSON has no operators');
  const root = buildTree(top, true, warnings);
  const plan = derive({ dialect: 'duckdb', format: 'json', root, analyzed: true, triggers: [], warnings });
  const latencyMs = (num(value.latency) ?? 0) * 1000;
  const temp = num(value.system_peak_temp_dir_size);
  if (temp && temp > 0) {
    plan.spillBytes = temp;
    root.diskUsageKb ??= temp / 1024;
  }
  if (latencyMs > 0) {
    plan.wallClockMs = latencyMs;
    if ((root.inclusiveMs ?? 0) > latencyMs * 1.05) {
      plan.warnings.push(`operator times are CPU time summed over DuckDB's threads (${Math.round(root.inclusiveMs!)} ms); the query took ${Math.round(latencyMs)} ms of wall-clock time`);
    }
  }
  return plan;
}
