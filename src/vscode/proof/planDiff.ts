// Show diff on a proof card opens the card's two plans in the plan view's diff mode (src/vscode/plan/).
import type { Dialect } from '../../core/sql/dialect';
import type { Services } from '../services';

export interface PlanDiffPort {
  showPlanDiff(before: unknown, after: unknown, options: { title: string; dialect?: Dialect }): Promise<void>;
}

/** The plan view as the proof runner's diff: before and after under the card's title, read in the card's dialect. */
export function planViewDiff(services: Services): PlanDiffPort {
  return {
    showPlanDiff: (before, after, { title, dialect }) =>
      services.planViews.showPlanDiff(before as never, after as never, { title, beforeTitle: 'before', afterTitle: 'after', ...(dialect ? { hint: { dialect } } : {}) }),
  };
}
