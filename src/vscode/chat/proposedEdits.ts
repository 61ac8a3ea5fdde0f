// Apply / Reject of a propose_edit from the chat: the tool never writes; the user applies the change as one undoable
// WorkspaceEdit, in a trusted workspace only, and only while the old text is still exactly where it was proposed.
import * as vscode from 'vscode';
import type { ProposedEdit } from '../../core/tools/types';
import type { Services } from '../services';

export type ApplyResult = { ok: true } | { ok: false; note: string };

/** The file of a workspace-relative path, inside one of the workspace folders (never above one). */
async function resolveInWorkspace(path: string): Promise<vscode.Uri | undefined> {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.includes('\\')) || /^[A-Za-z]:/.test(path)) return undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...parts);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.File) return uri;
    } catch {
      // Not in this folder: try the next.
    }
  }
  return undefined;
}

export async function applyProposedEdit(edit: ProposedEdit): Promise<ApplyResult> {
  if (!vscode.workspace.isTrusted) return { ok: false, note: 'edits are applied only in a trusted workspace' };
  const uri = await resolveInWorkspace(edit.path);
  if (!uri) return { ok: false, note: `${edit.path} is not a file in the workspace` };
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  const at = text.indexOf(edit.oldText);
  // The file may have changed since the model read it: the old text must still be there, exactly once.
  if (at < 0) return { ok: false, note: 'the file no longer contains the text this edit replaces' };
  if (edit.oldText !== '' && text.indexOf(edit.oldText, at + 1) >= 0) return { ok: false, note: 'the text this edit replaces now occurs more than once' };
  const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + edit.oldText.length));
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(uri, range, edit.newText);
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) return { ok: false, note: 'the editor refused the edit' };
  const editor = await vscode.window.showTextDocument(doc, { preserveFocus: false });
  editor.selection = new vscode.Selection(range.start, doc.positionAt(at + edit.newText.length));
  editor.revealRange(editor.selection);
  return { ok: true };
}

function isProposedEdit(v: unknown): v is ProposedEdit {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r['path'] === 'string' && typeof r['oldText'] === 'string' && typeof r['newText'] === 'string';
}

/** `dataeng.applyProposedEdit`: the participant's Apply button. Any caller's argument is checked like the webview's. */
export async function applyProposedEditCommand(services: Services, edit: unknown): Promise<void> {
  if (!isProposedEdit(edit)) throw new Error('Apply Proposed Edit needs {path, oldText, newText}: use the Apply button under a proposed edit');
  const result = await applyProposedEdit(edit);
  services.log.info(`@dataeng: proposed edit of ${edit.path} ${result.ok ? 'applied' : `not applied (${result.note})`}`);
  if (!result.ok) throw new Error(`the edit of ${edit.path} was not applied: ${result.note}`);
}
