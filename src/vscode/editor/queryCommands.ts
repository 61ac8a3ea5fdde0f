// "Explain Query" / "Optimize Query": locate the statement (selection wins) → the active connection (asked for when
// the choice is not clear) → the chat pipeline (EXPLAIN through the safe path per `dataeng.explain.analyze`,
// writes always ask → analysis → findings at once in the chat → the persona's answer streams in), under a
// cancellable progress notification whose Cancel reaches the database and the model.
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings';
import type { ChatTaskArgs } from '../chat/ports';
import type { Services } from '../services';
import { asStatementTarget } from './codeActions';
import { editorDatabase } from './editorDatabase';
import { connectionForQuery } from './pickConnection';
import { refuseInRestrictedMode } from './restricted';
import { documentDialect, locateStatement } from './sqlDocuments';

export type QueryTask = 'explain' | 'optimize';

interface Located {
  doc: vscode.TextDocument;
  range: vscode.Range;
  sql: string;
  version: number;
}

async function locate(arg: unknown, driver: string | undefined): Promise<Located | null> {
  const target = asStatementTarget(arg);
  if (target) {
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const range = doc.validateRange(target.range);
    const sql = doc.getText(range);
    return sql.trim() ? { doc, range, sql, version: doc.version } : null;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return null;
  const located = locateStatement(editor.document, editor.selection, documentDialect(editor.document, driver));
  return located ? { doc: editor.document, range: located.range, sql: located.statement.text, version: editor.document.version } : null;
}

export async function queryCommand(services: Services, task: QueryTask, arg?: unknown): Promise<void> {
  if (refuseInRestrictedMode(`${task === 'explain' ? 'Explain' : 'Optimize'} Query`)) return;
  const chat = services.chatView;
  if (!chat) throw new Error('the chat view is not available yet; open "Data Engineer: Open Chat" and try again');
  const name = await connectionForQuery(services);
  if (name === undefined) return;
  const config = services.connections.find(name);
  const target = await locate(arg, config?.driver);
  if (!target) {
    void vscode.window.showInformationMessage(`Data Engineer: put the cursor in a SQL statement (or select one) to ${task} it.`);
    return;
  }
  const db = await services.connections.open(name);
  // The log records what ran where and how big, never the SQL text: it may hold literal values.
  services.log.info(`${task} query: connection "${name}" (${db.dialect}), ${target.sql.length} characters`);
  const verb = task === 'explain' ? 'Explaining' : 'Optimizing';
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Data Engineer: ${verb} the query`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => {
        services.log.info(`${task} query: cancelled by the user`);
        controller.abort();
      });
      progress.report({ message: 'running EXPLAIN…' });
      const database = editorDatabase(db, {
        signal: controller.signal,
        onExplain: () => progress.report({ message: 'asking the persona…' }),
      });
      // `signal` lets the chat stop the model too when the notification is cancelled.
      const args: ChatTaskArgs & { signal: AbortSignal } = {
        task,
        sql: target.sql,
        dialect: db.dialect,
        documentUri: target.doc.uri,
        range: target.range,
        database,
        signal: controller.signal,
        // The pipeline analyzes the plan once (off the host thread when it is large); the squiggles reuse its findings.
        onFindings: (findings) => showDiagnostics(services, target, findings),
      };
      try {
        await chat.runTask(args);
      } finally {
        cancel.dispose();
      }
    },
  );
}

function showDiagnostics(services: Services, target: Located, findings: readonly Finding[]): void {
  if (!vscode.workspace.getConfiguration('dataeng').get<boolean>('diagnostics.enabled', false)) return;
  // Findings describe the text that was explained; if the user has edited it since, they would mark the wrong code.
  if (target.doc.isClosed || target.doc.version !== target.version) return;
  try {
    services.queryDiagnostics.show(target.doc.uri, target.range, findings);
  } catch (err) {
    services.log.warn(`diagnostics: ${err instanceof Error ? err.message : String(err)}`);
  }
}
