// Wires the connections feature: the tree view, the status-bar item, and the chat's connection port.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { createConnectionStatusItem } from './statusBar';
import { ConnectionsTree } from './tree';

export function registerConnections(services: Services): ConnectionsTree {
  const connections = services.connections;
  const tree = services.own(new ConnectionsTree(connections));
  services.own(vscode.window.createTreeView('dataeng.connections', { treeDataProvider: tree, showCollapseAll: false }));
  services.own(createConnectionStatusItem(connections));
  services.chatConnections = connections;
  return tree;
}
