// MySQL and MariaDB plan rules. They read the plan model as mysqlJson.ts and mysqlTree.ts fill it: a table's access
// type in `strategy` (`ALL`, `index`, `ref`…), EXPLAIN's Extra flags in `detail`, the tree's iterator names in
// `nodeType`. Scores follow the shared scale (context.ts): the share of time (ANALYZE) or cost a fix could save; a
// plan with neither (MariaDB's plain EXPLAIN has no costs) gets the fixed weights below, like SQLite's rules.
import type { Finding } from '../../findings';
import type { PlanNode } from '../model';
import { misestimates } from './rowMisestimate';
import type { PlanRule, RuleContext } from './context';
import { fmt, nodeName, nodeScore, pct, r, severityOf, subtreeScore } from './context';

/** A filter that discards at least half of what a full scan reads is the sign that an index would read less. */
export const MYSQL_SCAN_DISCARD_SHARE = 0.5;
/** Below this many rows read, a full scan is cheaper than any index lookup worth suggesting. */
export const MYSQL_SCAN_MIN_ROWS = 1000;
/** Without times or costs: a full scan that discards most rows is a likely win (SQLite's SQLITE_SCAN_SCORE). */
export const MYSQL_SCAN_SCORE = 2;
/** Without times or costs: a sort of every row once (n log n, memory or disk), like SQLite's temp b-tree. */
export const MYSQL_FILESORT_SCORE = 1.5;
/** Without times or costs: an internal temporary table writes every group or row once more. */
export const MYSQL_TEMPORARY_SCORE = 1.5;
/** Without times or costs: a join with no usable index compares every pair of rows in the buffer. */
export const MYSQL_JOIN_BUFFER_SCORE = 3;
/** Without times or costs: a subquery run once per outer row, SQLite's correlated-subquery weight. */
export const MYSQL_DEPENDENT_SCORE = 2.5;
/** An index merge intersection reads two indexes where one composite index would do; a union of them is often fine. */
export const MYSQL_INDEX_MERGE_SCORE = 1;
/** A join buffer below this many rows on the buffered side is cheap whatever the join method. */
export const MYSQL_JOIN_BUFFER_MIN_ROWS = 1000;

function timedOrCosted(ctx: RuleContext): boolean {
  return (ctx.plan.analyzed && ctx.totalMs !== undefined) || ctx.totalCost !== undefined;
}

/** The node's own work as a score, or the fixed weight when the plan has neither times nor costs. */
function scoreOf(ctx: RuleContext, node: PlanNode, fixed: number, fraction = 1): number {
  return timedOrCosted(ctx) ? nodeScore(ctx, node, fraction) : Math.round(fixed * fraction * 10) / 10;
}

function quote(name: string | undefined): string {
  return name === undefined ? 'a table' : `"${name.replace(/`/g, '')}"`;
}

function isRealTable(name: string | undefined): boolean {
  return name !== undefined && !name.startsWith('<');
}

/** Rows read and rows kept by a full scan's filter: actual when analyzed, else the estimates. */
function scanFilter(ctx: RuleContext, node: PlanNode): { read: number; kept: number; actual: boolean } | undefined {
  if (node.strategy === 'ALL') {
    if (ctx.plan.analyzed && node.actualRows !== undefined && node.rowsRemovedByFilter !== undefined) {
      return { read: node.actualRows + node.rowsRemovedByFilter, kept: node.actualRows, actual: true };
    }
    if (node.rowsExamined !== undefined && node.planRows !== undefined && node.filter !== undefined) {
      return { read: node.rowsExamined, kept: node.planRows, actual: false };
    }
    return undefined;
  }
  // The tree: `Filter` over `Table scan on t`.
  if (node.nodeType === 'Table scan') {
    const parent = ctx.parent.get(node);
    if (!parent || parent.nodeType !== 'Filter') return undefined;
    if (ctx.plan.analyzed && node.actualRows !== undefined && parent.actualRows !== undefined) {
      return { read: node.actualRows, kept: parent.actualRows, actual: true };
    }
    if (node.planRows !== undefined && parent.planRows !== undefined) return { read: node.planRows, kept: parent.planRows, actual: false };
  }
  return undefined;
}

