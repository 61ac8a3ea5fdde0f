// SQLite `EXPLAIN QUERY PLAN` → Plan: from the rows (`id, parent, notused, detail`, as objects or arrays) or from the
// sqlite3 shell's tree text (`QUERY PLAN`, `|--`, `` `-- ``). SQLite gives one detail line per step and no numbers, so
// the nodes carry what the detail says: the step, the table, the index and how it is used.
import { derive } from './derive';
import type { Plan, PlanNode } from './model';
import { newNode, PlanParseError, preorder } from './model';

export interface SqliteRow {
  id: number;
  parent: number;
  detail: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one row as an object `{id, parent, detail}` or an array `[id, parent, notused, detail]`. */
export function toSqliteRow(v: unknown): SqliteRow | undefined {
  if (Array.isArray(v) && v.length >= 4) {
    const cells: readonly unknown[] = v;
    const [id, parent, , detail] = cells;
    if (typeof id === 'number' && typeof parent === 'number' && typeof detail === 'string') return { id, parent, detail };
  }
  if (isRecord(v) && typeof v['detail'] === 'string' && typeof v['id'] === 'number' && typeof v['parent'] === 'number') {
    return { id: v['id'], parent: v['parent'], detail: v['detail'] };
  }
  return undefined;
}

export function looksLikeSqliteRows(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && toSqliteRow(value[0]) !== undefined;
}

/** Classifies one detail line. Older SQLite versions say `SCAN TABLE t`; newer ones `SCAN t`. */
export function sqliteNode(detail: string): PlanNode {
  const node = newNode(detail);
  node.detail = detail;
  let m: RegExpExecArray | null;
  if (/^SCAN CONSTANT ROW/.test(detail)) node.nodeType = 'SCAN CONSTANT ROW';
  else if ((m = /^(SCAN|SEARCH) (?:TABLE |SUBQUERY )?("[^"]*"|\S+)(?: AS (\S+))?(.*)$/.exec(detail))) {
    node.nodeType = m[1]!;
    node.relation = m[2]!;
    if (m[3]) node.alias = m[3];
    const rest = m[4] ?? '';
    const idx = /USING (?:COVERING )?INDEX ("[^"]*"|\S+)/.exec(rest);
    if (/USING AUTOMATIC/.test(rest)) node.index = '(automatic)';
    else if (idx) node.index = idx[1]!;
    else if (/USING (?:INTEGER )?PRIMARY KEY/.test(rest)) node.index = '(primary key)';
    const cond = /\(([^()]*)\)\s*$/.exec(rest);
    if (cond) node.indexCond = cond[1]!;
  } else if ((m = /^USE TEMP B-TREE FOR (.+)$/.exec(detail))) {
    node.nodeType = 'USE TEMP B-TREE';
    node.strategy = m[1]!;
  } else if ((m = /^((?:CORRELATED )?(?:SCALAR|LIST) SUBQUERY)/.exec(detail))) node.nodeType = m[1]!;
  else if ((m = /^(MATERIALIZE|CO-ROUTINE) (.+)$/.exec(detail))) {
    node.nodeType = m[1]!;
    node.alias = m[2]!;
  }
  return node;
}

function finish(root: PlanNode, format: 'rows' | 'tree'): Plan {
  const plan = derive({ dialect: 'sqlite', format, root, analyzed: false, triggers: [] });
  // The root is a synthetic `QUERY PLAN` holder; number the real steps from #1 as the shell lists them.
  const nodes = preorder(root);
  for (let i = 0; i < nodes.length; i++) nodes[i]!.id = `#${i}`;
  return { ...plan, nodeCount: nodes.length - 1 };
}

function holder(): PlanNode {
  return newNode('QUERY PLAN');
}

export function parseSqliteRows(value: readonly unknown[]): Plan {
  const root = holder();
  const byId = new Map<number, PlanNode>();
  for (let i = 0; i < value.length; i++) {
    const row = toSqliteRow(value[i]);
    if (!row) {
      throw new PlanParseError(`expected SQLite EXPLAIN QUERY PLAN rows ({id, parent, notused, detail} or [id, parent, notused, detail]); row ${i + 1} is ${JSON.stringify(value[i])?.slice(0, 80)}`);
    }
    const node = sqliteNode(row.detail);
    byId.set(row.id, node);
    // SQLite lists parents before children, so an unknown parent id means the row belongs at the top.
    (byId.get(row.parent) ?? root).children.push(node);
  }
  if (!root.children.length) throw new PlanParseError('expected SQLite EXPLAIN QUERY PLAN rows, got an empty list');
  return finish(root, 'rows');
}

const treeLineRe = /^((?:[|`] {2}| {3})*)(?:\|--|`--)(.*)$/;
const pipeRowRe = /^(\d+)\|(\d+)\|(\d+)\|(.+)$/;
// The header `.header on` adds to the rows: 3.24 and later name the columns id|parent|notused|detail, older shells
// selectid|order|from|detail (whose rows carry no nesting).
const rowHeaderRe = /^(?:id\|parent\|notused|selectid\|order\|from)\|detail$/;

function isStep(line: string): boolean {
  return treeLineRe.test(line.trimEnd()) || pipeRowRe.test(line.trim());
}

/**
 * Where the statement's result starts: `.eqp on` prints the plan, then the result, so the first line after the steps
 * that is not a step starts it, provided no step follows (then the tree itself is broken, wrapped or cut, and this
 * returns -1, as it does when no step comes first). lines.length when every line is a step, blank or a header.
 */
function resultStart(lines: readonly string[]): number {
  let started = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || (!started && (t === 'QUERY PLAN' || rowHeaderRe.test(t)))) continue;
    if (isStep(lines[i]!)) {
      started = true;
      continue;
    }
    if (!started) return -1;
    for (let j = i + 1; j < lines.length; j++) if (isStep(lines[j]!)) return -1;
    return i;
  }
  return lines.length;
}

export function looksLikeSqliteTree(lines: readonly string[]): boolean {
  // Stops at the first line that does not fit, so a large PostgreSQL plan is rejected after one line.
  let steps = 0;
  for (const l of lines) {
    const t = l.trim();
    if (t === '' || (steps === 0 && (t === 'QUERY PLAN' || rowHeaderRe.test(t)))) continue;
    // A tree that started is SQLite's, even when a line breaks it: parseSqliteTree then names that line.
    if (!isStep(l)) return steps > 0;
    steps++;
  }
  return steps > 0;
}

/** Rows read from text: nested by id and parent, or (before 3.24) flat in the order printed. */
export function sqliteRowsPlan(rows: readonly SqliteRow[], nested: boolean, warnings: readonly string[] = []): Plan {
  const list = nested ? rows : rows.map((r, i) => ({ ...r, id: i + 1, parent: -1 }));
  const plan = parseSqliteRows(list.map((r) => ({ id: r.id, parent: r.parent, notused: 0, detail: r.detail })));
  return warnings.length ? { ...plan, warnings: [...warnings, ...plan.warnings] } : plan;
}

function afterPlan(lines: number): string {
  return `${lines === 1 ? 'one line' : `${lines} lines`} after the plan (the statement's result, as .eqp on prints it) ${lines === 1 ? 'was' : 'were'} left out`;
}

export function parseSqliteTree(lines: readonly string[]): Plan {
  const root = holder();
  const stack: PlanNode[] = [root];
  const pipeRows: SqliteRow[] = [];
  let header = '';
  const start = resultStart(lines);
  const last = start === -1 ? lines.length : start;
  let leftOut = 0;
  for (let i = last; i < lines.length; i++) if (lines[i]!.trim() !== '' && !/^sqlite> ?$/.test(lines[i]!.trim())) leftOut++;
  const warnings = leftOut ? [afterPlan(leftOut)] : [];
  for (let i = 0; i < last; i++) {
    const line = lines[i]!.trimEnd();
    if (!line.trim() || line.trim() === 'QUERY PLAN') continue;
    if (rowHeaderRe.test(line.trim())) {
      header = line.trim();
      continue;
    }
    const pipe = pipeRowRe.exec(line.trim());
    if (pipe) {
      pipeRows.push({ id: Number(pipe[1]), parent: Number(pipe[2]), detail: pipe[4]! });
      continue;
    }
    const m = treeLineRe.exec(line);
    if (!m) throw new PlanParseError(`expected the sqlite3 shell's EXPLAIN QUERY PLAN tree (lines starting "|--" or "\`--"); line ${i + 1} looks like "${line.slice(0, 60)}"`);
    const depth = m[1]!.length / 3 + 1;
    stack.length = Math.min(stack.length, depth);
    const parent = stack[stack.length - 1] ?? root;
    const node = sqliteNode(m[2]!);
    parent.children.push(node);
    stack.push(node);
  }
  if (pipeRows.length) {
    // Rows of 3.24 and later nest by id and parent (ids are distinct). Older shells print `selectid|order|from|detail`,
    // whose first column repeats and which carry no nesting: those stay flat, in the order printed.
    const ids = new Set(pipeRows.map((r) => r.id));
    const nested = header.startsWith('id|') || (header === '' && !ids.has(0) && ids.size === pipeRows.length && pipeRows.every((r) => r.parent === 0 || ids.has(r.parent)));
    return sqliteRowsPlan(pipeRows, nested, warnings);
  }
  if (!root.children.length) throw new PlanParseError('expected SQLite EXPLAIN QUERY PLAN output, found only the "QUERY PLAN" header');
  const plan = finish(root, 'tree');
  return warnings.length ? { ...plan, warnings: [...warnings, ...plan.warnings] } : plan;
}
