// The plans behind the chat's turns, kept so that "Show plan" and a click on a finding id (F1, F2…) open the plan the
// answer was about. In memory only, and only the most recent ones: a plan can be megabytes, and workspace storage is
// for the conversation text. After a window reload the plans are gone, and the turns no longer offer them.
import type { Finding } from '../../core/findings';
import type { ExplainResult } from '../../db/types';
import type { ConversationEntry } from '../../protocol/messages';
import type { PlanPanels } from './planPanels';

export interface ChatPlan {
  result: ExplainResult;
  /** The findings the chat numbered F1, F2…, with their node ids. */
  findings: readonly Finding[];
}

/** Turns whose plans are kept; older ones are dropped first. */
export const MAX_CHAT_PLANS = 20;

export class ChatPlans {
  private readonly plans = new Map<string, ChatPlan>();

  remember(requestId: string, plan: ChatPlan): void {
    this.plans.delete(requestId);
    this.plans.set(requestId, plan);
    while (this.plans.size > MAX_CHAT_PLANS) this.plans.delete(this.plans.keys().next().value!);
  }

  get(requestId: string): ChatPlan | undefined {
    return this.plans.get(requestId);
  }

  clear(): void {
    this.plans.clear();
  }

  /** Opens a turn's plan in the plan view (one tab per turn), on the node of the finding that was clicked. */
  async show(views: PlanPanels, requestId: string, nodeId: string | undefined): Promise<void> {
    const key = `chat:${requestId}`;
    if (views.focus(key, nodeId)) return;
    const kept = this.plans.get(requestId);
    if (!kept) throw new Error("this answer's plan is no longer kept (plans are not saved across reloads): ask again to see it");
    const statement = kept.result.statement.replace(/\s+/g, ' ').trim();
    const title = `Plan: ${statement.length > 60 ? `${statement.slice(0, 60)}…` : statement}`;
    await views.showPlan(kept.result, { key, title, findings: kept.findings, ...(nodeId !== undefined ? { focus: nodeId } : {}) });
  }

  /** The conversation as the webview may show it: only turns whose plan is still here offer "Show plan". */
  offered(conversation: readonly ConversationEntry[]): ConversationEntry[] {
    return conversation.map((e) => (e.hasPlan && !this.plans.has(e.requestId) ? { ...e, hasPlan: false } : e));
  }
}
