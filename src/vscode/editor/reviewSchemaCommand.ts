// "Review Schema": pick a connection (and a schema for PostgreSQL), read the catalog once (a constant number of
// queries), run the deterministic rules, open the Markdown report, show the findings in the chat and stream the
// persona's review. The chat reuses the catalog already read rather than introspecting again.
import * as vscode from 'vscode';
import type { Catalog } from '../../core/schema/catalog';
import { restrictToSchema, schemaReportMarkdown, schemasWithTables } from '../../core/schema/report';
import { reviewSchema } from '../../core/schema/review';
import type { Database } from '../../db/types';
import type { ChatTaskArgs } from '../chat/ports';
import type { Services } from '../services';
import { editorDatabase } from './editorDatabase';
import { pickConnection } from './pickConnection';
import { refuseInRestrictedMode } from './restricted';

const allSchemas = '$(list-flat) All schemas';

async function readCatalog(db: Database, schema: string | undefined): Promise<Catalog | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Data Engineer: Reading the catalog of "${db.config.name}"`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      // The signal stops this read only; db.cancel() would also stop other work on the same connection.
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        return await db.introspect({ ...(schema !== undefined ? { schema } : {}), signal: controller.signal });
      } catch (err) {
        if (controller.signal.aborted) return undefined;
        throw err;
      } finally {
        cancel.dispose();
      }
    },
  );
}

async function pickSchema(catalog: Catalog): Promise<string | null | undefined> {
  const schemas = schemasWithTables(catalog);
  if (schemas.length <= 1) return schemas[0] ?? null;
  const items = [allSchemas, ...schemas].map((label) => ({
    label,
    description: label === allSchemas ? `${catalog.tables.length} tables` : `${catalog.tables.filter((t) => t.schema === label).length} tables`,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Review which schema?', ignoreFocusOut: true });
  if (!picked) return undefined;
  return picked.label === allSchemas ? null : picked.label;
}

export async function reviewSchemaCommand(services: Services, arg?: unknown): Promise<void> {
  if (refuseInRestrictedMode('Review Schema')) return;
  const name = typeof arg === 'string' ? arg : await pickConnection(services, 'Review the schema of which connection?');
  if (name === undefined) return;
  const db = await services.connections.open(name);
  const started = performance.now();
  // A schema set on the connection is the user's standing choice; otherwise read everything once and ask.
  const configured = db.dialect === 'postgres' ? db.config.schema : undefined;
  const full = await readCatalog(db, configured);
  if (!full) return;
  let catalog = full;
  let schema: string | undefined = configured;
  if (db.dialect === 'postgres' && configured === undefined) {
    const picked = await pickSchema(full);
    if (picked === undefined) return;
    if (picked !== null) {
      schema = picked;
      catalog = restrictToSchema(full, picked);
    }
  }
  const review = reviewSchema(catalog);
  services.log.info(
    `review schema: connection "${name}" (${db.dialect}), ${review.tables} tables, ${review.columns} columns, ` +
      `${review.findings.length} findings, ${catalog.queryCount} catalog queries, ${(performance.now() - started).toFixed(0)} ms`,
  );
  const report = schemaReportMarkdown(catalog, review.findings, { connection: name, ...(schema !== undefined ? { schema } : {}) });
  await showReport(report, services);

  const chat = services.chatView;
  if (!chat) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Data Engineer: Reviewing the schema', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      progress.report({ message: 'asking the persona…' });
      const args: ChatTaskArgs & { signal: AbortSignal; userText: string } = {
        task: 'review-schema',
        dialect: db.dialect,
        database: editorDatabase(db, { signal: controller.signal, catalog }),
        signal: controller.signal,
        userText: `Review the schema of "${name}"${schema !== undefined ? ` (schema ${schema})` : ''}: ${review.tables} tables, ${review.findings.length} findings.`,
      };
      try {
        await chat.runTask(args);
      } finally {
        cancel.dispose();
      }
    },
  );
}

/**
 * Opens the report rendered (Markdown preview) beside the SQL the user is working on, or in the editor area when
 * nothing is open. The preview's own "Show Source" button (markdown.showSource) is one click from the Markdown text.
 * If the preview cannot open (the built-in Markdown extension disabled), the Markdown source is shown instead.
 */
async function showReport(report: string, services: Services): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
  const beside = vscode.window.activeTextEditor !== undefined;
  try {
    await vscode.commands.executeCommand(beside ? 'markdown.showPreviewToSide' : 'markdown.showPreview', doc.uri);
  } catch (err) {
    services.log.warn(`review schema: the Markdown preview did not open (${err instanceof Error ? err.message : String(err)}); showing the source`);
    await vscode.window.showTextDocument(doc, { viewColumn: beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preview: true, preserveFocus: true });
  }
}
