// SQLite rules. EXPLAIN QUERY PLAN carries no timings or row counts, so scores are fixed by what each step costs in
// principle: a step repeated per outer row outweighs a one-off step. The constants below are those weights.
import type { Finding } from '../../findings';
import type { PlanNode } from '../model';
import type { PlanRule, RuleContext } from './context';

/** A full scan of a table done once: often needed, worth a look when the query filters. */
export const SQLITE_SCAN_SCORE = 2;
/** A full scan repeated for every row of an outer loop or correlated subquery: quadratic work. */
export const SQLITE_REPEATED_SCAN_SCORE = 4;
/** A full scan of a covering index reads less than the table; information only. */
export const SQLITE_COVERING_SCAN_SCORE = 1;
/** A temp b-tree sorts or de-duplicates every row once: n log n extra work and memory. */
export const SQLITE_TEMP_BTREE_SCORE = 1.5;
/** An automatic index is built from a full scan on every execution. */
export const SQLITE_AUTO_INDEX_SCORE = 3;
/** A correlated subquery runs once per outer row; with a scan inside it is quadratic. */
export const SQLITE_CORRELATED_SCORE = 2.5;

function quote(name: string | undefined): string {
  return name === undefined ? 'a table' : `"${name.replace(/^"|"$/g, '')}"`;
}

/** True when the step runs once per row of something else: inside a correlated subquery, or an inner loop of a join. */
function repeated(ctx: RuleContext, node: PlanNode): boolean {
  for (let p = ctx.parent.get(node); p; p = ctx.parent.get(p)) if (p.nodeType.startsWith('CORRELATED')) return true;
  const parent = ctx.parent.get(node);
  if (!parent) return false;
  const siblings = parent.children;
  const i = siblings.indexOf(node);
  return siblings.slice(0, i).some((s) => s.nodeType === 'SCAN' || s.nodeType === 'SEARCH');
}

export const sqliteFullScan: PlanRule = {
  id: 'sqlite-full-scan',
  dialect: 'sqlite',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'SCAN' || node.relation === undefined) continue;
      const covering = /COVERING INDEX/.test(node.detail ?? '');
      const again = repeated(ctx, node);
      const score = covering ? SQLITE_COVERING_SCAN_SCORE : again ? SQLITE_REPEATED_SCAN_SCORE : SQLITE_SCAN_SCORE;
      out.push({
        rule: 'sqlite-full-scan',
        severity: covering ? 'info' : again ? 'critical' : 'warning',
        score,
        node: node.id,
        message: again
          ? `SQLite scans all of ${quote(node.relation)} once per outer row (${node.detail}); index the column it is joined or correlated on.`
          : `SQLite reads all of ${quote(node.relation)} (${node.detail}); fine when the query needs most rows, otherwise index the column(s) in its WHERE clause.`,
        evidence: { table: node.relation, coveringIndex: covering, repeated: again },
      });
    }
    return out;
  },
};

export const sqliteTempBtree: PlanRule = {
  id: 'sqlite-temp-btree',
  dialect: 'sqlite',
  check(ctx) {
    return ctx.nodes
      .filter((n) => n.nodeType === 'USE TEMP B-TREE')
      .map((node) => ({
        rule: 'sqlite-temp-btree',
        severity: 'warning' as const,
        score: SQLITE_TEMP_BTREE_SCORE,
        node: node.id,
        message: `SQLite builds a temporary b-tree for ${node.strategy ?? 'sorting'} (${node.detail}); an index whose columns match the ${node.strategy ?? 'ORDER BY / GROUP BY'} lets it read rows in order instead.`,
        evidence: { purpose: node.strategy ?? null },
      }));
  },
};

export const sqliteAutoIndex: PlanRule = {
  id: 'sqlite-auto-index',
  dialect: 'sqlite',
  check(ctx) {
    return ctx.nodes
      .filter((n) => /AUTOMATIC/.test(n.detail ?? '') && (n.nodeType === 'SEARCH' || n.nodeType === 'SCAN'))
      .map((node) => ({
        rule: 'sqlite-auto-index',
        severity: 'warning' as const,
        score: SQLITE_AUTO_INDEX_SCORE,
        node: node.id,
        message: `SQLite builds an automatic index on ${quote(node.relation)}${node.indexCond ? ` (${node.indexCond})` : ''} every time the query runs; create that index permanently.`,
        evidence: { table: node.relation ?? null, condition: node.indexCond ?? null },
      }));
  },
};

export const sqliteCorrelatedSubquery: PlanRule = {
  id: 'sqlite-correlated-subquery',
  dialect: 'sqlite',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (!node.nodeType.startsWith('CORRELATED')) continue;
      const scans = node.children.some((c) => c.nodeType === 'SCAN');
      const score = scans ? SQLITE_REPEATED_SCAN_SCORE : SQLITE_CORRELATED_SCORE;
      out.push({
        rule: 'sqlite-correlated-subquery',
        severity: scans ? 'critical' : 'warning',
        score,
        node: node.id,
        message: `${node.detail} runs once per row of the outer query${scans ? ' and scans a whole table each time' : ''}; rewrite it as a join or aggregate once, or index the correlated column.`,
        evidence: { scansInside: scans },
      });
    }
    return out;
  },
};
