// PostgreSQL text-format EXPLAIN → Plan. The tree is recovered from indentation: a child's `->` sits two columns to
// the right of its parent's text, a node's detail lines sit two columns to the right of its own text, and InitPlan /
// SubPlan / CTE headers sit where a child arrow would, owning the arrows indented under them.
import { derive } from './derive';
import type { Jit, Plan, PlanNode, Trigger } from './model';
import { newNode, PlanParseError, preorder } from './model';
import { kb, numberPairs, parseBuffers, parseNodeLine, splitList } from './pgTextLine';

interface NodeEntry {
  kind: 'node';
  col: number;
  node: PlanNode;
}
interface HeaderEntry {
  kind: 'header';
  col: number;
  owner: PlanNode;
  name: string;
  relationship: string;
}
type Entry = NodeEntry | HeaderEntry;

// `InitPlan 1 (returns $0)`, `SubPlan 2`, PostgreSQL 18's `InitPlan expr_1`, and 8.x's bare `InitPlan` / `SubPlan`.
const headerRe = /^((?:InitPlan|SubPlan)\b.*|CTE \S.*)$/;
// A ModifyTable on a partitioned table lists its target partitions under it (`Update on t1 t1_1`): part of the
// node's display, not a node, and nothing the model keeps.
const targetRe = /^(?:Insert|Update|Delete|Merge) on \S/;

/** Sets the field a detail line names; returns false when a count in it could not be read (it is then left out). */
function applyDetail(node: PlanNode, key: string, value: string): boolean {
  switch (key) {
    case 'Filter':
      node.filter = value;
      break;
    case 'Index Cond':
      node.indexCond = value;
      break;
    case 'Recheck Cond':
      node.recheckCond = value;
      break;
    case 'Hash Cond':
      node.hashCond = value;
      break;
    case 'Merge Cond':
      node.mergeCond = value;
      break;
    case 'Join Filter':
      node.joinFilter = value;
      break;
    case 'Sort Key':
      node.sortKey = splitList(value);
      break;
    case 'Group Key':
      node.groupKey = splitList(value);
      break;
    case 'Output':
      node.output = splitList(value);
      break;
    case 'Rows Removed by Filter':
      node.rowsRemovedByFilter = count(value);
      return node.rowsRemovedByFilter !== undefined;
    case 'Rows Removed by Join Filter':
      node.rowsRemovedByJoinFilter = count(value);
      return node.rowsRemovedByJoinFilter !== undefined;
    case 'Rows Removed by Index Recheck':
      node.rowsRemovedByIndexRecheck = count(value);
      return node.rowsRemovedByIndexRecheck !== undefined;
    case 'Heap Fetches':
      node.heapFetches = count(value);
      return node.heapFetches !== undefined;
    case 'Heap Blocks': {
      const p = numberPairs(value);
      if (p['exact'] !== undefined) node.exactHeapBlocks = p['exact'];
      if (p['lossy'] !== undefined) node.lossyHeapBlocks = p['lossy'];
      break;
    }
    case 'Buffers':
      node.buffers = parseBuffers(value);
      break;
    case 'I/O Timings': {
      // PG 13–14: `read=… write=…`; PG 15: `shared/local read=…, temp read=…`; PG 16+: `shared read=…, temp read=…`.
      node.io = {};
      for (const part of value.split(',')) {
        const p = numberPairs(part);
        const temp = /^\s*temp\b/.test(part);
        if (p['read'] !== undefined) node.io[temp ? 'tempReadMs' : 'readMs'] = p['read'];
        if (p['write'] !== undefined) node.io[temp ? 'tempWriteMs' : 'writeMs'] = p['write'];
      }
      break;
    }
    case 'WAL': {
      const p = numberPairs(value);
      node.wal = { records: p['records'] ?? 0, fpi: p['fpi'] ?? 0, bytes: p['bytes'] ?? 0 };
      break;
    }
    case 'Workers Planned':
      node.workersPlanned = count(value);
      return node.workersPlanned !== undefined;
    case 'Workers Launched':
      node.workersLaunched = count(value);
      return node.workersLaunched !== undefined;
    case 'Sort Method': {
      const m = /^(.*?)\s+(Memory|Disk):\s*(\d+)kB/.exec(value);
      if (m) {
        node.sortMethod = m[1]!;
        node.sortSpaceType = m[2]!;
        node.sortSpaceKb = Number(m[3]);
      } else node.sortMethod = value.trim();
      break;
    }
    case 'Buckets': {
      // `1024 (originally 1024)  Batches: 32 (originally 1)  Memory Usage: 39kB`
      const m = /^(\d+)(?: \(originally (\d+)\))?\s+Batches: (\d+)(?: \(originally (\d+)\))?\s+Memory Usage: (\d+)kB/.exec(value);
      if (m) {
        node.hashBuckets = Number(m[1]);
        if (m[2]) node.originalHashBuckets = Number(m[2]);
        node.hashBatches = Number(m[3]);
        if (m[4]) node.originalHashBatches = Number(m[4]);
        node.peakMemoryKb = Number(m[5]);
      }
      break;
    }
    case 'Batches': {
      // HashAggregate: `5  Memory Usage: 8241kB  Disk Usage: 1592kB`
      const m = /^(\d+)/.exec(value);
      if (m) node.hashBatches = Number(m[1]);
      const mem = /Memory Usage: (\d+)kB/.exec(value);
      if (mem) node.peakMemoryKb = Number(mem[1]);
      const disk = kb(/Disk Usage: (\d+kB)/.exec(value)?.[1]);
      if (disk !== undefined) node.diskUsageKb = disk;
      break;
    }
    default:
      break;
  }
  return true;
}

