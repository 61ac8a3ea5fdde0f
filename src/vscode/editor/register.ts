// Wires the editor integration: the SQL code-action provider and the document cache's cleanup. The commands
// themselves are entries in src/vscode/commands.ts.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { SqlCodeActionProvider } from './codeActions';
import { forgetDocument, sqlDocumentSelector } from './sqlDocuments';

export function registerEditor(services: Services): void {
  // The active connection's driver (read from settings, no I/O) decides the dialect, with the file name (sqlDocuments).
  const driver = () => {
    try {
      return services.connections.active().driver;
    } catch {
      return undefined;
    }
  };
  services.own(vscode.languages.registerCodeActionsProvider(sqlDocumentSelector, new SqlCodeActionProvider(driver), SqlCodeActionProvider.metadata));
  services.own(vscode.workspace.onDidCloseTextDocument(forgetDocument));
}
