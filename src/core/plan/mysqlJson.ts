// MySQL `EXPLAIN FORMAT=JSON` and MariaDB `EXPLAIN FORMAT=JSON` / `ANALYZE FORMAT=JSON` → Plan.
//
// Both servers describe a query as nested objects: a `query_block` holds a `nested_loop` of `table`s, wrapped by the
// operations applied to their output (MariaDB `filesort`, `temporary_table`, `read_sorted_file`, `block-nl-join`;
// MySQL `ordering_operation`, `grouping_operation`, `duplicates_removal` with `using_filesort`/`using_temporary_table`
// flags), with subqueries, derived tables and unions as further query blocks. Each object becomes a node; a nested
// loop of several tables becomes a `Nested Loop` node whose children run in join order (the first is the outer one).
//
// Rows: a table's `rows` (MariaDB) or `rows_examined_per_scan` (MySQL) are rows examined per loop, and `filtered` the
// percentage its attached condition keeps; a node's estimated rows are therefore rows × filtered / 100, the rows it
// passes on, as PostgreSQL counts them. MariaDB's ANALYZE adds `r_rows` and `r_filtered`, read the same way, and
// `r_loops`. Time: MariaDB reports totals over all loops (`r_total_time_ms` of a query block or filesort,
// `r_table_time_ms` + `r_other_time_ms` of a table, `r_unpack_time_ms` + `r_other_time_ms` of a join buffer); nodes
// without their own time (a nested loop, a temporary table) take the sum of their children's, so exclusive time stays
// each node's own. MySQL's JSON has no actuals (its EXPLAIN ANALYZE is the tree text: mysqlTree.ts).
//
// Flags the rules read are kept in `detail` the way EXPLAIN's Extra column words them (`Using filesort`, `Using
// temporary`, `Using join buffer (BNL)`, `Dependent subquery`), and a table's access type in `strategy`.
import { derive } from './derive';
import type { Plan, PlanNode } from './model';
import { newNode, PlanParseError, preorder } from './model';

type Obj = Record<string, unknown>;

