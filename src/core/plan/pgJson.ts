// PostgreSQL `EXPLAIN (FORMAT JSON)` → Plan. Accepts the array PostgreSQL returns, the single object inside it, or a
// bare node object. The conversion is one iterative pass over the parsed tree, so it costs a small fraction of
// JSON.parse itself and cannot overflow the stack on deep plans.
import { derive } from './derive';
import { labelFor } from './label';
import type { Buffers, Jit, Plan, PlanNode, Trigger } from './model';
import { newNode, PlanParseError } from './model';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

function buffersOf(o: Json): Buffers | undefined {
  if (o['Shared Hit Blocks'] === undefined && o['Temp Read Blocks'] === undefined && o['Local Hit Blocks'] === undefined) return undefined;
  return {
    sharedHit: num(o['Shared Hit Blocks']) ?? 0,
    sharedRead: num(o['Shared Read Blocks']) ?? 0,
    sharedDirtied: num(o['Shared Dirtied Blocks']) ?? 0,
    sharedWritten: num(o['Shared Written Blocks']) ?? 0,
    localHit: num(o['Local Hit Blocks']) ?? 0,
    localRead: num(o['Local Read Blocks']) ?? 0,
    localDirtied: num(o['Local Dirtied Blocks']) ?? 0,
    localWritten: num(o['Local Written Blocks']) ?? 0,
    tempRead: num(o['Temp Read Blocks']) ?? 0,
    tempWritten: num(o['Temp Written Blocks']) ?? 0,
  };
}

function convertNode(o: Json): PlanNode {
  const n = newNode(str(o['Node Type']) ?? 'Unknown');
  const loops = num(o['Actual Loops']);
  n.parentRelationship = str(o['Parent Relationship']);
  n.subplanName = str(o['Subplan Name']);
  n.relation = str(o['Relation Name']);
  n.schema = str(o['Schema']);
  n.alias = str(o['Alias']);
  n.index = str(o['Index Name']);
  n.cteName = str(o['CTE Name']);
  n.functionName = str(o['Function Name']);
  n.joinType = str(o['Join Type']);
  n.strategy = str(o['Strategy']);
  n.partialMode = str(o['Partial Mode']);
  n.operation = str(o['Operation']);
  n.scanDirection = str(o['Scan Direction']);
  if (o['Parallel Aware'] === true) n.parallelAware = true;
  n.startupCost = num(o['Startup Cost']);
  n.totalCost = num(o['Total Cost']);
  n.planRows = num(o['Plan Rows']);
  n.planWidth = num(o['Plan Width']);
  n.actualStartupMs = num(o['Actual Startup Time']);
  n.actualTotalMs = num(o['Actual Total Time']);
  n.actualRows = num(o['Actual Rows']);
  n.loops = loops;
  if (loops === 0) n.neverExecuted = true;
  n.filter = str(o['Filter']);
  n.indexCond = str(o['Index Cond']);
  n.recheckCond = str(o['Recheck Cond']);
  n.hashCond = str(o['Hash Cond']);
  n.mergeCond = str(o['Merge Cond']);
  n.joinFilter = str(o['Join Filter']);
  n.sortKey = strList(o['Sort Key']);
  n.groupKey = strList(o['Group Key']);
  n.output = strList(o['Output']);
  n.rowsRemovedByFilter = num(o['Rows Removed by Filter']);
  n.rowsRemovedByJoinFilter = num(o['Rows Removed by Join Filter']);
  n.rowsRemovedByIndexRecheck = num(o['Rows Removed by Index Recheck']);
  n.heapFetches = num(o['Heap Fetches']);
  n.exactHeapBlocks = num(o['Exact Heap Blocks']);
  n.lossyHeapBlocks = num(o['Lossy Heap Blocks']);
  n.buffers = buffersOf(o);
  const readMs = num(o['I/O Read Time']) ?? num(o['Shared I/O Read Time']);
  const writeMs = num(o['I/O Write Time']) ?? num(o['Shared I/O Write Time']);
  const tempReadMs = num(o['Temp I/O Read Time']);
  const tempWriteMs = num(o['Temp I/O Write Time']);
  if (readMs !== undefined || writeMs !== undefined || tempReadMs !== undefined || tempWriteMs !== undefined) {
    n.io = { readMs, writeMs, tempReadMs, tempWriteMs };
  }
  if (o['WAL Records'] !== undefined) n.wal = { records: num(o['WAL Records']) ?? 0, fpi: num(o['WAL FPI']) ?? 0, bytes: num(o['WAL Bytes']) ?? 0 };
  n.workersPlanned = num(o['Workers Planned']);
  n.workersLaunched = num(o['Workers Launched']);
  n.sortMethod = str(o['Sort Method']);
  n.sortSpaceKb = num(o['Sort Space Used']);
  n.sortSpaceType = str(o['Sort Space Type']);
  n.hashBuckets = num(o['Hash Buckets']);
  n.originalHashBuckets = num(o['Original Hash Buckets']);
  n.hashBatches = num(o['Hash Batches']) ?? num(o['HashAgg Batches']);
  n.originalHashBatches = num(o['Original Hash Batches']);
  n.peakMemoryKb = num(o['Peak Memory Usage']);
  n.diskUsageKb = num(o['Disk Usage']);
  n.label = labelFor(n);
  return n;
}

