// Plan findings as squiggles (setting `dataeng.diagnostics.enabled`, off by default): after an explain, warnings and
// criticals mark the statement; an edit touching the statement clears them, since they describe the old text.
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import { findingMessage } from '../../core/findingsFormat';

export class QueryDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('dataeng');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('dataeng.diagnostics.enabled') && !enabled()) this.collection.clear();
      }),
    );
  }

  /** Replaces the diagnostics on one statement with these findings (info findings are left to the chat). */
  show(uri: vscode.Uri, range: vscode.Range, findings: readonly Finding[]): void {
    const others = (this.collection.get(uri) ?? []).filter((d) => !d.range.intersection(range));
    if (!enabled()) return;
    const mine = findings
      .filter((f) => f.severity !== 'info')
      .map((f) => {
        const d = new vscode.Diagnostic(range, findingMessage(f), f.severity === 'critical' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = 'Data Engineer';
        d.code = f.node ? `${f.rule} ${f.node}` : f.rule;
        return d;
      });
    this.collection.set(uri, [...others, ...mine]);
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const current = this.collection.get(e.document.uri);
    if (!current?.length || !e.contentChanges.length) return;
    // An edit inside or touching a marked statement makes its findings stale; other statements keep theirs.
    const kept = current.filter((d) => !e.contentChanges.some((c) => touches(d.range, c.range)));
    if (kept.length !== current.length) this.collection.set(e.document.uri, kept);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function touches(a: vscode.Range, b: vscode.Range): boolean {
  return !a.end.isBefore(b.start) && !b.end.isBefore(a.start);
}

export function enabled(): boolean {
  return vscode.workspace.getConfiguration('dataeng').get<boolean>('diagnostics.enabled', false);
}
