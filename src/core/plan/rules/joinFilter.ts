// join-filter: a join that builds many row pairs only to reject them in its Join Filter, usually because the useful
// condition could not be used as a hash/merge/index condition.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, nodeName, nodeScore, r, severityOf, totalRows } from './context';

/** "Far above": ten times more pairs rejected than produced, the same order of magnitude as row-misestimate. */
export const JOIN_FILTER_RATIO = 10;
/** Fewer rejected pairs than this are cheap to evaluate. */
export const JOIN_FILTER_MIN_ROWS_REMOVED = 10_000;

export const joinFilter: PlanRule = {
  id: 'join-filter',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.rowsRemovedByJoinFilter === undefined) continue;
      const removed = node.rowsRemovedByJoinFilter * (node.loops ?? 1);
      const produced = totalRows(node) ?? 0;
      if (removed < JOIN_FILTER_MIN_ROWS_REMOVED || removed < JOIN_FILTER_RATIO * Math.max(1, produced)) continue;
      const share = removed / (removed + produced);
      const score = nodeScore(ctx, node, share);
      out.push({
        rule: 'join-filter',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} rejects ${fmt(removed)} row pairs with Join Filter ${node.joinFilter ?? ''} to produce ${fmt(produced)}; rewrite the condition so it can be an index, hash or merge condition (equality on plain columns), or index the joined column.`,
        evidence: { rowsRemovedByJoinFilter: removed, rowsProduced: produced, exclusiveMs: r(node.exclusiveMs) },
      });
    }
    return out;
  },
};
