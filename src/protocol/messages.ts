// Every message between the extension host and the chat webview, in one file shared by both bundles.
// Direction is in the type names: HostToWebview messages are sent by the host (src/vscode/chat) and received by the
// webview (media/main.ts); WebviewToHost messages go the other way and are validated by `parseWebviewMessage` before
// the host acts on them. Streaming is a series of notifications keyed by `requestId`; `cancel` stops one request.
// Nothing here ever carries a secret: the webview only learns whether a key exists (`hasKey`).
import { isNodeId } from './planMessages';

import type { ErrorKind } from '../core/errorKinds';
import type { FindingView } from '../core/findingsFormat';
import type { ProofAction, ProofCard } from '../core/proof/card';
import type { TodoItem } from '../core/tools/types';

/** One tool call of the agent loop: a compact line ("Read models/orders.sql") that expands to its input and result. */
export interface ToolStepView {
  /** The model's tool_use id. */
  id: string;
  name: string;
  /** While running: the tool's name; then its one-line summary. */
  summary: string;
  /** The input as JSON text. */
  input: string;
  /** What the model read back (absent while running). */
  result?: string;
  isError?: boolean;
  running: boolean;
}

/** A propose_edit: shown as a diff the user applies (one undoable edit) or rejects. */
export interface ProposedEditView {
  /** The tool_use id that proposed it. */
  id: string;
  path: string;
  oldText: string;
  newText: string;
  state: 'proposed' | 'applied' | 'rejected' | 'failed';
  /** Why applying failed (the file changed, restricted mode…). */
  note?: string;
}


/** One entry of the conversation, as persisted in webview state and workspace storage. */
export interface ConversationEntry {
  requestId: string;
  role: 'user' | 'assistant';
  text: string;
  findings?: FindingView[];
  /** The answer stopped early (cancelled, cut, or an error after some text). */
  incomplete?: boolean;
  error?: { kind: ErrorKind; message: string };
  /** The host can replace the statement this question was about (an editor range was captured). */
  canReplace?: boolean;
  /** The host keeps this turn's plan: the webview offers "Show plan" and makes finding ids open it. */
  hasPlan?: boolean;
  /** The agent loop's tool calls, in order. */
  steps?: ToolStepView[];
  /** The latest todo_write checklist of this answer. */
  todos?: TodoItem[];
  edits?: ProposedEditView[];
}

export interface PickerState {
  personas: { name: string; description: string }[];
  persona: string;
  connections: { name: string; driver: string }[];
  connection: string | null;
  hasKey: boolean;
}

// ---- host → webview ----------------------------------------------------------------------------------------------

export type HostToWebview =
  /** Sent on every (re)load; `streaming` lists answers still arriving, whose deltas continue after this message. */
  | { type: 'init'; pickers: PickerState; conversation: ConversationEntry[]; streaming: string[] }
  | { type: 'pickers'; pickers: PickerState }
  /** A turn started (from the webview's own `send` or from an editor command): show the user's message. */
  | { type: 'turnStart'; requestId: string; userText: string; canReplace: boolean }
  | { type: 'status'; requestId: string; text: string }
  | { type: 'findings'; requestId: string; findings: FindingView[] }
  | { type: 'delta'; requestId: string; text: string }
  | { type: 'done'; requestId: string; incomplete: boolean }
  | { type: 'error'; requestId: string; kind: ErrorKind; message: string }
  | { type: 'noKey'; requestId: string }
  /** The turn's plan was analyzed and is kept: offer "Show plan" (see hasPlan). */
  | { type: 'planReady'; requestId: string }
  /** A proof card (running, then its result) for the code block `code` of an answer: placed under that block. */
  | { type: 'proofCard'; requestId: string; code: string; card: ProofCard }
  /** A tool step started or ended: added, or replaced in place (same `step.id`). */
  | { type: 'toolStep'; requestId: string; step: ToolStepView }
  /** The answer's checklist, replacing the one shown. */
  | { type: 'todos'; requestId: string; items: TodoItem[] }
  /** A proposed edit, or its new state after Apply/Reject: added, or replaced in place (same `edit.id`). */
  | { type: 'proposedEdit'; requestId: string; edit: ProposedEditView }
  | { type: 'cleared' };

