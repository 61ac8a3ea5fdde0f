// PostgreSQL text-format EXPLAIN → Plan. The tree is recovered from indentation: a child's `->` sits two columns to
// the right of its parent's text, a node's detail lines sit two columns to the right of its own text, and InitPlan /
// SubPlan / CTE headers sit where a child arrow would, owning the arrows indented under them.
import { derive } from './derive';
import type { Jit, Plan, PlanNode, Trigger } from './model';
import { PlanParseError } from './model';
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

const headerRe = /^(InitPlan \d+.*|SubPlan \d+.*|CTE \S.*)$/;

function applyDetail(node: PlanNode, key: string, value: string): void {
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
      node.rowsRemovedByFilter = Number(value);
      break;
    case 'Rows Removed by Join Filter':
      node.rowsRemovedByJoinFilter = Number(value);
      break;
    case 'Rows Removed by Index Recheck':
      node.rowsRemovedByIndexRecheck = Number(value);
      break;
    case 'Heap Fetches':
      node.heapFetches = Number(value);
      break;
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
      node.workersPlanned = Number(value);
      break;
    case 'Workers Launched':
      node.workersLaunched = Number(value);
      break;
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

/** Parses cleaned lines (no psql header or footer) of a PostgreSQL text plan. */
export function parsePgText(lines: readonly string[]): Plan {
  let root: PlanNode | undefined;
  let rootCol = 0;
  const stack: Entry[] = [];
  const plan: Omit<Plan, 'nodeCount' | 'root'> = { dialect: 'postgres', format: 'text', analyzed: false, triggers: [] };
  let block: 'planning' | 'jit' | undefined;
  let skipDeeperThan = -1;

  // The root is the first line with costs or actuals; with COSTS OFF and no ANALYZE, the first non-empty line.
  let start = lines.findIndex((l) => parseNodeLine(l.trim().replace(/^->\s+/, ''), true) !== undefined);
  if (start === -1 && lines.some((l) => l.trimStart().startsWith('->'))) start = lines.findIndex((l) => l.trim() !== '');
  if (start === -1) start = lines.length;

  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const col = raw.length - raw.trimStart().length;

    if (!root) {
      const node = parseNodeLine(trimmed.replace(/^->\s+/, ''), false);
      if (!node || !node.nodeType) continue;
      root = node;
      rootCol = col;
      stack.push({ kind: 'node', col, node });
      continue;
    }
    if (skipDeeperThan >= 0 && col > skipDeeperThan && !trimmed.startsWith('->')) continue;
    skipDeeperThan = -1;

    if (trimmed.startsWith('->')) {
      const textCol = col + (trimmed.length - trimmed.slice(2).trimStart().length);
      const node = parseNodeLine(trimmed.slice(2).trimStart(), false);
      if (!node) continue;
      while (stack.length && stack[stack.length - 1]!.col >= col) stack.pop();
      const top = stack[stack.length - 1];
      if (!top) throw new PlanParseError(`line ${i + 1}: a plan node ("${trimmed.slice(0, 60)}") is indented left of the plan's root`);
      if (top.kind === 'header') {
        node.parentRelationship = top.relationship;
        node.subplanName = top.name;
        top.owner.children.push(node);
      } else top.node.children.push(node);
      stack.push({ kind: 'node', col: textCol, node });
      block = undefined;
      continue;
    }

    while (stack.length && stack[stack.length - 1]!.col >= col) stack.pop();
    const top = stack[stack.length - 1];
    const header = headerRe.exec(trimmed);
    if (header && top?.kind === 'node' && col > rootCol) {
      const name = header[1]!;
      stack.push({ kind: 'header', col, owner: top.node, name, relationship: name.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan' });
      continue;
    }
    const kv = /^([A-Za-z/][A-Za-z0-9 /-]*?):\s*(.*)$/.exec(trimmed);
    if (top?.kind === 'node' && col > rootCol) {
      if (kv && /^Worker \d+$/.test(kv[1]!)) {
        // Per-worker details repeat the node's own fields; the node's line already has the aggregate.
        skipDeeperThan = col;
        continue;
      }
      if (kv) applyDetail(top.node, kv[1]!, kv[2]!);
      continue;
    }
    if (top?.kind === 'header') continue;

    // Top-level lines after the tree: timings, triggers, JIT, settings.
    if (block && col > rootCol && kv) {
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
    if (!kv) continue;
    const [, key, value] = kv;
    if (key === 'Planning Time') plan.planningMs = parseFloat(value!);
    else if (key === 'Execution Time' || key === 'Total runtime') plan.executionMs = parseFloat(value!);
    else if (key === 'Planning') block = 'planning';
    else if (key === 'JIT') {
      block = 'jit';
      plan.jit ??= {};
    } else if (key === 'Settings') plan.settings = parseSettings(value!);
    else if (key === 'Query Identifier') plan.queryIdentifier = value!.trim();
  }
  if (!root) {
    throw new PlanParseError('expected a PostgreSQL text plan: no line looks like a plan node such as "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)"');
  }
  let analyzed = false;
  const check: PlanNode[] = [root];
  while (check.length && !analyzed) {
    const n = check.pop()!;
    if (n.actualRows !== undefined) analyzed = true;
    check.push(...n.children);
  }
  plan.analyzed = analyzed;
  return derive({ ...plan, root });
}
