// hash-spill: a hash table (for a hash join or a hash aggregate) that did not fit in work_mem × hash_mem_multiplier
// and was split into batches written to disk.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { nodeName, nodeScore, r, severityOf } from './context';

export const hashSpill: PlanRule = {
  id: 'hash-spill',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      const isHash = node.nodeType === 'Hash';
      const isHashAgg = node.nodeType === 'Aggregate' && (node.strategy === 'Hashed' || node.strategy === 'Mixed');
      if (!isHash && !isHashAgg) continue;
      const batches = node.hashBatches ?? 1;
      const disk = node.diskUsageKb ?? 0;
      if (batches <= 1 && disk <= 0) continue;
      // A spilled Hash makes its parent join re-read both sides batch by batch, so the join's own time counts too.
      const join = isHash ? ctx.parent.get(node) : undefined;
      const score = Math.min(5, nodeScore(ctx, node) + (join ? nodeScore(ctx, join) : 0));
      out.push({
        rule: 'hash-spill',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} used ${batches} batches${node.originalHashBatches !== undefined && node.originalHashBatches !== batches ? ` (planned ${node.originalHashBatches})` : ''}${disk ? ` and ${disk} kB of disk` : ''} because the hash table did not fit in memory (${node.peakMemoryKb ?? '?'} kB used); raise work_mem or hash_mem_multiplier for this query, or hash the smaller side.`,
        evidence: { batches, originalBatches: node.originalHashBatches ?? null, peakMemoryKb: node.peakMemoryKb ?? null, diskKb: disk || null, exclusiveMs: r(node.exclusiveMs) },
      });
    }
    return out;
  },
};
