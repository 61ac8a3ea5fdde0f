// Everything the commands and views share, built once in activate(). Heavy modules are loaded on first use.
import type * as vscode from 'vscode';
import { createLog } from './log';
import { PersonaStore } from './personas';
import { ApiKeyStore } from './chat/apiKey';
import type { ChatViewProvider } from './chat/chatView';
import type { ChatConnections } from './chat/ports';
import { ConnectionsService } from './connections/service';
import { QueryDiagnostics } from './editor/diagnostics';
import { DurableState } from '../host/durableState';
import { PlanPanels } from './plan/planPanels';

export class Services implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private personaStore: PersonaStore | undefined;
  private apiKeyStore: ApiKeyStore | undefined;
  private connectionsService: ConnectionsService | undefined;
  private diagnostics: QueryDiagnostics | undefined;
  private durable: DurableState | undefined;
  private planPanels: PlanPanels | undefined;
  /** Set by the connections feature; the chat reads the active database through it (src/vscode/chat/ports.ts). */
  chatConnections: ChatConnections | undefined;
  /** The chat sidebar, set by registerChat; editor commands stream into it with `chatView.runTask(...)`. */
  chatView: ChatViewProvider | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = createLog();
    this.disposables.push(this.log);
  }

  /** Personas, created on first use; the store itself reads files only when a persona is first asked for. */
  get personas(): PersonaStore {
    this.personaStore ??= this.own(new PersonaStore(this.context, this.log, this.state));
    return this.personaStore;
  }

  /** The Anthropic API key (SecretStorage, else ANTHROPIC_API_KEY). */
  get apiKeys(): ApiKeyStore {
    this.apiKeyStore ??= this.own(new ApiKeyStore(this.context.secrets));
    return this.apiKeyStore;
  }

  /** Database connections: settings, secrets, the active one, open databases (nothing opens in Restricted Mode). */
  get connections(): ConnectionsService {
    this.connectionsService ??= this.own(new ConnectionsService(this.context, this.log, this.state));
    return this.connectionsService;
  }

  /** Plan findings as squiggles after an explain (`dataeng.diagnostics.enabled`), created on first use. */
  get queryDiagnostics(): QueryDiagnostics {
    this.diagnostics ??= this.own(new QueryDiagnostics());
    return this.diagnostics;
  }

  /** Workspace state that survives a browser refresh (chat conversation, chosen persona and connection). */
  get state(): DurableState {
    const storage = this.context.storageUri;
    this.durable ??= new DurableState(this.context.workspaceState, storage?.scheme === 'file' ? storage.fsPath : undefined, (m) => this.log.warn(m));
    return this.durable;
  }

  /** The plan view's tabs, and the API to show a plan or a diff (`showPlan`, `showPlanDiff`), created on first use. */
  get planViews(): PlanPanels {
    this.planPanels ??= this.own(new PlanPanels(this.context.extensionUri, this.log));
    return this.planPanels;
  }

  /** Keeps a disposable until deactivation. */
  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing disposable must not keep the others alive.
      }
    }
  }
}
