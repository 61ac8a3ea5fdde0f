// The chat sidebar (webview view `dataeng.chat`): strict-CSP shell, validated messages, streaming through the shared
// pipeline, conversation kept in workspace storage (never secrets), Stop wired to an AbortController per request.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PipelineEvent } from '../../app/pipeline';
import { sqlFromPrompt } from '../../app/chatInput';
import { toFindingViews } from '../../core/findingsFormat';
import { appendProofEvidence } from '../../core/proof/card';
import type { PromptMessage, TurnEvidence } from '../../core/prompt/types';
import { inferDialect, type Dialect } from '../../core/sql/dialect';
import {
  newRequestId,
  parseWebviewMessage,
  type ConversationEntry,
  type HostToWebview,
  type PickerState,
  type ProposedEditView,
  type ToolStepView,
  type WebviewToHost,
} from '../../protocol/messages';
import { ChatPlans } from '../plan/chatPlans';
import { ProofRunner } from '../proof/proofRunner';
import type { Services } from '../services';
import { copyCode, insertCode, openLink, replaceStatement, type StatementOrigin } from './editActions';
import { chatHtml } from './html';
import { applyProposedEdit } from './proposedEdits';
import type { ChatTaskArgs } from './ports';
import { runChatTask } from './taskRunner';

const conversationKey = 'dataeng.chat.conversation';
const maxStoredEntries = 200;

/**
 * An entry as the host keeps it: user turns also hold the evidence they sent, for follow-ups; an answer still being
 * written is `pending` (neither is sent to the webview).
 */
type StoredEntry = ConversationEntry & { evidence?: TurnEvidence; pending?: true };

/** The entry as the webview may see it: without the evidence, which only the model needs. */
function forWebview(e: StoredEntry): ConversationEntry {
  const { evidence: _evidence, pending: _pending, ...rest } = e;
  return rest;
}

/** How often a streaming answer is saved, so a browser refresh mid-answer keeps what had arrived. */
const streamingSaveMs = 1_000;

/**
 * Answers that were still being written when their extension host went away (a browser refresh, a closed window)
 * are kept as they were, marked incomplete with a note; nothing will stream into them any more.
 */