function parseTrigger(rest: string): Trigger | undefined {
  // `for constraint fk_name: time=1.2 calls=3` or `trg on rel: time=… calls=…` or `trg: time=… calls=…`
  const m = /^(for constraint )?(.+?)(?: on (.+?))?: time=([\d.]+) calls=(\d+)\s*$/.exec(rest);
  if (!m) return undefined;
  const t: Trigger = { name: m[2]!, timeMs: Number(m[4]), calls: Number(m[5]) };
  if (m[1]) t.constraint = true;
  if (m[3]) t.relation = m[3];
  return t;
}

function parseJitLine(jit: Jit, key: string, value: string): void {
  if (key === 'Functions') jit.functions = Number(value);
  else if (key === 'Options') {
    jit.options = {};
    for (const part of value.split(',')) {
      const m = /^\s*(.+?)\s+(true|false)\s*$/.exec(part);
      if (m) jit.options[m[1]!] = m[2] === 'true';
    }
  } else if (key === 'Timing') {
    const ms = (name: string) => {
      const m = new RegExp(`${name} ([\\d.]+) ms`).exec(value);
      return m ? Number(m[1]) : undefined;
    };
    const set = (k: keyof Jit, v: number | undefined) => {
      if (v !== undefined) (jit as Record<string, unknown>)[k] = v;
    };
    set('generationMs', ms('Generation'));
    set('inliningMs', ms('Inlining'));
    set('optimizationMs', ms('Optimization'));
    set('emissionMs', ms('Emission'));
    set('totalMs', ms('Total'));
  }
}

function parseSettings(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of splitList(value)) {
    const m = /^(\S+) = '((?:[^']|'')*)'$/.exec(part);
    if (m) out[m[1]!] = m[2]!.replace(/''/g, "'");
  }
  return out;
}

