// Line-level pieces of the PostgreSQL text-format parser: the node header line and the detail lines under it.
import type { Buffers, PlanNode } from './model';
import { emptyBuffers, newNode } from './model';

// The numeric tail of a node line. The head (the node's name) is split off first with a plain search, so no regex
// backtracks over user text: a pasted line of megabytes stays linear.
const tailRe =
  /^\(cost=(-?[\d.]+)\.\.(-?[\d.]+) rows=(\d+) width=(\d+)\)(?:\s+\((?:actual time=([\d.]+)\.\.([\d.]+) rows=([\d.]+) loops=(\d+)|actual rows=([\d.]+) loops=(\d+)|(never executed))\))?$/;
const actualTailRe = /^\((?:actual time=([\d.]+)\.\.([\d.]+) rows=([\d.]+) loops=(\d+)|actual rows=([\d.]+) loops=(\d+)|(never executed))\)$/;
const tailStartRe = /\s\((?:cost=|actual |never executed\))/;

/** Parses a node line; returns undefined when `requireNumbers` and the line has neither costs nor actuals. */
export function parseNodeLine(text: string, requireNumbers: boolean): PlanNode | undefined {
  const node = newNode('');
  let head = text;
  const at = text.search(tailStartRe);
  const tail = at === -1 ? '' : text.slice(at).trim();
  const m = at === -1 ? null : tailRe.exec(tail);
  if (m) {
    head = text.slice(0, at);
    node.startupCost = Number(m[1]);
    node.totalCost = Number(m[2]);
    node.planRows = Number(m[3]);
    node.planWidth = Number(m[4]);
    applyActuals(node, m.slice(5, 12));
  } else {
    const a = at === -1 ? null : actualTailRe.exec(tail);
    if (a) {
      head = text.slice(0, at);
      applyActuals(node, a.slice(1, 8));
    } else if (requireNumbers) return undefined;
  }
  applyHead(node, head.trim());
  return node;
}

function applyActuals(node: PlanNode, g: (string | undefined)[]): void {
  if (g[0] !== undefined) {
    node.actualStartupMs = Number(g[0]);
    node.actualTotalMs = Number(g[1]);
    node.actualRows = Number(g[2]);
    node.loops = Number(g[3]);
  } else if (g[4] !== undefined) {
    node.actualRows = Number(g[4]);
    node.loops = Number(g[5]);
  } else if (g[6] !== undefined) {
    node.neverExecuted = true;
    node.actualRows = 0;
    node.loops = 0;
  }
}

const aggregates: Record<string, string> = { Aggregate: 'Plain', GroupAggregate: 'Sorted', HashAggregate: 'Hashed', MixedAggregate: 'Mixed' };

/** Splits `schema.name alias` (names may be double-quoted) into its parts. */
function applyTarget(node: PlanNode, target: string, kind: 'relation' | 'cte' | 'function' | 'alias'): void {
  const parts = target.match(/"(?:[^"]|"")*"(?:\."(?:[^"]|"")*"|\.[^\s".]+)?|[^\s"]+(?:\."(?:[^"]|"")*")?/g) ?? [];
  const name = parts[0] ?? target;
  const alias = parts[1];
  if (kind === 'alias') {
    node.alias = name;
    return;
  }
  let bare = name;
  const dot = splitQualified(name);
  if (dot && kind === 'relation') {
    node.schema = dot[0];
    bare = dot[1];
  }
  if (kind === 'relation') node.relation = bare;
  else if (kind === 'cte') node.cteName = bare;
  else node.functionName = bare;
  node.alias = alias ?? bare;
}

function splitQualified(name: string): [string, string] | undefined {
  const m = /^("(?:[^"]|"")*"|[^".]+)\.("(?:[^"]|"")*"|[^".]+)$/.exec(name);
  return m ? [m[1]!, m[2]!] : undefined;
}

