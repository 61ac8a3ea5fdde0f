// workers-not-launched: a parallel plan that got fewer workers than planned because the server's pool
// (max_parallel_workers, max_worker_processes) was exhausted, so the "parallel" part ran with less parallelism.
import type { Finding } from '../../findings';
import type { PlanRule } from './context';
import { nodeName, severityOf, subtreeScore } from './context';

export const workersNotLaunched: PlanRule = {
  id: 'workers-not-launched',
  dialect: 'postgres',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.workersPlanned === undefined || node.workersLaunched === undefined) continue;
      if (node.workersLaunched >= node.workersPlanned) continue;
      // The leader works too, so the lost share of the subtree's time is 1 − (launched + 1) / (planned + 1).
      const lost = 1 - (node.workersLaunched + 1) / (node.workersPlanned + 1);
      const score = subtreeScore(ctx, node, lost);
      out.push({
        rule: 'workers-not-launched',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message: `${nodeName(node)} planned ${node.workersPlanned} parallel workers but launched ${node.workersLaunched}; the server's worker pool was exhausted or limited (max_parallel_workers, max_worker_processes), so this part ran with less parallelism than planned.`,
        evidence: { workersPlanned: node.workersPlanned, workersLaunched: node.workersLaunched, lostShare: Math.round(lost * 100) / 100 },
      });
    }
    return out;
  },
};
