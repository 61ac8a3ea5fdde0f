// index-filter: an index scan that fetches rows only to discard most of them with a Filter — the index leads on the
// wrong column, or misses one the query filters on.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, nodeName, nodeScore, pct, r, severityOf, totalRows } from './context';

/** "Most rows": more than half of what the index returned is thrown away. */
export const INDEX_FILTER_DISCARD_SHARE = 0.5;
/** Fewer discarded rows than this cost a handful of page visits; not worth a finding. */
export const INDEX_FILTER_MIN_ROWS_REMOVED = 1000;

const indexScans = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

export const indexFilter: PlanRule = {
  id: 'index-filter',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (!indexScans.has(node.nodeType) || node.filter === undefined || node.rowsRemovedByFilter === undefined) continue;
      const loops = node.loops ?? 1;
      const removed = node.rowsRemovedByFilter * loops;
      const kept = totalRows(node) ?? 0;
      const share = removed / Math.max(1, removed + kept);
      if (removed < INDEX_FILTER_MIN_ROWS_REMOVED || share < INDEX_FILTER_DISCARD_SHARE) continue;
      const score = nodeScore(ctx, node, share);
      const cond = node.indexCond ?? node.recheckCond;
      out.push({
        rule: 'index-filter',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} fetches ${fmt(removed + kept)} rows through ${node.index !== undefined ? `index ${node.index}` : 'the index'}${cond ? ` (${cond})` : ''} and then discards ${fmt(removed)} (${pct(share)}) with Filter ${node.filter}; an index that also covers the filtered column(s) would avoid fetching them.`,
        evidence: { rowsRemoved: removed, rowsReturned: kept, discardedShare: r(share, 4), loops, exclusiveMs: r(node.exclusiveMs), index: node.index ?? null },
      });
    }
    return out;
  },
};