function applyHead(node: PlanNode, head: string): void {
  node.label = head;
  let h = head;
  if (h.startsWith('Parallel ')) {
    node.parallelAware = true;
    h = h.slice(9);
  }
  const partial = /^(Partial|Finalize) (.*)$/.exec(h);
  if (partial) {
    node.partialMode = partial[1]!;
    h = partial[2]!;
  }
  let m: RegExpExecArray | null;
  if (aggregates[h] !== undefined) {
    node.nodeType = 'Aggregate';
    node.strategy = aggregates[h];
  } else if ((m = /^(Hash)?SetOp (\w+)( All)?$/.exec(h))) {
    node.nodeType = 'SetOp';
    node.strategy = m[1] ? 'Hashed' : 'Sorted';
  } else if ((m = /^(Insert|Update|Delete|Merge) on (.+)$/.exec(h))) {
    node.nodeType = 'ModifyTable';
    node.operation = m[1]!;
    applyTarget(node, m[2]!, 'relation');
  } else if ((m = /^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))?(?: Join)?$/.exec(h)) && (m[1] === 'Nested Loop' || / Join$/.test(h))) {
    node.nodeType = m[1] === 'Nested Loop' ? 'Nested Loop' : `${m[1]} Join`;
    node.joinType = m[2] ?? 'Inner';
  } else if ((m = /^(Index Scan|Index Only Scan)( Backward)? using (\S+|"(?:[^"]|"")*") on (.+)$/.exec(h))) {
    node.nodeType = m[1]!;
    node.scanDirection = m[2] ? 'Backward' : 'Forward';
    node.index = m[3]!;
    applyTarget(node, m[4]!, 'relation');
  } else if ((m = /^Bitmap Index Scan on (.+)$/.exec(h))) {
    node.nodeType = 'Bitmap Index Scan';
    node.index = m[1]!;
  } else if ((m = /^(CTE Scan|WorkTable Scan) on (.+)$/.exec(h))) {
    node.nodeType = m[1]!;
    applyTarget(node, m[2]!, 'cte');
  } else if ((m = /^(Function Scan|Table Function Scan) on (.+)$/.exec(h))) {
    node.nodeType = m[1]!;
    applyTarget(node, m[2]!, 'function');
  } else if ((m = /^(Subquery Scan|Values Scan|Named Tuplestore Scan|Result) on (.+)$/.exec(h))) {
    node.nodeType = m[1]!;
    applyTarget(node, m[2]!, 'alias');
  } else if ((m = /^(.+?) on (.+)$/.exec(h))) {
    node.nodeType = m[1]!;
    applyTarget(node, m[2]!, 'relation');
  } else {
    node.nodeType = h;
  }
}

/** Splits a comma-separated list at top level (not inside parentheses or quotes). */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

const bufferKeys: Record<string, Record<string, keyof Buffers>> = {
  shared: { hit: 'sharedHit', read: 'sharedRead', dirtied: 'sharedDirtied', written: 'sharedWritten' },
  local: { hit: 'localHit', read: 'localRead', dirtied: 'localDirtied', written: 'localWritten' },
  temp: { read: 'tempRead', written: 'tempWritten' },
};

const bufferTokenRe = /\b(shared|local|temp)\b|\b(hit|read|dirtied|written)=(\d+)/g;

/** `shared hit=1 read=2, local hit=3, temp read=4 written=5` → Buffers, in one pass (it runs on every node). */
export function parseBuffers(text: string): Buffers {
  const b = emptyBuffers();
  let keys: Record<string, keyof Buffers> | undefined;
  bufferTokenRe.lastIndex = 0;
  for (let m = bufferTokenRe.exec(text); m; m = bufferTokenRe.exec(text)) {
    if (m[1] !== undefined) keys = bufferKeys[m[1]];
    else {
      const field = keys?.[m[2]!];
      if (field) b[field] = Number(m[3]);
    }
  }
  return b;
}

/** `key=value key2=value2` pairs anywhere in a string, as numbers. */
export function numberPairs(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/([A-Za-z/]+)=(-?[\d.]+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Parses a `kB` size such as `15200kB`. */
export function kb(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /(-?\d+)kB/.exec(text);
  return m ? Number(m[1]) : undefined;
}
