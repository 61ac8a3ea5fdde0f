// The status-bar item showing the active connection; clicking it opens the connection picker.
import * as vscode from 'vscode';
import { describeConnection } from '../../db/connectionSettings';
import type { ConnectionsService } from './service';

export function createConnectionStatusItem(connections: ConnectionsService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('dataeng.activeConnection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Data Engineer: Active Connection';
  const update = (): void => {
    if (!connections.trusted) {
      item.text = '$(shield) DB: Restricted';
      item.tooltip = 'Data Engineer opens no database connection in Restricted Mode.';
      item.command = undefined;
    } else {
      const active = connections.active();
      item.text = `$(database) ${active.name}`;
      item.tooltip = `Data Engineer: ${describeConnection(active)}. Click to change the active connection.`;
      item.command = 'dataeng.setActiveConnection';
    }
    item.show();
  };
  update();
  const sub = connections.onDidChange(update);
  return vscode.Disposable.from(item, sub);
}
