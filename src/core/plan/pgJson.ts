// PostgreSQL `EXPLAIN (FORMAT JSON)` → Plan. Accepts the array PostgreSQL returns, the single object inside it, or a
// bare node object; `FORMAT XML` and `FORMAT YAML` arrive here too, as the same shape (pgXml.ts, pgYaml.ts), where
// numbers and booleans may still be text. The conversion is one iterative pass over the parsed tree, so it costs a
// small fraction of JSON.parse itself and cannot overflow the stack on deep plans.
import { derive } from './derive';
import { labelFor } from './label';
import type { Buffers, Jit, Plan, PlanNode, Trigger } from './model';
import { newNode, PlanParseError, preorder } from './model';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Fields a node had but that could not be read (a number field holding something else), counted per field name for
// the plan's warnings. Reset by parsePgJson; conversion is synchronous, so one collector at a time is enough.
let unreadable = new Map<string, number>();

const numericText = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/**
 * A finite number, or the text of one (XML carries every value as text). Anything else is noted under `key` as
 * unreadable. Callers pass `o['Key']` rather than a computed key so each property load stays monomorphic.
 */
function num(v: unknown, key?: string): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && numericText.test(v)) return Number(v);
  if (key !== undefined) unreadable.set(key, (unreadable.get(key) ?? 0) + 1);
  return undefined;
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
    sharedHit: num(o['Shared Hit Blocks'], 'Shared Hit Blocks') ?? 0,
    sharedRead: num(o['Shared Read Blocks'], 'Shared Read Blocks') ?? 0,
    sharedDirtied: num(o['Shared Dirtied Blocks'], 'Shared Dirtied Blocks') ?? 0,
    sharedWritten: num(o['Shared Written Blocks'], 'Shared Written Blocks') ?? 0,
    localHit: num(o['Local Hit Blocks'], 'Local Hit Blocks') ?? 0,
    localRead: num(o['Local Read Blocks'], 'Local Read Blocks') ?? 0,
    localDirtied: num(o['Local Dirtied Blocks'], 'Local Dirtied Blocks') ?? 0,
    localWritten: num(o['Local Written Blocks'], 'Local Written Blocks') ?? 0,
    tempRead: num(o['Temp Read Blocks'], 'Temp Read Blocks') ?? 0,
    tempWritten: num(o['Temp Written Blocks'], 'Temp Written Blocks') ?? 0,
  };
}

function convertNode(o: Json): PlanNode {
  const n = newNode(str(o['Node Type']) ?? 'Unknown');
  const loops = num(o['Actual Loops'], 'Actual Loops');
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
  if (o['Parallel Aware'] === true || o['Parallel Aware'] === 'true') n.parallelAware = true;
  n.startupCost = num(o['Startup Cost'], 'Startup Cost');
  n.totalCost = num(o['Total Cost'], 'Total Cost');
  n.planRows = num(o['Plan Rows'], 'Plan Rows');
  n.planWidth = num(o['Plan Width'], 'Plan Width');
  n.actualStartupMs = num(o['Actual Startup Time'], 'Actual Startup Time');
  n.actualTotalMs = num(o['Actual Total Time'], 'Actual Total Time');
  n.actualRows = num(o['Actual Rows'], 'Actual Rows');
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
  n.rowsRemovedByFilter = num(o['Rows Removed by Filter'], 'Rows Removed by Filter');
  n.rowsRemovedByJoinFilter = num(o['Rows Removed by Join Filter'], 'Rows Removed by Join Filter');
  n.rowsRemovedByIndexRecheck = num(o['Rows Removed by Index Recheck'], 'Rows Removed by Index Recheck');
  n.heapFetches = num(o['Heap Fetches'], 'Heap Fetches');
  n.exactHeapBlocks = num(o['Exact Heap Blocks'], 'Exact Heap Blocks');
  n.lossyHeapBlocks = num(o['Lossy Heap Blocks'], 'Lossy Heap Blocks');
  n.buffers = buffersOf(o);
  const readMs = num(o['I/O Read Time'], 'I/O Read Time') ?? num(o['Shared I/O Read Time'], 'Shared I/O Read Time');
  const writeMs = num(o['I/O Write Time'], 'I/O Write Time') ?? num(o['Shared I/O Write Time'], 'Shared I/O Write Time');
  const tempReadMs = num(o['Temp I/O Read Time'], 'Temp I/O Read Time');
  const tempWriteMs = num(o['Temp I/O Write Time'], 'Temp I/O Write Time');
  if (readMs !== undefined || writeMs !== undefined || tempReadMs !== undefined || tempWriteMs !== undefined) {
    n.io = { readMs, writeMs, tempReadMs, tempWriteMs };
  }
  if (o['WAL Records'] !== undefined) n.wal = { records: num(o['WAL Records'], 'WAL Records') ?? 0, fpi: num(o['WAL FPI'], 'WAL FPI') ?? 0, bytes: num(o['WAL Bytes'], 'WAL Bytes') ?? 0 };
  n.workersPlanned = num(o['Workers Planned'], 'Workers Planned');
  n.workersLaunched = num(o['Workers Launched'], 'Workers Launched');
  n.sortMethod = str(o['Sort Method']);
  n.sortSpaceKb = num(o['Sort Space Used'], 'Sort Space Used');
  n.sortSpaceType = str(o['Sort Space Type']);
  n.hashBuckets = num(o['Hash Buckets'], 'Hash Buckets');
  n.originalHashBuckets = num(o['Original Hash Buckets'], 'Original Hash Buckets');
  n.hashBatches = num(o['Hash Batches'], 'Hash Batches') ?? num(o['HashAgg Batches'], 'HashAgg Batches');
  n.originalHashBatches = num(o['Original Hash Batches'], 'Original Hash Batches');
  n.peakMemoryKb = num(o['Peak Memory Usage'], 'Peak Memory Usage');
  n.diskUsageKb = num(o['Disk Usage'], 'Disk Usage');
  n.label = labelFor(n);
  return n;
}

