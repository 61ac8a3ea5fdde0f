// Choosing a connection for an editor command: the active one when the choice is clear, otherwise a quick pick.
import * as vscode from 'vscode';
import type { Services } from '../services';

/** The key the connections service keeps the user's explicit choice under (see src/vscode/connections/service.ts). */
const activeConnectionKey = 'dataeng.activeConnection';

/** Asks for a connection; the active one is listed first. Resolves undefined when the user dismisses the picker. */
export async function pickConnection(services: Services, placeHolder: string): Promise<string | undefined> {
  const connections = services.connections;
  const active = connections.activeName();
  const items = connections
    .all()
    .map((c) => ({ label: c.name, description: c.name === active ? `${c.driver} · active` : c.driver }))
    .sort((a, b) => Number(b.label === active) - Number(a.label === active));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  return picked?.label;
}

/**
 * The connection to explain against: the active one, unless the user never chose one and several are configured,
 * in which case we ask once and remember the answer as the active connection.
 */
export async function connectionForQuery(services: Services): Promise<string | undefined> {
  const connections = services.connections;
  const chosen = services.state.get<string>(activeConnectionKey);
  if (chosen === undefined && connections.configured().length > 1) {
    const name = await pickConnection(services, 'Run EXPLAIN on which connection? (it becomes the active connection)');
    if (name === undefined) return undefined;
    await connections.setActive(name);
    return name;
  }
  return connections.activeName() ?? undefined;
}