// The start of a node line without costs (COSTS OFF): PostgreSQL's node names, so a single-node plan such as
// "Seq Scan on t1" is recognised without any `->` or numbers. One anchored alternation: no backtracking.
const nodeHeadRe =
  /^(?:Parallel )?(?:Partial |Finalize )?(?:Seq Scan|Sample Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan|BitmapAnd|BitmapOr|Tid Scan|Tid Range Scan|Subquery Scan|Function Scan|Table Function Scan|Values Scan|CTE Scan|Named Tuplestore Scan|WorkTable Scan|Foreign Scan|Custom Scan|Result|ProjectSet|ModifyTable|Insert on|Update on|Delete on|Merge on|Append|Merge Append|Recursive Union|Nested Loop|Merge Join|Merge (?:Left|Right|Full|Semi|Anti)|Hash Join|Hash (?:Left|Right|Full|Semi|Anti)|Hash|Materialize|Memoize|Sort|Incremental Sort|Group|Aggregate|GroupAggregate|HashAggregate|MixedAggregate|WindowAgg|Unique|SetOp|HashSetOp|LockRows|Limit|Gather|Gather Merge)(?:$| |\()/;

/** True when a line (trimmed, without `->`) reads as a plan node: it has costs or actuals, or a node's name. */
export function isNodeLine(text: string): boolean {
  return nodeHeadRe.test(text) || parseNodeLine(text, true) !== undefined;
}

// Plan-level lines (after the tree): at the root's column, or deeper when the paste lost the root's margin.
// Spelled as PostgreSQL prints them (9.4–12 wrote the times in lower case), so the test allocates nothing per line.
const planKeys = new Set(['Planning Time', 'Planning time', 'Execution Time', 'Execution time', 'Total runtime', 'Planning', 'JIT', 'Settings', 'Query Identifier', 'Serialization']);

/** A detail value that must be a count: NaN never reaches the model. */
function count(value: string): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Parses cleaned lines (no psql header or footer) of a PostgreSQL text plan. */
export function parsePgText(lines: readonly string[], notes: readonly string[] = []): Plan {
  let root: PlanNode | undefined;
  const roots: PlanNode[] = [];
  let rootCol = 0;
  const stack: Entry[] = [];
  const warnings: string[] = [...notes];
  const plan: Omit<Plan, 'nodeCount' | 'root'> = { dialect: 'postgres', format: 'text', analyzed: false, triggers: [], warnings };
  let block: 'planning' | 'jit' | undefined;
  let blockCol = 0;
  let skipDeeperThan = -1;
  let arrowLines = 0;
  let arrowNodes = 0;
  let unreadTails = 0;
  let firstUnreadTail = '';
  let planningMs: number | undefined;
  let executionMs: number | undefined;

  // The root is the first line with costs or actuals; with COSTS OFF and no ANALYZE, the first line that reads as a node.
  // A root whose numbers did not read (wrapped, cut) is still the root when its name is a node's name.
  let start = lines.findIndex((l) => l.trim() !== '' && isNodeLine(l.trim().replace(/^->\s+/, '')));
  if (start === -1 && lines.some((l) => l.trimStart().startsWith('->'))) start = lines.findIndex((l) => l.trim() !== '');
  if (start === -1) start = lines.length;

  let unreadLines = 0;
  let firstUnread = '';
  const unread = (text: string) => {
    unreadLines++;
    if (!firstUnread) firstUnread = text.slice(0, 80);
  };
  const noteTail = (node: PlanNode, text: string) => {
    // A node line that has `(cost=` or `(actual` but whose numbers did not read: say so rather than lose them quietly.
    if (node.totalCost === undefined && node.actualRows === undefined && !node.neverExecuted && /\((?:cost=|actual )/.test(text)) {
      unreadTails++;
      if (!firstUnreadTail) firstUnreadTail = text.slice(0, 80);
    }
  };

  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const col = raw.length - raw.trimStart().length;
    if (trimmed.charCodeAt(0) === 45 && trimmed.charCodeAt(1) === 62) arrowLines++;

    if (!root) {
      const node = parseNodeLine(trimmed.replace(/^->\s+/, ''), false);
      if (!node || !node.nodeType) continue;
      if (trimmed.startsWith('->')) arrowNodes++;
      noteTail(node, trimmed);
      root = node;
      roots.push(node);
      rootCol = col;
      stack.push({ kind: 'node', col, node });
      continue;
    }
    const arrow = trimmed.startsWith('->');
    // Node lines are most of a plan; the key-value split is only needed for the others.
    const kv = arrow ? null : /^([A-Za-z/][A-Za-z0-9 /-]*?):\s*(.*)$/.exec(trimmed);
    const planKey = kv !== null && planKeys.has(kv[1]!);
    if (skipDeeperThan >= 0 && col > skipDeeperThan && !arrow && !planKey) continue;
    skipDeeperThan = -1;

    if (arrow) {
      const textCol = col + (trimmed.length - trimmed.slice(2).trimStart().length);
      const node = parseNodeLine(trimmed.slice(2).trimStart(), false);
      if (!node) continue;
      while (stack.length && stack[stack.length - 1]!.col >= col) stack.pop();
      let top = stack[stack.length - 1];
      if (!top && col === rootCol) {
        // The root line was pasted with a different indentation than the rest: a plan has one root, so an arrow at
        // its column is still its child.
        top = { kind: 'node', col: -1, node: root };
        stack.push(top);
      }
      if (!top) {
        throw new PlanParseError(
          `line ${i + 1}: a plan node ("${trimmed.slice(0, 60)}") is indented left of the plan's root, so the plan looks wrapped by the terminal or cut; paste it again from a wider terminal, or with psql's \\pset format unaligned`,
        );
      }
      arrowNodes++;
      noteTail(node, trimmed);
      if (top.kind === 'header') {
        node.parentRelationship = top.relationship;
        node.subplanName = top.name;
        top.owner.children.push(node);
      } else top.node.children.push(node);
      stack.push({ kind: 'node', col: textCol, node });
      block = undefined;
      continue;
    }

    if (!planKey && !(block && col > blockCol)) {
      // Where the line would sit; the stack is only cut back to it when the line is used, so a stray line (the tail of
      // a wrapped line, a comment) cannot detach the nodes after it from their parents.
      let depth = stack.length;
      while (depth && stack[depth - 1]!.col >= col) depth--;
      const top = stack[depth - 1];
      const header = headerRe.exec(trimmed);
      if (header && top?.kind === 'node' && col > rootCol) {
        const name = header[1]!;
        stack.length = depth;
        stack.push({ kind: 'header', col, owner: top.node, name, relationship: name.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan' });
        continue;
      }
      if (top?.kind === 'node' && col > rootCol) {
        stack.length = depth;
        if (kv && /^Worker \d+$/.test(kv[1]!)) {
          // Per-worker details repeat the node's own fields; the node's line already has the aggregate.
          skipDeeperThan = col;
          continue;
        }
        if (kv ? !applyDetail(top.node, kv[1]!, kv[2]!) : !(top.node.nodeType === 'ModifyTable' && targetRe.test(trimmed))) unread(trimmed);
        continue;
      }
      if (top?.kind === 'header') {
        stack.length = depth;
        continue;
      }
    }

    // Plan-level lines after the tree: timings, triggers, JIT, settings; or the root of the next plan in the result.
    if (block && col > blockCol && kv && !planKey) {
      if (block === 'planning' && kv[1] === 'Buffers') plan.planningBuffers = parseBuffers(kv[2]!);
      else if (block === 'jit') parseJitLine((plan.jit ??= {}), kv[1]!, kv[2]!);
      continue;
    }
    block = undefined;
    const trig = /^Trigger (.*)$/.exec(trimmed);
    if (trig) {
      const t = parseTrigger(trig[1]!);
      if (t) plan.triggers.push(t);
      continue;
    }
    if (!kv) {
      if (col <= rootCol && isNodeLine(trimmed)) {
        // A statement rewritten into several (a rule) prints one plan after another in the same result.
        const node = parseNodeLine(trimmed, false)!;
        noteTail(node, trimmed);
        root = node;
        roots.push(node);
        stack.length = 0;
        stack.push({ kind: 'node', col, node });
      } else unread(trimmed);
      continue;
    }
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!;
    const ms = key.endsWith('time') || key === 'total runtime' ? parseFloat(value) : NaN;
    if ((key === 'planning time' || key === 'execution time' || key === 'total runtime') && !(Number.isFinite(ms) && ms >= 0)) unread(trimmed);
    else if (key === 'planning time') planningMs = (planningMs ?? 0) + ms;
    else if (key === 'execution time' || key === 'total runtime') executionMs = (executionMs ?? 0) + ms;
    else if (key === 'planning') {
      block = 'planning';
      blockCol = col;
    } else if (key === 'jit') {
      block = 'jit';
      blockCol = col;
      plan.jit ??= {};
    } else if (key === 'settings') plan.settings = parseSettings(value);
    else if (key === 'query identifier') plan.queryIdentifier = value.trim();
  }
  if (!root) {
    throw new PlanParseError('expected a PostgreSQL text plan: no line looks like a plan node such as "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)"');
  }
  if (arrowNodes < arrowLines) {
    throw new PlanParseError(
      `this plan looks wrapped or cut: it has ${arrowLines} node lines ("->"), but only ${arrowNodes} could be placed in the tree. Paste it again from a wider terminal, or with psql's \\pset format unaligned`,
    );
  }
  if (unreadLines) {
    warnings.push(`${unreadLines === 1 ? 'one line' : `${unreadLines} lines`} of the plan could not be read and ${unreadLines === 1 ? 'was' : 'were'} left out (first: "${firstUnread}")`);
  }
  if (unreadTails) {
    warnings.push(`${unreadTails === 1 ? 'one node line' : `${unreadTails} node lines`} had costs or actuals that could not be read (first: "${firstUnreadTail}"); ${unreadTails === 1 ? 'it was' : 'they were'} kept without them`);
  }
  // Several plans' times are added up; rounding to PostgreSQL's three decimals keeps the sum free of float noise.
  const round = (ms: number) => (roots.length > 1 ? Math.round(ms * 1000) / 1000 : ms);
  if (planningMs !== undefined) plan.planningMs = round(planningMs);
  if (executionMs !== undefined) plan.executionMs = round(executionMs);
  let top = roots[0]!;
  if (roots.length > 1) {
    top = newNode('Query Plans', `${roots.length} plans`);
    top.children = roots;
    warnings.push(`this result holds ${roots.length} plans (the statement was rewritten into several, for example by a rule); all are read, under one root, and their times are added up`);
  }
  let analyzed = false;
  const check: PlanNode[] = [top];
  while (check.length && !analyzed) {
    const n = check.pop()!;
    if (n.actualRows !== undefined) analyzed = true;
    check.push(...n.children);
  }
  plan.analyzed = analyzed;
  const derived = derive({ ...plan, root: top });
  if (roots.length === 1) return derived;
  const nodes = preorder(top);
  for (let i = 0; i < nodes.length; i++) nodes[i]!.id = `#${i}`;
  return { ...derived, nodeCount: nodes.length - 1 };
}
