// Everything the commands and views share, built once in activate(). Heavy modules are loaded on first use.
import * as vscode from 'vscode';
import { createLog } from './log';

export class Services implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = createLog();
    this.disposables.push(this.log);
  }

  /** Keeps a disposable until deactivation. */
  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing disposable must not keep the others alive.
      }
    }
  }
}