// ---- webview → host ----------------------------------------------------------------------------------------------

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; requestId: string; text: string }
  | { type: 'cancel'; requestId: string }
  | { type: 'newChat' }
  | { type: 'selectPersona'; name: string }
  | { type: 'selectConnection'; name: string | null }
  | { type: 'setApiKey' }
  | { type: 'copyCode'; text: string }
  | { type: 'insertCode'; requestId: string; text: string }
  | { type: 'replaceStatement'; requestId: string; text: string }
  | { type: 'openLink'; href: string }
  /** Open the turn's plan in the plan view, on a node when a finding id was clicked. */
  | { type: 'showPlan'; requestId: string; nodeId?: string }
  /** Verify rewrite / Try index on a code block of the answer to `requestId`. */
  | { type: 'proof'; requestId: string; action: ProofAction; text: string }
  /** Show diff on a proof card: the host opens the card's two plans. */
  | { type: 'showProofDiff'; cardId: string }
  /** Apply (one undoable edit, trusted workspaces only, the old text must still match) or reject a proposed edit. */
  | { type: 'applyEdit'; requestId: string; editId: string }
  | { type: 'rejectEdit'; requestId: string; editId: string };

export const limits = { text: 100_000, name: 200, href: 2048 } as const;

const requestIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}
function id(v: unknown): v is string {
  return typeof v === 'string' && requestIdPattern.test(v);
}
function onlyKeys(m: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(m).every((k) => keys.includes(k));
}

/** The result of validating one incoming message: the typed message, or why it was rejected (for the log). */
export type ParseResult = { ok: true; message: WebviewToHost } | { ok: false; reason: string };

/** Validates a message from the webview. Unknown types, extra keys, wrong types and oversized strings are rejected. */
export function parseWebviewMessage(raw: unknown): ParseResult {
  if (!isRecord(raw)) return { ok: false, reason: 'not an object' };
  const m = raw;
  const t = m['type'];
  const bad = (why: string): ParseResult => ({ ok: false, reason: `${typeof t === 'string' ? t.slice(0, 40) : '?'}: ${why}` });
  const ok = (keys: readonly string[], valid: boolean, why: string): ParseResult =>
    !onlyKeys(m, ['type', ...keys]) ? bad('unexpected keys') : valid ? { ok: true, message: m as WebviewToHost } : bad(why);
  switch (t) {
    case 'ready':
    case 'newChat':
    case 'setApiKey':
      return ok([], true, '');
    case 'send':
      return ok(['requestId', 'text'], id(m['requestId']) && str(m['text'], limits.text) && m['text'].trim().length > 0, 'needs requestId and non-empty text');
    case 'cancel':
      return ok(['requestId'], id(m['requestId']), 'needs requestId');
    case 'selectPersona':
      return ok(['name'], str(m['name'], limits.name) && m['name'].length > 0, 'needs a name');
    case 'selectConnection':
      return ok(['name'], m['name'] === null || (str(m['name'], limits.name) && m['name'].length > 0), 'needs a name or null');
    case 'copyCode':
      return ok(['text'], str(m['text'], limits.text), 'needs text');
    case 'insertCode':
    case 'replaceStatement':
      return ok(['requestId', 'text'], id(m['requestId']) && str(m['text'], limits.text), 'needs requestId and text');
    case 'openLink':
      return ok(['href'], str(m['href'], limits.href) && isAllowedLink(m['href']), 'only http, https and mailto links');
    case 'showPlan':
      return ok(['requestId', 'nodeId'], id(m['requestId']) && (m['nodeId'] === undefined || isNodeId(m['nodeId'])), 'needs requestId and an optional node id like #3');
    case 'proof':
      return ok(
        ['requestId', 'action', 'text'],
        id(m['requestId']) && (m['action'] === 'verifyRewrite' || m['action'] === 'tryIndex') && str(m['text'], limits.text) && m['text'].trim().length > 0,
        'needs requestId, action verifyRewrite or tryIndex, and non-empty text',
      );
    case 'showProofDiff':
      return ok(['cardId'], id(m['cardId']), 'needs cardId');
    case 'applyEdit':
    case 'rejectEdit':
      return ok(['requestId', 'editId'], id(m['requestId']) && id(m['editId']), 'needs requestId and editId');
    default:
      return bad('unknown message type');
  }
}

/** Links the webview may ask the host to open (after the user confirms). */
export function isAllowedLink(href: string): boolean {
  try {
    const u = new URL(href);
    return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** Fresh, unguessable enough request ids for one session (not a security boundary: ids are validated by shape). */
export function newRequestId(prefix: 'w' | 'h'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
