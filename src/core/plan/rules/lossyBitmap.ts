// lossy-bitmap: a bitmap heap scan whose bitmap outgrew work_mem and degraded to whole pages, so every row on those
// pages has to be rechecked.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, nodeName, nodeScore, pct, r, severityOf } from './context';

export const lossyBitmap: PlanRule = {
  id: 'lossy-bitmap',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'Bitmap Heap Scan' || !node.lossyHeapBlocks) continue;
      const exact = node.exactHeapBlocks ?? 0;
      const share = node.lossyHeapBlocks / (node.lossyHeapBlocks + exact);
      const score = nodeScore(ctx, node, share);
      out.push({
        rule: 'lossy-bitmap',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message: `${nodeName(node)} went lossy on ${fmt(node.lossyHeapBlocks)} of ${fmt(node.lossyHeapBlocks + exact)} heap blocks (${pct(share)}) and rechecked ${fmt(node.rowsRemovedByIndexRecheck ?? 0)} rows it did not need; raise work_mem so the bitmap stays exact.`,
        evidence: { lossyBlocks: node.lossyHeapBlocks, exactBlocks: exact, rowsRemovedByRecheck: node.rowsRemovedByIndexRecheck ?? null, exclusiveMs: r(node.exclusiveMs) },
      });
    }
    return out;
  },
};