/**
 * Plans an extension nests inside a node under a key of its own (Citus: "Distributed Query" → "Job" → "Tasks" →
 * "Remote Plan"), found without recursion. They become children of that node, as the text format shows them.
 */
function nestedPlans(o: Json): { key: string; plan: Json }[] | undefined {
  let found: { key: string; plan: Json }[] | undefined;
  for (const key in o) {
    if (key === 'Plans') continue;
    const v = o[key];
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v) && (v.length === 0 || typeof v[0] !== 'object')) continue;
    const stack: unknown[] = [v];
    while (stack.length) {
      const x = stack.pop();
      if (Array.isArray(x)) {
        for (let i = x.length - 1; i >= 0; i--) if (typeof x[i] === 'object' && x[i] !== null) stack.push(x[i]);
      } else if (isObject(x)) {
        const plan = x['Plan'];
        if (isObject(plan) && plan['Node Type'] !== undefined) (found ??= []).push({ key, plan });
        else for (const k in x) if (typeof x[k] === 'object' && x[k] !== null) stack.push(x[k]);
      }
    }
  }
  return found;
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
    if (Array.isArray(plans)) {
      for (const child of plans) {
        if (!isObject(child)) continue;
        const c = convertNode(child);
        node.children.push(c);
        jsonStack.push(child);
        nodeStack.push(c);
      }
    }
    // Only an extension's node (Custom Scan, Foreign Scan) carries plans of its own; looking only there keeps the
    // walk over ordinary nodes free of key enumeration.
    const nested = node.nodeType === 'Custom Scan' || node.nodeType === 'Foreign Scan' ? nestedPlans(json) : undefined;
    if (nested) {
      for (const { key, plan } of nested) {
        const c = convertNode(plan);
        c.parentRelationship ??= key;
        node.children.push(c);
        jsonStack.push(plan);
        nodeStack.push(c);
      }
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
  return queriesOf(value).length > 0;
}

/** The objects holding a "Plan" (one per statement PostgreSQL ran: a rule can rewrite one into several). */
function queriesOf(value: unknown): Json[] {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const out: Json[] = [];
  for (const item of items) {
    // psql prints one JSON document per query of a rewritten statement; joined, they become nested arrays.
    const q: unknown = Array.isArray(item) && item.length === 1 ? item[0] : item;
    if (isObject(q) && (isObject(q['Plan']) || typeof q['Node Type'] === 'string')) out.push(q);
    // An item with no plan but plan-level fields (`Planning`, `Execution Time`…) that a converter split off into an
    // item of its own: they belong to the plan before it.
    else if (isObject(q) && out.length && ('Execution Time' in q || 'Planning Time' in q || 'Planning' in q)) out[out.length - 1] = { ...out[out.length - 1], ...q };
  }
  return out;
}

export function parsePgJson(value: unknown, format: 'json' | 'xml' | 'yaml' = 'json'): Plan {
  const name = format === 'json' ? 'EXPLAIN (FORMAT JSON)' : format === 'xml' ? 'EXPLAIN (FORMAT XML)' : 'EXPLAIN (FORMAT YAML)';
  const queries = queriesOf(value);
  const top = queries[0];
  if (!top) throw new PlanParseError(`expected PostgreSQL ${name} output: a list of objects each holding "Plan" with a "Node Type"`);
  unreadable = new Map();
  const roots = queries.map((q) => convertTree(isObject(q['Plan']) ? q['Plan'] : q));
  const warnings: string[] = [];
  let root = roots[0]!;
  if (roots.length > 1) {
    // Several statements in one result (a rule rewrote the statement): one synthetic root holds them all, as SQLite's
    // `QUERY PLAN` does, so every rule and view sees every plan.
    root = newNode('Query Plans', `${roots.length} plans`);
    root.children = roots;
    warnings.push(`this result holds ${roots.length} plans (the statement was rewritten into several, for example by a rule); all are read, under one root, and their times are added up`);
  }
  const plan: Omit<Plan, 'nodeCount'> = { dialect: 'postgres', format, root, analyzed: false, triggers: queries.flatMap((q) => triggersOf(q['Triggers'])), warnings };
  const sum = (key: string) => {
    let total: number | undefined;
    for (const q of queries) {
      const v = num(q[key]);
      if (v !== undefined) total = (total ?? 0) + v;
    }
    // Rounded to PostgreSQL's three decimals when several plans are added up, so the sum carries no float noise.
    return total !== undefined && queries.length > 1 ? Math.round(total * 1000) / 1000 : total;
  };
  const planningMs = sum('Planning Time');
  if (planningMs !== undefined) plan.planningMs = planningMs;
  const executionMs = sum('Execution Time');
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
  const first = roots[0]!;
  plan.analyzed = first.actualTotalMs !== undefined || first.actualRows !== undefined || first.loops !== undefined;
  for (const [key, count] of unreadable) warnings.push(`"${key}" could not be read as a number on ${count === 1 ? 'one node' : `${count} nodes`}; it was left out`);
  unreadable = new Map();
  const derived = derive(plan);
  return roots.length > 1 ? holderIds(derived) : derived;
}

/** Numbers the nodes under a synthetic root from #1, the root itself being #0, as for SQLite. */
function holderIds(plan: Plan): Plan {
  const nodes = preorder(plan.root);
  for (let i = 0; i < nodes.length; i++) nodes[i]!.id = `#${i}`;
  return { ...plan, nodeCount: nodes.length - 1 };
}
