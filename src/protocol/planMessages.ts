// Every message between the extension host (src/vscode/plan) and the plan view webview (media/plan), and the document
// the plan view shows, which the HTML report embeds as it is. Direction is in the type names, as in messages.ts;
// messages from the webview are validated by `parsePlanViewMessage` before the host acts on them.
import type { FlatPlan } from '../core/plan/view';

/** One plan, or two plans of the same statement to compare. Plans travel flat (see src/core/plan/view.ts). */
export type PlanViewDoc =
  | { kind: 'plan'; title: string; plan: FlatPlan; /** Node id to select and highlight, e.g. `#3`. */ focus?: string }
  | { kind: 'diff'; title: string; before: FlatPlan; after: FlatPlan; beforeTitle: string; afterTitle: string };

// ---- host → plan view --------------------------------------------------------------------------------------------

export type HostToPlanView =
  /** Sent in answer to every `ready`: the webview may have been reloaded and has nothing until then. */
  | { type: 'show'; doc: PlanViewDoc }
  /** Select, reveal and highlight one node (a finding clicked in the chat). */
  | { type: 'focus'; nodeId: string };

// ---- plan view → host --------------------------------------------------------------------------------------------

export type PlanViewToHost = { type: 'ready' } | { type: 'copy'; text: string };

export const planViewLimits = { text: 100_000 } as const;

export type PlanViewParseResult = { ok: true; message: PlanViewToHost } | { ok: false; reason: string };

/** Validates a message from the plan view. Unknown types, extra keys, wrong types and oversized strings are rejected. */
export function parsePlanViewMessage(raw: unknown): PlanViewParseResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
  const m = raw as Record<string, unknown>;
  const keys = Object.keys(m);
  switch (m['type']) {
    case 'ready':
      return keys.length === 1 ? { ok: true, message: { type: 'ready' } } : { ok: false, reason: 'ready: unexpected keys' };
    case 'copy': {
      const text = m['text'];
      if (keys.some((k) => k !== 'type' && k !== 'text')) return { ok: false, reason: 'copy: unexpected keys' };
      if (typeof text !== 'string' || text.length > planViewLimits.text) return { ok: false, reason: 'copy: needs text' };
      return { ok: true, message: { type: 'copy', text } };
    }
    default:
      return { ok: false, reason: `${typeof m['type'] === 'string' ? m['type'].slice(0, 40) : '?'}: unknown message type` };
  }
}

/** Node ids as the plan model writes them: `#0` (SQLite's root) to `#9999999`. */
export function isNodeId(v: unknown): v is string {
  return typeof v === 'string' && /^#\d{1,7}$/.test(v);
}
