// The agent's tools in the editor (the sidebar chat and @dataeng): the registry of src/app/tools over the chat's
// active connection (consent asked in the same modal as the editor's commands) and the workspace folders, narrowed to
// what the persona is offered. Nothing is offered from a Restricted Mode window: no connection is opened and no file read.
import * as vscode from 'vscode';
import type { ToolDatabasePort } from '../../app/tools/ports';
import { createToolRegistry } from '../../app/tools/registry';
import type { Persona } from '../../core/persona/types';
import { effectiveMaxTableBytes } from '../../core/settings/verifySettings';
import { offeredTools, offeredToolsNote } from '../../core/tools/offered';
import type { ToolRegistry } from '../../core/tools/types';
import type { Database } from '../../db/types';
import { WorkspaceFiles } from '../../host/workspaceFiles';
import { analyzeSetting, askInEditor } from '../connections/explainWithConsent';
import type { Services } from '../services';

/** Personas whose left-out tools were logged already: once per persona and session is enough. */
const noted = new Set<string>();

/**
 * `database`: the connection the task already opened (an editor command's), null for none, undefined to open the
 * active connection when a tool first needs it (a question without SQL opens nothing until the model asks).
 */
export function agentTools(services: Services, persona: Persona | undefined, database: Database | null | undefined): ToolRegistry | undefined {
  const maxSteps = vscode.workspace.getConfiguration('dataeng').get<number>('agent.maxSteps', 10);
  if (maxSteps <= 0 || !vscode.workspace.isTrusted) return undefined;
  const choice = offeredTools(persona ?? { tools: [], metadata: {} });
  const name = persona?.name ?? 'default';
  const note = offeredToolsNote(name, choice);
  if (note && !noted.has(name)) {
    noted.add(name);
    services.log.info(note);
  }
  const connections = services.chatConnections;
  const databasePort: ToolDatabasePort | undefined =
    database === null && !connections
      ? undefined
      : {
          async open() {
            const db = database ?? (await connections?.activeDatabase());
            if (!db) throw new Error('No database connection is active: the user can pick one at the top of the chat or add one in the Connections view.');
            return db;
          },
          list: () => (connections?.list() ?? []).map((c) => ({ name: c.name, driver: c.driver as Database['config']['driver'], target: c.driver, isDefault: c.name === connections?.activeName() })),
          // The one consent policy, asked as the editor asks: a modal naming every reason for anything beyond a read.
          consent: { ask: askInEditor, withoutConsent: 'plain' },
          analyzeSetting,
          maxTableBytes: effectiveMaxTableBytes(vscode.workspace.getConfiguration('dataeng').inspect('verify.maxTableBytes')),
        };
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return createToolRegistry(
    { ...(databasePort ? { database: databasePort } : {}), ...(roots.length ? { workspace: new WorkspaceFiles({ roots }) } : {}) },
    { offered: choice.offered, planBudgetTokens: Math.min(1_200, vscode.workspace.getConfiguration('dataeng').get<number>('evidence.tokenBudget', 3000)) },
  );
}
