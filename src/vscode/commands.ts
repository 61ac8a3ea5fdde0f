// The one table of command ids and handlers. A test checks it against package.json's contributes.commands.
import * as vscode from 'vscode';
import { reloadPersonasCommand, selectPersonaCommand } from './personas';
import type { Services } from './services';
import { queryCommand } from './editor/queryCommands';
import { reviewSchemaCommand } from './editor/reviewSchemaCommand';
import { comparePlansCommand, openPlanCommand } from './plan/commands';
import { applyProposedEditCommand } from './chat/proposedEdits';
import { addConnectionCommand, removeConnectionCommand, setActiveConnectionCommand, testConnectionCommand } from './connections/commands';

export type CommandHandler = (...args: unknown[]) => unknown;

export function commandTable(services: Services): Record<string, CommandHandler> {
  return {
    'dataeng.showLog': () => services.log.show(),
    'dataeng.explainQuery': (target?: unknown) => queryCommand(services, 'explain', target),
    'dataeng.optimizeQuery': (target?: unknown) => queryCommand(services, 'optimize', target),
    'dataeng.reviewSchema': (connection?: unknown) => reviewSchemaCommand(services, connection),
    'dataeng.addConnection': () => addConnectionCommand(services.connections),
    'dataeng.removeConnection': (arg?: unknown) => removeConnectionCommand(services.connections, arg),
    'dataeng.testConnection': (arg?: unknown) => testConnectionCommand(services.connections, arg),
    'dataeng.setActiveConnection': (arg?: unknown) => setActiveConnectionCommand(services.connections, arg),
    'dataeng.refreshConnections': () => services.connections.fireChanged(),
    'dataeng.selectPersona': (name?: unknown) => selectPersonaCommand(services.personas, name),
    'dataeng.reloadPersonas': () => reloadPersonasCommand(services.personas),
    'dataeng.setApiKey': () => services.apiKeys.prompt(),
    'dataeng.clearApiKey': () => services.apiKeys.clear(),
    'dataeng.newChat': () => services.chatView?.newChat(),
    'dataeng.openChat': () => services.chatView?.reveal(true),
    'dataeng.openPlan': (target?: unknown) => openPlanCommand(services, target),
    'dataeng.comparePlans': (first?: unknown, all?: unknown) => comparePlansCommand(services, first, all),
    // The @dataeng participant's Apply button on a proposed edit (the sidebar chat applies through its own message).
    'dataeng.applyProposedEdit': (edit?: unknown) => applyProposedEditCommand(services, edit),
  };
}

export function registerCommands(services: Services): void {
  for (const [id, handler] of Object.entries(commandTable(services))) {
    services.own(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          services.log.error(`${id}: ${message}`);
          void vscode.window.showErrorMessage(`Data Engineer: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
