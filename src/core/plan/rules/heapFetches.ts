// heap-fetches: an index-only scan that still visits the table because the visibility map is out of date.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, nodeName, nodeScore, pct, r, severityOf, totalRows } from './context';

/** Below this many fetches the extra page visits are negligible. */
export const HEAP_FETCHES_MIN = 1000;
/** A tenth of the returned rows needing a heap visit means the "index-only" scan is only partly index-only. */
export const HEAP_FETCHES_SHARE = 0.1;

export const heapFetches: PlanRule = {
  id: 'heap-fetches',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'Index Only Scan' || node.heapFetches === undefined) continue;
      const rows = Math.max(1, totalRows(node) ?? 0);
      const share = Math.min(1, node.heapFetches / rows);
      if (node.heapFetches < HEAP_FETCHES_MIN || share < HEAP_FETCHES_SHARE) continue;
      const score = nodeScore(ctx, node, share);
      const finding: Finding = {
        rule: 'heap-fetches',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message: `${nodeName(node)} had to visit the table for ${fmt(node.heapFetches)} of ${fmt(rows)} rows (${pct(share)}) because those pages are not marked all-visible; VACUUM ${node.relation ?? 'the table'} (or tune autovacuum for it) so the scan can stay in the index.`,
        evidence: { heapFetches: node.heapFetches, rowsReturned: rows, share: r(share, 4), exclusiveMs: r(node.exclusiveMs) },
      };
      if (node.relation !== undefined) finding.fix = `VACUUM (ANALYZE) ${node.schema !== undefined ? `${node.schema}.` : ''}${node.relation};`;
      out.push(finding);
    }
    return out;
  },
};