export const mysqlFullScan: PlanRule = {
  id: 'mysql-full-scan',
  dialect: 'mysql',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (!isRealTable(node.relation)) continue;
      const f = scanFilter(ctx, node);
      if (!f || f.read < MYSQL_SCAN_MIN_ROWS) continue;
      const discarded = f.read > 0 ? 1 - f.kept / f.read : 0;
      if (discarded < MYSQL_SCAN_DISCARD_SHARE) continue;
      const filterNode = node.nodeType === 'Table scan' ? ctx.parent.get(node)! : node;
      const score = timedOrCosted(ctx) ? Math.max(nodeScore(ctx, node, discarded), nodeScore(ctx, filterNode, discarded)) : MYSQL_SCAN_SCORE;
      out.push({
        rule: 'mysql-full-scan',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} reads every row of ${quote(node.relation)} (${fmt(f.read)} per loop${f.actual ? '' : ', estimated'}) and its condition discards ${pct(discarded)}; an index on the column(s) of ${filterNode.filter ? `"${filterNode.filter}"` : 'the condition'} would read only the rows it keeps.`,
        evidence: { table: node.relation ?? null, rowsRead: r(f.read), rowsKept: r(f.kept), discardedShare: r(discarded), actual: f.actual, loops: node.loops ?? 1 },
      });
    }
    return out;
  },
};

function hasFlag(node: PlanNode, flag: string): boolean {
  return node.detail !== undefined && node.detail.includes(flag);
}

export const mysqlFilesort: PlanRule = {
  id: 'mysql-filesort',
  dialect: 'mysql',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      const sorts = hasFlag(node, 'Using filesort') || node.nodeType === 'Sort';
      if (!sorts) continue;
      const score = scoreOf(ctx, node, MYSQL_FILESORT_SCORE);
      const key = node.sortKey?.join(', ');
      out.push({
        rule: 'mysql-filesort',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message: `${nodeName(node)} sorts rows after reading them (filesort${key ? ` on ${key}` : ''}); an index whose columns start with the equality-filtered columns and continue with the ORDER BY/GROUP BY columns returns them already in order.`,
        evidence: { sortKey: key ?? null, sortMode: node.sortMethod ?? null, rows: r(node.actualRows ?? node.planRows) },
      });
    }
    return out;
  },
};

export const mysqlTemporaryTable: PlanRule = {
  id: 'mysql-temporary-table',
  dialect: 'mysql',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (!hasFlag(node, 'Using temporary') || node.nodeType === 'Table scan' || node.nodeType === 'Union') continue;
      const score = scoreOf(ctx, node, MYSQL_TEMPORARY_SCORE);
      out.push({
        rule: 'mysql-temporary-table',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message: `${nodeName(node)} builds an internal temporary table (GROUP BY, DISTINCT or ORDER BY on columns no index provides in order); an index on the grouped columns, or grouping by columns of one table, lets the server stream instead — large ones spill to disk.`,
        evidence: { rows: r(node.actualRows ?? node.planRows) },
      });
    }
    return out;
  },
};

/** The buffered (inner) table of a join buffer: the node itself (MySQL JSON), or the table under the buffer node. */
function bufferedTable(node: PlanNode): PlanNode {
  return node.nodeType === 'Join Buffer' ? (node.children.find((c) => c.relation !== undefined) ?? node) : node;
}

export const mysqlJoinBuffer: PlanRule = {
  id: 'mysql-join-buffer',
  dialect: 'mysql',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      const buffered = hasFlag(node, 'Using join buffer') || node.strategy === 'hash join' || /block nested loop/i.test(node.nodeType);
      if (!buffered || (node.nodeType !== 'Join Buffer' && node.relation === undefined && node.strategy !== 'hash join')) continue;
      const table = bufferedTable(node);
      const rows = table.actualRows !== undefined && table.rowsRemovedByFilter !== undefined ? table.actualRows + table.rowsRemovedByFilter : (table.rowsExamined ?? table.planRows);
      if (rows !== undefined && rows < MYSQL_JOIN_BUFFER_MIN_ROWS) continue;
      const method = node.nodeType === 'Join Buffer' ? (node.strategy ?? 'BNL') : node.strategy === 'hash join' ? 'hash join' : (/\(([^)]*)\)/.exec(node.detail ?? '')?.[1] ?? 'join buffer');
      const score = timedOrCosted(ctx) ? Math.max(nodeScore(ctx, node), subtreeScore(ctx, node, 0.5)) : MYSQL_JOIN_BUFFER_SCORE;
      out.push({
        rule: 'mysql-join-buffer',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} joins ${quote(table.relation)} without a usable index (${method}): every row of it is compared with every buffered row of the tables before it. An index on ${quote(table.relation)}'s join column(s) turns this into index lookups.`,
        evidence: { table: table.relation ?? null, method, rows: r(rows) },
      });
    }
    return out;
  },
};

