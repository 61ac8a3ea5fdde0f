// Everything the commands and views share, built once in activate(). Heavy modules are loaded on first use.
import * as vscode from 'vscode';
import { createLog } from './log';
import { PersonaStore } from './personas';

export class Services implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private personaStore: PersonaStore | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = createLog();
    this.disposables.push(this.log);
  }

  /** Personas, created on first use; the store itself reads files only when a persona is first asked for. */
  get personas(): PersonaStore {
    this.personaStore ??= this.own(new PersonaStore(this.context, this.log));
    return this.personaStore;
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
