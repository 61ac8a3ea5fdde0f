// Data Engineer: Open Plan and Data Engineer: Compare Plans. Plans come from a file (explorer or editor context menu),
// the active editor's selection or text, or the clipboard; any format the plan parsers read.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { PlanParseError } from '../../core/plan/model';
import type { Services } from '../services';

interface PlanText {
  text: string;
  title: string;
}

function isUri(v: unknown): v is vscode.Uri {
  return v instanceof vscode.Uri;
}

async function fromUri(uri: vscode.Uri): Promise<PlanText> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  return { text, title: basename(uri.path) };
}

/** The editor's selection when there is one, else its whole text. */
function fromEditor(editor: vscode.TextEditor): PlanText {
  const selection = editor.selection;
  const name = editor.document.isUntitled ? 'pasted plan' : basename(editor.document.uri.path);
  if (!selection.isEmpty) return { text: editor.document.getText(selection), title: `${name} (selection)` };
  return { text: editor.document.getText(), title: name };
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Data Engineer: Open Plan. With a file (context menu) it shows that file; otherwise the active editor's selection or
 * text, and when that is empty or not a plan, the clipboard.
 */
export async function openPlanCommand(services: Services, target?: unknown): Promise<void> {
  const views = services.planViews;
  const editor = vscode.window.activeTextEditor;
  // From an editor's context menu the target is that editor's file: its selection (or unsaved text) is what is meant.
  if (isUri(target) && editor?.document.uri.toString() !== target.toString()) {
    const source = await fromUri(target);
    return views.showPlan(source.text, { title: source.title, key: `file:${target.toString()}`, column: vscode.ViewColumn.Beside });
  }
  let editorError: string | undefined;
  if (editor) {
    const source = fromEditor(editor);
    if (source.text.trim()) {
      try {
        return await views.showPlan(source.text, { title: source.title, key: `editor:${editor.document.uri.toString()}`, column: vscode.ViewColumn.Beside });
      } catch (err) {
        if (!(err instanceof PlanParseError)) throw err;
        editorError = reason(err);
      }
    }
  }
  const clipboard = await vscode.env.clipboard.readText();
  if (!clipboard.trim()) {
    throw new Error(editorError ? `the editor's text is not a plan (${editorError}), and the clipboard is empty` : 'open a plan in an editor, select one, or copy one to the clipboard first');
  }
  try {
    await views.showPlan(clipboard, { title: 'Plan from the clipboard' });
  } catch (err) {
    if (!(err instanceof PlanParseError)) throw err;
    throw new Error(editorError ? `neither the editor's text nor the clipboard is a plan (${editorError})` : `the clipboard does not hold a plan (${reason(err)})`);
  }
}

interface PlanPick extends vscode.QuickPickItem {
  load: () => Promise<PlanText | undefined>;
}

/** Open documents (with their selection when they are in an editor) and a file browser, for one side of a comparison. */
async function pickPlan(side: 'before' | 'after', exclude: string | undefined): Promise<PlanText | undefined> {
  const items: PlanPick[] = [];
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') continue;
    if (doc.uri.toString() === exclude || !doc.getText().trim()) continue;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const name = doc.isUntitled ? doc.uri.path : basename(doc.uri.path);
    items.push({
      label: name,
      description: editor && !editor.selection.isEmpty ? 'the selection' : vscode.workspace.asRelativePath(doc.uri),
      load: () => Promise.resolve(editor ? fromEditor(editor) : { text: doc.getText(), title: name }),
    });
  }
  items.push({
    label: '$(folder-opened) Choose a file…',
    load: async () => {
      const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: `Use as the ${side} plan`, filters: { Plans: ['json', 'txt', 'sql', 'plan'], 'All files': ['*'] } })) ?? [];
      return uri ? fromUri(uri) : undefined;
    },
  });
  const pick = await vscode.window.showQuickPick(items, { title: `Compare Plans: the ${side} plan`, placeHolder: side === 'before' ? 'The plan before the change' : 'The plan after the change', ignoreFocusOut: true });
  return pick?.load();
}

/**
 * Data Engineer: Compare Plans. Two files selected in the explorer; else the two editors side by side (left is
 * before); else the user picks each plan from the open documents or a file.
 */
export async function comparePlansCommand(services: Services, first?: unknown, all?: unknown): Promise<void> {
  let before: PlanText | undefined;
  let after: PlanText | undefined;
  const uris = Array.isArray(all) ? all.filter(isUri) : [];
  if (uris.length === 2) {
    [before, after] = await Promise.all([fromUri(uris[0]!), fromUri(uris[1]!)]);
  } else if (uris.length > 2) {
    throw new Error(`select two plans to compare, not ${uris.length}`);
  } else {
    const visible = vscode.window.visibleTextEditors.filter((e) => e.document.getText().trim() && e.viewColumn !== undefined).sort((a, b) => a.viewColumn! - b.viewColumn!);
    if (!isUri(first) && visible.length === 2 && visible[0]!.viewColumn !== visible[1]!.viewColumn) {
      [before, after] = [fromEditor(visible[0]!), fromEditor(visible[1]!)];
    } else {
      before = isUri(first) ? await fromUri(first) : await pickPlan('before', undefined);
      if (!before) return;
      after = await pickPlan('after', isUri(first) ? first.toString() : undefined);
      if (!after) return;
    }
  }
  await services.planViews.showPlanDiff(before.text, after.text, { beforeTitle: before.title, afterTitle: after.title });
}
