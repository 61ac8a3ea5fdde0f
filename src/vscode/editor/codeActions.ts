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

  constructor(private readonly connectionDriver: () => string | undefined) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(kind)) return [];
    const located = locateStatement(doc, range, documentDialect(doc, this.connectionDriver()));
    if (!located) return [];
    const target: StatementTarget = { uri: doc.uri, range: located.range };
    const explain = new vscode.CodeAction('Explain query', kind);
    explain.command = { command: 'dataeng.explainQuery', title: 'Explain query', arguments: [target] };
    const optimize = new vscode.CodeAction('Optimize query', kind);
    optimize.command = { command: 'dataeng.optimizeQuery', title: 'Optimize query', arguments: [target] };
    return [explain, optimize];
  }
}

/**
 * The target a code action passed, or null. VS Code normally hands the same objects back; a plain-object copy
 * (arguments that went through serialization) is revived, and anything else is not a target.
 */
export function asStatementTarget(v: unknown): StatementTarget | null {
  if (typeof v !== 'object' || v === null) return null;
  const t = v as { uri?: unknown; range?: unknown };
  const uri = t.uri instanceof vscode.Uri ? t.uri : reviveUri(t.uri);
  const range = t.range instanceof vscode.Range ? t.range : reviveRange(t.range);
  return uri && range ? { uri, range } : null;
}

function reviveUri(v: unknown): vscode.Uri | null {
  if (typeof v === 'string') return vscode.Uri.parse(v, true);
  const o = v as { scheme?: unknown; path?: unknown } | null;
  return o && typeof o.scheme === 'string' && typeof o.path === 'string' ? vscode.Uri.from(o as { scheme: string; path: string }) : null;
}

function reviveRange(v: unknown): vscode.Range | null {
  const pos = (p: unknown): vscode.Position | null => {
    const o = p as { line?: unknown; character?: unknown } | null;
    return o && Number.isInteger(o.line) && Number.isInteger(o.character) && (o.line as number) >= 0 && (o.character as number) >= 0
      ? new vscode.Position(o.line as number, o.character as number)
      : null;
  };
  const o = v as { start?: unknown; end?: unknown } | null;
  const start = o ? pos(o.start) : null;
  const end = o ? pos(o.end) : null;
  return start && end ? new vscode.Range(start, end) : null;
}
