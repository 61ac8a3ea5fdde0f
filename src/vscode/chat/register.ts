// Wires the chat: the sidebar view provider and the @dataeng participant. Commands live in src/vscode/commands.ts.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { ChatViewProvider } from './chatView';
import { registerChatParticipant } from './participant';

export function registerChat(services: Services): void {
  const view = services.own(new ChatViewProvider(services));
  services.chatView = view;
  services.own(vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view, { webviewOptions: { retainContextWhenHidden: false } }));
  registerChatParticipant(services);
}
