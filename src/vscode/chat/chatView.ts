// The chat sidebar (webview view `dataeng.chat`): strict-CSP shell, validated messages, streaming through the shared
// pipeline, conversation kept in workspace storage (never secrets), Stop wired to an AbortController per request.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PipelineEvent } from '../../app/pipeline';
import { sqlFromPrompt, toFindingViews } from '../../app/chatInput';
import type { PromptMessage } from '../../core/prompt/types';
import { newRequestId, parseWebviewMessage, type ConversationEntry, type HostToWebview, type PickerState, type WebviewToHost } from '../../protocol/messages';
import { ChatPlans } from '../plan/chatPlans';
import type { Services } from '../services';
import { copyCode, insertCode, openLink, replaceStatement, type StatementOrigin } from './editActions';
import { chatHtml } from './html';
import type { ChatTaskArgs } from './ports';
import { runChatTask } from './taskRunner';

const conversationKey = 'dataeng.chat.conversation';
const maxStoredEntries = 200;

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'dataeng.chat';
  private view: vscode.WebviewView | undefined;
  private ready: Promise<void> = new Promise(() => undefined);
  private markReady: () => void = () => undefined;
  private conversation: ConversationEntry[];
  private readonly running = new Map<string, AbortController>();
  private readonly origins = new Map<string, StatementOrigin>();
  /** The plans of recent turns, for "Show plan" and clickable finding ids. */
  private readonly plans = new ChatPlans();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    this.conversation = services.context.workspaceState.get<ConversationEntry[]>(conversationKey, []);
    this.resetReady();
    this.disposables.push(
      services.apiKeys.onDidChange(() => void this.postPickers()),
      services.personas.onDidChange(() => void this.postPickers()),
    );
  }

  private resetReady(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.resetReady();
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
        this.resetReady();
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
        this.post({ type: 'init', pickers: await this.pickers(), conversation: this.plans.offered(this.conversation), streaming: [...this.running.keys()] });
        this.markReady();
        return;
      case 'send':
        this.conversation.push({ requestId: m.requestId, role: 'user', text: m.text });
        // SQL pasted in a fenced block (or a message that is SQL) is explained against the active connection.
        return this.start(m.requestId, { task: 'chat', ...sqlFromPrompt(m.text) }, false);
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
    }
  }

  async newChat(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    this.conversation = [];
    this.origins.clear();
    this.plans.clear();
    await this.persist();
    this.post({ type: 'cleared' });
  }

  /** Reveals the chat and waits until its webview is listening. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the chat view did not open; run "Data Engineer: Open Chat" and try again')), 15_000);
    });
    await Promise.race([this.ready, timeout]).finally(() => clearTimeout(timer));
  }

  /** Entry point for the editor commands and anything else that wants an answer streamed into the chat. */
  async runTask(args: ChatTaskArgs & { userText?: string }): Promise<void> {
    await this.reveal();
    const requestId = newRequestId('h');
    const userText = args.userText ?? describe(args);
    this.conversation.push({ requestId, role: 'user', text: userText });
    const doc = args.documentUri && args.range ? await vscode.workspace.openTextDocument(args.documentUri) : undefined;
    if (doc && args.documentUri && args.range) this.origins.set(requestId, { uri: args.documentUri, range: args.range, text: doc.getText(args.range) });
    this.post({ type: 'turnStart', requestId, userText, canReplace: this.origins.has(requestId) });
    await this.start(requestId, args, true);
  }

  private history(before: string): PromptMessage[] {
    const out: PromptMessage[] = [];
    for (const e of this.conversation) {
      if (e.requestId === before) break;
      if (e.text.trim() && !this.running.has(e.requestId)) out.push({ role: e.role, content: e.text });
    }
    return out;
  }

  private async start(requestId: string, args: ChatTaskArgs, announced: boolean): Promise<void> {
    const controller = new AbortController();
    this.running.set(requestId, controller);
    const outside = args.signal;
    const stopFromOutside = () => controller.abort();
    if (outside?.aborted) controller.abort();
    outside?.addEventListener('abort', stopFromOutside, { once: true });
    if (!announced) this.post({ type: 'turnStart', requestId, userText: '', canReplace: false });
    const answer: ConversationEntry = { requestId, role: 'assistant', text: '', canReplace: this.origins.has(requestId) };
    // In the conversation from the start, so a reloaded view shows the partial answer and keeps streaming into it.
    this.conversation.push(answer);
    const sink = (e: PipelineEvent) => {
      switch (e.type) {
        case 'status':
          return this.post({ type: 'status', requestId, text: e.text });
        case 'findings':
          answer.findings = toFindingViews(e.findings);
          return this.post({ type: 'findings', requestId, findings: answer.findings });
        case 'delta':
          answer.text += e.text;
          return this.post({ type: 'delta', requestId, text: e.text });
        case 'done':
          return this.post({ type: 'done', requestId, incomplete: false });
        case 'error':
          answer.error = { kind: e.kind, message: e.message };
          if (answer.text) answer.incomplete = true;
          return this.post({ type: 'error', requestId, kind: e.kind, message: e.message });
        case 'noKey':
          answer.error = { kind: 'noKey', message: 'No Anthropic API key is set: the findings above come from the plan analysis alone.' };
          return this.post({ type: 'noKey', requestId });
      }
    };
    const onExplained: ChatTaskArgs['onExplained'] = (result, findings) => {
      this.plans.remember(requestId, { result, findings });
      answer.hasPlan = true;
      this.post({ type: 'planReady', requestId });
    };
    try {
      await runChatTask(this.services, this.services.apiKeys, { ...args, onExplained }, this.history(requestId), sink, controller.signal);
    } catch (err) {
      sink({ type: 'error', kind: 'server', message: err instanceof Error ? err.message : String(err), partialText: answer.text });
    } finally {
      outside?.removeEventListener('abort', stopFromOutside);
      this.running.delete(requestId);
      await this.persist();
    }
  }

  private async persist(): Promise<void> {
    if (this.conversation.length > maxStoredEntries) this.conversation = this.conversation.slice(-maxStoredEntries);
    await this.services.context.workspaceState.update(conversationKey, this.conversation);
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
