// sort-spill: a sort that did not fit in work_mem and went to temporary files on disk.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { fmt, nodeName, nodeScore, r, severityOf } from './context';

/**
 * An in-memory sort of the same data typically needs two to three times the on-disk size (tuple headers and the
 * sort array), so the suggested work_mem is the disk size times this factor.
 */
export const SORT_MEMORY_FACTOR = 3;

export const sortSpill: PlanRule = {
  id: 'sort-spill',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'Sort' && node.nodeType !== 'Incremental Sort') continue;
      const disk = node.sortSpaceType === 'Disk' || /external/.test(node.sortMethod ?? '');
      if (!disk) continue;
      const score = nodeScore(ctx, node);
      const kb = node.sortSpaceKb ?? 0;
      const suggestMb = Math.max(4, Math.ceil((kb * SORT_MEMORY_FACTOR) / 1024));
      out.push({
        rule: 'sort-spill',
        severity: severityOf(score),
        score,
        node: node.id,
        message: `${nodeName(node)} spilled to disk (${node.sortMethod ?? 'external sort'}, ${fmt(kb)} kB); raise work_mem for this query (about ${suggestMb} MB), sort fewer or narrower rows, or add an index that returns rows in the sorted order.`,
        evidence: { sortMethod: node.sortMethod ?? null, diskKb: kb, exclusiveMs: r(node.exclusiveMs), tempWrittenBlocks: node.buffers?.tempWritten ?? null },
        fix: `SET work_mem = '${suggestMb}MB';`,
      });
    }
    return out;
  },
};
