// Restricted Mode: no database connection is opened in an untrusted workspace. Editor commands say so up front, with
// the way out as a button (a notification with an action also stays until the user reads it).
import * as vscode from 'vscode';

export function refuseInRestrictedMode(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(`Data Engineer: this workspace is in Restricted Mode, so no database connection is opened and ${what} cannot run. Trust the folder to use it.`, manage)
    .then((choice) => (choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  return true;
}
