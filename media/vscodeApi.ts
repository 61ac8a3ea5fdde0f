// The webview's handle on VS Code: acquireVsCodeApi exists only inside a webview; tests and benchmarks define it.
import type { ConversationEntry, WebviewToHost } from '../src/protocol/messages';

export interface PersistedState {
  conversation: ConversationEntry[];
  draft: string;
}

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function vscodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
