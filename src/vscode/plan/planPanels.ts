// The plan view's editor tabs (webview panels): Open Plan, Compare Plans, the chat's Show plan, and the host API other
// features call to show a plan or a diff (`showPlan`, `showPlanDiff`). Each panel keeps its document and sends it
// whenever its webview (re)loads; messages from the webview are validated before anything is done with them.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { diffDoc, flatPlanOf, planDoc, type PlanInput } from '../../app/planViewDocs';
import type { Finding } from '../../core/findings';
import { PlanParseError } from '../../core/plan/model';
import type { ParseHint } from '../../core/plan/parse';
import { isNodeId, parsePlanViewMessage, type HostToPlanView, type PlanViewDoc } from '../../protocol/planMessages';
import { planViewHtml } from './html';

export interface ShowPlanOptions {
  title?: string;
  /** Node id (`#3`) to select and highlight. */
  focus?: string;
  /** A panel with the same key is reused (its document replaced) rather than a new one opened. */
  key?: string;
  hint?: ParseHint;
  /** The findings to pin on the nodes (numbered F1, F2… in this order) instead of analyzing the plan again. */
  findings?: readonly Finding[];
  /** Where the tab opens; the active group by default. */
  column?: vscode.ViewColumn;
}

export interface ShowDiffOptions {
  title?: string;
  beforeTitle?: string;
  afterTitle?: string;
  key?: string;
  hint?: ParseHint;
  column?: vscode.ViewColumn;
}

interface Panel {
  panel: vscode.WebviewPanel;
  doc: PlanViewDoc;
  /** A node to focus once the webview has drawn the document. */
  focus?: string;
}

export class PlanPanels implements vscode.Disposable {
  static readonly viewType = 'dataeng.plan';
  private readonly panels = new Map<string, Panel>();
  private opened = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Shows one plan: EXPLAIN text in any format the parsers read, its parsed JSON, a parsed Plan (with or without
   * findings) or an ExplainResult. Throws PlanParseError when the input is not a plan.
   */
  async showPlan(input: PlanInput, options: ShowPlanOptions = {}): Promise<void> {
    const plan = await flatPlanOf(input, { hint: options.hint, findings: options.findings });
    const title = options.title ?? `Plan (${plan.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${plan.nodeCount} nodes)`;
    this.open(planDoc(plan, title), options.key, options.column, options.focus !== undefined && isNodeId(options.focus) ? options.focus : undefined);
  }

  /**
   * Shows two plans of the same statement merged, with what changed: the diff view the proof cards (what-if indexes,
   * rewrite verification) open. `before` and `after` take the same inputs as showPlan.
   */
  async showPlanDiff(before: PlanInput, after: PlanInput, options: ShowDiffOptions = {}): Promise<void> {
    const side = (input: PlanInput, which: string) =>
      flatPlanOf(input, { hint: options.hint }).catch((err: unknown) => {
        throw err instanceof PlanParseError ? new PlanParseError(`the ${which} plan: ${err.message}`) : err;
      });
    const [a, b] = await Promise.all([side(before, options.beforeTitle ?? 'before'), side(after, options.afterTitle ?? 'after')]);
    this.open(diffDoc(a, b, options), options.key, options.column);
  }

  /** Reveals the panel with this key and focuses a node in it; false when there is no such panel. */
  focus(key: string, nodeId: string | undefined): boolean {
    const entry = this.panels.get(key);
    if (!entry) return false;
    entry.panel.reveal();
    if (nodeId !== undefined && isNodeId(nodeId)) void entry.panel.webview.postMessage({ type: 'focus', nodeId } satisfies HostToPlanView);
    return true;
  }

  private open(doc: PlanViewDoc, key = `plan-${++this.opened}`, column = vscode.ViewColumn.Active, focus?: string): void {
    const existing = this.panels.get(key);
    if (existing) {
      existing.doc = doc;
      existing.focus = focus;
      existing.panel.title = doc.title;
      existing.panel.reveal(column);
      void existing.panel.webview.postMessage({ type: 'show', doc } satisfies HostToPlanView);
      if (focus) void existing.panel.webview.postMessage({ type: 'focus', nodeId: focus } satisfies HostToPlanView);
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(PlanPanels.viewType, doc.title, column, { enableScripts: true, enableForms: false, localResourceRoots: [dist] });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    const entry: Panel = { panel, doc, focus };
    this.panels.set(key, entry);
    panel.webview.html = planViewHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'planView.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'planView.css')).toString(),
    });
    const subscription = panel.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = parsePlanViewMessage(raw);
      if (!parsed.ok) return this.log.warn(`plan view: rejected a webview message (${parsed.reason})`);
      const m = parsed.message;
      if (m.type === 'ready') {
        void panel.webview.postMessage({ type: 'show', doc: entry.doc } satisfies HostToPlanView);
        if (entry.focus) void panel.webview.postMessage({ type: 'focus', nodeId: entry.focus } satisfies HostToPlanView);
      } else {
        void vscode.env.clipboard.writeText(m.text).then(() => vscode.window.setStatusBarMessage('Data Engineer: copied to the clipboard', 2000));
      }
    });
    panel.onDidDispose(() => {
      subscription.dispose();
      if (this.panels.get(key) === entry) this.panels.delete(key);
    });
    this.log.info(`plan view: opened ${doc.kind === 'diff' ? 'a comparison' : 'a plan'} (${doc.kind === 'diff' ? doc.after.nodeCount : doc.plan.nodeCount} nodes)`);
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
