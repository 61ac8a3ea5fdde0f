// "Explain query" and "Optimize query" on the statement under the cursor (lightbulb and Ctrl+.). No I/O here: only
// the locator on the document text, so typing never waits for a database.
import * as vscode from 'vscode';
import { documentDialect, locateStatement } from './sqlDocuments';

/** What the code actions pass to the commands: where the statement is, so they need not locate it again. */
export interface StatementTarget {
  uri: vscode.Uri;
  range: vscode.Range;
}

// Neither action is a quick fix for a problem nor a refactoring that rewrites code in place, so they use the
// empty kind: VS Code lists them under "More Actions" in the lightbulb and Ctrl+. menus, and refactor-only or
// quick-fix-only requests (auto-fix on save, the refactor menu) do not get them.
const kind = vscode.CodeActionKind.Empty;

export class SqlCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [kind] };

  constructor(private readonly connectionDialect: () => 'postgres' | 'sqlite' | undefined) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(kind)) return [];
    const located = locateStatement(doc, range, documentDialect(doc, this.connectionDialect()));
    if (!located) return [];
    const target: StatementTarget = { uri: doc.uri, range: located.range };
    const explain = new vscode.CodeAction('Explain query', kind);
    explain.command = { command: 'dataeng.explainQuery', title: 'Explain query', arguments: [target] };
    const optimize = new vscode.CodeAction('Optimize query', kind);
    optimize.command = { command: 'dataeng.optimizeQuery', title: 'Optimize query', arguments: [target] };
    return [explain, optimize];
  }
}

export function isStatementTarget(v: unknown): v is StatementTarget {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<StatementTarget>;
  return t.uri instanceof vscode.Uri && t.range instanceof vscode.Range;
}
