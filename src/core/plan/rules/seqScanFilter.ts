// seq-scan-filter: a sequential scan that reads a table and throws most of it away — the classic missing index.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, nodeName, nodeScore, pct, r, severityOf, totalRows } from './context';

/** A scan counts when it discards at least this share of what it reads (pgMustard's "inefficient filter" tip uses 90%). */
export const SEQ_SCAN_DISCARD_SHARE = 0.9;
/** Below this many discarded rows the scan is cheap whatever its selectivity; 1,000 rows fit in a few pages. */
export const SEQ_SCAN_MIN_ROWS_REMOVED = 1000;
/**
 * Without ANALYZE the rows read are estimated from the cost: PostgreSQL charges cpu_tuple_cost (0.01) plus
 * cpu_operator_cost (0.0025) per row and seq_page_cost (1.0) per page of roughly 50–100 rows, about 0.03 per row.
 */
export const SEQ_SCAN_COST_PER_ROW = 0.03;
/** Without ANALYZE, only scans estimated to read at least this many rows are reported. */
export const SEQ_SCAN_MIN_ESTIMATED_ROWS = 10_000;

export const seqScanFilter: PlanRule = {
  id: 'seq-scan-filter',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'Seq Scan' || node.filter === undefined) continue;
      if (ctx.plan.analyzed) {
        if (node.neverExecuted) continue;
        const loops = node.loops ?? 1;
        const removed = (node.rowsRemovedByFilter ?? 0) * loops;
        const kept = totalRows(node) ?? 0;
        const share = removed / Math.max(1, removed + kept);
        if (removed < SEQ_SCAN_MIN_ROWS_REMOVED || share < SEQ_SCAN_DISCARD_SHARE) continue;
        const score = nodeScore(ctx, node, share);
        out.push({
          rule: 'seq-scan-filter',
          severity: severityOf(score),
          score,
          node: node.id,
          message: `${nodeName(node)} reads ${fmt(removed + kept)} rows and discards ${fmt(removed)} (${pct(share)}) with Filter ${node.filter}; an index on the filtered column(s) would let PostgreSQL read only the ${fmt(kept)} matching rows.`,
          evidence: { rowsRemoved: removed, rowsReturned: kept, discardedShare: r(share, 4), loops, exclusiveMs: r(node.exclusiveMs), relation: node.relation ?? null },
        });
      } else {
        if (node.totalCost === undefined || node.planRows === undefined) continue;
        const estimatedRead = node.totalCost / SEQ_SCAN_COST_PER_ROW;
        const share = 1 - node.planRows / Math.max(1, estimatedRead);
        if (estimatedRead < SEQ_SCAN_MIN_ESTIMATED_ROWS || share < SEQ_SCAN_DISCARD_SHARE) continue;
        const score = nodeScore(ctx, node, share);
        out.push({
          rule: 'seq-scan-filter',
          severity: severityOf(score),
          score,
          node: node.id,
          message: `${nodeName(node)} is estimated to read about ${fmt(estimatedRead)} rows to return ${fmt(node.planRows)} with Filter ${node.filter}; an index on the filtered column(s) would avoid reading the whole table (estimate only — run EXPLAIN ANALYZE to confirm).`,
          evidence: { estimatedRowsRead: Math.round(estimatedRead), estimatedRowsReturned: node.planRows, discardedShare: r(share, 4), exclusiveCost: r(node.exclusiveCost), relation: node.relation ?? null },
        });
      }
    }
    return out;
  },
};