function isRecord(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function looksLikeMysqlJson(value: unknown): boolean {
  return isRecord(value) && isRecord(value['query_block']);
}

/** Object-valued keys that are properties of a node, not plan steps under it. */
const propertyKeys = new Set([
  'cost_info', 'r_engine_stats', 'possible_keys', 'used_key_parts', 'key_parts', 'ref', 'used_columns', 'rowid_filter',
  'index_merge', 'query_optimization', 'partitions', 'r_icp_filtered', 'loops', 'r_buffer_size', 'message',
  'optimizer_switch', 'range', 'buffer_size', 'sort_key', 'filesort_key',
]);

/** Access types (EXPLAIN's `type` column) and how the node is named. */
const accessNames: Record<string, string> = {
  ALL: 'Full Table Scan',
  index: 'Full Index Scan',
  range: 'Index Range Scan',
  ref: 'Index Lookup',
  eq_ref: 'Unique Index Lookup',
  ref_or_null: 'Index Lookup',
  const: 'Constant Row',
  system: 'Constant Row',
  fulltext: 'Fulltext Index Lookup',
  unique_subquery: 'Unique Subquery Lookup',
  index_subquery: 'Index Subquery Lookup',
  index_merge: 'Index Merge',
  hash_ALL: 'Hash Join Scan',
  hash_index: 'Hash Join Scan',
  hash_range: 'Hash Join Scan',
  hash_index_merge: 'Hash Join Scan',
};

/** How a node's time is known: from the server, as the sum of its children's (plus `extraMs`), or not at all. */
interface Timing {
  node: PlanNode;
  extraMs: number;
  /** A table with its own time: the sum is spread over its loops again, so rows and loops stay as reported. */
  keepLoops?: boolean;
}

interface Task {
  key: string;
  value: Obj;
  parent: PlanNode | null;
  /** Set on subqueries: `SubPlan` (correlated or not) or `InitPlan`-like roles, as the model names them. */
  relationship?: string;
  dependent?: boolean;
}

function addDetail(node: PlanNode, text: string): void {
  node.detail = node.detail ? `${node.detail}; ${text}` : text;
}

function tableNode(t: Obj, warnings: string[]): PlanNode {
  const access = str(t['access_type']) ?? '';
  const name = str(t['table_name']);
  const key = str(t['key']);
  const nodeType = accessNames[access] ?? (access ? `Access ${access}` : 'Table');
  if (access && !(access in accessNames)) warnings.push(`access type "${access}" is not one this reader knows; it is shown as read`);
  const parts = Array.isArray(t['used_key_parts']) ? (t['used_key_parts'] as unknown[]).map(String).join(', ') : '';
  const label = `${nodeType}${name !== undefined ? ` on ${name}` : ''}${key !== undefined && access !== 'ALL' ? ` using ${key}${parts ? ` (${parts})` : ''}` : ''}`;
  const node = newNode(nodeType, label);
  node.relation = name;
  node.index = key;
  node.strategy = access || undefined;
  const filter = str(t['attached_condition']);
  if (filter !== undefined) node.filter = filter;
  const icp = str(t['index_condition']);
  if (icp !== undefined) node.indexCond = icp;
  const examined = num(t['rows']) ?? num(t['rows_examined_per_scan']);
  const filtered = num(t['filtered']);
  if (examined !== undefined) {
    node.rowsExamined = examined;
    node.planRows = filtered !== undefined ? (examined * filtered) / 100 : examined;
  }
  const rRows = num(t['r_rows']);
  const rFiltered = num(t['r_filtered']);
  const loops = num(t['r_loops']);
  if (loops !== undefined) node.loops = loops;
  if (loops === 0) node.neverExecuted = true;
  if (rRows !== undefined) {
    const kept = rFiltered !== undefined ? (rRows * rFiltered) / 100 : rRows;
    node.actualRows = kept;
    if (rFiltered !== undefined && filter !== undefined) node.rowsRemovedByFilter = Math.max(0, rRows - kept);
  }
  const tableMs = num(t['r_table_time_ms']);
  const otherMs = num(t['r_other_time_ms']);
  if (tableMs !== undefined || otherMs !== undefined) {
    const total = (tableMs ?? 0) + (otherMs ?? 0);
    const l = loops !== undefined && loops > 0 ? loops : 1;
    node.actualTotalMs = total / l;
    if (node.loops === undefined) node.loops = 1;
  }
  const cost = isRecord(t['cost_info']) ? t['cost_info'] : undefined;
  if (cost) {
    const own = (num(cost['read_cost']) ?? 0) + (num(cost['eval_cost']) ?? 0);
    if (num(cost['read_cost']) !== undefined || num(cost['eval_cost']) !== undefined) node.totalCost = own;
  }
  if (t['using_index'] === true) addDetail(node, 'Using index');
  if (isRecord(t['index_merge'])) addDetail(node, `Using index merge (${Object.keys(t['index_merge']).join(', ')})`);
  if (isRecord(t['rowid_filter'])) addDetail(node, 'Using rowid filter');
  const buffer = str(t['using_join_buffer']);
  if (buffer !== undefined) addDetail(node, `Using join buffer (${buffer})`);
  if (t['using_temporary_table'] === true) addDetail(node, 'Using temporary');
  if (t['using_filesort'] === true) addDetail(node, 'Using filesort');
  const message = str(t['message']);
  if (message !== undefined) addDetail(node, message);
  return node;
}

/** Builds the node for one keyed object; `timing` collects the nodes whose time is the sum of their children's. */
function nodeFor(task: Task, warnings: string[], timing: Timing[]): PlanNode {
  const { key, value: o } = task;
  const loops = num(o['r_loops']);
  const ownTime = (ms: number | undefined, node: PlanNode): void => {
    if (ms === undefined) return;
    const l = loops !== undefined && loops > 0 ? loops : 1;
    node.actualTotalMs = ms / l;
    node.loops = loops ?? 1;
  };
  let node: PlanNode;
  switch (key) {
    case 'query_block': {
      const id = str(o['select_id']);
      const op = str(o['operation']);
      node = newNode('Query Block', `Query block${id !== undefined ? ` ${id}` : ''}${op ? ` (${op})` : ''}`);
      ownTime(num(o['r_total_time_ms']), node);
      if (num(o['r_total_time_ms']) === undefined) timing.push({ node, extraMs: 0 });
      const cost = isRecord(o['cost_info']) ? num(o['cost_info']['query_cost']) : undefined;
      if (cost !== undefined) node.totalCost = cost;
      if (str(o['having_condition']) !== undefined) node.filter = str(o['having_condition']);
      if (o['table'] === undefined && o['nested_loop'] === undefined && str(o['message']) !== undefined) addDetail(node, str(o['message'])!);
      break;
    }
    case 'table':
      node = tableNode(o, warnings);
      // A table's own time does not include a derived table or subquery materialized for it: that is added below.
      if (node.actualTotalMs === undefined) timing.push({ node, extraMs: 0 });
      else timing.push({ node, extraMs: node.actualTotalMs * (node.loops ?? 1), keepLoops: true });
      break;
    case 'filesort': {
      node = newNode('Filesort', `Filesort${str(o['sort_key']) !== undefined ? ` on ${str(o['sort_key'])}` : ''}`);
      addDetail(node, 'Using filesort');
      const sortKey = str(o['sort_key']);
      if (sortKey !== undefined) node.sortKey = [sortKey];
      node.sortMethod = str(o['r_sort_mode']);
      const outRows = num(o['r_output_rows']);
      if (outRows !== undefined) node.actualRows = outRows;
      if (o['r_used_priority_queue'] === true) addDetail(node, 'priority queue (LIMIT)');
      ownTime(num(o['r_total_time_ms']), node);
      if (num(o['r_total_time_ms']) === undefined) timing.push({ node, extraMs: 0 });
      break;
    }
    case 'temporary_table':
      node = newNode('Temporary Table', 'Temporary table');
      addDetail(node, 'Using temporary');
      timing.push({ node, extraMs: 0 });
      break;
    case 'read_sorted_file': {
      node = newNode('Read Sorted File', 'Read sorted file');
      const rows = num(o['r_rows']);
      if (rows !== undefined) node.actualRows = rows;
      timing.push({ node, extraMs: 0 });
      break;
    }
    case 'block-nl-join': {
      const joinType = str(o['join_type']) ?? 'BNL';
      node = newNode('Join Buffer', `Block nested loop join (${joinType}, ${str(o['buffer_type']) ?? 'buffer'} ${str(o['buffer_size']) ?? ''})`.replace(' )', ')'));
      node.strategy = joinType;
      node.joinType = 'Inner';
      addDetail(node, `Using join buffer (${joinType})`);
      const cond = str(o['attached_condition']);
      if (cond !== undefined) node.joinFilter = cond;
      const effective = num(o['r_effective_rows']);
      const rFiltered = num(o['r_filtered']);
      if (effective !== undefined && loops !== undefined) {
        node.loops = 1;
        node.actualRows = rFiltered !== undefined ? (effective * loops * rFiltered) / 100 : undefined;
      }
      const extra = (num(o['r_unpack_time_ms']) ?? 0) + (num(o['r_other_time_ms']) ?? 0);
      timing.push({ node, extraMs: extra });
      break;
    }
    case 'ordering_operation':
    case 'grouping_operation':
    case 'duplicates_removal':
    case 'windowing': {
      const base = key === 'ordering_operation' ? 'Ordering' : key === 'grouping_operation' ? 'Grouping' : key === 'windowing' ? 'Windowing' : 'Duplicates Removal';
      const sort = o['using_filesort'] === true;
      const temp = o['using_temporary_table'] === true;
      node = newNode(sort ? 'Filesort' : temp ? 'Temporary Table' : base, `${base}${sort ? ' (filesort)' : ''}${temp ? ' (temporary table)' : ''}`);
      if (temp) addDetail(node, 'Using temporary');
      if (sort) addDetail(node, 'Using filesort');
      timing.push({ node, extraMs: 0 });
      break;
    }
    case 'union_result': {
      node = newNode('Union', `Union${str(o['table_name']) !== undefined ? ` into ${str(o['table_name'])}` : ''}`);
      const rows = num(o['r_rows']);
      if (rows !== undefined) node.actualRows = rows;
      if (o['using_temporary_table'] === true) addDetail(node, 'Using temporary');
      timing.push({ node, extraMs: 0 });
      break;
    }
    case 'materialized':
    case 'materialized_from_subquery': {
      node = newNode('Materialize', o['unique'] === 1 || o['unique'] === true ? 'Materialize (semi-join, unique)' : 'Materialize derived table');
      if (o['dependent'] === true) addDetail(node, 'Dependent subquery');
      timing.push({ node, extraMs: 0 });
      break;
    }
    case 'expression_cache': {
      node = newNode('Subquery Cache', `Subquery cache${str(o['state']) !== undefined ? ` (${str(o['state'])})` : ''}`);
      const hit = num(o['r_hit_ratio']);
      if (hit !== undefined) addDetail(node, `hit ratio ${hit}%`);
      timing.push({ node, extraMs: 0 });
      break;
    }
    case 'nested_loop':
      node = newNode('Nested Loop', 'Nested loop join');
      node.joinType = 'Inner';
      timing.push({ node, extraMs: 0 });
      break;
    default:
      node = newNode(key, key.replace(/_/g, ' '));
      timing.push({ node, extraMs: 0 });
      break;
  }
  if (task.relationship) node.parentRelationship = task.relationship;
  if (task.dependent) {
    node.subplanName = 'Dependent subquery';
    addDetail(node, 'Dependent subquery');
  }
  return node;
}

/** Subquery lists: MariaDB `subqueries`, MySQL `attached_subqueries`, `select_list_subqueries`… each item a query block. */
function isSubqueryList(key: string): boolean {
  return key === 'subqueries' || key.endsWith('_subqueries');
}

/**
 * The plan steps inside one object, as tasks in their order. Arrays of steps (nested_loop, subquery lists,
 * query_specifications) are unpacked; property objects and scalars are skipped.
 */
function stepsOf(o: Obj, parent: PlanNode): Task[] {
  const tasks: Task[] = [];
  for (const [key, value] of Object.entries(o)) {
    if (propertyKeys.has(key)) continue;
    if (key === 'nested_loop' && Array.isArray(value)) {
      const items = value.filter(isRecord);
      if (items.length > 1) {
        tasks.push({ key: 'nested_loop', value: { __items: items }, parent });
      } else for (const item of items) for (const [k, v] of Object.entries(item)) if (isRecord(v)) tasks.push({ key: k, value: v, parent });
      continue;
    }
    if (key === '__items' && Array.isArray(value)) {
      for (const item of value) if (isRecord(item)) for (const [k, v] of Object.entries(item)) if (isRecord(v)) tasks.push({ key: k, value: v, parent });
      continue;
    }
    if ((isSubqueryList(key) || key === 'query_specifications') && Array.isArray(value)) {
      for (const item of value) {
        if (!isRecord(item)) continue;
        // MySQL marks a correlated subquery `dependent: true`; MariaDB runs one through an expression cache.
        const dependent = item['dependent'] === true || isRecord(item['expression_cache']);
        for (const [k, v] of Object.entries(item)) {
          if (!isRecord(v)) continue;
          tasks.push({ key: k, value: v, parent, ...(isSubqueryList(key) ? { relationship: 'SubPlan' } : {}), ...(dependent && k === 'query_block' ? { dependent } : {}) });
        }
      }
      continue;
    }
    if (isRecord(value)) {
      if (key === 'expression_cache') {
        tasks.push({ key, value, parent });
        continue;
      }
      tasks.push({ key, value, parent });
    }
  }
  return tasks;
}

/** Parses a MySQL or MariaDB FORMAT=JSON document (an object with `query_block`). */
export function parseMysqlJson(value: unknown): Plan {
  if (!looksLikeMysqlJson(value)) throw new PlanParseError('expected MySQL/MariaDB EXPLAIN FORMAT=JSON output: an object with "query_block"');
  const doc = value as Obj;
  const warnings: string[] = [];
  const timing: Timing[] = [];
  let root: PlanNode | undefined;
  const stack: Task[] = [{ key: 'query_block', value: doc['query_block'] as Obj, parent: null }];
  while (stack.length) {
    const task = stack.pop()!;
    const node = nodeFor(task, warnings, timing);
    if (task.parent) task.parent.children.push(node);
    else root = node;
    const steps = stepsOf(task.value, node);
    // A subquery in an expression cache, or a dependent one, is marked on its query block.
    if (task.key === 'expression_cache') for (const s of steps) if (s.key === 'query_block') s.dependent = true;
    for (let i = steps.length - 1; i >= 0; i--) stack.push(steps[i]!);
  }
  const top = root!;
  const analyzed = preorder(top).some((n) => n.actualTotalMs !== undefined || n.actualRows !== undefined);
  if (analyzed) {
    // Nodes without their own time take their children's total: walking preorder backwards sees children first.
    const summed = new Map(timing.map((t) => [t.node, t]));
    const nodes = preorder(top);
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i]!;
      const t = summed.get(n);
      if (t === undefined) continue;
      let sum = t.extraMs;
      for (const c of n.children) sum += (c.actualTotalMs ?? 0) * (c.loops ?? 1);
      if (t.keepLoops && n.loops !== undefined && n.loops > 0) n.actualTotalMs = sum / n.loops;
      else {
        n.actualTotalMs = sum;
        n.loops = 1;
      }
    }
  }
  // Costs: MySQL gives each table its own read + eval cost; a step without one costs what its children cost.
  const nodes = preorder(top);
  if (nodes.some((n) => n.totalCost !== undefined)) {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i]!;
      const childCost = n.children.reduce((s, c) => s + (c.totalCost ?? 0), 0);
      n.totalCost = n.totalCost === undefined ? childCost : n.nodeType === 'Query Block' ? Math.max(n.totalCost, childCost) : n.totalCost + childCost;
    }
  }
  const optimization = isRecord(doc['query_optimization']) ? num(doc['query_optimization']['r_total_time_ms']) : undefined;
  const plan = derive({
    dialect: 'mysql',
    format: 'json',
    root: top,
    analyzed,
    triggers: [],
    warnings,
    ...(optimization !== undefined ? { planningMs: optimization } : {}),
  });
  if (analyzed && top.inclusiveMs !== undefined) plan.executionMs = top.inclusiveMs;
  return plan;
}