function settleInterrupted(entries: StoredEntry[]): StoredEntry[] {
  return entries.map((e) => {
    if (!e.pending) return e;
    const { pending: _pending, ...rest } = e;
    if (rest.steps) rest.steps = rest.steps.map((s) => (s.running ? { ...s, running: false, isError: true, result: 'Interrupted before it finished.' } : s));
    return { ...rest, incomplete: true, ...(rest.error ? {} : { error: { kind: 'cancelled' as const, message: 'Interrupted: the window was refreshed or closed before the answer was complete.' } }) };
  });
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'dataeng.chat';
  private view: vscode.WebviewView | undefined;
  /**
   * Whether the current webview has said `ready` (its script runs and listens). Callers waiting for that are queued in
   * `readyWaiters` and all released by the next `ready`, whichever webview instance sends it: a waiter must never
   * hold a promise that a later resolveWebviewView replaced (the first-click bug: reveal() awaited the constructor's
   * promise while the view, resolved only after the focus command, released a new one).
   */
  private isReady = false;
  private readyWaiters: (() => void)[] = [];
  private conversation: StoredEntry[];
  private readonly running = new Map<string, AbortController>();
  private readonly origins = new Map<string, StatementOrigin>();
  /** The plans of recent turns, for "Show plan" and clickable finding ids. */
  private readonly plans = new ChatPlans();
  private readonly disposables: vscode.Disposable[] = [];
  /** Verify rewrite, Try index and the automatic verification of Optimize answers (src/vscode/proof). */
  private readonly proof: ProofRunner;

  constructor(private readonly services: Services) {
    this.conversation = settleInterrupted(services.state.get<StoredEntry[]>(conversationKey, []));
    this.proof = new ProofRunner(services, { post: (m) => this.post(m), addEvidence: (id, item) => void this.addProofEvidence(id, item) });
    this.disposables.push(
      this.proof,
      services.apiKeys.onDidChange(() => void this.postPickers()),
      services.personas.onDidChange(() => void this.postPickers()),
    );
  }

  /** Resolves once a webview of this view is listening: at once when it already is, else at its `ready`. */
  private whenReady(): Promise<void> {
    if (this.isReady && this.view) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private markReady(): void {
    this.isReady = true;
    for (const release of this.readyWaiters.splice(0)) release();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.isReady = false;
    const ext = this.services.context.extensionUri;
    const dist = vscode.Uri.joinPath(ext, 'dist');
    view.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [dist, vscode.Uri.joinPath(ext, 'media')] };
    view.webview.html = chatHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parseWebviewMessage(raw);
        if (!parsed.ok) return this.services.log.warn(`chat: rejected a webview message (${parsed.reason})`);
        void this.handle(parsed.message).catch((err: unknown) => this.reportError(err));
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.isReady = false;
      }),
    );
  }

  private reportError(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.services.log.error(`chat: ${message}`);
    void vscode.window.showErrorMessage(`Data Engineer: ${message}`);
  }

  private post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private async pickers(): Promise<PickerState> {
    await this.services.personas.ensureLoaded().catch(() => undefined);
    const current = await this.services.personas.current().catch(() => undefined);
    const connections = this.services.chatConnections;
    return {
      personas: this.services.personas.all().map((p) => ({ name: p.name, description: p.description })),
      persona: current?.name ?? '',
      connections: connections?.list() ?? [],
      connection: connections?.activeName() ?? null,
      hasKey: await this.services.apiKeys.has(),
    };
  }

  async postPickers(): Promise<void> {
    if (this.view) this.post({ type: 'pickers', pickers: await this.pickers() });
  }

  private async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post({ type: 'init', pickers: await this.pickers(), conversation: this.plans.offered(this.conversation.map(forWebview)), streaming: [...this.running.keys()] });
        this.markReady();
        return;
      case 'send':
        this.conversation.push({ requestId: m.requestId, role: 'user', text: m.text });
        // SQL pasted in a fenced block (or a message that is SQL) is explained against the active connection.
        return this.start(m.requestId, { task: 'chat', ...sqlFromPrompt(m.text, this.dialect()) }, false);
      case 'cancel':
        this.running.get(m.requestId)?.abort();
        return;
      case 'newChat':
        return this.newChat();
      case 'selectPersona':
        await this.services.personas.select(m.name);
        return;
      case 'selectConnection':
        await this.services.chatConnections?.setActive(m.name);
        return this.postPickers();
      case 'setApiKey':
        await vscode.commands.executeCommand('dataeng.setApiKey');
        return;
      case 'copyCode':
        return copyCode(m.text);
      case 'insertCode':
        return insertCode(m.text, this.origins.get(m.requestId));
      case 'replaceStatement':
        return replaceStatement(m.text, this.origins.get(m.requestId));
      case 'openLink':
        return openLink(m.href);
      case 'showPlan':
        return this.plans.show(this.services.planViews, m.requestId, m.nodeId);
      case 'proof':
        return this.proof.run(m.requestId, m.action, m.text, 'click');
      case 'applyEdit':
      case 'rejectEdit':
        return this.settleEdit(m.requestId, m.editId, m.type === 'applyEdit');
      case 'showProofDiff':
        return this.proof.showDiff(m.cardId);
    }
  }

  /** What was verified about an answer goes with its question, so the next turn's history carries it (`<proof>`). */
  private async addProofEvidence(requestId: string, item: string): Promise<void> {
    const question = this.conversation.find((e) => e.requestId === requestId && e.role === 'user');
    if (!question) return;
    question.evidence = { ...question.evidence, proof: appendProofEvidence(question.evidence?.proof, item) };
    await this.persist();
  }

  /** The dialect chat messages are read in: the active connection's (core/sql/dialect.ts decides). */
  private dialect(): Dialect {
    const driver = this.services.chatConnections?.activeDriver();
    return inferDialect(driver ? { driver } : {});
  }

  async newChat(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    this.conversation = [];
    this.origins.clear();
    this.plans.clear();
    this.proof.clear();
    await this.persist();
    this.post({ type: 'cleared' });
  }

  /**
   * Reveals the chat and waits until its webview is listening. The wait is registered before the view is asked to
   * open, so a webview that resolves and says `ready` during the focus command is not missed either.
   */
  async reveal(focus = false): Promise<void> {
    // Already on screen and listening: nothing to wait for, and the editor keeps the focus (the user may type on).
    if (!focus && this.view?.visible && this.isReady) return;
    const ready = this.whenReady();
    if (this.view && !focus) this.view.show(true);
    else await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the chat view did not open; run "Data Engineer: Open Chat" and try again')), 30_000);
    });
    await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
  }

  /** Entry point for the editor commands and anything else that wants an answer streamed into the chat. */
  async runTask(args: ChatTaskArgs & { userText?: string }): Promise<void> {
    await this.reveal();
    const requestId = newRequestId('h');
    const userText = args.userText ?? describe(args);
    this.conversation.push({ requestId, role: 'user', text: userText });
    if (args.documentUri && args.range) {
      // The editor commands pass the statement they read from that range; anything else reads it again.
      const text = args.sql ?? (await vscode.workspace.openTextDocument(args.documentUri)).getText(args.range);
      this.origins.set(requestId, { uri: args.documentUri, range: args.range, text });
    }
    this.post({ type: 'turnStart', requestId, userText, canReplace: this.origins.has(requestId) });
    await this.start(requestId, args, true);
  }

  private history(before: string): PromptMessage[] {
    const out: PromptMessage[] = [];
    for (const e of this.conversation) {
      if (e.requestId === before) break;
      if (e.text.trim() && !this.running.has(e.requestId)) out.push({ role: e.role, content: e.text, ...(e.evidence ? { evidence: e.evidence } : {}) });
    }
    return out;
  }

  private async start(requestId: string, args: ChatTaskArgs, announced: boolean): Promise<void> {
    const controller = new AbortController();
    this.running.set(requestId, controller);
    this.proof.rememberTurn(requestId, args);
    const outside = args.signal;
    const stopFromOutside = () => controller.abort();
    if (outside?.aborted) controller.abort();
    outside?.addEventListener('abort', stopFromOutside, { once: true });
    if (!announced) this.post({ type: 'turnStart', requestId, userText: '', canReplace: false });
    const answer: StoredEntry = { requestId, role: 'assistant', text: '', canReplace: this.origins.has(requestId), pending: true };
    // In the conversation from the start, so a reloaded view shows the partial answer and keeps streaming into it; and
    // on disk from the start (then every second while it streams), so a browser refresh keeps the question and the
    // answer so far.
    this.conversation.push(answer);
    void this.persist().catch(() => undefined);
    let saveTimer: NodeJS.Timeout | undefined;
    const saveSoon = (): void => {
      saveTimer ??= setTimeout(() => {
        saveTimer = undefined;
        void this.persist().catch(() => undefined);
      }, streamingSaveMs);
    };
    const settle = (): void => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = undefined;
      delete answer.pending;
    };
    const sink = (e: PipelineEvent) => {
      switch (e.type) {
        case 'status':
          return this.post({ type: 'status', requestId, text: e.text });
        case 'findings':
          args.onFindings?.(e.findings);
          answer.findings = toFindingViews(e.findings);
          return this.post({ type: 'findings', requestId, findings: answer.findings });
        case 'delta':
          answer.text += e.text;
          saveSoon();
          return this.post({ type: 'delta', requestId, text: e.text });
        // A turn's end is on disk before the webview shows it: a refresh right after the answer appears keeps it.
        case 'done':
          settle();
          return this.persistThenPost({ type: 'done', requestId, incomplete: false });
        case 'error':
          settle();
          answer.error = { kind: e.kind, message: e.message };
          if (answer.text) answer.incomplete = true;
          return this.persistThenPost({ type: 'error', requestId, kind: e.kind, message: e.message });
        case 'noKey':
          settle();
          answer.error = { kind: 'noKey', message: 'No Anthropic API key is set: the findings above come from the plan analysis alone.' };
          return this.persistThenPost({ type: 'noKey', requestId });
        case 'toolStart':
        case 'toolStep': {
          const step: ToolStepView =
            e.type === 'toolStart'
              ? { id: e.id, name: e.name, summary: e.name, input: e.input, running: true }
              : { id: e.id, name: e.name, summary: e.summary, input: e.input, result: e.result, isError: e.isError, running: false };
          const steps = (answer.steps ??= []);
          const i = steps.findIndex((s) => s.id === step.id);
          if (i >= 0) steps[i] = step;
          else steps.push(step);
          saveSoon();
          return this.post({ type: 'toolStep', requestId, step });
        }
        case 'todos':
          answer.todos = e.items;
          saveSoon();
          return this.post({ type: 'todos', requestId, items: e.items });
        case 'proposedEdit': {
          const edit: ProposedEditView = { id: e.id, path: e.edit.path, oldText: e.edit.oldText, newText: e.edit.newText, state: 'proposed' };
          (answer.edits ??= []).push(edit);
          saveSoon();
          return this.post({ type: 'proposedEdit', requestId, edit });
        }
      }
    };
    const onExplained: ChatTaskArgs['onExplained'] = (result, findings) => {
      this.plans.remember(requestId, { result, findings });
      answer.hasPlan = true;
      this.post({ type: 'planReady', requestId });
    };
    try {
      const outcome = await runChatTask(this.services, this.services.apiKeys, { ...args, onExplained }, this.history(requestId), sink, controller.signal);
      // The evidence this turn sent stays with its question, so a follow-up can refer to its findings and plan.
      const question = this.conversation.find((e) => e.requestId === requestId && e.role === 'user');
      if (question && outcome.evidence) question.evidence = outcome.evidence;
      void this.proof.afterAnswer(requestId, outcome.end, outcome.text);
    } catch (err) {
      sink({ type: 'error', kind: 'server', message: err instanceof Error ? err.message : String(err), partialText: answer.text });
    } finally {
      settle();
      outside?.removeEventListener('abort', stopFromOutside);
      this.running.delete(requestId);
      await this.persist();
    }
  }

  /** Apply or Reject on a proposed edit: applied as one undoable edit (or refused, with why), then shown and saved. */
  private async settleEdit(requestId: string, editId: string, apply: boolean): Promise<void> {
    const answer = this.conversation.find((e) => e.requestId === requestId && e.role === 'assistant');
    const edit = answer?.edits?.find((e) => e.id === editId);
    if (!edit || edit.state === 'applied' || edit.state === 'rejected') return;
    if (apply) {
      const result = await applyProposedEdit(edit).catch((err: unknown) => ({ ok: false as const, note: err instanceof Error ? err.message : String(err) }));
      edit.state = result.ok ? 'applied' : 'failed';
      if (result.ok) delete edit.note;
      else edit.note = result.note;
      this.services.log.info(`chat: proposed edit of ${edit.path} ${result.ok ? 'applied' : `not applied (${result.note})`}`);
    } else edit.state = 'rejected';
    this.persistThenPost({ type: 'proposedEdit', requestId, edit });
  }

  private persistThenPost(message: HostToWebview): void {
    void this.persist()
      .catch((err: unknown) => this.services.log.warn(`chat: could not save the conversation (${err instanceof Error ? err.message : String(err)})`))
      .then(() => this.post(message));
  }

  private async persist(): Promise<void> {
    if (this.conversation.length > maxStoredEntries) this.conversation = this.conversation.slice(-maxStoredEntries);
    await this.services.state.update(conversationKey, this.conversation);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function describe(args: ChatTaskArgs): string {
  const verb = args.task === 'explain' ? 'Explain' : args.task === 'optimize' ? 'Optimize' : args.task === 'review-schema' ? 'Review the schema' : 'Question';
  if (args.task === 'review-schema') return args.question ? `${verb}: ${args.question}` : verb;
  const sql = args.sql ? `\n\n${args.sql.length > 2000 ? `${args.sql.slice(0, 2000)}…` : args.sql}` : '';
  return `${verb}${args.question ? `: ${args.question}` : ''}${sql}`;
}
