// Wires the editor integration: the SQL code-action provider and the document cache's cleanup. The commands
// themselves are entries in src/vscode/commands.ts.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { SqlCodeActionProvider } from './codeActions';
import { forgetDocument, sqlDocumentSelector } from './sqlDocuments';

export function registerEditor(services: Services): void {
  // The dialect comes from the active connection's settings only: reading it does no I/O.
  const dialect = () => {
    try {
      return services.connections.active().driver === 'sqlite' ? ('sqlite' as const) : ('postgres' as const);
    } catch {
      return undefined;
    }
  };
  services.own(vscode.languages.registerCodeActionsProvider(sqlDocumentSelector, new SqlCodeActionProvider(dialect), SqlCodeActionProvider.metadata));
  services.own(vscode.workspace.onDidCloseTextDocument(forgetDocument));
}
