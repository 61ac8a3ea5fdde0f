import * as vscode from 'vscode';

/** The "Data Engineer" log channel. Never log secrets: connection strings are logged without passwords. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Data Engineer', { log: true });
}