export const mysqlIndexMerge: PlanRule = {
  id: 'mysql-index-merge',
  dialect: 'mysql',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      const merge = node.strategy === 'index_merge' || hasFlag(node, 'Using index merge') || /^(Intersect|Index merge)/i.test(node.nodeType);
      if (!merge) continue;
      // An intersection reads several single-column indexes and intersects row ids: one composite index reads once.
      // A union (OR over different columns) is usually the best the server can do, so it is only worth a note.
      const intersect = /intersect/i.test(`${node.detail ?? ''} ${node.label}`);
      const score = intersect ? scoreOf(ctx, node, MYSQL_INDEX_MERGE_SCORE * 2) : Math.min(scoreOf(ctx, node, MYSQL_INDEX_MERGE_SCORE), MYSQL_INDEX_MERGE_SCORE);
      out.push({
        rule: 'mysql-index-merge',
        severity: intersect ? severityOf(score, 'warning') : 'info',
        score,
        node: node.id,
        message: intersect
          ? `${nodeName(node)} intersects several indexes of ${quote(node.relation)}; one composite index on the equality columns reads the matching rows directly.`
          : `${nodeName(node)} merges several indexes of ${quote(node.relation)} (an OR over different columns); fine when each branch is selective, otherwise rewrite as UNION or add a covering index.`,
        evidence: { table: node.relation ?? null, intersect },
      });
    }
    return out;
  },
};

export const mysqlDependentSubquery: PlanRule = {
  id: 'mysql-dependent-subquery',
  dialect: 'mysql',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (!hasFlag(node, 'Dependent subquery')) continue;
      const firstLoops = node.loops ?? node.children[0]?.loops;
      const runs = ctx.plan.analyzed ? Math.max(firstLoops ?? 1, ...node.children.map((c) => c.loops ?? 1)) : undefined;
      const score = timedOrCosted(ctx) ? subtreeScore(ctx, node) : MYSQL_DEPENDENT_SCORE;
      out.push({
        rule: 'mysql-dependent-subquery',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} is a dependent (correlated) subquery: it runs again for every row of the outer query${runs !== undefined ? ` (${fmt(runs)} times here)` : ''}. Rewrite it as a JOIN or a derived table grouped once, or index the column it is correlated on.`,
        evidence: { runs: runs ?? null },
      });
    }
    return out;
  },
};

export const mysqlRowMisestimate: PlanRule = {
  id: 'row-misestimate',
  dialect: 'mysql',
  check(ctx) {
    const hasLimit = (node: PlanNode): boolean => ctx.nodes.some((n) => n.nodeType === 'Limit' && n !== node);
    return misestimates(ctx, hasLimit).map(({ node, ratio, direction, score }): Finding => ({
      rule: 'row-misestimate',
      severity: severityOf(score, 'warning'),
      score,
      node: node.id,
      message: `${nodeName(node)} was estimated at ${fmt(node.planRows)} rows but returned ${fmt(node.actualRows)} per loop (${direction}estimated ${Math.round(ratio)}×); the optimizer lacks statistics on the filtered column(s): ANALYZE TABLE … PERSISTENT FOR COLUMNS (…) INDEXES () on MariaDB, ANALYZE TABLE … UPDATE HISTOGRAM ON … on MySQL 8${node.filter ? ` (condition ${node.filter})` : ''}.`,
      evidence: { estimatedRows: r(node.planRows), actualRows: r(node.actualRows), loops: node.loops ?? 1, ratio: r(ratio, 1), direction },
    }));
  },
};

export const mysqlPlanRules: readonly PlanRule[] = [
  mysqlFullScan,
  mysqlFilesort,
  mysqlTemporaryTable,
  mysqlJoinBuffer,
  mysqlIndexMerge,
  mysqlDependentSubquery,
  mysqlRowMisestimate,
];
