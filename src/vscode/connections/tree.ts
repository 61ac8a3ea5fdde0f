// The Connections tree view: one item per connection (active one marked), configuration errors as warning items,
// and a single explanatory item in Restricted Mode.
import * as vscode from 'vscode';
import { demoConnection, describeConnection } from '../../db/connectionSettings';
import type { ConnectionsService } from './service';

export type ConnectionNode = { kind: 'connection'; name: string } | { kind: 'message'; label: string; detail: string; icon: string };

export class ConnectionsTree implements vscode.TreeDataProvider<ConnectionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connections: ConnectionsService) {
    this.subscription = connections.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: ConnectionNode): ConnectionNode[] {
    if (element) return [];
    if (!this.connections.trusted) {
      return [{ kind: 'message', label: 'Restricted Mode', detail: 'No connection is opened until you trust this workspace.', icon: 'shield' }];
    }
    const errors: ConnectionNode[] = this.connections.configErrors().map((e) => ({ kind: 'message', label: 'Invalid connection setting', detail: e, icon: 'warning' }));
    return [...this.connections.all().map((c): ConnectionNode => ({ kind: 'connection', name: c.name })), ...errors];
  }

  getTreeItem(node: ConnectionNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label);
      item.description = node.detail;
      item.tooltip = node.detail;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = 'message';
      return item;
    }
    const config = this.connections.find(node.name);
    const active = this.connections.activeName() === node.name;
    const item = new vscode.TreeItem(node.name);
    item.id = `connection:${node.name}`;
    item.description = `${config ? describeConnection(config) : ''}${active ? ' (active)' : ''}`;
    item.tooltip = new vscode.MarkdownString().appendText(`${node.name}\n${config ? describeConnection(config) : ''}${active ? '\nActive connection' : ''}`);
    item.iconPath = new vscode.ThemeIcon(active ? 'pass-filled' : 'database');
    // The demo is built in: it can be tested and made active, not removed.
    item.contextValue = node.name === demoConnection.name ? 'connection' : 'connection-removable';
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
