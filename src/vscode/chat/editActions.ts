// What the chat's code-block buttons and links do in the editor: copy, insert at the cursor, replace the statement
// the question was about (one undoable edit), open a link after confirmation.
import * as vscode from 'vscode';

export interface StatementOrigin {
  uri: vscode.Uri;
  range: vscode.Range;
  /** The statement text when the question was asked, to detect that the document changed underneath. */
  text: string;
}

export async function copyCode(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage('Data Engineer: copied to the clipboard', 2000);
}

/** Inserts at the cursor of the editor the question came from, else the active editor. */
export async function insertCode(text: string, origin: StatementOrigin | undefined): Promise<void> {
  const editor =
    (origin && vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === origin.uri.toString())) ?? vscode.window.activeTextEditor;
  if (!editor) throw new Error('open an editor to insert the code into');
  const ok = await editor.edit((b) => {
    for (const sel of editor.selections) b.replace(sel, text);
  });
  if (!ok) throw new Error('the editor refused the edit');
}

export async function replaceStatement(text: string, origin: StatementOrigin | undefined): Promise<void> {
  if (!origin) throw new Error('this answer is not tied to a statement in an editor; use Insert instead');
  const doc = await vscode.workspace.openTextDocument(origin.uri);
  if (doc.getText(origin.range) !== origin.text) {
    throw new Error('the statement changed since the question was asked; select it and ask again, or use Insert');
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(origin.uri, origin.range, text.replace(/;\s*$/, ''));
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit could not be applied');
  const editor = await vscode.window.showTextDocument(doc, { preserveFocus: false });
  const end = doc.positionAt(doc.offsetAt(origin.range.start) + text.replace(/;\s*$/, '').length);
  editor.selection = new vscode.Selection(origin.range.start, end);
}

export async function openLink(href: string): Promise<void> {
  const open = 'Open';
  const choice = await vscode.window.showInformationMessage(`Open this link from the chat?\n${href}`, { modal: true }, open);
  if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(href, true));
}
