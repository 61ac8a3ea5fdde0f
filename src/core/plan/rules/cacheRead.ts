// cache-read: most blocks came from outside shared_buffers (the OS cache or disk), so the query is I/O-bound.
import type { PlanNode } from '../model';
import type { PlanRule } from './context';
import { fmt, nodeName, pct, r, severityOf, timeScore } from './context';

/** 1,000 blocks is 8 MB; below that, reads are cheap even when none were cached. */
export const CACHE_READ_MIN_BLOCKS = 1000;
/** Reported when at least half the shared blocks touched were read rather than hit. */
export const CACHE_READ_SHARE = 0.5;

function ownReads(node: PlanNode): number {
  let reads = node.buffers?.sharedRead ?? 0;
  for (const c of node.children) reads -= c.buffers?.sharedRead ?? 0;
  return Math.max(0, reads);
}

export const cacheRead: PlanRule = {
  id: 'cache-read',
  dialect: 'postgres',
  check(ctx) {
    const b = ctx.plan.root.buffers;
    if (!b) return [];
    const read = b.sharedRead;
    const share = read / Math.max(1, read + b.sharedHit);
    if (read < CACHE_READ_MIN_BLOCKS || share < CACHE_READ_SHARE) return [];
    let worst = ctx.plan.root;
    let worstReads = -1;
    for (const n of ctx.nodes) {
      const own = ownReads(n);
      if (own > worstReads) {
        worst = n;
        worstReads = own;
      }
    }
    // With track_io_timing the read time is measured; without it, credit the read share of the reading node's time.
    const ioMs = ctx.plan.root.io?.readMs;
    const score = timeScore(ctx, ioMs ?? (worst.exclusiveMs ?? 0) * share);
    return [
      {
        rule: 'cache-read',
        severity: severityOf(score, 'warning'),
        score,
        node: worst.id,
        message: `${pct(share)} of the ${fmt(read + b.sharedHit)} shared blocks were read from outside shared_buffers (${fmt(read)} reads, ${fmt(read * 8)} kB), most by ${nodeName(worst)}; read less (an index, fewer columns) or give the working set more cache (shared_buffers).`,
        evidence: { sharedRead: read, sharedHit: b.sharedHit, readShare: r(share, 4), ioReadMs: r(ioMs), nodeReads: worstReads },
      },
    ];
  },
};