function convertTree(rootJson: Json): PlanNode {
  const root = convertNode(rootJson);
  // Two parallel stacks rather than a stack of pairs: no per-node tuple to allocate and collect.
  const jsonStack: Json[] = [rootJson];
  const nodeStack: PlanNode[] = [root];
  while (jsonStack.length) {
    const json = jsonStack.pop()!;
    const node = nodeStack.pop()!;
    const plans = json['Plans'];
    if (!Array.isArray(plans)) continue;
    for (const child of plans) {
      if (!isObject(child)) continue;
      const c = convertNode(child);
      node.children.push(c);
      jsonStack.push(child);
      nodeStack.push(c);
    }
  }
  return root;
}

function triggersOf(v: unknown): Trigger[] {
  if (!Array.isArray(v)) return [];
  const out: Trigger[] = [];
  for (const t of v) {
    if (!isObject(t)) continue;
    // Text format names a foreign-key trigger by its constraint ("Trigger for constraint fk"); do the same here.
    const trigger: Trigger = { name: str(t['Constraint Name']) ?? str(t['Trigger Name']) ?? 'trigger' };
    const relation = str(t['Relation']);
    if (relation !== undefined) trigger.relation = relation;
    if (t['Constraint Name'] !== undefined) trigger.constraint = true;
    const time = num(t['Time']);
    if (time !== undefined) trigger.timeMs = time;
    const calls = num(t['Calls']);
    if (calls !== undefined) trigger.calls = calls;
    out.push(trigger);
  }
  return out;
}

function jitOf(v: unknown): Jit | undefined {
  if (!isObject(v)) return undefined;
  const jit: Jit = {};
  const functions = num(v['Functions']);
  if (functions !== undefined) jit.functions = functions;
  const options = v['Options'];
  if (isObject(options)) {
    jit.options = {};
    for (const [k, val] of Object.entries(options)) if (typeof val === 'boolean') jit.options[k] = val;
  }
  const timing = v['Timing'];
  if (isObject(timing)) {
    const pick = (k: string) => {
      const x = timing[k];
      return isObject(x) ? num(x['Total']) : num(x);
    };
    const set = (k: keyof Jit, x: number | undefined) => {
      if (x !== undefined) (jit as Record<string, unknown>)[k] = x;
    };
    set('generationMs', pick('Generation'));
    set('inliningMs', pick('Inlining'));
    set('optimizationMs', pick('Optimization'));
    set('emissionMs', pick('Emission'));
    set('totalMs', pick('Total'));
  }
  return jit;
}

/** True when the value has the shape PostgreSQL's JSON explain output has. */
export function looksLikePgJson(value: unknown): boolean {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return isObject(first) && (isObject(first['Plan']) || typeof first['Node Type'] === 'string');
}

export function parsePgJson(value: unknown): Plan {
  const top: unknown = Array.isArray(value) ? value[0] : value;
  if (!isObject(top)) throw new PlanParseError('expected PostgreSQL EXPLAIN (FORMAT JSON) output: an array with one object holding "Plan"');
  const planJson = isObject(top['Plan']) ? top['Plan'] : typeof top['Node Type'] === 'string' ? top : undefined;
  if (!planJson) throw new PlanParseError('expected PostgreSQL EXPLAIN (FORMAT JSON) output: the object has no "Plan" with a "Node Type"');
  const root = convertTree(planJson);
  const plan: Omit<Plan, 'nodeCount'> = { dialect: 'postgres', format: 'json', root, analyzed: false, triggers: triggersOf(top['Triggers']) };
  const planningMs = num(top['Planning Time']);
  if (planningMs !== undefined) plan.planningMs = planningMs;
  const executionMs = num(top['Execution Time']);
  if (executionMs !== undefined) plan.executionMs = executionMs;
  const planning = top['Planning'];
  if (isObject(planning)) {
    const b = buffersOf(planning);
    if (b) plan.planningBuffers = b;
  }
  const jit = jitOf(top['JIT']);
  if (jit) plan.jit = jit;
  const settings = top['Settings'];
  if (isObject(settings)) {
    plan.settings = {};
    for (const [k, v] of Object.entries(settings)) plan.settings[k] = String(v);
  }
  const qid = top['Query Identifier'];
  // PostgreSQL prints the identifier as a JSON number; JSON.stringify renders it exactly as String would.
  if (qid !== undefined) plan.queryIdentifier = typeof qid === 'string' ? qid : JSON.stringify(qid);
  plan.analyzed = root.actualTotalMs !== undefined || root.actualRows !== undefined || root.loops !== undefined;
  return derive(plan);
}
