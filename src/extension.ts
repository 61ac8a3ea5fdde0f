// activate() only wires: build the shared services, then register commands, views and providers.
import type * as vscode from 'vscode';
import { registerChat } from './vscode/chat/register';
import { registerCommands } from './vscode/commands';
import { registerConnections } from './vscode/connections/register';
import { registerEditor } from './vscode/editor/register';
import { registerTools } from './vscode/tools/register';
import { Services } from './vscode/services';

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  services = new Services(context);
  context.subscriptions.push(services);
  registerCommands(services);
  registerConnections(services);
  registerChat(services);
  registerEditor(services);
  registerTools(services);
  services.log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  services?.dispose();
  services = undefined;
}
